"""Reads of 组织关系: a fixed number of queries per page, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhibu.membership import rules
from zhibu.membership.models import (
    OPEN_STATES,
    CaseKind,
    CaseState,
    Merit,
    MeritKind,
    RequestState,
    StatusEvent,
    StatusKind,
    TransferCase,
    TransferRequest,
)
from zhibu.orgs.models import Organisation, OrgKind, Transfer, TransferDirection

CASE_RELATED = ("person", "branch", "to_branch")


def _under(org: Organisation, field: str = "branch") -> Q:
    if org.kind == OrgKind.BRANCH:
        return Q(**{field: org})
    return Q(**{f"{field}__path__startswith": org.path})


def open_cases(org: Organisation) -> QuerySet[TransferCase]:
    """Transfers started and not completed below `org` (both directions for a branch: what it sends
    and what is coming to it), oldest first."""
    q = _under(org)
    if org.kind == OrgKind.BRANCH:
        q |= Q(to_branch=org)
    return (
        TransferCase.objects.filter(q, state__in=OPEN_STATES).select_related(*CASE_RELATED).order_by("started_on", "id")
    )


def recent_cases(org: Organisation, since: dt.date) -> QuerySet[TransferCase]:
    q = _under(org)
    if org.kind == OrgKind.BRANCH:
        q |= Q(to_branch=org)
    return (
        TransferCase.objects.filter(q, started_on__gte=since)
        .exclude(state__in=OPEN_STATES)
        .select_related(*CASE_RELATED)
        .order_by("-started_on", "-id")
    )


def open_requests(org: Organisation) -> QuerySet[TransferRequest]:
    return TransferRequest.objects.filter(_under(org), state=RequestState.OPEN).select_related("person")


def register(org: Organisation) -> QuerySet[StatusEvent]:
    return StatusEvent.objects.filter(_under(org)).select_related("person", "branch")


def lost_now(org: Organisation | None = None) -> list[StatusEvent]:
    """People whose latest 失联/恢复联系 entry is 失联 (one query)."""
    qs = StatusEvent.objects.filter(kind__in=[StatusKind.LOST, StatusKind.FOUND])
    if org is not None:
        qs = qs.filter(_under(org))
    latest: dict[int, StatusEvent] = {}
    for e in qs.select_related("person", "branch").order_by("on", "id"):
        latest[e.person_id] = e
    return [e for e in latest.values() if e.kind == StatusKind.LOST]


@dataclass
class Lost:
    event: StatusEvent
    stop_due: dt.date
    overdue: bool


def lost_rows(org: Organisation, today: dt.date) -> list[Lost]:
    rows = []
    for e in lost_now(org):
        due = rules.lost_due(e.on)
        rows.append(Lost(e, due, today >= due and e.person.active))
    return sorted(rows, key=lambda r: r.event.on)


def merits_of(person) -> QuerySet[Merit]:
    return Merit.objects.filter(person=person).order_by("-decided_on", "-id")


def voting_suspended(branch: Organisation, on: dt.date) -> dict[int, str]:
    """{person id: reason} for the branch's members under 留党察看 on `on` (党章 第四十条). 1 query."""
    out: dict[int, str] = {}
    for m in Merit.objects.filter(
        person__branch=branch, kind=MeritKind.PENALTY, title=rules.PROBATION, decided_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on)):
        if rules.suspended_on(m.title, m.decided_on, m.ends_on, on):
            until = f"至{m.ends_on:%Y-%m-%d}" if m.ends_on else ""
            out.setdefault(m.person_id, f"留党察看（{m.decided_on:%Y-%m-%d}起{until}），{rules.VOTING_SOURCE}")
    return out


def vetoes(branch: Organisation, year: int) -> dict[int, str]:
    """{person id: reason} barred from that year's 评优 by a 处分 (rules.vetoed_in). 1 query."""
    out: dict[int, str] = {}
    qs = Merit.objects.filter(person__branch=branch, kind=MeritKind.PENALTY, decided_on__year__lte=year)
    for m in qs.order_by("-decided_on"):
        if rules.vetoed_in(m.title, m.decided_on, m.ends_on, year):
            out.setdefault(m.person_id, f"受党纪处分：{m.title}（{m.decided_on:%Y-%m-%d}）")
    return out


def letters_overdue(today: dt.date) -> list[TransferCase]:
    """Every 介绍信 whose 回执 is not back after its validity (for the reminders)."""
    return [
        c
        for c in TransferCase.objects.filter(state=CaseState.ISSUED)
        .exclude(kind=CaseKind.WITHIN)
        .select_related("person", "branch")
        if c.overdue(today)
    ]


def incoming(org: Organisation, since: dt.date) -> QuerySet[Transfer]:
    """介绍信 from outside the district received by the branch (orgs:transfer_in) since `since`: each
    needs its 回执 sent back."""
    return (
        Transfer.objects.filter(branch=org, direction=TransferDirection.IN, date__gte=since)
        .exclude(other_org__in=Organisation.objects.filter(parent_id=org.parent_id).values("name"))
        .select_related("person")
        .order_by("-date", "-id")
    )
