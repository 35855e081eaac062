"""Reads of the 整改台账 (fixed query counts; sorting by rules.sort_key: overdue first)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from zhibu.orgs.models import Organisation, OrgKind
from zhibu.rectify import rules
from zhibu.rectify.models import Item, Source

LIST_LIMIT = 500


def _base():
    return Item.objects.select_related("source", "responsible", "branch", "raised_by_org")


def sorted_items(items, today: dt.date) -> list[Item]:
    return sorted(items, key=lambda i: rules.sort_key(i.status, i.deadline, today, i.pk))


def branch_items(branch: Organisation, today: dt.date, *, status: str = "", source: str = "") -> list[Item]:
    """The branch's 问题清单 (overdue first). 2 queries with evidence files prefetched."""
    qs = _base().filter(branch=branch).prefetch_related("files")
    if status == "active":
        qs = qs.filter(status__in=rules.ACTIVE)
    elif status == "finished":
        qs = qs.filter(status__in=rules.FINISHED)
    elif status == "overdue":
        qs = qs.filter(status__in=rules.ACTIVE, deadline__lt=today)
    if source:
        qs = qs.filter(source__code=source)
    return sorted_items(qs[:LIST_LIMIT], today)


def item_detail(item_id: int):
    return _base().prefetch_related("files", "notes__author")


@dataclass
class PersonLine:
    name: str
    items: list[Item] = field(default_factory=list)
    late: int = 0


def responsibility(branch: Organisation, today: dt.date) -> list[PersonLine]:
    """责任清单: every responsible person with their active items (no one: 未明确责任人)."""
    lines: dict[object, PersonLine] = {}
    for item in branch_items(branch, today, status="active"):
        key = item.responsible_id
        line = lines.setdefault(key, PersonLine(item.responsible.name if item.responsible else "未明确责任人"))
        line.items.append(item)
        line.late += item.overdue(today)
    return sorted(lines.values(), key=lambda line: (-line.late, line.name))


def counts(
    branch_ids: list[int] | None, today: dt.date, *, under: Organisation | None = None
) -> dict[int, rules.Counts]:
    """branch id -> (open, overdue, closed): one query."""
    qs = Item.objects.all()
    if under is not None:
        qs = qs.filter(branch__path__startswith=under.path)
    if branch_ids is not None:
        qs = qs.filter(branch_id__in=branch_ids)
    rows = qs.values("branch_id").annotate(
        n_open=Count("id", filter=Q(status__in=rules.ACTIVE)),
        n_overdue=Count("id", filter=Q(status__in=rules.ACTIVE, deadline__lt=today)),
        n_closed=Count("id", filter=Q(status__in=rules.FINISHED)),
    )
    return {r["branch_id"]: rules.Counts(r["n_open"], r["n_overdue"], r["n_closed"]) for r in rows}


@dataclass
class BranchRow:
    id: int
    name: str
    counts: rules.Counts


@dataclass
class DistrictView:
    rows: list[BranchRow]
    total: rules.Counts
    to_approve: list[Item]
    raised: list[Item]
    review_due: list[Item]


def closer_modes(district: Organisation, branches: list[Any]) -> dict[int, str]:
    """branch id -> closer mode, from the settings on the path (one query for the settings set
    anywhere in the subtree, one for the district's ancestors)."""
    key = rules.CLOSER_SETTING
    ancestors = [int(p) for p in district.path.strip("/").split("/") if p.isdigit()]
    set_here = dict(
        Organisation.objects.filter(Q(path__startswith=district.path) | Q(pk__in=ancestors))
        .filter(settings__has_key=key)
        .values_list("pk", "settings")
    )
    out = {}
    for b in branches:
        ids = [int(p) for p in b["path"].strip("/").split("/") if p.isdigit()]
        out[b["id"]] = rules.closer_mode(set_here.get(i, {}) for i in reversed(ids))
    return out


def district_view(district: Organisation, today: dt.date) -> DistrictView:
    """The district page. Queries: branches (1), counts (1), closer settings (1), items to approve
    (1), items the district raised (1), 回头看 due (1)."""
    branches = list(
        Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH)
        .order_by("path")
        .values("id", "name", "path")
    )
    by_branch = counts(None, today, under=district)
    empty = rules.Counts()
    rows = [BranchRow(b["id"], b["name"], by_branch.get(b["id"], empty)) for b in branches]
    rows.sort(key=lambda r: (-r.counts.overdue, -r.counts.open, r.name))
    total = rules.Counts(
        sum(r.counts.open for r in rows), sum(r.counts.overdue for r in rows), sum(r.counts.closed for r in rows)
    )
    modes = closer_modes(district, branches)
    scope = _base().filter(branch__path__startswith=district.path)
    submitted = scope.filter(status=rules.SUBMITTED).order_by("submitted_on", "id")[:LIST_LIMIT]
    to_approve = [i for i in submitted if modes.get(i.branch_id) == rules.CLOSER_DISTRICT]
    raised = sorted_items(scope.filter(raised_by_org=district).order_by("-raised_on", "-id")[:LIST_LIMIT], today)
    due = list(scope.filter(status=rules.CLOSED, review_due__lte=today).order_by("review_due", "id")[:LIST_LIMIT])
    return DistrictView(rows, total, to_approve, raised, due)


def sources() -> list[Source]:
    return list(Source.objects.filter(active=True))
