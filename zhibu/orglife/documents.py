"""Minutes (会议记录) as .docx in the usual layout, and a year's meetings as one 会议记录本."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhibu.core import clock
from zhibu.orglife import selectors
from zhibu.orglife.models import Meeting, MeetingKind

FONT = "宋体"


def _document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def _names(rows) -> str:
    return "、".join(a.person.name for a in rows) or "无"


def _absent_text(detail) -> str:
    parts = []
    for a in detail.absent:
        if a.status == "leave":
            parts.append(f"{a.person.name}(请假:{a.leave_reason})")
        else:
            parts.append(f"{a.person.name}(缺席)")
    return "、".join(parts) or "无"


def _when(m: Meeting) -> str:
    s, e = m.starts_at.astimezone(clock.TZ), m.ends_at.astimezone(clock.TZ)
    end = f"{e:%H:%M}" if e.date() == s.date() else f"{e:%Y年%m月%d日 %H:%M}"
    return f"{s:%Y年%m月%d日 %H:%M}—{end}"


def _write_minutes(doc: Document, detail: selectors.MeetingDetail, org_name: str) -> None:
    m = detail.meeting
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{org_name}{m.get_kind_display()}会议记录")
    run.bold = True
    run.font.size = Pt(16)
    c = detail.counts
    should = f"{c['should']}人" + (f"(另有{c['excluded']}人经批准不计入应到)" if c["excluded"] else "")
    rows = [
        ("会议时间", _when(m)),
        ("会议地点", m.place or ""),
        ("主持人", m.host.name if m.host else ""),
        ("记录人", m.recorder.name if m.recorder else ""),
        ("应到人数", should),
        ("实到人数", f"{c['present']}人"),
        ("出席人员", _names(detail.present)),
        ("缺席及原因", _absent_text(detail)),
        ("议题", m.topic),
    ]
    if m.group_id:
        rows.insert(2, ("党小组", m.group.name))
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
        cells[0].paragraphs[0].runs[0].bold = True
    doc.add_paragraph()
    head = doc.add_paragraph()
    head.add_run("会议内容:").bold = True
    for line in (m.minutes or "").splitlines() or [""]:
        doc.add_paragraph(line)
    if m.kind == MeetingKind.PARTY_CONGRESS and detail.motions:
        head = doc.add_paragraph()
        head.add_run("表决情况:").bold = True
        for i, mo in enumerate(detail.motions, start=1):
            doc.add_paragraph(f"{i}. {mo.title}:赞成{mo.votes_for}票,反对{mo.votes_against}票,弃权{mo.votes_abstain}票。"
                              f"{'通过' if mo.passed else '未通过'}。{mo.reason}(依据:{mo.source})")
    head = doc.add_paragraph()
    head.add_run("决议:").bold = True
    for line in (m.resolutions or "").splitlines() or ["无"]:
        doc.add_paragraph(line)
    doc.add_paragraph()
    doc.add_paragraph("主持人签字:__________        记录人签字:__________")


def minutes_docx(detail: selectors.MeetingDetail) -> bytes:
    doc = _document()
    _write_minutes(doc, detail, detail.meeting.branch.name)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def yearbook_docx(branch, year: int) -> bytes:
    """Every meeting of the year in date order, one per page, behind a cover and a contents list."""
    meetings = list(Meeting.objects.filter(branch=branch, date__year=year).select_related("branch", "group", "host", "recorder")
                    .prefetch_related("attendances__person", "motions").order_by("starts_at", "id"))
    doc = _document()
    cover = doc.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = cover.add_run(f"{branch.name}\n{year}年度\n会议记录本")
    r.bold = True
    r.font.size = Pt(22)
    doc.add_paragraph(f"共{len(meetings)}次会议").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("目录").runs[0].bold = True
    for i, m in enumerate(meetings, start=1):
        doc.add_paragraph(f"{i}. {m.date:%m月%d日} {m.get_kind_display()}:{m.topic}")
    for m in meetings:
        doc.add_page_break()
        rows = sorted(m.attendances.all(), key=lambda a: (a.person.name, a.person_id))
        from zhibu.orglife.services import attendance_counts

        detail = selectors.MeetingDetail(
            meeting=m, attendances=rows, motions=list(m.motions.all()), attachments=[], counts=attendance_counts(rows),
            present=[a for a in rows if not a.excluded and a.status == "present"],
            absent=[a for a in rows if not a.excluded and a.status != "present"],
            excluded=[a for a in rows if a.excluded],
        )
        _write_minutes(doc, detail, branch.name)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
