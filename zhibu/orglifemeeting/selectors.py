"""Reads of the 组织生活会 cycle: who is on the committee and a member, the year's talks, the coverage
and each checklist step's state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from zhibu.core import clock
from zhibu.orglife.models import HeartTalk
from zhibu.orglifemeeting import rules
from zhibu.orglifemeeting.models import Cycle, Material, Step
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, Person


def cycles_of(branch: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.filter(branch=branch).select_related("meeting")


@dataclass
class Coverage:
    people: list[tuple[int, str]]  # members, committee first
    committee: set[int]
    needs: list[rules.Need]
    missing: list[rules.Need]
    cells: dict[tuple[int, int], str]
    names: dict[int, str] = field(default_factory=dict)
    readings: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self, need: rules.Need) -> tuple[str, str]:
        """(who, with whom) in words: a name, or "任一支委（甲、乙）" / "任一其他党员"."""
        who = self.names.get(need.person, "?")
        if need.pair:
            return who, self.names.get(next(iter(need.partners)), "?")
        if need.reading == rules.MEMBER_COMMITTEE:
            names = "、".join(n for pid, n in self.people if pid in need.partners)
            return who, f"任一支委（{names}）"
        return who, "任一其他党员"

    @property
    def missing_named(self) -> list[tuple[str, str]]:
        return [self.describe(n) for n in self.missing]

    def rows(self) -> list[tuple[str, list[str]]]:
        """The matrix for the template: (name, [cell state per column])."""
        return [
            (name, [("self" if a == b else self.cells.get((a, b), "")) for b, _ in self.people])
            for a, name in self.people
        ]


def members_and_committee(branch: Organisation, on: dt.date) -> tuple[list[tuple[int, str]], set[int]]:
    """The branch's current members (committee first, then by name) and the committee's ids (1 query)."""
    current = CommitteePosition.objects.filter(
        person=OuterRef("pk"), branch=branch, ended_on__isnull=True, term_start__lte=on
    )
    rows = list(
        Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS)
        .annotate(on_committee=Exists(current))
        .order_by("name", "id")
        .values_list("id", "name", "on_committee")
    )
    committee = {pid for pid, _n, on_c in rows if on_c}
    people = [(pid, n) for pid, n, on_c in rows if on_c] + [(pid, n) for pid, n, on_c in rows if not on_c]
    return people, committee


def coverage(cycle: Cycle, as_of: dt.date | None = None) -> Coverage:
    """The year's required talks under the cycle's readings, met or missing (2 queries)."""
    as_of = as_of or clock.today()
    people, committee = members_and_committee(cycle.branch, min(as_of, dt.date(cycle.year, 12, 31)))
    ids = [pid for pid, _ in people]
    needs = rules.required_needs([p for p in ids if p in committee], ids, cycle.readings)
    talks = list(
        HeartTalk.objects.filter(branch=cycle.branch, date__year=cycle.year).values_list("person_a_id", "person_b_id")
    )
    missing = rules.missing_needs(needs, talks)
    return Coverage(
        people=people,
        committee=committee,
        needs=needs,
        missing=missing,
        cells=rules.matrix(ids, needs, talks),
        names=dict(people),
        readings=tuple(cycle.readings),
    )


@dataclass
class StepRow:
    state: rules.StepState
    step: Step | None

    @property
    def owner(self):
        return self.step.owner if self.step else None

    @property
    def due(self):
        return self.step.due if self.step else None


def step_states(cycle: Cycle, cov: Coverage | None = None) -> list[StepRow]:
    """Every checklist step with its state (done, required, progress)."""
    cov = cov or coverage(cycle)
    steps = {s.code: s for s in Step.objects.filter(cycle=cycle).select_related("owner")}
    materials = list(Material.objects.filter(cycle=cycle).values_list("kind", "person_id"))
    member_ids = [pid for pid, _ in cov.people]
    required = set(cycle.required_steps)
    rows = []
    for code, label in rules.STEPS:
        step = steps.get(code)
        progress = ""
        if code == rules.TALKS:
            done = cov.complete
            progress = f"{len(cov.needs) - len(cov.missing)}/{len(cov.needs)}"
        elif code == rules.COMMITTEE_REVIEW:
            done = any(k == rules.MATERIAL_COMMITTEE for k, _p in materials)
        elif code == rules.MEMBER_REVIEWS:
            done, progress = rules.per_person(
                [p for k, p in materials if k == rules.MATERIAL_MEMBER_REVIEW], cov.committee
            )
        elif code == rules.SELF_ANALYSIS:
            done, progress = rules.per_person([p for k, p in materials if k == rules.MATERIAL_SELF], member_ids)
        else:
            done = bool(step and step.done_on)
        rows.append(StepRow(rules.StepState(code, label, done, code in required, progress), step))
    return rows


def materials_of(cycle: Cycle) -> QuerySet[Material]:
    return Material.objects.filter(cycle=cycle).select_related("person")
