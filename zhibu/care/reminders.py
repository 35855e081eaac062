"""关怀 reminders for `zhibu remind`: each member's 政治生日 a week ahead (rules2.md §11: a notice a
week before), to the member and the branch secretary; an open 元旦春节/七一 campaign a week before its
deadline, to the secretary. Keys name the person (campaign) and the date, so each goes once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from zhibu.care import rules
from zhibu.care.models import Campaign
from zhibu.core.notify import Reminder
from zhibu.orgs.models import MEMBER_STANDINGS, Person, Role, RoleKind


def _secretaries(branch_ids) -> dict[int, list]:
    out: dict[int, list] = {}
    for role in Role.objects.filter(organisation_id__in=set(branch_ids), role=RoleKind.SECRETARY).select_related(
        "user"
    ):
        out.setdefault(role.organisation_id, []).append(role.user)
    return out


def collect(today: dt.date) -> Iterable[Reminder]:
    soon = today + dt.timedelta(days=rules.REMIND_DAYS)
    months = {today.month, soon.month}
    people = [
        p
        for p in Person.objects.filter(active=True, standing__in=MEMBER_STANDINGS, admitted_on__month__in=months)
        .select_related("branch", "user")
        .only("id", "name", "admitted_on", "branch__id", "branch__name", "user")
        if rules.birthday_due(p.admitted_on, today)
    ]
    campaigns = list(
        Campaign.objects.filter(closed_on__isnull=True, due__gte=today, due__lte=soon).select_related("branch")
    )
    if not people and not campaigns:
        return []
    secretaries = _secretaries([p.branch_id for p in people] + [c.branch_id for c in campaigns])
    out = []
    for p in people:
        day = rules.birthday_due(p.admitted_on, today)
        users = list(secretaries.get(p.branch_id, []))
        if p.user_id and p.user not in users:
            users.append(p.user)
        if not users or day is None:
            continue
        years = day.year - p.admitted_on.year
        url = reverse("care:birthdays", kwargs={"org_id": p.branch_id}) + f"?month={day:%Y-%m}"
        out.append(
            Reminder(
                key=f"care:birthday:person={p.pk}:{day.isoformat()}",
                users=tuple(users),
                organisation=p.branch,
                url=url,
                title=f"政治生日：{p.name}（{day.month}月{day.day}日，入党{years}周年）",
                body=f"{p.branch.name}：{p.name}同志{day.year}年{day.month}月{day.day}日过入党{years}周年的政治生日，"
                "可在本月主题党日重温入党誓词、送上贺卡。",
            )
        )
    for c in campaigns:
        users = secretaries.get(c.branch_id, [])
        if not users:
            continue
        out.append(
            Reminder(
                key=f"care:campaign:id={c.pk}:due={c.due.isoformat()}",
                users=tuple(users),
                organisation=c.branch,
                url=reverse("care:campaign", kwargs={"org_id": c.branch_id, "campaign_id": c.pk}),
                title=f"{c.title}即将到期",
                body=f"{c.branch.name}：{c.title}应于{c.due.year}年{c.due.month}月{c.due.day}日前完成，尚有人员未走访。",
            )
        )
    return out
