"""Reminders for `zhibu remind`: a notice whose 签阅 deadline has passed reminds the managers of each
branch that has not signed and each person addressed who has not — once per notice and deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.notices import rules, selectors
from zhibu.notices.models import Notice, Recipient, RecipientKind

WINDOW_DAYS = 60  # deadlines older than this are no longer chased


def collect(today: dt.date) -> Iterable[Reminder]:
    unread = Recipient.objects.filter(read_at__isnull=True, kind__in=[RecipientKind.BRANCH, RecipientKind.PERSON])
    notices = list(
        Notice.objects.filter(
            sign_by__lt=today, sign_by__gte=today - dt.timedelta(days=WINDOW_DAYS), pk__in=unread.values("notice_id")
        ).select_related("sender")
    )
    out = []
    for n in notices:
        if n.sign_by is None:  # pragma: no cover - filtered above
            continue
        for branch_id, users in selectors.unread_users_by_branch(n).items():
            out.append(
                Reminder(
                    key=f"{rules.overdue_key(n.pk, n.sign_by)}:branch={branch_id}",
                    users=tuple(users),
                    title=f"通知已过签阅截止日期：{n.title[:30]}",
                    body=f"{n.sender.name}发送的通知“{n.title}”应于{n.sign_by:%Y年%-m月%-d日}前签阅，尚未签阅。",
                    url=reverse("notices:notice", kwargs={"org_id": branch_id, "notice_id": n.pk}),
                    organisation=n.sender,
                )
            )
    return out
