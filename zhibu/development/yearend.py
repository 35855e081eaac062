"""The year-end pack's 发展党员 files (zhibu.yearend discovers this module): the year's 发展党员工作台账
(every file with a step in the year: stage, key dates, contacts and sponsors, the steps done that year)
and, for each of them, the documents the 发展党员 page generates from the record — the 培养考察记录 and
the 支部大会决议摘要 of a meeting held that year — only where the record supports them (`refusals`
empty: nothing is generated that the page itself would refuse)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock, xlsx
from zhibu.development import documents as dev_documents
from zhibu.development import rules, selectors
from zhibu.development.models import DocKind
from zhibu.workdays.selectors import get_calendar

KEY_STEPS = (
    ("application", "递交入党申请书"),
    ("activist", "确定为入党积极分子"),
    ("candidate", "确定为发展对象"),
    ("admission_meeting", "接收为预备党员"),
    ("full_approval", "转为正式党员"),
)
MEETINGS = ("admission_meeting", "full_meeting")


def _name(key: str) -> str:
    try:
        return rules.step_name(key)
    except KeyError:
        return key


def ledger_bytes(branch, year: int, files) -> bytes:
    title = f"{branch.name}{year}年发展党员工作台账"
    wb = xlsx.new_workbook(creator=branch.name, title=title)
    columns = [xlsx.Col("序号", 6), xlsx.Col("姓名", 10), xlsx.Col("当前阶段", 18, wrap=True)]
    columns += [xlsx.Col(label, 14, "date") for _key, label in KEY_STEPS]
    columns += [xlsx.Col("培养联系人", 14), xlsx.Col("入党介绍人", 14), xlsx.Col(f"{year}年办理的步骤", 48, wrap=True)]
    rows = []
    for n, c in enumerate(files, start=1):
        steps = {s.step: s for s in c.steps.all()}
        links = list(c.links.all())
        done = [
            f"{s.date.month}月{s.date.day}日 {_name(s.step)}"
            for s in sorted(c.steps.all(), key=lambda s: s.date)
            if s.date.year == year
        ]
        rows.append(
            [
                n,
                c.person.name,
                rules.STAGES.get(c.stage, ""),
                *[steps[key].date if key in steps else None for key, _label in KEY_STEPS],
                "、".join(link.person.name for link in links if link.role == "contact"),
                "、".join(link.person.name for link in links if link.role == "sponsor"),
                "\n".join(done),
            ]
        )
    xlsx.write_sheet(wb.create_sheet(f"{year}年"), columns, rows, title=title, freeze_columns=2, landscape=True)
    return xlsx.workbook_bytes(wb)


def documents(branch, year: int) -> list[tuple[str, bytes]]:
    files = [
        c
        for c in selectors.candidates(branch, include_archived=True)
        if any(s.date.year == year for s in c.steps.all())
    ]
    if not files:
        return []
    files.sort(key=lambda c: (c.stage, c.person.name, c.pk))
    out = [(f"{branch.name}{year}年发展党员工作台账.xlsx", ledger_bytes(branch, year, files))]
    calendar = get_calendar()
    today = min(clock.today(), dt.date(year, 12, 31))
    for c in files:
        wanted = [(DocKind.ASSESSMENT, "admission_meeting")]
        wanted += [
            (DocKind.RESOLUTION, m) for m in MEETINGS if any(s.step == m and s.date.year == year for s in c.steps.all())
        ]
        for kind, meeting in wanted:
            if dev_documents.refusals(c, kind, calendar=calendar, today=today, meeting=meeting):
                continue
            filename, content = dev_documents.generate(c, kind, calendar=calendar, today=today, meeting=meeting)
            out.append((f"{year}年-{filename}", content))
    return out
