"""Reads of 换届选举: the committee's term (from orgs' posts), an election's tally over its rounds and its
checklist, and the district's view of every branch's term (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Min, QuerySet

from zhibu.core import clock
from zhibu.elections import rules
from zhibu.elections.models import Candidate, Election, Reschedule, Round, VoterKind
from zhibu.orgs.models import CommitteePosition, Organisation, OrgKind


def committee_term_end(branch: Organisation) -> dt.date | None:
    """The current committee's term end: the earliest end among the current posts (as the home page)."""
    return CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True).aggregate(e=Min("term_end"))["e"]


def committee_term_start(branch: Organisation) -> dt.date | None:
    return CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True).aggregate(s=Min("term_start"))["s"]


def regular_term_end(branch: Organisation, current: dt.date) -> dt.date:
    """The term end before any approved reschedule of this term (the ≤ 1 year shift counts from it)."""
    row = Reschedule.objects.filter(branch=branch, to_end=current).order_by("-created_at", "-id").first()
    return row.regular_end if row is not None else current


def elections_of(branch: Organisation) -> QuerySet[Election]:
    return Election.objects.filter(branch=branch).select_related("branch")


def reschedules_of(branch: Organisation) -> QuerySet[Reschedule]:
    return Reschedule.objects.filter(branch=branch)


def names(election: Election, candidate_ids: Iterable[int]) -> str:
    ids = [int(i) for i in candidate_ids]
    by_id = dict(Candidate.objects.filter(election=election, pk__in=ids).values_list("pk", "person__name"))
    return "、".join(by_id[i] for i in ids if i in by_id)


def candidates_of(election: Election) -> list[Candidate]:
    """The candidates in 姓氏笔画 order (ballot sheets and lists)."""
    rows = list(Candidate.objects.filter(election=election).select_related("person"))
    return sorted(rows, key=lambda c: (rules.stroke_key(c.person.name), c.pk))


@dataclass
class RoundResult:
    round: Round
    result: rules.Result
    votes: list[tuple[Candidate, int]]  # in descending votes
    elected: list[Candidate]
    runoff: list[Candidate]


@dataclass
class Tally:
    seats: int
    full: int
    excluded: int
    suspended: int
    rounds: list[RoundResult] = field(default_factory=list)
    elected: list[Candidate] = field(default_factory=list)
    next_kind: str = "regular"
    ballot: list[Candidate] | None = None  # the next ballot's candidates (姓氏笔画), None when done

    @property
    def should_attend(self) -> int:
        return rules.should_attend(self.full, self.excluded, self.suspended)

    @property
    def remaining(self) -> int:
        return self.seats - len(self.elected)

    @property
    def next_kind_label(self) -> str:
        return dict(rules.ROUND_KINDS)[self.next_kind]


def tally(election: Election) -> Tally:
    """Every round counted with rules.count (5 queries): who is elected, what the next ballot is."""
    candidates = {c.pk: c for c in candidates_of(election)}
    kinds = list(election.exclusions.values_list("kind", flat=True))
    t = Tally(
        seats=election.seats,
        full=election.full_voters or 0,
        excluded=kinds.count(VoterKind.EXCLUDED),
        suspended=kinds.count(VoterKind.SUSPENDED),
    )
    rounds = list(Round.objects.filter(election=election).prefetch_related("votes"))
    history: list[tuple[bool, list[str], int]] = []
    for rnd in rounds:
        votes = sorted(((candidates[v.candidate_id], v.votes) for v in rnd.votes.all()), key=lambda cv: -cv[1])
        count = rules.Count(
            seats=rnd.seats,
            full=t.full,
            excluded=t.excluded,
            suspended=t.suspended,
            present=rnd.present,
            issued=rnd.issued,
            returned=rnd.returned,
            invalid=rnd.invalid,
            candidates=tuple(
                rules.Candidate(str(c.pk), n)
                for c, n in sorted(
                    ((candidates[v.candidate_id], v.votes) for v in rnd.votes.all()), key=lambda cv: cv[0].pk
                )
            ),
        )
        result = rules.count(count, runoff_round=rnd.kind == "runoff")
        elected = [candidates[int(x)] for x in result.elected]
        runoff = [candidates[int(x)] for x in result.runoff]
        t.rounds.append(RoundResult(rnd, result, votes, elected, runoff))
        t.elected.extend(elected)
        history.append((result.valid, result.runoff, result.unfilled))
    t.next_kind = rules.next_round_kind(history)
    if t.remaining > 0:
        done = {c.pk for c in t.elected}
        if t.next_kind == "runoff":
            tied = {c.pk for c in next(r for r in reversed(t.rounds) if r.result.valid).runoff}
            t.ballot = [c for c in candidates.values() if c.pk in tied]
        else:
            t.ballot = [c for c in candidates.values() if c.approved and c.pk not in done]
        t.ballot = t.ballot or None
    return t


def step_dates(election: Election, t: Tally | None = None) -> dict[str, dt.date | None]:
    """When each checklist step was done (None: not yet)."""
    counted = None
    if election.meeting_date is not None:
        t = t or tally(election)
        if t.remaining == 0:  # the count happens at the meeting
            counted = election.meeting_date
    return {
        rules.DECIDE: election.decided_on,
        rules.REQUEST: election.request_on,
        rules.REPLY: election.reply_on,
        rules.NOMINATE: election.nominations_on,
        rules.PRELIMINARY: election.preliminary_on,
        rules.REVIEW: election.reviewed_on,
        rules.MEETING: election.meeting_date,
        rules.COUNT: counted,
        rules.OFFICERS: election.officers_on,
        rules.REPORT: election.report_on,
        rules.APPROVAL: election.approved_on,
        rules.INSTALL: election.installed_on,
    }


def checklist(election: Election, t: Tally | None = None, today: dt.date | None = None) -> list[rules.StepState]:
    return rules.checklist(election.term_end, step_dates(election, t), today or clock.today())


# --- the district ---------------------------------------------------------------------------------


@dataclass
class TermRow:
    branch: Organisation
    term_start: dt.date | None
    term_end: dt.date | None
    state: str
    election: Election | None  # the open 换届, if any
    rescheduled: bool = False

    @property
    def state_label(self) -> str:
        return rules.TERM_STATES[self.state]


def district_terms(org: Organisation, today: dt.date) -> list[TermRow]:
    """Every branch below `org` with its committee's term end and state; overdue first, then due soonest.
    Four queries whatever the number of branches."""
    branches = list(Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).order_by("name", "id"))
    ids = [b.pk for b in branches]
    terms = (
        {
            row["branch_id"]: row
            for row in CommitteePosition.objects.filter(branch__in=ids, ended_on__isnull=True)
            .values("branch_id")
            .annotate(end=Min("term_end"), start=Min("term_start"))
        }
        if ids
        else {}
    )
    open_elections = (
        {
            e.branch_id: e
            for e in Election.objects.filter(branch__in=ids, installed_on__isnull=True).order_by("term_end")
        }
        if ids
        else {}
    )
    rescheduled = set(Reschedule.objects.filter(branch__in=ids).values_list("branch_id", flat=True)) if ids else set()
    rows = []
    for b in branches:
        term = terms.get(b.pk)
        end = term["end"] if term else None
        rows.append(
            TermRow(
                b,
                term["start"] if term else None,
                end,
                rules.term_state(end, today),
                open_elections.get(b.pk),
                b.pk in rescheduled,
            )
        )
    order = {"overdue": 0, "due": 1, "none": 2, "ok": 3}
    rows.sort(key=lambda r: (order[r.state], r.term_end or dt.date.max, r.branch.name))
    return rows


def district_counts(org: Organisation, today: dt.date) -> dict[str, int]:
    """Overdue and due (next 6 months) committees below `org` (1 query)."""
    soon = rules.add_months(today, rules.DUE_MONTHS)
    ends = (
        CommitteePosition.objects.filter(branch__path__startswith=org.path, ended_on__isnull=True)
        .values("branch_id")
        .annotate(end=Min("term_end"))
    )
    overdue = due = 0
    for row in ends:
        if row["end"] < today:
            overdue += 1
        elif row["end"] <= soon:
            due += 1
    return {"overdue": overdue, "due": due}
