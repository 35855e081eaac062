"""Reminders for `zhibu remind`: before the 组织生活会 date, the 谈心谈话 still missing (two weeks and
three days before), and the 请示 to the upper committee not yet sent (three days before it is due).
Keys are unique per cycle and reminder, so each is sent once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.orglifemeeting import rules, selectors
from zhibu.orglifemeeting.models import Cycle, Step
from zhibu.orgs.models import MANAGER_ROLES, Role

TALK_REMINDER_DAYS = (14, 3)  # days before the planned date
REQUEST_REMINDER_DAYS = 3  # days before the 请示 is due


def collect(today: dt.date) -> Iterator[Reminder]:
    cycles = list(
        Cycle.objects.filter(
            meeting__isnull=True,
            planned_date__gte=today,
            planned_date__lte=today + dt.timedelta(days=max(TALK_REMINDER_DAYS)),
        ).select_related("branch")
    )
    if not cycles:
        return
    managers: dict[int, list] = defaultdict(list)
    for role in Role.objects.filter(
        role__in=MANAGER_ROLES, organisation__in=[c.branch_id for c in cycles]
    ).select_related("user"):
        managers[role.organisation_id].append(role.user)
    sent_requests = set(
        Step.objects.filter(cycle__in=cycles, code=rules.REQUEST, done_on__isnull=False).values_list(
            "cycle_id", flat=True
        )
    )
    for cycle in cycles:
        users = tuple(dict.fromkeys(managers.get(cycle.branch_id, ())))
        if not users:
            continue
        days = (cycle.planned_date - today).days
        url = reverse("orglifemeeting:talks", args=[cycle.branch_id, cycle.pk])
        bucket = next((d for d in sorted(TALK_REMINDER_DAYS) if days <= d), None)
        if bucket is not None:
            cov = selectors.coverage(cycle, today)
            if cov.missing:
                pairs = "；".join(f"{who}—{whom}" for who, whom in cov.missing_named[:10])
                yield Reminder(
                    key=f"orglifemeeting:talks:cycle={cycle.pk}:{bucket}",
                    users=users,
                    organisation=cycle.branch,
                    title=f"{cycle.branch.name}：{cycle}前尚有{len(cov.missing)}项谈心谈话未开展",
                    body=f"{cycle}定于{cycle.planned_date:%Y年%m月%d日}召开。尚需谈话：{pairs}。依据：{rules.SOURCE_TALKS}",
                    url=url,
                )
        due = cycle.request_due
        if cycle.pk not in sent_requests and 0 <= (due - today).days <= REQUEST_REMINDER_DAYS:
            yield Reminder(
                key=f"orglifemeeting:request:cycle={cycle.pk}",
                users=users,
                organisation=cycle.branch,
                title=f"{cycle.branch.name}：{cycle}须在{due:%m月%d日}前向上级党委请示",
                body=f"请在{due:%Y年%m月%d日}前将{cycle}方案报上级党委，并在准备事项中登记。",
                url=reverse("orglifemeeting:cycle", args=[cycle.branch_id, cycle.pk]),
            )
