"""组织关系 reminders for `zhibu remind`, to the branch's managers (书记 and 支委):
- a 介绍信 whose 回执 is not back after its validity (党员教育管理工作条例 第25条: the old branch stays
  responsible until the member is received), once per letter;
- a 失联 member reaching six months (第24条: consider 停止党籍), once per 失联 entry;
- a member whose 党籍 was stopped two years ago (第24条: 自行脱党, 除名), once.
A fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.membership import rules, selectors
from zhibu.membership.models import StatusEvent, StatusKind
from zhibu.orgs.models import MANAGER_ROLES, Role


def _managers(branch_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for role in Role.objects.filter(organisation_id__in=set(branch_ids), role__in=MANAGER_ROLES).select_related("user"):
        users = out.setdefault(role.organisation_id, [])
        if role.user not in users:
            users.append(role.user)
    return out


def collect(today: dt.date) -> Iterable[Reminder]:
    letters = selectors.letters_overdue(today)
    lost = [e for e in selectors.lost_now() if rules.lost_due(e.on) <= today and e.person.active]
    stopped = [
        e
        for e in StatusEvent.objects.filter(
            kind=StatusKind.STOPPED, on__lte=rules.add_months(today, -24)
        ).select_related("person", "branch")
        if rules.lapse_due(e.on) <= today
    ]
    if not letters and not lost and not stopped:
        return []
    managers = _managers([c.branch_id for c in letters] + [e.branch_id for e in lost + stopped])
    out = []
    for c in letters:
        users = tuple(managers.get(c.branch_id, ()))
        if users:
            out.append(
                Reminder(
                    key=f"membership:receipt:case={c.pk}",
                    users=users,
                    organisation=c.branch,
                    url=reverse("membership:case", kwargs={"org_id": c.branch_id, "case_id": c.pk}),
                    title=f"介绍信回执未回：{c.person.name}（{c.letter_number}）",
                    body=f"{c.person.name}的介绍信已于{c.valid_until:%Y-%m-%d}过有效期，尚未收到回执。{rules.TRANSFER_SOURCE}；"
                    "转入单位接收前，原支部仍负责管理。请联系对方党组织。",
                )
            )
    for e in lost:
        users = tuple(managers.get(e.branch_id, ()))
        if users:
            out.append(
                Reminder(
                    key=f"membership:lost:event={e.pk}",
                    users=users,
                    organisation=e.branch,
                    url=reverse("membership:index", kwargs={"org_id": e.branch_id}),
                    title=f"失联满6个月：{e.person.name}",
                    body=f"{e.person.name}自{e.on:%Y-%m-%d}失联，已满6个月。{rules.LOST_TO_STOP.source}。",
                )
            )
    for e in stopped:
        users = tuple(managers.get(e.branch_id, ()))
        if users:
            out.append(
                Reminder(
                    key=f"membership:lapse:event={e.pk}",
                    users=users,
                    organisation=e.branch,
                    url=reverse("membership:index", kwargs={"org_id": e.branch_id}),
                    title=f"停止党籍满2年：{e.person.name}",
                    body=f"{e.person.name}于{e.on:%Y-%m-%d}停止党籍，已满2年。{rules.STOPPED_TO_LAPSE.source}。",
                )
            )
    return out
