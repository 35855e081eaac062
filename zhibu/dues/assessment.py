"""Assessment measure of 党费 (the hook is described in zhibu/assessment/hooks.py): dues paid on time,
from the ledger the branch keeps. One aggregate query whatever the number of branches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse

from zhibu.dues.models import EntryKind, LedgerEntry

FORMULA = (
    "按时交纳笔数 ÷ 交纳笔数 × 100%。计本年度所属月份（截至评估日所在月）的交纳记录，已冲正的不计；"
    "交纳日期不晚于所属月份最后一天（含提前按季交纳）为按时，补交为不按时；没有交纳记录的计0。"
)


def on_time_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of, fraction

    last = as_of(year)
    if last.year < year:
        return {}
    # On time: paid before the first day of the month after the one paid for. Written as plain date
    # comparisons, one per month of the year (no per-row date functions, which SQLite runs in Python).
    on_time = Q()
    for m in range(1, last.month + 1):
        following = dt.date(year + (m == 12), m % 12 + 1, 1)
        on_time |= Q(month=dt.date(year, m, 1), paid_on__lt=following)
    rows = (
        LedgerEntry.objects.filter(
            branch_id__in=list(branch_ids),
            kind=EntryKind.PAYMENT,
            month__gte=dt.date(year, 1, 1),
            month__lte=last.replace(day=1),
            reversed_by__isnull=True,
        )
        .values("branch_id")
        .annotate(total=Count("id"), on_time=Count("id", filter=on_time))
        .order_by()
    )
    return {r["branch_id"]: fraction(r["on_time"], r["total"]) for r in rows}


def _url(branch_id: int, year: int) -> str:
    return reverse("dues:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="dues_on_time", label="党费按时交纳", formula=FORMULA, compute=on_time_rate, url=_url, column="党费"
        )
    ]
