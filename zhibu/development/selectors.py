"""Reads for the 发展党员 pages: a fixed number of queries whatever the number of candidates."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from zhibu.development import rules, timeline
from zhibu.development.models import AnnualQuota, Candidate, Document, StepRecord
from zhibu.development.services import thought_report_months
from zhibu.orgs.models import Organisation, Person, Standing
from zhibu.workdays.calendar import WorkdayCalendar, add_months

OVERDUE_KINDS = timeline.OVERDUE_KINDS


def candidates(branch: Organisation, *, include_archived: bool = False) -> QuerySet[Candidate]:
    qs = Candidate.objects.filter(branch=branch)
    if not include_archived:
        qs = qs.filter(archived=False)
    return qs.select_related("person", "branch").prefetch_related(
        "steps", Prefetch("links", queryset=candidates_links()), "assessments", "overrides", "thought_reports")


def candidates_links():
    from zhibu.development.models import Link

    return Link.objects.select_related("person")


@dataclass
class Card:
    candidate: Candidate
    status: timeline.Status
    next: rules.NextStep | None
    overdue: bool
    open_violations: int
    thought_due: dt.date | None = None

    @property
    def result(self) -> rules.Result:
        return self.status.result

    @property
    def next_name(self) -> str:
        return rules.step_name(self.next.step) if self.next else ""


def _pick_next(status: timeline.Status, today: dt.date) -> tuple[rules.NextStep | None, bool]:
    first = status.first_due
    overdue = bool(first and first.due and first.kind in OVERDUE_KINDS and first.due < today)
    return first, overdue


def thought_report_due(candidate: Candidate, months: int) -> dt.date | None:
    """Next 思想汇报: `months` after the latest one received, or after becoming an activist; until the
    转正 is approved."""
    steps = {s.step: s.date for s in candidate.steps.all()}
    if "activist" not in steps or "full_approval" in steps or candidate.archived:
        return None
    received = [t.received_on for t in candidate.thought_reports.all()]
    return add_months(max([steps["activist"], *received]), months)


def card(candidate: Candidate, *, calendar: WorkdayCalendar, today: dt.date, months: int) -> Card:
    status = timeline.derive(candidate, calendar=calendar, as_of=today)
    nxt, overdue = _pick_next(status, today)
    due = thought_report_due(candidate, months)
    return Card(candidate, status, nxt, overdue or bool(due and due < today), status.open_violations, due)


@dataclass
class Quota:
    year: int
    planned: int | None
    admitted: int  # 支部大会 passed an admission this year (党籍 starts that day)
    candidates: int  # 发展对象 now (stage 3/4 before admission)

    @property
    def remaining(self) -> int | None:
        return None if self.planned is None else max(self.planned - self.admitted, 0)


def quota(branch: Organisation, year: int, cards: list[Card] | None = None) -> Quota:
    row = AnnualQuota.objects.filter(branch=branch, year=year).first()
    meetings = StepRecord.objects.filter(candidate__branch=branch, step="admission_meeting", date__year=year)
    admitted = sum(1 for m in meetings.only("should_attend", "present", "votes_for") if timeline.passed(m) is not False)
    pending = 0
    if cards is not None:
        for c in cards:
            keys = {s.step for s in c.candidate.steps.all()}
            if "candidate" in keys and ("admission_meeting" not in keys or "admission_meeting" in c.status.failed):
                pending += 1
    return Quota(year, row.planned if row else None, admitted, pending)


@dataclass
class Board:
    stages: list[tuple[int, str, list[Card]]]
    quota: Quota
    overdue: int
    total: int
    months: int = 3
    archived: int = 0
    extra: dict = field(default_factory=dict)


def board(branch: Organisation, *, calendar: WorkdayCalendar, today: dt.date) -> Board:
    months = thought_report_months(branch)
    cards = [card(c, calendar=calendar, today=today, months=months) for c in candidates(branch)]
    by_stage: dict[int, list[Card]] = {n: [] for n in rules.STAGES}
    for c in cards:
        by_stage[c.candidate.stage].append(c)
    far = dt.date.max
    for items in by_stage.values():
        items.sort(key=lambda c: (not c.overdue, c.next.due if c.next and c.next.due else far, c.candidate.person.name))
    archived = Candidate.objects.filter(branch=branch, archived=True).count()
    return Board(
        stages=[(n, name, by_stage[n]) for n, name in rules.STAGES.items()],
        quota=quota(branch, today.year, cards), overdue=sum(1 for c in cards if c.overdue), total=len(cards),
        months=months, archived=archived,
    )


@dataclass
class StepRow:
    key: str
    name: str
    stage: int
    record: StepRecord | None
    violations: list[timeline.Shown]
    due: rules.NextStep | None


def step_rows(candidate: Candidate, result: rules.Result) -> list[StepRow]:
    shown = timeline.annotate(result, candidate.overrides.all())
    records = {s.step: s for s in candidate.steps.all()}
    nexts = {n.step: n for n in result.next}
    rows = []
    keys = [k for k in rules.SEQUENCE if k not in rules.OPTIONAL or k in records]
    if rules.CANCELLATION in records:
        keys.insert(keys.index("full_meeting"), rules.CANCELLATION)
    for key in keys:
        stage = rules.stage_of(key)
        rows.append(StepRow(key, rules.step_name(key, result.rules), stage, records.get(key),
                            [s for s in shown if s.violation.step == key], nexts.get(key)))
    return rows


def documents(candidate: Candidate) -> QuerySet[Document]:
    return candidate.documents.defer("content").select_related("created_by")


def eligible_applicants(branch: Organisation) -> QuerySet[Person]:
    """People of the branch who may open a file: not members, no file yet."""
    return (Person.objects.filter(branch=branch, active=True)
            .exclude(standing__in=[Standing.PROBATIONARY, Standing.FULL])
            .exclude(dev_files__isnull=False).order_by("name"))


def full_members(branch: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(branch=branch, active=True, standing=Standing.FULL).order_by("name")


def panel_counts(branch: Organisation, today: dt.date) -> dict:
    """One query: candidates per stage, and how many are overdue by their stored next due date."""
    rows = (Candidate.objects.filter(branch=branch, archived=False).values("stage")
            .annotate(n=Count("id"), late=Count("id", filter=Q(next_due__lt=today)),
                      flagged=Count("id", filter=Q(open_violations__gt=0))))
    by = {r["stage"]: r for r in rows}
    return {
        "stages": [(n, name, by.get(n, {}).get("n", 0)) for n, name in rules.STAGES.items()],
        "overdue": sum(r["late"] for r in rows), "flagged": sum(r["flagged"] for r in rows),
        "total": sum(r["n"] for r in rows),
    }


def branch_motions(branch: Organisation, today: dt.date) -> list:
    """Votes already taken at this branch's 党员大会 (orglife), newest first, for a 支部大会 step to
    reuse instead of typing the tally twice: read through orglife's selectors, never written here."""
    from zhibu.orglife import selectors as orglife_selectors
    from zhibu.orglife.models import MeetingKind

    out = []
    for year in (today.year, today.year - 1):
        meetings = (orglife_selectors.meetings_of(branch, year, MeetingKind.PARTY_CONGRESS)
                    .filter(date__lte=today).prefetch_related("motions"))
        out += [m for meeting in meetings for m in meeting.motions.all()]
    return out
