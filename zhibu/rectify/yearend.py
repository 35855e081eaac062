"""The year-end pack's 整改台账 (zhibu.yearend discovers this module): the ledger sheet of the
整改台账 page's export, holding the items raised or closed in the year and those still open from before."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.rectify import exports, rules, selectors


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    today = min(clock.today(), dt.date(year, 12, 31))
    items = [
        i
        for i in selectors.branch_items(branch, today)
        if i.raised_on.year == year
        or (i.closed_on and i.closed_on.year == year)
        or (i.raised_on.year < year and i.status in rules.ACTIVE)
    ]
    if not items:
        return []
    return [(f"{branch.name}{year}年整改台账.xlsx", exports.sheet(branch, items, today))]
