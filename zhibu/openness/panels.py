"""Home-page panels: the branch's notices on their way, 公开目录 periods overdue and the mailbox's
late messages (3 queries); the district's totals (2 queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.openness import rules
from zhibu.openness.models import Message, Notice
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def _message_counts(qs, today) -> dict:
    return qs.aggregate(
        open=Count("id", filter=~Q(status=rules.REPLIED)),
        late=Count("id", filter=~Q(status=rules.REPLIED) & Q(due_on__lt=today)),
    )


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    notices = Notice.objects.filter(branch=org).aggregate(
        pending=Count("id", filter=~Q(status=rules.PUBLISHED)),
        on_board=Count("id", filter=Q(status=rules.PUBLISHED, starts_on__lte=today, ends_on__gte=today)),
    )
    counts = _message_counts(Message.objects.filter(branch=org), today)
    return render_to_string(
        "openness/panel.html",
        {
            "org": org,
            "notices": notices,
            "messages": counts,
            "link": "openness:index",
        },
    )


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    notices = Notice.objects.filter(branch__path__startswith=org.path).aggregate(
        pending=Count("id", filter=~Q(status=rules.PUBLISHED)),
        on_board=Count("id", filter=Q(status=rules.PUBLISHED, starts_on__lte=today, ends_on__gte=today)),
    )
    counts = _message_counts(Message.objects.filter(branch__path__startswith=org.path), today)
    return render_to_string(
        "openness/panel.html",
        {
            "org": org,
            "notices": notices,
            "messages": counts,
            "link": "openness:district",
        },
    )
