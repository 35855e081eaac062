"""Reads for 党内统计: the facts `rules.compute` takes, in a fixed number of queries whatever the
number of branches (people, 发展 steps, organisations, committee posts), and the completeness
check against the 全国党员管理信息系统 fields."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, DateField, Exists, OuterRef, Q, Value, When

from zhibu.core import clock
from zhibu.development.models import Link, LinkRole, StepRecord
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, OrgKind, Person
from zhibu.stats import rules

PERSON_FACTS = (
    "id",
    "branch_id",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "employment",
    "standing",
    "admitted_on",
    "full_on",
    "active",
    "left_on",
    "occupation",
)
DEV_STEPS = ("application", "activist", "candidate", "cancellation")


def as_of(year: int, half: bool) -> tuple[dt.date, dt.date, bool]:
    """(first day, as-of date, cut): the period's end, or today when the period has not ended
    (a date in the future has not happened)."""
    start, on = rules.period(year, half)
    today = clock.today()
    return (start, on, False) if on <= today else (start, today, True)


def half_year_enabled(org: Organisation) -> bool:
    """The 半年报 is local practice: the organisation or a committee above sets stats_half_year."""
    if org.settings.get("stats_half_year"):
        return True
    ids = org.ancestor_ids()
    return any(
        o.get("stats_half_year") for o in Organisation.objects.filter(pk__in=ids).values_list("settings", flat=True)
    )


def people_facts(org: Organisation) -> list[rules.PersonFacts]:
    rows = Person.objects.filter(branch__path__startswith=org.path).order_by().values_list(*PERSON_FACTS)
    return [rules.PersonFacts(*row) for row in rows]


def report(org: Organisation, *, start: dt.date, on: dt.date) -> tuple[rules.Report, dict[int, int]]:
    """The tables for the organisation's subtree (4 queries) and each person's branch id."""
    people = people_facts(org)
    steps = [
        rules.StepFacts(*row)
        for row in StepRecord.objects.filter(
            candidate__person__branch__path__startswith=org.path, step__in=DEV_STEPS, date__lte=on
        )
        .order_by()
        .values_list("candidate__person_id", "step", "date")
    ]
    organisations = [
        rules.OrgFacts(*row)
        for row in Organisation.objects.filter(path__startswith=org.path)
        .order_by()
        .values_list("id", "kind", "unit", "parent_id")
    ]
    posts = [
        rules.PostFacts(*row)
        for row in CommitteePosition.objects.filter(branch__path__startswith=org.path, term_start__lte=on)
        .order_by()
        .values_list("branch_id", "position", "term_start", "ended_on")
    ]
    result = rules.compute(on=on, start=start, people=people, steps=steps, organisations=organisations, posts=posts)
    return result, {p.id: p.branch_id for p in people}


def people_page(ids: list[int]) -> list[Person]:
    return list(
        Person.objects.filter(pk__in=ids)
        .select_related("branch")
        .only(
            "id",
            "name",
            "gender",
            "birth_date",
            "education",
            "standing",
            "admitted_on",
            "full_on",
            "active",
            "left_on",
            "branch__name",
            "branch_id",
        )
        .order_by("branch__path", "name", "id")
    )


def organisations_page(ids: list[int]) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=ids).select_related("parent").order_by("path"))


# --- Completeness against the 全国党员管理信息系统 ----------------------------------------------------------

# Encrypted values are checked for presence in SQL (an empty value is stored empty), never decrypted.
_PRESENT = {
    name: Case(When(**{name: ""}, then=Value(False)), default=Value(True), output_field=BooleanField())
    for name in ("id_number", "phone", "home_address")
}
_PLAIN = tuple(f.name for f in rules.NATIONAL_FIELDS if f.name not in _PRESENT)


@dataclass
class Gap:
    person_id: int
    name: str
    branch_id: int
    standing: str
    missing: list[str]

    @property
    def labels(self) -> list[str]:
        return [rules.NATIONAL_LABELS[m] for m in self.missing]


@dataclass
class BranchGaps:
    branch: Organisation
    members: int = 0
    incomplete: int = 0
    by_field: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return "；".join(
            f"{f.label} {self.by_field[f.name]}" for f in rules.NATIONAL_FIELDS if self.by_field.get(f.name)
        )


def sponsors_from_files(org: Organisation) -> dict[int, str]:
    """入党介绍人 named in 发展党员 files (the file is the record; the person field is for members
    who joined before the app)."""
    names: dict[int, list[str]] = defaultdict(list)
    for person_id, name in (
        Link.objects.filter(role=LinkRole.SPONSOR, candidate__person__branch__path__startswith=org.path)
        .order_by("since", "id")
        .values_list("candidate__person_id", "person__name")
    ):
        names[person_id].append(name)
    return {pk: "、".join(v) for pk, v in names.items()}


def _members(org: Organisation):
    return Person.objects.filter(branch__path__startswith=org.path, active=True, standing__in=MEMBER_STANDINGS)


def gaps(org: Organisation) -> list[Gap]:
    """Every current member of the subtree with the national fields their record lacks (2 queries)."""
    derived = sponsors_from_files(org)
    out = []
    rows = (
        _members(org)
        .annotate(**{f"has_{k}": v for k, v in _PRESENT.items()})
        .order_by("branch__path", "name", "id")
        .values("id", "branch_id", "standing", *_PLAIN, *(f"has_{k}" for k in _PRESENT))
    )
    for row in rows:
        values = {k: row[k] for k in _PLAIN}
        values.update({k: row[f"has_{k}"] for k in _PRESENT})
        if not values.get("sponsors"):
            values["sponsors"] = derived.get(row["id"], "")
        missing = rules.missing_fields(values, full=row["standing"] == "full")
        out.append(Gap(row["id"], row["name"], row["branch_id"], row["standing"], missing))
    return out


def _missing_q(name: str) -> Q:
    """The SQL form of rules.missing_fields for one field (an encrypted empty value is stored empty)."""
    if name == "full_on":
        return Q(standing="full", full_on__isnull=True)
    if name == "sponsors":
        return Q(sponsors="", sponsor_in_file=False)
    if isinstance(Person._meta.get_field(name), (DateField,)):
        return Q(**{f"{name}__isnull": True})
    return Q(**{name: ""})


def branch_gaps(org: Organisation) -> list[BranchGaps]:
    """Per branch of the subtree: members, members with gaps, gaps per field — counted in the database
    (2 queries, the same test as `gaps` per person)."""
    branches = {
        b.pk: BranchGaps(b)
        for b in Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).order_by("path")
    }
    missing = {f.name: _missing_q(f.name) for f in rules.NATIONAL_FIELDS}
    incomplete = Q()
    for q in missing.values():
        incomplete |= q
    in_file = Link.objects.filter(role=LinkRole.SPONSOR, candidate__person=OuterRef("pk"))
    rows = (
        _members(org)
        .annotate(sponsor_in_file=Exists(in_file))
        .order_by()
        .values("branch_id")
        .annotate(
            n=Count("id"),
            incomplete=Count("id", filter=incomplete),
            **{f"m_{name}": Count("id", filter=q) for name, q in missing.items()},
        )
    )
    for row in rows:
        entry = branches.get(row["branch_id"])
        if entry is None:
            continue
        entry.members, entry.incomplete = row["n"], row["incomplete"]
        entry.by_field = {name: row[f"m_{name}"] for name in missing if row[f"m_{name}"]}
    return list(branches.values())


def export_people(branch: Organisation) -> list[Person]:
    """The branch's current members with every national field (decrypted: the export is audited)."""
    return list(_members(branch).filter(branch=branch).order_by("name", "id"))
