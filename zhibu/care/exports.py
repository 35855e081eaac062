"""The 台账 of 关怀与共建 as .xlsx (zhibu.core.xlsx): 走访慰问台账, 结对台账, 志愿服务台账."""

from __future__ import annotations

from decimal import Decimal

from zhibu.care import selectors
from zhibu.core.xlsx import Col, new_workbook, sheet_title, workbook_bytes, write_sheet
from zhibu.orgs.models import Organisation


def _book(title: str, creator: str, columns, rows, *, subtitles=(), notes=(), signatures=()) -> bytes:
    wb = new_workbook(creator=creator, title=title)
    write_sheet(
        wb.create_sheet(sheet_title(title)),
        columns,
        rows,
        title=title,
        subtitles=subtitles,
        notes=notes,
        signatures=signatures,
    )
    return workbook_bytes(wb)


def visits_sheet(branch: Organisation, year: int) -> bytes:
    visits = selectors.visits_of(branch, year)
    rows = [
        [
            n,
            v.campaign.title if v.campaign else "",
            v.person.name,
            v.visited_on,
            v.visitors,
            v.gifts,
            v.amount,
            v.get_fund_display(),
            v.note,
        ]
        for n, v in enumerate(visits, 1)
    ]
    total = sum((v.amount or Decimal(0) for v in visits), Decimal(0))
    rows.append(["合计", "", f"{len(visits)}人次", None, "", "", total, "", ""])
    columns = [
        Col("序号", 6),
        Col("走访慰问", 20, wrap=True),
        Col("走访对象", 10),
        Col("走访日期", 16, "date"),
        Col("走访人", 14, wrap=True),
        Col("慰问品", 18, wrap=True),
        Col("慰问金（元）", 12, "money"),
        Col("经费来源", 10),
        Col("走访情况", 26, wrap=True),
    ]
    return _book(
        f"{branch.name}{year}年走访慰问台账",
        branch.name,
        columns,
        rows,
        signatures=("填表人（签字）：", "支部书记（签字）："),
    )


def pairs_sheet(branch: Organisation, year: int) -> bytes:
    rows = []
    for n, p in enumerate(selectors.pairs_of(branch), 1):
        contacts = [c for c in p.contacts.all() if c.date.year == year]
        lines = "\n".join(
            f"{c.date.month}月{c.date.day}日 {c.way + '：' if c.way else ''}{c.content}" for c in contacts
        )
        rows.append(
            [n, p.member.name, p.kind.name, p.partner_label, p.started_on, p.ended_on, p.note, len(contacts), lines]
        )
    columns = [
        Col("序号", 6),
        Col("党员", 10),
        Col("结对类别", 12),
        Col("结对对象", 14),
        Col("结对日期", 16, "date"),
        Col("结束日期", 16, "date"),
        Col("结对内容", 20, wrap=True),
        Col(f"{year}年联系次数", 10, "number"),
        Col("联系记录", 40, wrap=True),
    ]
    return _book(
        f"{branch.name}结对台账（{year}年）",
        branch.name,
        columns,
        rows,
        signatures=("填表人（签字）：", "支部书记（签字）："),
    )


def volunteer_sheet(branch: Organisation, year: int) -> bytes:
    wb = new_workbook(creator=branch.name, title=f"{branch.name}{year}年志愿服务台账")
    activities = selectors.activities_of(branch, year)
    rows = [
        [
            n,
            a.date,
            a.title,
            a.place,
            a.content,
            "、".join(f"{p.person.name}（{p.hours}小时）" for p in a.participants.all()),
            sum((p.hours for p in a.participants.all()), Decimal(0)),
        ]
        for n, a in enumerate(sorted(activities, key=lambda a: (a.date, a.pk)), 1)
    ]
    write_sheet(
        wb.create_sheet("活动"),
        [
            Col("序号", 6),
            Col("日期", 16, "date"),
            Col("活动名称", 20, wrap=True),
            Col("地点", 14, wrap=True),
            Col("服务内容", 24, wrap=True),
            Col("参加人员及时长", 36, wrap=True),
            Col("合计（小时）", 12, "number"),
        ],
        rows,
        title=f"{branch.name}{year}年志愿服务台账",
        signatures=("填表人（签字）：", "支部书记（签字）："),
    )
    people = [[n, r.name, r.activities, r.hours] for n, r in enumerate(selectors.hours_table(branch, year), 1)]
    write_sheet(
        wb.create_sheet("个人时长"),
        [Col("序号", 6), Col("姓名", 12), Col("参加次数", 10, "number"), Col("服务时长（小时）", 16, "number")],
        people,
        title=f"{year}年个人志愿服务时长",
        notes=("按姓名排列。",),
    )
    return workbook_bytes(wb)
