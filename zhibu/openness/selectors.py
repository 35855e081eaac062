"""Reads of 三务公开, the mailbox and the 恳谈会 (fixed query counts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from zhibu.openness import rules
from zhibu.openness.models import BranchLink, CatalogEntry, Category, Forum, Message, Notice
from zhibu.orgs.models import Organisation, OrgKind

LIST_LIMIT = 300


def _notices():
    return Notice.objects.select_related("category", "branch")


def board(branch: Organisation, today: dt.date, scopes) -> list[Notice]:
    """Published notices within their period that this reader's scopes cover (1 query)."""
    return list(
        _notices()
        .filter(branch=branch, status=rules.PUBLISHED, scope__in=scopes, starts_on__lte=today, ends_on__gte=today)
        .order_by("channel", "-starts_on", "-id")[:LIST_LIMIT]
    )


def archive(branch: Organisation, today: dt.date, scopes, year: int) -> list[Notice]:
    """Published notices whose period has ended, of one year (1 query)."""
    return list(
        _notices()
        .filter(branch=branch, status=rules.PUBLISHED, scope__in=scopes, ends_on__lt=today, starts_on__year=year)
        .order_by("-starts_on", "-id")[:LIST_LIMIT]
    )


def workflow(branch: Organisation) -> list[Notice]:
    """Notices on their way through the procedure (1 query)."""
    return list(
        _notices()
        .filter(branch=branch)
        .exclude(status=rules.PUBLISHED)
        .select_related("proposed_by", "reviewed_by", "approved_by")
        .order_by("status", "-proposed_on", "-id")[:LIST_LIMIT]
    )


def catalog_for(branch: Organisation) -> list[CatalogEntry]:
    """The active 公开目录 lines of every organisation above the branch (1 query)."""
    return list(
        CatalogEntry.objects.filter(district_id__in=branch.ancestor_ids(), active=True)
        .select_related("category")
        .order_by("category__order", "id")
    )


def district_catalog(district: Organisation) -> list[CatalogEntry]:
    return list(CatalogEntry.objects.filter(district=district).select_related("category").order_by("-active", "id"))


@dataclass
class Line:
    entry: CatalogEntry
    periods: list[rules.Obligation]

    @property
    def overdue(self) -> int:
        return sum(1 for p in self.periods if p.state == rules.OVERDUE)

    @property
    def due(self) -> int:
        return sum(1 for p in self.periods if p.state == rules.DUE)


def branch_obligations(branch: Organisation, year: int, today: dt.date) -> list[Line]:
    """Each 公开目录 line with its periods of the year: done, due, overdue, future (2 queries)."""
    entries = catalog_for(branch)
    published: dict[int, list[dt.date]] = defaultdict(list)
    for entry_id, starts_on in Notice.objects.filter(
        branch=branch, status=rules.PUBLISHED, catalog_entry__in=entries, starts_on__year=year
    ).values_list("catalog_entry_id", "starts_on"):
        published[entry_id].append(starts_on)
    return [Line(e, rules.obligations(e.frequency, year, published[e.pk], today)) for e in entries]


def messages(branch: Organisation, *, status: str = "") -> list[Message]:
    qs = Message.objects.filter(branch=branch).select_related("assignee")
    if status in rules.MESSAGE_STATUS_LABELS:
        qs = qs.filter(status=status)
    return list(qs.order_by("status", "due_on", "-id")[:LIST_LIMIT])


def public_qa(branch: Organisation) -> list[Message]:
    """Answered messages the branch chose to publish (subject, message, reply; never who wrote)."""
    return list(
        Message.objects.filter(branch=branch, published=True, status=rules.REPLIED)
        .only("id", "subject", "body", "reply", "replied_on", "received_on")
        .order_by("-replied_on", "-id")[:50]
    )


def forums(branch: Organisation) -> list[Forum]:
    return list(
        Forum.objects.filter(branch=branch)
        .annotate(n_participants=Count("participants", distinct=True), n_items=Count("items", distinct=True))
        .order_by("-held_on", "-id")[:LIST_LIMIT]
    )


def link_by_token(token: str) -> BranchLink | None:
    if not (16 <= len(token or "") <= 40):
        return None
    return BranchLink.objects.select_related("branch").filter(token=token).first()


def categories() -> list[Category]:
    return list(Category.objects.filter(active=True))


@dataclass
class BranchRow:
    id: int
    name: str
    published: int = 0
    pending: int = 0
    due: int = 0
    overdue: int = 0
    messages_open: int = 0
    messages_overdue: int = 0
    has_link: bool = False


@dataclass
class DistrictView:
    rows: list[BranchRow]
    catalog: list[CatalogEntry] = field(default_factory=list)

    @property
    def overdue_branches(self) -> int:
        return sum(1 for r in self.rows if r.overdue)


def district_view(district: Organisation, year: int, today: dt.date) -> DistrictView:
    """Every branch below: notices published this year, on their way, 公开目录 periods due and
    overdue, mailbox messages open and past their deadline (overdue first). Queries: branches (1),
    the catalog above and within (1), catalog notices of the year (1), notice counts (1), message
    counts (1), public links (1)."""
    branches = list(
        Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH)
        .order_by("path")
        .values("id", "name", "path")
    )
    ancestors = district.ancestor_ids()
    catalog = list(
        CatalogEntry.objects.filter(
            Q(district_id__in=ancestors) | Q(district__path__startswith=district.path), active=True
        )
        .select_related("category", "district")
        .order_by("id")
    )
    under = Notice.objects.filter(branch__path__startswith=district.path)
    published: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for branch_id, entry_id, starts_on in under.filter(
        status=rules.PUBLISHED, catalog_entry__isnull=False, starts_on__year=year
    ).values_list("branch_id", "catalog_entry_id", "starts_on"):
        published[(branch_id, entry_id)].append(starts_on)
    notice_counts = {
        r["branch_id"]: r
        for r in under.values("branch_id").annotate(
            published=Count("id", filter=Q(status=rules.PUBLISHED, starts_on__year=year)),
            pending=Count("id", filter=~Q(status=rules.PUBLISHED)),
        )
    }
    message_counts = {
        r["branch_id"]: r
        for r in Message.objects.filter(branch__path__startswith=district.path)
        .values("branch_id")
        .annotate(
            open=Count("id", filter=~Q(status=rules.REPLIED)),
            late=Count("id", filter=~Q(status=rules.REPLIED) & Q(due_on__lt=today)),
        )
    }
    linked = set(BranchLink.objects.filter(branch__path__startswith=district.path).values_list("branch_id", flat=True))
    rows = []
    for b in branches:
        row = BranchRow(b["id"], b["name"], has_link=b["id"] in linked)
        ids = {int(p) for p in b["path"].strip("/").split("/") if p.isdigit()}
        for entry in catalog:
            if entry.district_id not in ids:
                continue
            for ob in rules.obligations(entry.frequency, year, published.get((b["id"], entry.pk), ()), today):
                row.due += ob.state == rules.DUE
                row.overdue += ob.state == rules.OVERDUE
        counts = notice_counts.get(b["id"])
        if counts:
            row.published, row.pending = counts["published"], counts["pending"]
        mc = message_counts.get(b["id"])
        if mc:
            row.messages_open, row.messages_overdue = mc["open"], mc["late"]
        rows.append(row)
    rows.sort(key=lambda r: (-r.overdue, -r.messages_overdue, r.name))
    return DistrictView(rows, catalog)
