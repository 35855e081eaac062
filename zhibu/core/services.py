"""Core writes."""
from django.db import transaction

from zhibu.core import clock
from zhibu.core.models import Notification


@transaction.atomic
def mark_notifications_read(*, user) -> int:
    # Marking one's own notifications read is not audited: it changes no record of the branch.
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
