"""Opening the files of a pack the way a reader would (python-docx, openpyxl) and collecting their text."""

from __future__ import annotations

import io
import zipfile

import docx
from openpyxl import load_workbook

from zhibu.core.documents import checks


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    props = document.core_properties
    parts = [checks.text_of(content), props.title or "", props.author or ""]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content))
    parts = [wb.properties.title or "", wb.properties.creator or ""]
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            parts += [str(v) for v in row if v is not None]
    return "\n".join(parts)


def open_pack(content: bytes) -> dict[str, str]:
    """{path: text} of every file in the pack, each opened with its reader (a failure raises)."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".docx"):
                out[name] = docx_text(data)
            elif name.endswith(".xlsx"):
                out[name] = xlsx_text(data)
            else:
                raise AssertionError(f"unexpected file in the pack: {name}")
    return out
