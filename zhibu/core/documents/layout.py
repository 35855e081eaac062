"""One builder for every .docx the app writes (python-docx), laid out after GB/T 9704-2012.

    doc = Doc(kind=OUTWARD, title="…", creator="中共××党支部", created=clock.now())
    doc.title("关于×××同志的公示")
    doc.para("经中共××党支部委员会研究，……")
    doc.closing("中共××党支部", dt.date(2026, 10, 8))
    content = doc.to_bytes()

Page: A4. Margins (top, bottom, left, right): 37/35/28/26 mm for outward documents (公示, 决议, 请示,
报告, the plan — GB/T 9704 §5.2.1), 30/28/28/26 mm (all ≥ 25 mm) for records and forms.
Fonts: title 方正小标宋简体 2号 (22 pt); body 仿宋_GB2312 3号 (16 pt) at an exact 28 pt line,
first line indented two characters, nothing after paragraphs; 一级标题 黑体, 二级标题 楷体_GB2312;
tables 宋体/仿宋_GB2312 小四–4号 (12–14 pt); Latin and digits Times New Roman. Word takes a run's
Chinese font from w:rFonts/@w:eastAsia, so the styles AND every run set it; the fallbacks (宋体 for
方正小标宋简体, 仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312) are declared in word/fontTable.xml
(w:font/w:altName), which Word and WPS use when a font is missing.
Footer: "— 1 —" (a PAGE field), or "第 1 页 共 3 页" (PAGE and NUMPAGES) for long records.
Properties: creator and last-modified-by = the organisation, real creation time, language zh-CN.

Every text goes through `text.tidy` (full-width punctuation next to Chinese, 《》 around regulation
names). This module knows no domain: callers pass names, dates and texts in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from zhibu.core.documents.text import tidy

OUTWARD, RECORD = "outward", "record"
MARGINS_MM = {OUTWARD: (37, 35, 28, 26), RECORD: (30, 28, 28, 26)}  # top, bottom, left, right

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"
TABLE_FONT, LABEL_FONT = "仿宋_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", H2_FONT: "楷体", H1_FONT: "SimHei", "宋体": "SimSun"}
EAST_ASIAN_FONTS = frozenset({TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, TABLE_FONT, LABEL_FONT, "仿宋", "楷体"})

SIZE_2, SIZE_3, SIZE_4, SIZE_S4, SIZE_5 = 22, 16, 14, 12, 10.5  # 2号, 3号, 4号, 小四, 五号 in pt
LINE = 28  # pt, the body's exact line
TWO_CHARS = Pt(2 * SIZE_3)

PAGE_DASH, PAGE_OF_TOTAL = "dash", "of_total"


def display_width(text: str) -> float:
    """Width in characters of 3号: a Chinese character 1, an ASCII character (Times New Roman) ½."""
    return sum(0.5 if ch.isascii() else 1 for ch in text or "")


def _font_run(run, east_asian: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    rfonts.set(qn("w:hint"), "eastAsia")


def _break_run():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _line(paragraph, line_pt: float = LINE, *, indent: bool = False, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.first_line_indent = TWO_CHARS if indent else Pt(0)


def _style_fonts(style, east_asian: str, size: float) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asian)


def _declare_fallbacks(document) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        from lxml import etree

        root = etree.fromstring(part.blob)
        known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
        for name, alt in FALLBACKS.items():
            if name in known:
                continue
            root.append(
                parse_xml(
                    f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                    f'<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _doc_defaults_language(document) -> None:
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is None:
        return
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr_default.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)


def add_field(
    paragraph,
    instruction: str,
    cached: str,
    east_asian: str = BODY_FONT,
    size: float = SIZE_4,
    bold: bool = False,
    dirty: bool = False,
):
    """A complex field (PAGE, NUMPAGES, PAGEREF …) with its cached result, fonts set on every run."""

    def run_with(child=None, text=None):
        run = paragraph.add_run(text)
        _font_run(run, east_asian, size, bold)
        if child is not None:
            run._element.append(child)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    if dirty:  # Word recomputes it on opening (the 目录's page numbers)
        begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    run_with(text=cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def set_cell_width(cell, width_mm: float) -> None:
    cell.width = Mm(width_mm)


def fix_table_widths(table, widths_mm: Sequence[float]) -> None:
    """Fixed layout with the given column widths (Word and LibreOffice both honour tblGrid + tcW)."""
    table.autofit = False
    tbl = table._tbl
    tblpr = tbl.tblPr
    layout = tblpr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblpr.append(layout)
    layout.set(qn("w:type"), "fixed")
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(int(sum(widths_mm) * 56.7)))
    tblw.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    cols = grid.findall(qn("w:gridCol"))
    for col, w in zip(cols, widths_mm, strict=False):
        col.set(qn("w:w"), str(int(w * 56.7)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def row_height(row, height_mm: float, exact: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:trHeight")
    h.set(qn("w:val"), str(int(height_mm * 56.7)))
    h.set(qn("w:hRule"), "exact" if exact else "atLeast")
    trpr.append(h)
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)


def _cell_valign(cell, where: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), where)
    tcpr.append(v)


def _borders(
    table,
    *,
    outer: str = "single",
    inner_h: str = "single",
    inner_v: str = "single",
    left_right: str | None = None,
    size: int = 6,
) -> None:
    tblpr = table._tbl.tblPr
    old = tblpr.find(qn("w:tblBorders"))
    if old is not None:
        tblpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge, val in (
        ("top", outer),
        ("left", left_right or outer),
        ("bottom", outer),
        ("right", left_right or outer),
        ("insideH", inner_h),
        ("insideV", inner_v),
    ):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), val)
        el.set(qn("w:sz"), str(size if val != "nil" else 0))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


def stamp_properties(
    document, *, title: str, creator: str, created: dt.datetime, subject: str = "", keywords: str = ""
) -> None:
    """Document properties in Chinese: title, creator = the organisation, real times, language zh-CN."""
    props = document.core_properties
    props.title = title
    props.subject = subject
    props.author = creator
    props.last_modified_by = creator
    props.keywords = keywords
    props.comments = ""
    props.category = ""
    props.language = "zh-CN"
    stamp = created.astimezone(dt.UTC).replace(tzinfo=None) if created.tzinfo else created
    props.created = stamp
    props.modified = stamp
    for el in props._element.findall(qn("cp:lastPrinted")):
        props._element.remove(el)
    props.revision = 1


class Doc:
    """A document under construction. `kind` = OUTWARD or RECORD (margins); `page_numbers` = PAGE_DASH
    ("— 1 —") or PAGE_OF_TOTAL ("第 1 页 共 3 页"); `running_header` is printed on every page except
    the first when `cover` is True."""

    def __init__(
        self,
        *,
        kind: str = OUTWARD,
        title: str,
        creator: str,
        created: dt.datetime,
        page_numbers: str = PAGE_DASH,
        running_header: str = "",
        cover: bool = False,
        subject: str = "",
        keywords: str = "",
    ) -> None:
        self.kind = kind
        self.document = Document()
        self._body_started = False
        _declare_fallbacks(self.document)
        _doc_defaults_language(self.document)
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        top, bottom, left, right = MARGINS_MM[kind]
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        distance = 15 if kind == RECORD else 20
        section.header_distance, section.footer_distance = Mm(distance), Mm(12 if kind == RECORD else 20)
        self._styles()
        self._footer(section, page_numbers)
        if running_header:
            self._header(section, running_header)
        if cover:
            section.different_first_page_header_footer = True
        self._properties(title=title, creator=creator, created=created, subject=subject, keywords=keywords)

    # ---- set-up ----------------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.document.styles
        normal = styles["Normal"]
        _style_fonts(normal, BODY_FONT, SIZE_3)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE)
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.widow_control = False
        for name, font, size in (
            ("Header", BODY_FONT, SIZE_5),
            ("Footer", BODY_FONT, SIZE_4),
            ("Table Grid", TABLE_FONT, SIZE_4),
            ("Heading 1", H1_FONT, SIZE_3),
            ("Heading 2", H2_FONT, SIZE_3),
            ("Title", TITLE_FONT, SIZE_2),
        ):
            try:
                style = styles[name]
            except KeyError:
                continue
            _style_fonts(style, font, size)

    def _footer(self, section, page_numbers: str) -> None:
        footer = section.footer
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(p, 18)
        if page_numbers == PAGE_OF_TOTAL:
            self._run(p, "第 ", BODY_FONT, SIZE_5, tidy_text=False)
            add_field(p, "PAGE", "1", BODY_FONT, SIZE_5)
            self._run(p, " 页 共 ", BODY_FONT, SIZE_5, tidy_text=False)
            add_field(p, "NUMPAGES", "1", BODY_FONT, SIZE_5)
            self._run(p, " 页", BODY_FONT, SIZE_5, tidy_text=False)
        else:
            self._run(p, "— ", LABEL_FONT, SIZE_4, tidy_text=False)
            add_field(p, "PAGE", "1", LABEL_FONT, SIZE_4)
            self._run(p, " —", LABEL_FONT, SIZE_4, tidy_text=False)

    def _header(self, section, text: str) -> None:
        header = section.header
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(p, 16)
        self._run(p, text, BODY_FONT, SIZE_5)
        pbdr = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(k), v)
        pbdr.append(bottom)
        p._p.get_or_add_pPr().append(pbdr)

    def _properties(self, *, title: str, creator: str, created: dt.datetime, subject: str, keywords: str) -> None:
        stamp_properties(
            self.document, title=title, creator=creator, created=created, subject=subject, keywords=keywords
        )

    # ---- runs and paragraphs ---------------------------------------------------------------------

    @staticmethod
    def _run(
        paragraph,
        text: str,
        font: str,
        size: float,
        bold: bool = False,
        *,
        tidy_text: bool = True,
        underline: bool = False,
    ):
        run = paragraph.add_run(tidy(text) if tidy_text else text)
        _font_run(run, font, size, bold)
        if underline:
            run.font.underline = True
        return run

    def _paragraph(self, container=None):
        container = container if container is not None else self.document
        # the default document has no paragraph; cells have one empty paragraph to reuse
        if (
            container is not self.document
            and len(container.paragraphs) == 1
            and not container.paragraphs[0].text
            and not getattr(container, "_zhibu_used", False)
        ):
            container._zhibu_used = True
            return container.paragraphs[0]
        return container.add_paragraph()

    def title(self, text: str, *, after: float = LINE, before: float = 0):
        p = self._paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(p, 35, before=before, after=after)
        p.paragraph_format.keep_with_next = True
        for i, line in enumerate(text.split("\n")):  # a long title breaks where the caller says
            run = self._run(p, line, TITLE_FONT, SIZE_2)
            if i:
                run._element.addprevious(_break_run())
        return p

    def title_lines(self, first: str, second: str, **kwargs):
        """A title on one line when it fits (20 characters of 2号), else as the two given lines."""
        joined = first + second
        return self.title(joined if display_width(joined) <= 20 else f"{first}\n{second}", **kwargs)

    def subtitle(self, text: str, *, font: str = H2_FONT):
        p = self._paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _line(p)
        self._run(p, text, font, SIZE_3)
        return p

    def heading1(self, text: str):
        p = self._paragraph()
        _line(p, indent=True)
        p.paragraph_format.keep_with_next = True
        self._run(p, text, H1_FONT, SIZE_3)
        return p

    def heading2(self, text: str):
        p = self._paragraph()
        _line(p, indent=True)
        p.paragraph_format.keep_with_next = True
        self._run(p, text, H2_FONT, SIZE_3)
        return p

    def para(
        self,
        text: str = "",
        *,
        indent: bool = True,
        align: str | None = None,
        font: str = BODY_FONT,
        size: float = SIZE_3,
        bold: bool = False,
        line: float = LINE,
        before: float = 0,
        after: float = 0,
        container=None,
        keep_with_next: bool = False,
    ):
        p = self._paragraph(container)
        _line(p, line, indent=indent, before=before, after=after)
        if align:
            p.alignment = {
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
                "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                "left": WD_ALIGN_PARAGRAPH.LEFT,
            }[align]
        if keep_with_next:
            p.paragraph_format.keep_with_next = True
        if text:
            self._run(p, text, font, size, bold)
        return p

    def labelled(
        self, label: str, text: str, *, container=None, size: float = SIZE_3, line: float = LINE, indent: bool = True
    ):
        """'label：text' with the label in 黑体 (a run each)."""
        p = self._paragraph(container)
        _line(p, line, indent=indent)
        self._run(p, label, H1_FONT, size)
        if text:
            self._run(p, text, BODY_FONT, size)
        return p

    def blank_fill(self, paragraph, width_chars: int = 6, *, size: float = SIZE_3, font: str = BODY_FONT):
        """An underlined blank to write on (full-width spaces, never '____')."""
        return self._run(paragraph, "\u3000" * width_chars, font, size, underline=True, tidy_text=False)

    def text_run(self, paragraph, text: str, *, font: str = BODY_FONT, size: float = SIZE_3, bold: bool = False):
        return self._run(paragraph, text, font, size, bold)

    def page_break(self) -> None:
        p = self.document.add_paragraph()
        _line(p, 12)
        run = p.add_run()
        _font_run(run, BODY_FONT, SIZE_3)
        run.add_break(WD_BREAK.PAGE)

    def page_break_before(self, paragraph) -> None:
        paragraph.paragraph_format.page_break_before = True

    def new_section(self) -> None:
        self.document.add_section(WD_SECTION.NEW_PAGE)

    def spacer(self, height_pt: float = LINE) -> None:
        p = self.document.add_paragraph()
        _line(p, height_pt)

    def closing(self, organisation: str, date: dt.date | None, *, before: float = 2 * LINE) -> None:
        """落款 (GB/T 9704 §7.3.5.1): the organisation's full name centred over the date (2026年10月8日);
        the date 右空四字, or, when the name is the longer, the name 右空二字 and the date centred under it."""
        from zhibu.core.documents.text import cn_date

        date_text = cn_date(date) if date else ""
        w_org, w_date = display_width(organisation), display_width(date_text)
        if w_org >= w_date:
            org_indent, date_indent = 2.0, 2 + (w_org - w_date) / 2
        else:
            date_indent, org_indent = 4.0, 4 + (w_date - w_org) / 2
        for i, (text, indent) in enumerate(((organisation, org_indent), (date_text, date_indent))):
            if not text:
                continue
            p = self.document.add_paragraph()
            _line(p, before=before if i == 0 else 0)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(SIZE_3 * indent)
            p.paragraph_format.keep_with_next = i == 0
            self._run(p, text, BODY_FONT, SIZE_3)

    # ---- tables ----------------------------------------------------------------------------------

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths_mm: Sequence[float],
        *,
        header: bool = False,
        size: float = SIZE_4,
        line: float | None = None,
        heights_mm: Sequence[float | None] | None = None,
        label_columns: Sequence[int] = (),
        align_center: Sequence[int] = (),
        valign: str = "center",
        repeat_header: bool = True,
        container=None,
    ):
        """A bordered table, fixed widths, fonts on every run; label columns in 宋体, values in 仿宋_GB2312.
        A cell's text may hold newlines (one paragraph each)."""
        container = container if container is not None else self.document
        ncols = len(widths_mm)
        table = container.add_table(rows=0, cols=ncols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _borders(table)
        line = line or (size * 1.5 if size < SIZE_4 else size + 8)
        for r, row in enumerate(rows):
            cells = table.add_row().cells
            for c, value in enumerate(row):
                if c >= ncols:
                    break
                is_label = (header and r == 0) or c in label_columns
                self.cell(
                    cells[c],
                    value,
                    size=size,
                    line=line,
                    bold=header and r == 0,
                    font=LABEL_FONT if is_label else TABLE_FONT,
                    center=(header and r == 0) or c in align_center,
                )
                _cell_valign(cells[c], "center" if is_label else valign)
            height = heights_mm[r] if heights_mm and r < len(heights_mm) else None
            if height:
                row_height(table.rows[r], height)
            else:
                trpr = table.rows[r]._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:cantSplit"))
        if header and repeat_header and table.rows:
            table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))
        fix_table_widths(table, widths_mm)
        return table

    def cell(
        self,
        cell,
        value: str,
        *,
        size: float = SIZE_4,
        line: float | None = None,
        bold: bool = False,
        font: str = TABLE_FONT,
        center: bool = False,
        top_align: bool = False,
    ) -> None:
        line = line or (size * 1.5 if size < SIZE_4 else size + 8)
        lines = str(value if value is not None else "").split("\n")
        first = True
        for text in lines:
            if first and cell.paragraphs and not cell.paragraphs[0].runs:
                p = cell.paragraphs[0]
            else:
                p = cell.add_paragraph()
            first = False
            _line(p, line)
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                self._run(p, text, font, size, bold)

    def ruled_lines(self, count: int, *, height_mm: float = 10, width_mm: float | None = None, container=None):
        """Ruled lines to write on (a borderless one-column table with horizontal rules)."""
        container = container if container is not None else self.document
        width = width_mm or self.text_width_mm()
        table = container.add_table(rows=count, cols=1)
        _borders(table, outer="nil", inner_h="single", inner_v="nil", size=4)
        tblpr = table._tbl.tblPr
        b = tblpr.find(qn("w:tblBorders")).find(qn("w:bottom"))
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        for row in table.rows:
            row_height(row, height_mm, exact=True)
            p = row.cells[0].paragraphs[0]
            _line(p, 20)
        fix_table_widths(table, [width])
        return table

    def signatures(
        self, labels: Sequence[str], *, before: float = LINE, blank_chars: int = 5, values: Sequence[str] | None = None
    ):
        """'主持人（签字）：＿＿＿　　记录人（签字）：＿＿＿' on one line; a printed value when given."""
        p = self.document.add_paragraph()
        _line(p, LINE, before=before)
        p.paragraph_format.keep_together = True
        for i, label in enumerate(labels):
            if i:
                self._run(p, "\u3000", BODY_FONT, SIZE_3, tidy_text=False)
            self._run(p, f"{label}：", BODY_FONT, SIZE_3)
            value = values[i] if values and i < len(values) else ""
            if value:
                self._run(p, value, BODY_FONT, SIZE_3)
            else:
                self.blank_fill(p, blank_chars)
        return p

    def cut_line(self) -> None:
        """A dashed line across the page to cut along."""
        p = self.document.add_paragraph()
        _line(p, 20, before=4, after=4)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, "✂" + " -" * 34 + " 沿此线剪开 " + "- " * 34, LABEL_FONT, 9, tidy_text=False)

    def bookmark(self, paragraph, name: str, ident: int) -> None:
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(ident))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(ident))
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)

    def toc_line(self, text: str, bookmark: str, page: int) -> None:
        """One line of a 目录: text, dot leader, the page of `bookmark` (a PAGEREF field)."""
        p = self.document.add_paragraph()
        _line(p, LINE)
        width = self.text_width_mm()
        tabs = p.paragraph_format.tab_stops
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

        tabs.add_tab_stop(Mm(width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        self._run(p, text + "\t", BODY_FONT, SIZE_4)
        add_field(p, f"PAGEREF {bookmark} \\h", str(page), BODY_FONT, SIZE_4, dirty=True)

    # ---- output ----------------------------------------------------------------------------------

    def text_width_mm(self) -> float:
        _t, _b, left, right = MARGINS_MM[self.kind]
        return 210 - left - right

    def text_height_mm(self) -> float:
        top, bottom, _l, _r = MARGINS_MM[self.kind]
        return 297 - top - bottom

    def to_bytes(self) -> bytes:
        settings = self.document.settings.element
        if settings.find(qn("w:updateFields")) is None and self._needs_update:
            upd = OxmlElement("w:updateFields")
            upd.set(qn("w:val"), "true")
            settings.append(upd)
        lang = settings.find(qn("w:themeFontLang"))
        if lang is None:
            lang = OxmlElement("w:themeFontLang")
            settings.append(lang)
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()

    _needs_update = False

    def update_fields_on_open(self) -> None:
        """Ask Word to refresh fields (the 目录's page numbers) when the file is opened."""
        self._needs_update = True
