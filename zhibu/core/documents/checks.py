"""What an inspector would notice, checked on the .docx itself (python-docx): the tests of every app
run each document they produce through `problems(...)`.

    assert problems(content, kind=OUTWARD) == []
"""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn

from zhibu.core.documents.layout import MARGINS_MM, OUTWARD

UNDERSCORES = re.compile(r"_{3,}")
OUTWARD_NOTES = re.compile(r"（?依据[:：]|本系统")


def paragraphs(document):
    """Every paragraph: body, tables (nested), headers and footers."""

    def walk(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if part is not None and not part.is_linked_to_previous:
                yield from walk(part)


def text_of(content: bytes) -> str:
    return "\n".join(p.text for p in paragraphs(docx.Document(io.BytesIO(content))))


def problems(
    content: bytes, *, kind: str = OUTWARD, data_complete: bool = True, placeholders_ok: bool = False
) -> list[str]:
    """Everything wrong with one document, in Chinese-free developer terms (test output).

    `data_complete`: the record holds every value the document shows, so no blank may be a '____'.
    `placeholders_ok`: a template, where {{…}} is expected."""
    from zhibu.core.documents.text import half_width_between_cjk, zero_padded

    out: list[str] = []
    document = docx.Document(io.BytesIO(content))
    top, bottom, left, right = MARGINS_MM[kind]
    for i, s in enumerate(document.sections):
        width, height = (s.page_width.mm if s.page_width else 0), (s.page_height.mm if s.page_height else 0)
        if abs(width - 210) > 0.5 or abs(height - 297) > 0.5:
            out.append(f"section {i}: not A4 ({width:.0f}×{height:.0f} mm)")
        got = tuple(
            round(m.mm) if m is not None else 0 for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)
        )
        if kind == OUTWARD and got != (top, bottom, left, right):
            out.append(f"section {i}: margins {got}, want {(top, bottom, left, right)}")
        if kind != OUTWARD and min(got) < 25:
            out.append(f"section {i}: margins {got}, want ≥ 25 mm")
        footer_xml = s.footer._element.xml if s.footer is not None else ""
        if "PAGE" not in footer_xml:
            out.append(f"section {i}: no page number field in the footer")
    for p in paragraphs(document):
        for run in p.runs:
            if not run.text.strip():
                continue
            rpr = run._element.rPr
            fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if fonts is None or not fonts.get(qn("w:eastAsia")) or not fonts.get(qn("w:ascii")):
                out.append(f"run without East Asian/Latin font: {run.text[:20]!r}")
        text = p.text
        if data_complete and UNDERSCORES.search(text):
            out.append(f"underscore blank: {text[:40]!r}")
        for bad in zero_padded(text):
            out.append(f"zero-padded date {bad!r} in {text[:40]!r}")
        for bad in half_width_between_cjk(text):
            out.append(f"half-width punctuation {bad!r} in {text[:40]!r}")
        if kind == OUTWARD and OUTWARD_NOTES.search(text):
            out.append(f"system note in an outward document: {text[:40]!r}")
        if not placeholders_ok and "{{" in text:
            out.append(f"placeholder left: {text[:40]!r}")
    styles = document.styles
    normal = styles["Normal"].element.rPr
    nf = normal.find(qn("w:rFonts")) if normal is not None else None
    if nf is None or not nf.get(qn("w:eastAsia")):
        out.append("Normal style without an East Asian font")
    props = document.core_properties
    if not props.author or props.author == "python-docx":
        out.append(f"creator {props.author!r}")
    if props.language != "zh-CN":
        out.append(f"language {props.language!r}")
    if props.created is None or props.created.year < 2020:
        out.append(f"created {props.created!r}")
    return out
