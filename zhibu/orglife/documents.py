"""Minutes (会议记录) and a year's 会议记录本 as .docx, built on the one document layer
(zhibu.core.documents: A4, record margins, 仿宋_GB2312 3号 body, page numbers, Chinese properties).

A minute is exported only when the record can carry it: attendance registered, a host and a recorder
(`missing`); otherwise the page says what is missing. The 会议记录本 has a cover on its own page, a
目录 with page numbers (PAGEREF fields to each meeting's bookmark, cached with an estimate), each
meeting on a new page, a running header and "第 X 页 共 Y 页".

Absentees' names and leave reasons are shown only to those who see sensitive lists (the committee);
members get the counts (issue 11).
"""
from __future__ import annotations

import math

from zhibu.core import clock
from zhibu.core.documents import (
    H1_FONT,
    LINE,
    PAGE_DASH,
    PAGE_OF_TOTAL,
    RECORD,
    SIZE_3,
    SIZE_4,
    Doc,
    cn_date,
    cn_time_range,
    official_name,
)
from zhibu.orglife import selectors
from zhibu.orglife.models import Meeting, MeetingKind

# Title after the organisation's full name, by kind (其他: the topic).
TITLES = {
    MeetingKind.PARTY_CONGRESS: "党员大会会议记录",
    MeetingKind.COMMITTEE_MEETING: "支部委员会会议记录",
    MeetingKind.PARTY_LECTURE: "党课记录",
    MeetingKind.THEME_DAY: "主题党日活动记录",
    MeetingKind.ORG_LIFE_MEETING: "组织生活会会议记录",
    MeetingKind.DEMOCRATIC_LIFE_MEETING: "民主生活会会议记录",
    MeetingKind.MEMBER_EVALUATION: "民主评议党员会议记录",
    MeetingKind.HEART_TALK: "谈心谈话记录",
}
LABEL_W, VALUE_W = 31, 47  # mm: label columns fit five characters of 4号 without wrapping
CONTENT_LINES = 9  # ruled lines (8 mm) for handwriting when the content is empty; the minute stays on one page
RULE_MM = 8


def title_parts(meeting: Meeting, branch_name: str) -> tuple[str, str]:
    """(the organisation's full name, what the record is): '中共××党支部' + '党员大会会议记录'."""
    org = official_name(branch_name)
    if meeting.kind == MeetingKind.COMMITTEE_MEETING and org.endswith("支部"):
        return org, "委员会会议记录"
    if meeting.kind == MeetingKind.GROUP_MEETING:
        return org, f"{meeting.group.name if meeting.group_id else '党小组'}会议记录"
    if meeting.kind == MeetingKind.OTHER or meeting.kind not in TITLES:
        topic = meeting.topic.strip()
        return org, topic + ("" if topic.endswith("记录") else "记录")
    return org, TITLES[meeting.kind]


def title(meeting: Meeting, branch_name: str) -> str:
    return "".join(title_parts(meeting, branch_name))


def missing(detail: selectors.MeetingDetail) -> list[str]:
    """What the record lacks for a minute an inspector can read (empty: exportable)."""
    m = detail.meeting
    out = []
    if not detail.attendances or getattr(m, "attendance_recorded_at", True) is None:
        out.append("尚未登记出勤（应到、实到和缺席人员）")
    if not m.host_id:
        out.append("尚未填写主持人")
    if not m.recorder_id:
        out.append("尚未填写记录人")
    return out


def vote_sentence(motion) -> str:
    """应到会有表决权党员13人，实到11人；赞成11票，反对0票，弃权0票，通过。"""
    head = f"应到会有表决权党员{motion.should_attend}人，实到{motion.present}人"
    if not motion.quorum_met:
        return f"{head}，到会人数未超过半数，不足法定人数，未通过。"
    votes = f"赞成{motion.votes_for}票，反对{motion.votes_against}票，弃权{motion.votes_abstain}票"
    if getattr(motion, "written_votes", 0):
        votes += f"（含书面意见{motion.written_votes}票）"
    if motion.passed:
        return f"{head}；{votes}，通过。"
    return f"{head}；{votes}，赞成票未超过应到会有表决权党员的半数，未通过。"


def _absent_text(detail: selectors.MeetingDetail, full_view: bool) -> str:
    c = detail.counts
    if not full_view:
        parts = [f"请假{c['leave']}人"] if c["leave"] else []
        parts += [f"缺席{c['absent']}人"] if c["absent"] else []
        return "，".join(parts) or "无"
    parts = []
    for a in detail.absent:
        parts.append(f"{a.person.name}（请假：{a.leave_reason}）" if a.status == "leave" else f"{a.person.name}（缺席）")
    return "、".join(parts) or "无"


def _grid(doc: Doc, detail: selectors.MeetingDetail, full_view: bool, complete: bool) -> None:
    m = detail.meeting
    c = detail.counts
    start, end = m.starts_at.astimezone(clock.TZ), m.ends_at.astimezone(clock.TZ)
    recorded = bool(detail.attendances) and getattr(m, "attendance_recorded_at", True) is not None
    should = f"{c['should']}人" if recorded else ""
    if recorded and c["excluded"]:
        should += f"（另有{c['excluded']}人经批准不计入）"
    rows: list[tuple[str, str] | tuple[str, str, str, str]] = [("会议时间", cn_time_range(start, end))]
    if m.group_id:
        rows.append(("会议地点", m.place or "", "党小组", m.group.name))
    else:
        rows.append(("会议地点", m.place or ""))
    rows.append(("主持人", m.host.name if m.host_id else "", "记录人", m.recorder.name if m.recorder_id else ""))
    rows.append(("应到人数", should, "实到人数", f"{c['present']}人" if recorded else ""))
    rows.append(("出席人员", "、".join(a.person.name for a in detail.present) or "无" if recorded else ""))
    rows.append(("缺席及原因", _absent_text(detail, full_view) if recorded else ""))
    if recorded and detail.excluded and full_view:
        rows.append(("不计入应到", "、".join(f"{a.person.name}（{a.excluded_reason}）" for a in detail.excluded)))
    rows.append(("议题", m.topic))
    widths = (LABEL_W, VALUE_W, LABEL_W, 156 - 2 * LABEL_W - VALUE_W)
    table = doc.table([(*r, "", "") if len(r) == 2 else r for r in rows], widths, label_columns=(0, 2),
                      size=SIZE_4, heights_mm=[9] * len(rows))
    for i, r in enumerate(rows):
        if len(r) == 2:
            merged = table.cell(i, 1).merge(table.cell(i, 3))
            # merging keeps the empty paragraphs of the merged cells: drop them
            for p in merged.paragraphs[1:]:
                if not p.text:
                    p._p.getparent().remove(p._p)


def _section(doc: Doc, label: str) -> None:
    p = doc.para(indent=False, before=LINE / 2, keep_with_next=True)
    doc.text_run(p, f"{label}：", font=H1_FONT)


def _write_minutes(doc: Doc, detail: selectors.MeetingDetail, branch_name: str, *, full_view: bool,
                   new_page: bool = False, bookmark: tuple[str, int] | None = None) -> None:
    m = detail.meeting
    p = doc.title_lines(*title_parts(m, branch_name), after=LINE / 2)
    if new_page:
        doc.page_break_before(p)
    if bookmark:
        doc.bookmark(p, *bookmark)
    _grid(doc, detail, full_view, complete=not missing(detail))
    _section(doc, "会议内容")
    lines = [line.strip() for line in (m.minutes or "").splitlines() if line.strip()]
    if lines:
        for line in lines:
            doc.para(line)
    else:
        doc.ruled_lines(CONTENT_LINES, height_mm=RULE_MM)
    if m.kind == MeetingKind.PARTY_CONGRESS and detail.motions:
        _section(doc, "表决情况")
        for i, mo in enumerate(detail.motions, start=1):
            number = f"{i}. " if len(detail.motions) > 1 else ""
            doc.para(f"{number}{mo.title.rstrip('。')}：{vote_sentence(mo)}")
    resolutions = [line.strip() for line in (m.resolutions or "").splitlines() if line.strip()]
    if resolutions or m.kind in (MeetingKind.PARTY_CONGRESS, MeetingKind.COMMITTEE_MEETING):
        _section(doc, "决议")
        if resolutions:
            for line in resolutions:
                doc.para(line)
        else:
            doc.ruled_lines(2, height_mm=RULE_MM)
    doc.signatures(["主持人（签字）", "记录人（签字）"], before=LINE)


def _doc(*, title_text: str, branch_name: str, page_numbers: str, running_header: str = "",
         cover: bool = False) -> Doc:
    return Doc(kind=RECORD, title=title_text, creator=official_name(branch_name), created=clock.now(),
               page_numbers=page_numbers, running_header=running_header, cover=cover, subject="会议记录")


def minutes_docx(detail: selectors.MeetingDetail, *, full_view: bool = True) -> bytes:
    """One meeting's minute. The caller checks `missing(detail)` first."""
    branch_name = detail.meeting.branch.name
    doc = _doc(title_text=title(detail.meeting, branch_name), branch_name=branch_name, page_numbers=PAGE_DASH)
    _write_minutes(doc, detail, branch_name, full_view=full_view)
    return doc.to_bytes()


def year_meetings(branch, year: int) -> list[Meeting]:
    """The meetings of the 会议记录本 (those already held when the selector knows about scheduling)."""
    held = getattr(selectors, "yearbook_meetings", None)
    if held is not None:
        return list(held(branch, year))
    return list(Meeting.objects.filter(branch=branch, date__year=year).select_related("branch", "group", "host", "recorder")
                .prefetch_related("attendances__person", "motions").order_by("starts_at", "id"))


def _detail(m: Meeting) -> selectors.MeetingDetail:
    from zhibu.orglife.services import attendance_counts

    rows = sorted(m.attendances.all(), key=lambda a: (a.person.name, a.person_id))
    return selectors.MeetingDetail(
        meeting=m, attendances=rows, motions=list(m.motions.all()), attachments=[], counts=attendance_counts(rows),
        present=[a for a in rows if not a.excluded and a.status == "present"],
        absent=[a for a in rows if not a.excluded and a.status != "present"],
        excluded=[a for a in rows if a.excluded],
    )


def _estimate_pages(detail: selectors.MeetingDetail, text_height_mm: float) -> int:
    """Pages a meeting takes (for the 目录's cached page numbers; Word and LibreOffice recompute them)."""
    m = detail.meeting
    line_mm = LINE * 0.3528
    chars_per_line = 27
    mm = 2 * 12.4 + 5 + 9 * 9 + line_mm * 1.5
    lines = [x for x in (m.minutes or "").splitlines() if x.strip()]
    mm += sum(math.ceil(len(x) / chars_per_line) for x in lines) * line_mm if lines else CONTENT_LINES * RULE_MM
    mm += (line_mm * 1.5 + sum(math.ceil(60 / chars_per_line) for _ in detail.motions) * line_mm) if detail.motions else 0
    res = [x for x in (m.resolutions or "").splitlines() if x.strip()]
    mm += line_mm * 1.5 + (sum(math.ceil(len(x) / chars_per_line) for x in res) * line_mm if res else 2 * RULE_MM)
    mm += 2 * line_mm
    return max(1, math.ceil(mm / text_height_mm))


def yearbook_docx(branch, year: int, *, full_view: bool = True, meetings: list[Meeting] | None = None) -> bytes:
    """Every meeting of the year in date order behind a cover and a 目录; the caller refuses an empty year."""
    meetings = year_meetings(branch, year) if meetings is None else meetings
    details = [_detail(m) for m in meetings]
    running = f"{branch.name} {year}年度会议记录"
    doc = _doc(title_text=f"{branch.name}{year}年度会议记录本", branch_name=branch.name, page_numbers=PAGE_OF_TOTAL,
               running_header=running, cover=True)
    doc.spacer(LINE * 6)
    for text in (official_name(branch.name), f"{year}年度", "会议记录本"):
        doc.title(text, after=LINE / 2)
    doc.spacer(LINE * 6)
    first, last = meetings[0].date, meetings[-1].date
    for text in (f"共{len(meetings)}次会议", f"{cn_date(first)}至{cn_date(last)}"):
        doc.para(text, indent=False, align="center", size=SIZE_3)
    # 目录 on page 2
    p = doc.title("目　　录", after=LINE / 2)
    doc.page_break_before(p)
    toc_lines_per_page = int((doc.text_height_mm() - 25) / (LINE * 0.3528))
    page = 2 + math.ceil(len(meetings) / max(toc_lines_per_page, 1))
    for i, d in enumerate(details, start=1):
        m = d.meeting
        doc.toc_line(f"{i}. {m.date.month}月{m.date.day}日　{m.get_kind_display()}：{m.topic}", f"meeting_{m.pk}", page)
        page += _estimate_pages(d, doc.text_height_mm())
    for i, d in enumerate(details, start=1):
        _write_minutes(doc, d, branch.name, full_view=full_view, new_page=True, bookmark=(f"meeting_{d.meeting.pk}", i))
    doc.update_fields_on_open()
    return doc.to_bytes()
