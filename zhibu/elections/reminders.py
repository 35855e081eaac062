"""Reminders for `zhibu remind`: two months before a committee's term ends (start the 换届), one month
before (the 请示 to the upper committee), and once the term has run out without a new committee.
Keys name the branch and the term end, so each is sent once per term."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Min
from django.urls import reverse

from zhibu.core.documents import cn_date
from zhibu.core.notify import Reminder
from zhibu.elections import rules
from zhibu.elections.models import Election
from zhibu.orgs.models import MANAGER_ROLES, CommitteePosition, Organisation, Role


def collect(today: dt.date) -> Iterator[Reminder]:
    horizon = rules.add_months(today, rules.CHECKLIST_MONTHS)
    ends = dict(
        CommitteePosition.objects.filter(ended_on__isnull=True)
        .values("branch_id")
        .annotate(end=Min("term_end"))
        .filter(end__lte=horizon)
        .values_list("branch_id", "end")
    )
    if not ends:
        return
    branches = {b.pk: b for b in Organisation.objects.filter(pk__in=ends)}
    elections = {(e.branch_id, e.term_end): e for e in Election.objects.filter(branch__in=ends)}
    managers: dict[int, list] = defaultdict(list)
    for role in Role.objects.filter(role__in=MANAGER_ROLES, organisation__in=ends).select_related("user"):
        managers[role.organisation_id].append(role.user)
    for branch_id, end in ends.items():
        users = tuple(dict.fromkeys(managers.get(branch_id, ())))
        branch = branches.get(branch_id)
        if not users or branch is None:
            continue
        election = elections.get((branch_id, end))
        key = f"elections:{{}}:branch={branch_id}:end={end.isoformat()}"
        url = (
            reverse("elections:detail", args=[branch_id, election.pk])
            if election
            else reverse("elections:index", args=[branch_id])
        )
        if end < today:
            if election is None or election.installed_on is None:
                yield Reminder(
                    key=key.format("overdue"),
                    users=users,
                    organisation=branch,
                    title=f"{branch.name}：支部委员会任期已于{cn_date(end)}届满，尚未完成换届",
                    body=f"延期换届须经上级党委批准，一般不超过1年（依据：{rules.SOURCE_RESCHEDULE}）。",
                    url=url,
                )
            continue
        if election is None:
            yield Reminder(
                key=key.format("start"),
                users=users,
                organisation=branch,
                title=f"{branch.name}：支部委员会任期将于{cn_date(end)}届满，请启动换届",
                body="支委会研究换届事宜，届满前一个月左右向上级党委请示（时间、名额、提名方式、选举办法）。",
                url=url,
            )
        elif election.request_on is None and today >= rules.step_due(rules.REQUEST, end):
            yield Reminder(
                key=key.format("request"),
                users=users,
                organisation=branch,
                title=f"{branch.name}：换届请示应于{cn_date(rules.step_due(rules.REQUEST, end))}前报上级党委",
                body="请示写明召开党员大会的时间、应选名额、候选人提名方式和选举办法。",
                url=url,
            )
