"""The obligations hook orglife discovers (`orglife.selectors.extra_obligations`): the lines of the
公开目录 that apply to the branch join its obligations grid, each met by a notice of that line
published in the period (1 query without a catalog, 2 with one)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from zhibu.openness import rules
from zhibu.openness.models import CatalogEntry, Notice
from zhibu.orglife import rules as orglife_rules

SOURCE = "上级党组织制定的公开目录（党务公开条例（试行））"


def branch_obligations(branch, year: int) -> list[tuple[orglife_rules.Obligation, list[dt.date]]]:
    entries = list(
        CatalogEntry.objects.filter(district_id__in=branch.ancestor_ids(), active=True)
        .order_by("id")
        .values_list("id", "title", "frequency")
    )
    if not entries:
        return []
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for entry_id, starts_on in Notice.objects.filter(
        branch=branch, status=rules.PUBLISHED, catalog_entry_id__in=[e[0] for e in entries], starts_on__year=year
    ).values_list("catalog_entry_id", "starts_on"):
        dates[entry_id].append(starts_on)
    return [
        (orglife_rules.Obligation(f"openness:{pk}", f"公开：{title}", frequency, SOURCE), dates[pk])
        for pk, title, frequency in entries
        if frequency in orglife_rules.FREQUENCIES
    ]
