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

# Due kinds that make a card overdue once passed: a deadline, a date something is due at (probation
# end → 转正申请), the next half-yearly assessment.
OVERDUE_KINDS = ("deadline", "at", "periodic")


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
    result: rules.Result
    next: rules.NextStep | None
    overdue: bool
    open_violations: int
    thought_due: dt.date | None = None

    @property
    def next_name(self) -> str:
        return rules.step_name(self.next.step) if self.next else ""


def _pick_next(result: rules.Result, today: dt.date) -> tuple[rules.NextStep | None, bool]:
    dated = [n for n in result.next if n.due is not None and n.kind in OVERDUE_KINDS]
    overdue = [n for n in dated if n.due < today]
    if overdue:
        return min(overdue, key=lambda n: n.due), True
    if dated:
        return min(dated, key=lambda n: n.due), False
    return (result.next[0] if result.next else None), False


def thought_report_due(candidate: Candidate, months: int) -> dt.date | None:
    """Next 思想汇报: `months` after the latest one received, or after becoming an activist; until the
    转正 is approved."""
    steps = {s.step: s.date for s in candidate.steps.all()}
    if "activist" not in steps or "full_approval" in steps:
        return None
    received = [t.received_on for t in candidate.thought_reports.all()]
    return add_months(max([steps["activist"], *received]), months)


def card(candidate: Candidate, *, calendar: WorkdayCalendar, today: dt.date, months: int) -> Card:
    result = timeline.check(candidate, calendar=calendar, as_of=today)
    nxt, overdue = _pick_next(result, today)
    done = {(o.rule, o.step) for o in candidate.overrides.all()}
    open_count = sum(1 for v in result.violations if (v.rule, v.step) not in done)
    due = thought_report_due(candidate, months)
    return Card(candidate, result, nxt, overdue or bool(due and due < today), open_count, due)


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
    admitted = StepRecord.objects.filter(candidate__branch=branch, step="admission_meeting", date__year=year).count()
    pending = 0
    if cards is not None:
        for c in cards:
            keys = {s.step for s in c.candidate.steps.all()}
            if "candidate" in keys and "admission_meeting" not in keys:
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
    for key in rules.SEQUENCE:
        stage = 3 if key == rules.PUBLICITY else rules.STEP_BY_ID[key].stage
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
