"""Mailbox reminders for `zhibu remind`: two days before a message's reply deadline and once it has
passed, to the branch secretary and the person it was assigned to. The key names the message, the
kind and the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.openness import rules
from zhibu.openness.models import Message
from zhibu.orgs.models import Role, RoleKind

DUE_SOON_DAYS = 2


def collect(today: dt.date) -> Iterable[Reminder]:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = list(
        Message.objects.filter(due_on__lte=soon)
        .exclude(status=rules.REPLIED)
        .select_related("branch", "assignee__user")
    )
    if not rows:
        return []
    secretaries: dict[int, list] = {}
    for role in Role.objects.filter(
        organisation_id__in={m.branch_id for m in rows}, role=RoleKind.SECRETARY
    ).select_related("user"):
        secretaries.setdefault(role.organisation_id, []).append(role.user)
    out = []
    for m in rows:
        users = list(secretaries.get(m.branch_id, []))
        assignee = m.assignee.user if m.assignee and m.assignee.user_id else None
        if assignee is not None and assignee not in users:
            users.append(assignee)
        if not users:
            continue
        url = reverse("openness:message", kwargs={"org_id": m.branch_id, "message_id": m.pk})
        subject = m.subject[:30]
        if m.due_on < today:
            key, title = f"openness:late:message={m.pk}:due={m.due_on}", f"信箱来信已超过答复期限：{subject}"
        else:
            key, title = f"openness:due:message={m.pk}:due={m.due_on}", f"信箱来信即将到答复期限：{subject}"
        body = f"{m.branch.name}：{m.received_on:%Y年%-m月%-d日}收到的来信应于{m.due_on:%Y年%-m月%-d日}前答复。"
        out.append(Reminder(key=key, users=tuple(users), organisation=m.branch, url=url, title=title, body=body))
    return out
