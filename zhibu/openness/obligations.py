"""The obligations hook orglife discovers (`orglife.selectors.extra_obligations`): the lines of the
公开目录 that apply to the branch join its obligations grid, each met by a notice of that line
published in the period (1 query)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import FilteredRelation, Q

from zhibu.openness import rules
from zhibu.openness.models import CatalogEntry
from zhibu.orglife import rules as orglife_rules

SOURCE = "上级党组织制定的公开目录（党务公开条例（试行））"


def branch_obligations(branch, year: int) -> list[tuple[orglife_rules.Obligation, list[dt.date]]]:
    published = FilteredRelation(
        "notices",
        condition=Q(
            notices__branch=branch,
            notices__status=rules.PUBLISHED,
            notices__starts_on__gte=dt.date(year, 1, 1),
            notices__starts_on__lte=dt.date(year, 12, 31),
        ),
    )
    rows = (
        CatalogEntry.objects.filter(district_id__in=branch.ancestor_ids(), active=True)
        .annotate(published=published)
        .order_by("id")
        .values_list("id", "title", "frequency", "published__starts_on")
    )
    entries: dict[int, tuple[str, str]] = {}
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for pk, title, frequency, starts_on in rows:
        entries[pk] = (title, frequency)
        if starts_on is not None:
            dates[pk].append(starts_on)
    return [
        (orglife_rules.Obligation(f"openness:{pk}", f"公开：{title}", frequency, SOURCE), dates[pk])
        for pk, (title, frequency) in entries.items()
        if frequency in orglife_rules.FREQUENCIES
    ]
