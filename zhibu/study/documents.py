"""学习教育 paperwork: the year's 学习记录本 (.docx), the quarter's 学习简报 (.docx, from its sessions,
photos and shared 心得) and the per-person 学时登记表 (.xlsx). Built on zhibu.core.documents / xlsx."""

from __future__ import annotations

import datetime as dt
import io

from docx.shared import Mm

from zhibu.core import clock, xlsx
from zhibu.core.documents import LINE, PAGE_OF_TOTAL, RECORD, SIZE_3, Doc, cn_date, official_name
from zhibu.orgs.models import MEMBER_STANDINGS
from zhibu.study import selectors
from zhibu.study.models import Session


def _people(session: Session) -> str:
    people = sorted((a.person for a in session.attendance.all()), key=lambda p: (p.name, p.pk))
    members = [p.name for p in people if p.standing in MEMBER_STANDINGS]
    others = [p.name for p in people if p.standing not in MEMBER_STANDINGS]
    text = f"党员{len(members)}人：{'、'.join(members) or '无'}"
    if others:
        text += f"；非党员教职工{len(others)}人：{'、'.join(others)}"
    return text


def _session_block(doc: Doc, s: Session, *, new_page: bool) -> None:
    p = doc.heading1(f"{cn_date(s.date)}　{s.topic}")
    if new_page:
        doc.page_break_before(p)
    rows = [
        ["时间", cn_date(s.date), "时长", f"{s.get_length_display()}（计{s.credited:g}学时）"],
        ["形式", s.get_form_display(), "类别", s.category.name],
        ["主讲人", s.speaker or "无", "参学对象", s.get_audience_display()],
        ["参学人员", _people(s), "", ""],
        ["内容摘要", s.summary or "无", "", ""],
    ]
    table = doc.table(rows, [25, 55, 25, 55], label_columns=(0, 2))
    for r in (3, 4):
        row = table.rows[r].cells
        row[1].merge(row[3])


def yearbook_docx(branch, year: int, sessions: list[Session]) -> bytes:
    """学习记录本: each session of the year (date, topic, speaker, attendees, summary)."""
    doc = Doc(
        kind=RECORD,
        title=f"{branch.name}{year}年度学习记录本",
        creator=official_name(branch.name),
        created=clock.now(),
        page_numbers=PAGE_OF_TOTAL,
        running_header=f"{branch.name} {year}年度学习记录",
        cover=True,
        subject="学习记录",
    )
    doc.spacer(LINE * 6)
    for text in (official_name(branch.name), f"{year}年度", "学习记录本"):
        doc.title(text, after=LINE / 2)
    doc.spacer(LINE * 4)
    doc.para(f"共{len(sessions)}次集中学习", indent=False, align="center", size=SIZE_3)
    for s in sessions:
        _session_block(doc, s, new_page=True)
    return doc.to_bytes()


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


def bulletin_docx(branch, year: int, quarter: int, sessions: list[Session], reflections: list) -> bytes:
    """学习简报: the quarter's sessions (with their photos) and the 心得 members chose to share."""
    title = f"{branch.name}学习简报（{year}年第{'一二三四'[quarter - 1]}季度）"
    doc = Doc(title=title, creator=official_name(branch.name), created=clock.now(), subject="学习简报")
    doc.title("学习简报")
    doc.para(f"{official_name(branch.name)}　{year}年第{'一二三四'[quarter - 1]}季度", indent=False, align="center")
    doc.heading1("一、本季度集中学习")
    if not sessions:
        doc.para("本季度没有登记集中学习。")
    for s in sessions:
        n = s.attendance.count() if not hasattr(s, "_prefetched_objects_cache") else len(s.attendance.all())
        doc.heading2(f"{cn_date(s.date)}：{s.topic}")
        doc.para(
            f"{s.get_form_display()}，{s.category.name}，{s.speaker + '主讲，' if s.speaker else ''}{n}人参加。"
            + (s.summary or "")
        )
        for f in s.files.all():
            if not f.is_image:
                continue
            try:
                with f.file.open("rb") as handle:
                    data = handle.read()
                doc.document.add_picture(io.BytesIO(data), width=Mm(120))
            except Exception:  # a photo python-docx cannot place is left out, never a failed bulletin
                continue
    doc.heading1("二、学习心得")
    if not reflections:
        doc.para("本季度没有分享的心得。")
    for r in reflections:
        doc.heading2(f"{r.title}（{r.person.name}）")
        for line in (r.text or "见附件。").splitlines():
            if line.strip():
                doc.para(line.strip())
    doc.closing(official_name(branch.name), clock.today())
    return doc.to_bytes()


def hours_xlsx(branch, year: int, rows) -> bytes:
    """学时登记表: one line per person (sessions, 组织生活, training, total, target, short)."""
    title = f"{branch.name}{year}年度党员学时登记表"
    wb = xlsx.new_workbook(creator=branch.name, title=title)
    columns = [
        xlsx.Col("序号", 6),
        xlsx.Col("姓名", 12),
        xlsx.Col("集中学习", 10, "number"),
        xlsx.Col("党课、主题党日", 12, "number"),
        xlsx.Col("外出培训", 10, "number"),
        xlsx.Col("合计学时", 10, "number"),
        xlsx.Col("应达学时", 10, "number"),
        xlsx.Col("备注", 24, wrap=True),
    ]
    out = []
    for n, r in enumerate(rows, start=1):
        note = (
            f"免于考核（{r.exempt_reason}）"
            if r.exempt_reason
            else (f"差{r.standing.short:g}学时" if r.standing.below else "已达到")
        )
        out.append(
            [
                n,
                r.person.name,
                float(r.sessions),
                float(r.orglife),
                float(r.training),
                float(r.total),
                r.standing.target,
                note,
            ]
        )
    xlsx.write_sheet(wb.create_sheet(f"{year}年"), columns, out, title=title)
    return xlsx.workbook_bytes(wb)


def year_sessions(branch, year: int) -> list[Session]:
    return selectors.sessions_between(branch, dt.date(year, 1, 1), dt.date(year, 12, 31))
