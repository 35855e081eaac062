"""The year-end pack's 台账 from organisational life (zhibu.yearend discovers this module): the year's
会议记录本 (the same document as the 组织生活 page's download, meetings already held) and the
谈心谈话 register."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock, xlsx
from zhibu.orglife import documents as orglife_documents
from zhibu.orglife import selectors


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    as_of = min(clock.today(), dt.date(year, 12, 31))
    meetings = list(selectors.yearbook_meetings(branch, year, as_of=as_of))
    if meetings:
        content = orglife_documents.yearbook_docx(branch, year, meetings=meetings, full_view=True)
        out.append((f"{branch.name}{year}年度会议记录本.docx", content))
    talks = list(selectors.talks_of(branch, year).filter(date__lte=as_of).order_by("date", "id"))
    if talks:
        title = f"{branch.name}{year}年谈心谈话记录"
        wb = xlsx.new_workbook(creator=branch.name, title=title)
        columns = [
            xlsx.Col("序号", 6),
            xlsx.Col("日期", 14, "date"),
            xlsx.Col("谈话人", 12),
            xlsx.Col("谈话对象", 12),
            xlsx.Col("主要内容", 40, wrap=True),
        ]
        rows = [[n, t.date, t.person_a.name, t.person_b.name, t.note] for n, t in enumerate(talks, start=1)]
        xlsx.write_sheet(wb.create_sheet(f"{year}年"), columns, rows, title=title)
        out.append((f"{title}.xlsx", xlsx.workbook_bytes(wb)))
    return out
