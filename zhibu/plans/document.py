"""The plan as a Chinese official document (.docx), and the section bodies kept for it.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm; title 2号 (22 pt)
方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312, first line indented two characters, fixed
28 pt line spacing; level-1 headings "一、" in 黑体, level-2 headings "(一)" in 楷体_GB2312; the
calendar (行事历) as a table 月份/工作内容/类别/负责人/状态.

Built on the one document layer (zhibu.core.documents: fonts on styles and every run, fallbacks in
the font table, "— 1 —" page numbers, Chinese properties); 落款 = the branch's full name ("中共…")
and a date (the day the plan was entered unless the user gives one with ?date=).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from docx.shared import Pt

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, SIZE_S4, Doc, official_name
from zhibu.plans import parser

TABLE_HEADER = ("月份", "工作内容", "类别", "负责人", "状态")
CALENDAR_HEADING = "附：行事历"

# ---------------------------------------------------------------------------------------------
# Section bodies (pure): the paragraphs under each section heading of the source text.

_RE_MONTH_LINE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:\s*(?:月份|月)?\s*[、,,\-~至]\s*"
                            r"(?:\d{1,2}|[一二三四五六七八九十]{1,3}))*\s*(?:月份|月)\s*[::]?")


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).replace(" ", "")


def _calendar_starts(line: str) -> bool:
    n = _norm(line)
    if len(n) <= 40 and any(w in n for w in parser.CALENDAR_HEADING_WORDS):
        return True
    return bool(_RE_MONTH_LINE.match(n)) and len(n) <= 40


def section_bodies(text: str, sections: list[parser.Section], title: str | None = None) -> list[dict]:
    """`sections` as JSON dicts with a "body" (list of paragraphs) each, found by walking the source
    text: the lines between one heading and the next, the last section ending where the calendar
    starts. Text between the title and the first section becomes a level-0 entry (no heading)."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if title and lines and lines[0] == title.strip():
        lines = lines[1:]
    starts: list[int] = []
    pos = 0
    for s in sections:
        key = _norm(s.heading)[:12]
        found = None
        for idx in range(pos, len(lines)):
            n = _norm(lines[idx])
            if key and key in n[: len(key) + 8] and n.find(key) <= 8:
                found = idx
                break
        starts.append(found if found is not None else -1)
        if found is not None:
            pos = found + 1

    out: list[dict] = []
    known = [i for i in starts if i >= 0]
    first = known[0] if known else len(lines)
    preamble = [line for line in lines[:first] if not _calendar_starts(line)]
    if preamble and known:
        out.append({"number": "", "heading": "", "level": 0, "body": preamble})
    for k, s in enumerate(sections):
        body: list[str] = []
        start = starts[k]
        if start >= 0:
            later = [i for i in starts[k + 1:] if i > start]
            end = later[0] if later else len(lines)
            for line in lines[start + 1:end]:
                if not later and _calendar_starts(line):
                    break
                body.append(line)
        out.append({"number": s.number, "heading": s.heading, "level": s.level, "body": body})
    return out


# ---------------------------------------------------------------------------------------------
# .docx (on the one document layer, zhibu.core.documents)


def _heading_text(section: dict) -> str:
    number, heading, level = section.get("number") or "", section.get("heading") or "", section.get("level", 1)
    if not number:
        return heading
    if level == 1:
        return f"{number}、{heading}"
    if level == 2:
        return f"（{number}）{heading}"
    return f"{number}.{heading}"


def calendar_rows(items) -> list[tuple[str, str, str, str, str]]:
    """Rows of the calendar table, in calendar order (first month, then plan order)."""
    rows = []
    for item in sorted(items, key=lambda i: (min(i.months) if i.months else 13, i.order, i.pk or 0)):
        months = parser.months_label(item.months)
        status = item.get_status_display()
        if item.status == "moved" and item.moved_to_month:
            status = f"已调至{item.moved_to_month}月"
        kinds = "、".join(parser.KIND_LABELS.get(k, k) for k in item.kinds)
        rows.append((months, item.text, kinds, item.owner.name if item.owner_id else "", status))
    return rows


def signing_default(plan) -> dt.date:
    """The plan's 落款 date unless the user gives one: the day the plan was entered (not the download)."""
    created = getattr(plan, "created_at", None)
    return created.astimezone(clock.TZ).date() if created else dt.date(plan.year, 1, 1)


def build_docx(plan, items, branch_name: str = "", signed_on: dt.date | None = None) -> bytes:
    """The plan as an outward document: title, headings, body, 落款 (organisation, date), then the 行事历
    table as an attachment on a new page."""
    signer = official_name(branch_name) if branch_name else ""
    doc = Doc(kind=OUTWARD, title=str(plan), creator=signer or str(plan), created=clock.now(), subject="工作计划")
    doc.title(str(plan))
    for sec in plan.sections or []:
        if sec.get("level", 1) != 0 and (sec.get("heading") or sec.get("number")):
            if sec.get("level", 1) <= 1:
                doc.heading1(_heading_text(sec))
            else:
                doc.heading2(_heading_text(sec))
        for text in sec.get("body") or []:
            doc.para(text)
    if signer:
        doc.closing(signer, signed_on or signing_default(plan))
    # the 行事历 is an attachment: after the 落款, on a page of its own (GB/T 9704 §8)
    p = doc.heading1(CALENDAR_HEADING)
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.space_after = Pt(14)
    doc.page_break_before(p)
    doc.table([TABLE_HEADER, *calendar_rows(items)], (18, 66, 26, 20, 26), header=True, size=SIZE_S4,
              align_center=(0, 3, 4))
    return doc.to_bytes()
