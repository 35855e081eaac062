"""Reads of 廉政与师德 (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from zhibu.integrity import rules
from zhibu.integrity.models import Commitment, Decision, DutyList, Violation
from zhibu.orglife import selectors as orglife_selectors
from zhibu.orgs.models import Organisation, OrgKind, Person


def duty_lists(branch: Organisation, year: int) -> list[DutyList]:
    return list(DutyList.objects.filter(branch=branch, year=year).select_related("person").order_by("person__name", "id"))


def commitments(branch: Organisation, year: int) -> list[Commitment]:
    return list(Commitment.objects.filter(branch=branch, year=year).select_related("person").order_by("person__name", "id"))


def violations(branch: Organisation, year: int | None = None) -> list[Violation]:
    qs = Violation.objects.filter(branch=branch).select_related("person")
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.order_by("-date", "-id")[:500])


def decisions(branch: Organisation, year: int) -> list[Decision]:
    return list(
        Decision.objects.filter(branch=branch, date__year=year).select_related("meeting").order_by("-date", "-id")
    )


def vetoed(branch: Organisation, year: int) -> dict[int, str]:
    """person id -> reason: 师德失范 with the 一票否决 effect on `year`'s 评优 (1 query)."""
    out: dict[int, str] = {}
    rows = Violation.objects.filter(branch=branch, year=year, veto=True, withdrawn_reason="").order_by("date", "id")
    for person_id, date, description in rows.values_list("person_id", "date", "description"):
        out.setdefault(person_id, rules.veto_reason(date, description))
    return out


def decision_meetings(branch: Organisation, year: int, today) -> list:
    """The 党员大会 and 支委会 of the year already held, newest first (orglife's selector)."""
    return [
        m
        for m in orglife_selectors.meetings_of(branch, year)
        if m.kind in rules.DECISION_MEETING_KINDS and m.date <= today
    ]


@dataclass
class Mine:
    person: Person
    duties: list[DutyList]
    commitments: list[Commitment]

    @property
    def unsigned(self) -> int:
        return sum(1 for d in self.duties if not d.signed_at) + sum(1 for c in self.commitments if not c.signed_at)


def mine(branch: Organisation, user) -> Mine | None:
    person = Person.objects.filter(branch=branch, user=user).first() if user.is_authenticated else None
    if person is None:
        return None
    return Mine(
        person,
        list(DutyList.objects.filter(person=person).order_by("-year", "id")[:20]),
        list(Commitment.objects.filter(person=person).order_by("-year", "id")[:20]),
    )


@dataclass
class BranchRow:
    id: int
    name: str
    duties: int = 0
    duties_signed: int = 0
    commitments: int = 0
    commitments_signed: int = 0
    decisions: int = 0


def district_rows(district: Organisation, year: int) -> list[BranchRow]:
    """Per branch: lists and commitments signed of total, decisions recorded — statistics, never
    names (rules2.md §5). 4 queries."""
    branches = Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH).order_by("path")
    rows = {b.pk: BranchRow(b.pk, b.name) for b in branches}
    under = Q(branch__path__startswith=district.path)
    for r in DutyList.objects.filter(under, year=year).values("branch_id").annotate(
        n=Count("id"), s=Count("id", filter=Q(signed_at__isnull=False))
    ):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].duties, rows[r["branch_id"]].duties_signed = r["n"], r["s"]
    for r in Commitment.objects.filter(under, year=year).values("branch_id").annotate(
        n=Count("id"), s=Count("id", filter=Q(signed_at__isnull=False))
    ):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].commitments, rows[r["branch_id"]].commitments_signed = r["n"], r["s"]
    for r in Decision.objects.filter(under, date__year=year).values("branch_id").annotate(n=Count("id")):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].decisions = r["n"]
    return list(rows.values())
