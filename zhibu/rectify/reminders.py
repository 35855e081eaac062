"""整改 reminders for `zhibu remind`: before a deadline (rules.DUE_SOON_DAYS), once overdue, and when
the 回头看 is due. The responsible person and the branch secretary are told; a key names the item,
the kind of reminder and the date it is about, so a changed deadline is reminded again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.orgs.models import Role, RoleKind
from zhibu.rectify import rules
from zhibu.rectify.models import Item


def collect(today: dt.date) -> Iterable[Reminder]:
    soon = today + dt.timedelta(days=rules.DUE_SOON_DAYS)
    items = list(
        Item.objects.filter(
            Q(status__in=rules.ACTIVE, deadline__isnull=False, deadline__lte=soon)
            | Q(status=rules.CLOSED, review_due__lte=today)
        ).select_related("branch", "responsible__user")
    )
    if not items:
        return []
    secretaries: dict[int, list] = {}
    for role in Role.objects.filter(
        organisation_id__in={i.branch_id for i in items}, role=RoleKind.SECRETARY
    ).select_related("user"):
        secretaries.setdefault(role.organisation_id, []).append(role.user)
    out = []
    for item in items:
        users = list(secretaries.get(item.branch_id, []))
        responsible = item.responsible.user if item.responsible and item.responsible.user_id else None
        if responsible is not None and responsible not in users:
            users.append(responsible)
        if not users:
            continue
        url = reverse("rectify:item", kwargs={"org_id": item.branch_id, "item_id": item.pk})
        problem = item.problem[:30]
        if item.status == rules.CLOSED:
            key = f"rectify:review:item={item.pk}:due={item.review_due}"
            title = f"整改回头看到期：{problem}"
            body = (
                f"{item.branch.name}：该问题已于{item.closed_on:%Y年%-m月%-d日}销号，"
                f"回头看应于{item.review_due:%Y年%-m月%-d日}进行。"
            )
        elif item.deadline is not None and item.deadline < today:
            key = f"rectify:overdue:item={item.pk}:deadline={item.deadline}"
            title = f"整改已超期：{problem}"
            body = f"{item.branch.name}：整改时限为{item.deadline:%Y年%-m月%-d日}，目前仍未销号，请尽快整改并提交佐证。"
        else:
            key = f"rectify:due:item={item.pk}:deadline={item.deadline}"
            title = f"整改即将到期：{problem}"
            body = f"{item.branch.name}：整改时限为{item.deadline:%Y年%-m月%-d日}，请按时完成并提交佐证材料销号。"
        out.append(Reminder(key=key, users=tuple(users), organisation=item.branch, url=url, title=title, body=body))
    return out
