"""Demo 换届: the committee terms come from orgs' demo (every branch's posts carry a term); here the
branches whose term ends within the next months or has run out get a 换届 record — the first few with
the early checklist steps done and nominations recorded. bulk_create only; no audit entries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from zhibu.core import clock
from zhibu.elections import rules
from zhibu.elections.models import Candidate, Election
from zhibu.orgs.models import CommitteePosition, Standing

STARTED = 6  # branches with an open 换届 record
NOMINATED = 3  # of which this many have nominations recorded


def generate(ctx) -> None:
    today = clock.today()
    ids = [b.pk for b in ctx.branches]
    ends = dict(
        CommitteePosition.objects.filter(branch__in=ids, ended_on__isnull=True)
        .values("branch_id")
        .annotate(end=Min("term_end"))
        .values_list("branch_id", "end")
    )
    horizon = rules.add_months(today, rules.CHECKLIST_MONTHS)
    due = sorted((end, bid) for bid, end in ends.items() if end <= horizon)
    # the latest ends first: overdue by a little and due soon are the realistic ones to be under way
    chosen = sorted(due, reverse=True)[:STARTED]
    elections = []
    for i, (end, bid) in enumerate(chosen):
        members = [p for p in ctx.people.get(bid, []) if p.standing == Standing.FULL and p.active]
        seats = 3 if len(members) >= 7 else 1
        decided = min(today, rules.step_due(rules.DECIDE, end))
        elections.append(
            Election(
                branch_id=bid,
                term_end=end,
                seats=seats,
                planned_date=max(end, today + dt.timedelta(days=20)),
                decided_on=decided if i < NOMINATED + 2 else None,
                request_on=min(today, max(decided, rules.step_due(rules.REQUEST, end))) if i < NOMINATED + 1 else None,
                reply_on=min(today, max(decided, rules.step_due(rules.REQUEST, end)) + dt.timedelta(days=7))
                if i < NOMINATED
                else None,
            )
        )
    for election in elections[:NOMINATED]:
        election.nominations_on = election.reply_on
    Election.objects.bulk_create(elections)
    candidates = []
    for election in elections[:NOMINATED]:
        members = [p for p in ctx.people.get(election.branch_id, []) if p.standing == Standing.FULL and p.active]
        for j, person in enumerate(members[: rules.min_candidates(election.seats) + 1]):
            candidates.append(Candidate(election=election, person=person, nominations=max(1, len(members) - 2 * j)))
    Candidate.objects.bulk_create(candidates)
    say = getattr(ctx, "say", None)
    if say:
        overdue = sum(1 for end in ends.values() if end < today)
        soon = sum(1 for end in ends.values() if today <= end <= rules.add_months(today, rules.DUE_MONTHS))
        say(f"换届：任期已超期{overdue}个支部，半年内到期{soon}个，{len(elections)}个支部已启动换届")
