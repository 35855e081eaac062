"""Reads about organisations and people, each with its select_related/prefetch_related."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from zhibu.orgs import rules
from zhibu.orgs.models import CommitteePosition, Organisation, OrgKind, Person, Position, Standing


# Who is on the way in: a plain member sees how many, not who (issue 11).
PIPELINE_STANDINGS = (Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE)


def people_list(branch: Organisation, *, q: str = "", standing: str = "", group: Organisation | None = None) -> list[Person]:
    """The people list page: current people by name, optionally filtered (one query)."""
    qs = current_people(branch)
    if q:
        qs = qs.filter(name__icontains=q.strip())
    if standing:
        qs = qs.filter(standing=standing)
    if group is not None:
        qs = qs.filter(group=group)
    return list(qs)


def groups_with_counts(branch: Organisation) -> list[Organisation]:
    return list(groups_of(branch).annotate(n=Count("group_people", filter=Q(group_people__active=True))))


def current_people(branch: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(branch=branch, active=True).select_related("group").order_by("name", "id")


def groups_of(branch: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP).order_by("id")


def current_positions(branch: Organisation) -> list[CommitteePosition]:
    order = {value: i for i, (value, _label) in enumerate(Position.choices)}
    positions = CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True).select_related("person")
    return sorted(positions, key=lambda p: order[p.position])


@dataclass
class BranchHome:
    branch: Organisation
    by_standing: list[tuple[str, str, list[Person]]]  # (standing, label, people)
    positions: list[CommitteePosition]
    groups: list[tuple[Organisation, list[Person]]]
    counts: dict[str, int]
    flags: list[rules.Flag]
    term_end: dt.date | None
    term_status: str | None


def branch_home(branch: Organisation, today: dt.date) -> BranchHome:
    """Everything the branch home page shows, in a fixed number of queries."""
    people = list(current_people(branch))
    positions = current_positions(branch)
    groups = list(groups_of(branch))
    by_key: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_key[p.standing].append(p)
    by_standing = [(value, label, by_key[value]) for value, label in reversed(Standing.choices) if by_key[value]]
    members_by_group: dict[int, list[Person]] = defaultdict(list)
    for p in people:
        if p.group_id:
            members_by_group[p.group_id].append(p)
    full = len(by_key[Standing.FULL])
    members = full + len(by_key[Standing.PROBATIONARY])
    flags = rules.branch_flags(full_members=full, members=members, has_committee=len(positions) >= 3)
    ends = [pos.term_end for pos in positions]
    term_end = min(ends) if ends else None
    return BranchHome(
        branch=branch,
        by_standing=by_standing,
        positions=positions,
        groups=[(g, members_by_group[g.pk]) for g in groups],
        counts={"people": len(people), "members": members, "full": full},
        flags=flags,
        term_end=term_end,
        term_status=rules.term_status(term_end, today) if term_end else None,
    )


@dataclass
class BranchRow:
    branch: Organisation
    members: int
    full: int
    flags: list[rules.Flag]


def subtree_branches(org: Organisation) -> list[BranchRow]:
    """The branches below a committee with their sizes and structural flags (3 queries)."""
    branches = list(
        Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH)
        .select_related("parent")
        .annotate(
            n_full=Count("people", filter=Q(people__active=True, people__standing=Standing.FULL)),
            n_members=Count("people", filter=Q(people__active=True, people__standing__in=[Standing.FULL, Standing.PROBATIONARY])),
        )
        .order_by("name")
    )
    with_committee = set(
        CommitteePosition.objects.filter(branch__in=[b.pk for b in branches], ended_on__isnull=True)
        .values("branch_id").annotate(n=Count("id")).filter(n__gte=3).values_list("branch_id", flat=True)
    ) if branches else set()
    return [
        BranchRow(b, b.n_members, b.n_full, rules.branch_flags(full_members=b.n_full, members=b.n_members, has_committee=b.pk in with_committee))
        for b in branches
    ]


def expiring_terms(orgs_q: Q, today: dt.date) -> list[CommitteePosition]:
    soon = today + dt.timedelta(days=rules.TERM_WARNING_DAYS)
    return list(
        CommitteePosition.objects.filter(orgs_q, ended_on__isnull=True, term_end__lte=soon).select_related("branch", "person")
    )
