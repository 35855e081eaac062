"""The year-end pack's 党费 台账 (zhibu.yearend discovers this module): the year's collection summary
(due, collected, outstanding per month, as the 党费 page reads `year_collection`) and, for every month
of the year with payments, the 党费收缴登记表 the 党费 page exports (same function, same figures)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock, xlsx
from zhibu.dues import exports, selectors
from zhibu.dues.models import LedgerEntry


def summary_bytes(branch, year: int, months) -> bytes:
    title = f"{branch.name}{year}年党费收缴情况"
    wb = xlsx.new_workbook(creator=branch.name, title=title)
    columns = [
        xlsx.Col("月份", 10),
        xlsx.Col("应交人数", 10, "number"),
        xlsx.Col("已交人数", 10, "number"),
        xlsx.Col("应收（元）", 14, "money"),
        xlsx.Col("实收（元）", 14, "money"),
        xlsx.Col("未收（元）", 14, "money"),
        xlsx.Col("自愿多交（元）", 14, "money"),
        xlsx.Col("已上缴", 10),
    ]
    rows = [
        [
            f"{m.month.month}月",
            m.owing,
            m.paid,
            m.due_total,
            m.collected,
            m.outstanding,
            m.voluntary,
            "是" if m.remittance else "",
        ]
        for m in months
    ]
    rows.append(
        [
            "合计",
            None,
            None,
            sum((m.due_total for m in months), start=0),
            sum((m.collected for m in months), start=0),
            sum((m.outstanding for m in months), start=0),
            sum((m.voluntary for m in months), start=0),
            "",
        ]
    )
    xlsx.write_sheet(
        wb.create_sheet(f"{year}年"),
        columns,
        rows,
        title=title,
        total_rows=1,
        signatures=("填表人（签字）：", "支部书记（签字）：", "日期：　　年　　月　　日"),
    )
    return xlsx.workbook_bytes(wb)


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    today = clock.today()
    last = 12 if today.year > year else (today.month if today.year == year else 0)
    if last == 0:
        return []
    months = selectors.year_collection(branch, year, last_month=last)
    paid_months = sorted(
        set(
            LedgerEntry.objects.filter(branch=branch, month__year=year, month__month__lte=last).values_list(
                "month", flat=True
            )
        )
    )
    if not paid_months and not any(m.owing for m in months):
        return []
    out = [(f"{branch.name}{year}年党费收缴情况.xlsx", summary_bytes(branch, year, months))]
    for month in paid_months:
        month = dt.date(month.year, month.month, 1)
        close = selectors.month_close(branch, month)
        entries = selectors.entries_for_month(branch, month)
        content = exports.register_bytes(branch.name, close, entries, selectors.closing(branch, month))
        out.append((f"{branch.name}{month.year}年{month.month}月党费收缴登记表.xlsx", content))
    return out
