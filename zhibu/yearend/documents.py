"""The year-end pack's own files: the 工作总结 draft (.docx on the one document layer) written from the
branch's records (selectors.Facts), and the index sheet (.xlsx: file, source, count)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from zhibu.core import clock, xlsx
from zhibu.core.documents import OUTWARD, SIZE_S4, Doc, cn_date, official_name
from zhibu.yearend import rules
from zhibu.yearend.selectors import Facts

CN = "一二三四五六七八九十"


def summary_title(branch_name: str, year: int) -> str:
    return f"{official_name(branch_name)}{year}年度工作总结"


def summary_docx(facts: Facts) -> bytes:
    branch, year = facts.branch, facts.year
    org = official_name(branch.name)
    title = summary_title(branch.name, year)
    doc = Doc(
        kind=OUTWARD,
        title=title,
        creator=org,
        created=clock.now(),
        subject="年度工作总结",
        keywords=f"{year}年度,工作总结",
    )
    doc.title(f"{org}\n{year}年度工作总结")
    doc.para("（初稿：根据支部全年工作记录整理，报送前请修改完善。）", indent=False, align="center")
    upto = "全年" if facts.as_of == dt.date(year, 12, 31) else f"截至{cn_date(facts.as_of)}"
    doc.para(
        f"{year}年，{org}在上级党组织的领导下，按照年度工作计划，认真落实“三会一课”等组织生活制度，"
        f"抓好党员发展、教育、管理和监督。现将{upto}的工作总结如下。"
    )
    sections: list[tuple[str, list]] = []

    members = "、".join(f"{label}{n}名" for label, n in facts.members.items())
    sections.append(("基本情况", [f"支部现有{members}。" if members else "支部人员情况见花名册。"]))

    if facts.plan_rows is not None:
        rows = facts.plan_rows
        table = [("月份", "计划事项", "已完成", "完成率")] + [
            (r.label, str(r.planned), str(r.done), r.rate) for r in rows
        ]
        sections.append(
            (
                "落实年度工作计划情况",
                [
                    f"本年度制定了{'、'.join(f'《{p}》' for p in facts.plans)}。{rules.plan_sentence(rows)}",
                    ("table", table, (30, 45, 40, 40)),
                ],
            )
        )
    elif "plans" in _installed_sections():
        sections.append(("落实年度工作计划情况", ["本年度尚未录入工作计划。"]))

    if facts.obligations is not None:
        held = "，".join(f"{label}{n}次" for label, n in facts.meetings.items())
        table = [("项目", "应开展（期）", "已开展（期）", "召开次数")] + [
            (r.label, str(r.periods), str(r.met), str(r.held)) for r in facts.obligations
        ]
        body = [f"全年召开{held}。" if held else "本年度尚未登记已召开的会议。", ("table", table, (50, 35, 35, 35))]
        sentence = rules.obligation_sentence(facts.obligations)
        if sentence:
            body.append(sentence)
        sections.append(("组织生活开展情况", body))

    if facts.development is not None:
        d = facts.development
        sections.append(
            (
                "发展党员工作",
                [
                    f"本年度办理发展党员档案{d['files']}份：接收入党申请{d['applications']}份，确定入党积极分子{d['activists']}名，"
                    f"确定发展对象{d['candidates']}名，接收预备党员{d['admitted']}名，预备党员转正{d['full']}名。"
                ],
            )
        )

    if facts.dues is not None:
        d = facts.dues
        text = (
            f"1月至{d['months']}月应收党费{d['due']:.2f}元，实收{d['collected']:.2f}元，收缴率{d['rate']}"
            f"，未收{d['outstanding']:.2f}元；"
        )
        text += f"已上缴{d['remitted']}个月。" if d["remitted"] else "尚未登记上缴。"
        if d["voluntary"]:
            text += f"党员自愿多交党费{d['voluntary']:.2f}元。"
        sections.append(("党费收缴管理", [text]))

    if facts.reviews:
        sections.append(("组织生活会和民主评议党员", list(facts.reviews)))

    if facts.rectify is not None:
        r = facts.rectify
        rectify_body: list = [
            f"本年度登记整改问题{r['raised']}个，销号{r['closed']}个；目前未销号{r['open']}个"
            + (f"，其中已超期{r['overdue']}个。" if r["overdue"] else "。")
        ]
        if r["items"]:
            table = [("序号", "未销号问题", "整改时限", "责任人")] + [
                (str(n), problem, cn_date(deadline) if deadline else "", who)
                for n, (problem, deadline, who) in enumerate(r["items"], start=1)
            ]
            rectify_body.append(("table", table, (14, 86, 34, 22)))
        sections.append(("整改落实情况", rectify_body))

    sections += [(heading, list(lines)) for heading, lines in facts.extra]
    sections.append(("存在的问题和下一步打算", ["（请结合本支部实际补充。）"]))

    for n, (heading, body) in enumerate(sections):
        doc.heading1(f"{CN[n] if n < len(CN) else n + 1}、{heading}")
        for part in body:
            if isinstance(part, tuple) and part and part[0] == "table":
                doc.table(part[1], part[2], header=True, size=SIZE_S4)
            else:
                doc.para(str(part))
    doc.closing(org, facts.as_of)
    return doc.to_bytes()


def _installed_sections() -> set[str]:
    from zhibu.yearend.selectors import installed

    return {app for app in ("plans",) if installed(app)}


def count_of(name: str, content: bytes) -> int:
    """Records in one file of the pack: numbered rows (序号 1, 2, …) of every sheet of a workbook; the
    meetings of a 会议记录本 and the tables' rows are not counted for a document: one document is 1."""
    if not name.endswith(".xlsx"):
        return 1
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True)
        n = 0
        for ws in wb.worksheets:
            for (value,) in ws.iter_rows(min_col=1, max_col=1, values_only=True):
                if isinstance(value, int) and not isinstance(value, bool):
                    n += 1
        wb.close()
        return n
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return 0


def index_xlsx(branch_name: str, year: int, entries: list[tuple[str, str, int, int]]) -> bytes:
    """entries: (path in the pack, source, records, bytes)."""
    title = f"{branch_name}{year}年度年终材料目录"
    wb = xlsx.new_workbook(creator=official_name(branch_name), title=title)
    columns = [
        xlsx.Col("序号", 6),
        xlsx.Col("文件", 60, wrap=True),
        xlsx.Col("来源", 14),
        xlsx.Col("记录数", 10, "number"),
        xlsx.Col("大小（KB）", 12, "number"),
    ]
    rows = [
        [n, path, source, count, max(1, round(size / 1024))]
        for n, (path, source, count, size) in enumerate(entries, start=1)
    ]
    xlsx.write_sheet(
        wb.create_sheet("材料目录"), columns, rows, title=title, subtitles=[f"生成时间：{clock.now():%Y-%m-%d %H:%M}"]
    )
    by_source: dict[str, list[int]] = {}
    for _path, source, count, _size in entries:
        agg = by_source.setdefault(source, [0, 0])
        agg[0] += 1
        agg[1] += count
    xlsx.write_sheet(
        wb.create_sheet("按来源汇总"),
        [xlsx.Col("序号", 6), xlsx.Col("来源", 16), xlsx.Col("文件数", 10, "number"), xlsx.Col("记录数", 10, "number")],
        [[n, s, files, count] for n, (s, (files, count)) in enumerate(by_source.items(), start=1)],
        title=f"{branch_name}{year}年度年终材料按来源汇总",
    )
    return xlsx.workbook_bytes(wb)
