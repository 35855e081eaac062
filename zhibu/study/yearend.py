"""The year-end pack's 台账 of 学习教育 (discovered by the yearend app): the 学习记录本 and the
学时登记表 of the year."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.study import documents as docs
from zhibu.study import selectors


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    as_of = min(clock.today(), dt.date(year, 12, 31))
    sessions = [s for s in docs.year_sessions(branch, year) if s.date <= as_of]
    if sessions:
        out.append((f"{branch.name}{year}年度学习记录本.docx", docs.yearbook_docx(branch, year, sessions)))
    rows = selectors.branch_hours(branch, year, as_of)
    if rows:
        out.append((f"{branch.name}{year}年度党员学时登记表.xlsx", docs.hours_xlsx(branch, year, rows)))
    return out
