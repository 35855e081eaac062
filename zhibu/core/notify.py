"""Reminders and notifications. Apps contribute reminders through a module `zhibu.<app>.reminders`
with `collect(today: date) -> Iterable[Reminder]`; `zhibu remind` sends each one once."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.core.models import Notification, ReminderLog

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str  # unique forever, e.g. "orglife:overdue:branch=3:party_congress:2026Q1"
    users: tuple  # User objects to notify
    title: str
    body: str = ""
    url: str = ""
    organisation: object = None


@dataclass
class RemindResult:
    sent: int = 0
    skipped: int = 0
    emails: int = 0
    keys: list[str] = field(default_factory=list)


def send_once(reminder: Reminder) -> bool:
    """Create the notifications of one reminder unless it was sent before. True if sent now."""
    now = clock.now()
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=reminder.key, sent_at=now)
            Notification.objects.bulk_create([
                Notification(user=u, organisation=reminder.organisation, title=reminder.title, body=reminder.body,
                             url=reminder.url, created_at=now)
                for u in reminder.users
            ])
    except IntegrityError:
        return False
    return True


def _email(reminder: Reminder) -> int:
    addresses = [u.email for u in reminder.users if getattr(u, "email", "")]
    if not addresses:
        return 0
    try:
        send_mail(f"[支部] {reminder.title}", reminder.body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)
    except Exception:  # the in-app notification stands; a mail outage must not stop the run
        log.exception("reminder e-mail failed: %s", reminder.key)
        return 0
    return len(addresses)


def collect_all(today: dt.date) -> Iterable[Reminder]:
    for module in app_modules("reminders"):
        yield from module.collect(today)


def run(today: dt.date | None = None) -> RemindResult:
    today = today or clock.today()
    result = RemindResult()
    for reminder in collect_all(today):
        if send_once(reminder):
            result.sent += 1
            result.keys.append(reminder.key)
            result.emails += _email(reminder)
        else:
            result.skipped += 1
    from zhibu.core.models import RemindRun

    RemindRun.objects.create(ran_at=clock.now(), sent=result.sent, skipped=result.skipped)
    return result
