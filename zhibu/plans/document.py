"""The plan as a Chinese official document (.docx), and the section bodies kept for it.

Layout after GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm; title 2号 (22 pt)
方正小标宋简体, centred; body 3号 (16 pt) 仿宋_GB2312, first line indented two characters, fixed
28 pt line spacing; level-1 headings "一、" in 黑体, level-2 headings "(一)" in 楷体_GB2312; the
calendar (行事历) as a table 月份/工作内容/类别/负责人/状态.

Fonts: Word takes a run's Chinese font from w:rFonts/@w:eastAsia, so every run sets it. The
fallbacks (宋体 for 方正小标宋简体, 仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312) are declared in the
document's font table (word/fontTable.xml, w:font/w:altName), which Word and WPS use when the font
is not installed.
"""
from __future__ import annotations

import io
import re
import unicodedata

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from zhibu.plans import parser

TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
H1_FONT, H1_FALLBACK = "黑体", "SimHei"
H2_FONT, H2_FALLBACK = "楷体_GB2312", "楷体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: TITLE_FALLBACK, BODY_FONT: BODY_FALLBACK, H1_FONT: H1_FALLBACK, H2_FONT: H2_FALLBACK}

TABLE_HEADER = ("月份", "工作内容", "类别", "负责人", "状态")
CALENDAR_HEADING = "附:行事历"

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
# .docx


def _set_fonts(run, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _spacing(paragraph, line_pt: float = 28, first_indent_pt: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if first_indent_pt is not None:
        fmt.first_line_indent = Pt(first_indent_pt)


def _font_table_fallbacks(document) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = parse_xml(part.blob)
        for name, alt in FALLBACKS.items():
            font = parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>')
            root.append(font)
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _heading_text(section: dict) -> str:
    number, heading, level = section.get("number") or "", section.get("heading") or "", section.get("level", 1)
    if not number:
        return heading
    if level == 1:
        return f"{number}、{heading}"
    if level == 2:
        return f"({number}){heading}"
    return f"{number}.{heading}"


def _cell_text(cell, text: str, *, bold: bool = False, center: bool = False, size: float = 12) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(paragraph.add_run(text), BODY_FONT, size, bold)


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


def build_docx(plan, items, branch_name: str = "") -> bytes:
    document = Document()
    _font_table_fallbacks(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, 36)
    title.paragraph_format.space_after = Pt(28)
    _set_fonts(title.add_run(str(plan)), TITLE_FONT, 22)

    for sec in plan.sections or []:
        if sec.get("level", 1) != 0 and (sec.get("heading") or sec.get("number")):
            p = document.add_paragraph()
            _spacing(p, 28, 32)
            font = H1_FONT if sec.get("level", 1) <= 1 else H2_FONT
            _set_fonts(p.add_run(_heading_text(sec)), font, 16)
        for text in sec.get("body") or []:
            p = document.add_paragraph()
            _spacing(p, 28, 32)
            _set_fonts(p.add_run(text), BODY_FONT, 16)

    p = document.add_paragraph()
    _spacing(p, 28, 32)
    p.paragraph_format.space_before = Pt(14)
    _set_fonts(p.add_run(CALENDAR_HEADING), H1_FONT, 16)

    rows = calendar_rows(items)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(22), Mm(80), Mm(26), Mm(18), Mm(16))
    for cell, text, width in zip(table.rows[0].cells, TABLE_HEADER, widths):
        _cell_text(cell, text, bold=True, center=True)
        cell.width = width
    # the header row repeats on every page
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
    for row in rows:
        cells = table.add_row().cells
        for k, (cell, text, width) in enumerate(zip(cells, row, widths)):
            _cell_text(cell, text, center=k in (0, 4))
            cell.width = width

    if branch_name:
        for text in (branch_name,):
            p = document.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _spacing(p, 28)
            p.paragraph_format.space_before = Pt(28)
            _set_fonts(p.add_run(text), BODY_FONT, 16)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
