"""Reminders and notifications through one interface.

Apps contribute reminders through a module `zhibu.<app>.reminders` with
`collect(today: date) -> Iterable[Reminder]`; `zhibu remind` sends each one once (`send_once`).

Delivery goes through the backends of `settings.ZHIBU_NOTIFY_BACKENDS`, a list whose entries are a
dotted class path or `(dotted path, {options})`; each backend is a small class with
`send(message, users) -> int` (how many it reached). Default: in-app (the bell, `Notification` rows)
and e-mail (to users with an address); `WebhookBackend` posts JSON to a 企业微信/SMS gateway
(`ZHIBU_NOTIFY_WEBHOOK_URL` in the environment adds it); `RecordingBackend` records what would be
sent in `outbox` (tests). Backends that leave the database (`external = True`) run after the
transaction commits and never raise: a mail or gateway outage is logged and the in-app notification
stands.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.core.models import Notification, ReminderLog

log = logging.getLogger(__name__)

DEFAULT_BACKENDS = ["zhibu.core.notify.InAppBackend", "zhibu.core.notify.EmailBackend"]


@dataclass(frozen=True)
class Reminder:
    key: str  # unique forever, e.g. "orglife:overdue:branch=3:party_congress:2026Q1"
    users: tuple  # User objects to notify
    title: str
    body: str = ""
    url: str = ""
    organisation: object = None


@dataclass(frozen=True)
class Message:
    """What one notification says, whatever carries it."""

    title: str
    body: str = ""
    url: str = ""
    organisation: Any = None  # an Organisation (core imports no domain app)
    key: str = ""


@dataclass
class RemindResult:
    sent: int = 0
    skipped: int = 0
    emails: int = 0
    keys: list[str] = field(default_factory=list)


# --- backends -------------------------------------------------------------------------------------


class Backend:
    name = ""
    external = False  # True: leaves the database (mail, HTTP): runs after commit, never raises

    def __init__(self, **options: Any) -> None:
        self.options = options

    def send(self, message: Message, users: Iterable) -> int:  # pragma: no cover - interface
        raise NotImplementedError


class InAppBackend(Backend):
    """The bell: one `Notification` row per user, in the caller's transaction."""

    name = "in_app"

    def send(self, message: Message, users: Iterable) -> int:
        now = clock.now()
        rows = [
            Notification(user=u, organisation=message.organisation, title=message.title, body=message.body,
                         url=message.url, created_at=now)
            for u in users
        ]
        Notification.objects.bulk_create(rows)
        return len(rows)


class EmailBackend(Backend):
    """One e-mail to the users who have an address (settings.EMAIL_BACKEND carries it)."""

    name = "email"
    external = True

    def send(self, message: Message, users: Iterable) -> int:
        addresses = [u.email for u in users if getattr(u, "email", "")]
        if not addresses:
            return 0
        try:
            send_mail(f"[支部] {message.title}", message.body, settings.DEFAULT_FROM_EMAIL, addresses,
                      fail_silently=False)
        except Exception:  # the in-app notification stands; a mail outage must not stop the run
            log.exception("notification e-mail failed: %s", message.key or message.title)
            return 0
        return len(addresses)


def _http_post(url: str, data: bytes, headers: dict[str, str], timeout: float) -> int:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - URL from settings
        return int(response.status)


class WebhookBackend(Backend):
    """A JSON POST to a gateway (企业微信 group robot, an SMS gateway) whose URL comes from settings:
    `{"msgtype": "text", "text": {"content": …}, "title", "body", "url", "key", "recipients": [...]}`.
    Options: `url` (required), `timeout` (seconds, default 5), `transport` (a callable
    `(url, data, headers, timeout) -> status`, or its dotted path; tests pass a fake). Failures are
    logged, never raised."""

    name = "webhook"
    external = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        transport = options.get("transport") or _http_post
        self.transport: Callable[..., int] = import_string(transport) if isinstance(transport, str) else transport
        self.url: str = options.get("url") or ""
        self.timeout: float = float(options.get("timeout", 5))

    def payload(self, message: Message, users: list) -> dict:
        recipients = [{"username": u.get_username(), "email": getattr(u, "email", "") or ""} for u in users]
        content = message.title + (f"\n{message.body}" if message.body else "")
        return {"msgtype": "text", "text": {"content": content}, "title": message.title, "body": message.body,
                "url": message.url, "key": message.key, "recipients": recipients}

    def send(self, message: Message, users: Iterable) -> int:
        users = list(users)
        if not self.url or not users:
            return 0
        data = json.dumps(self.payload(message, users), ensure_ascii=False).encode("utf-8")
        try:
            status = self.transport(self.url, data, {"Content-Type": "application/json; charset=utf-8"}, self.timeout)
        except Exception:
            log.exception("notification webhook failed: %s", message.key or message.title)
            return 0
        if not 200 <= int(status) < 300:
            log.error("notification webhook answered %s: %s", status, message.key or message.title)
            return 0
        return len(users)


@dataclass(frozen=True)
class Sent:
    message: Message
    users: tuple


outbox: list[Sent] = []  # what RecordingBackend would have sent (tests clear it)


class RecordingBackend(Backend):
    """Records what would be sent in `zhibu.core.notify.outbox` (tests)."""

    name = "recording"

    def send(self, message: Message, users: Iterable) -> int:
        users = tuple(users)
        outbox.append(Sent(message, users))
        return len(users)


def backends() -> list[Backend]:
    out = []
    for entry in getattr(settings, "ZHIBU_NOTIFY_BACKENDS", DEFAULT_BACKENDS):
        path, options = (entry, {}) if isinstance(entry, str) else (entry[0], dict(entry[1]))
        out.append(import_string(path)(**options))
    return out


def _deliver_external(external: list[Backend], message: Message, users: tuple, counts: dict[str, int]) -> None:
    for backend in external:
        try:
            counts[backend.name] = counts.get(backend.name, 0) + backend.send(message, users)
        except Exception:  # a backend's bug must not undo what was recorded
            log.exception("notification backend %s failed: %s", backend.name, message.key or message.title)


def send(message: Message, users: Iterable) -> dict[str, int]:
    """Deliver one message to `users` through every configured backend. In-app rows are written in
    the caller's transaction; the others run after it commits (at once outside a transaction).
    Returns how many each backend reached so far ({backend name: n})."""
    users = tuple(u for u in users if u is not None)
    counts: dict[str, int] = {}
    if not users:
        return counts
    external = []
    for backend in backends():
        if backend.external:
            external.append(backend)
        else:
            counts[backend.name] = backend.send(message, users)
    if external:
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _deliver_external(external, message, users, counts))
        else:
            _deliver_external(external, message, users, counts)
    return counts


def _send_once(reminder: Reminder) -> dict[str, int] | None:
    message = Message(title=reminder.title, body=reminder.body, url=reminder.url,
                      organisation=reminder.organisation, key=reminder.key)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=reminder.key, sent_at=clock.now())
            internal = [b for b in backends() if not b.external]
            users = tuple(u for u in reminder.users if u is not None)
            counts = {b.name: b.send(message, users) for b in internal}
    except IntegrityError:
        return None
    external = [b for b in backends() if b.external]
    if external and users:
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _deliver_external(external, message, users, counts))
        else:
            _deliver_external(external, message, users, counts)
    return counts


def send_once(reminder: Reminder) -> bool:
    """Deliver one reminder unless it was sent before (its key). True if sent now."""
    return _send_once(reminder) is not None


def collect_all(today: dt.date) -> Iterable[Reminder]:
    for module in app_modules("reminders"):
        yield from module.collect(today)


def run(today: dt.date | None = None) -> RemindResult:
    today = today or clock.today()
    result = RemindResult()
    for reminder in collect_all(today):
        counts = _send_once(reminder)
        if counts is not None:
            result.sent += 1
            result.keys.append(reminder.key)
            result.emails += counts.get("email", 0)
        else:
            result.skipped += 1
    from zhibu.core.models import RemindRun

    RemindRun.objects.create(ran_at=clock.now(), sent=result.sent, skipped=result.skipped)
    return result
