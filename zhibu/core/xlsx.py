"""Shared .xlsx reading and writing for the imports and exports (roster, payroll): one header row,
then data rows. Reading is strict about the header so a wrong file is refused as a whole; per-row
validation belongs to each import and reports `RowError`s."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class TableFileError(ValueError):
    """The file as a whole cannot be used (not .xlsx, wrong headers, empty, too many rows)."""


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number (the header is row 1)
    column: str  # the column's Chinese header
    message: str


def cell_text(value: Any) -> str:
    """A cell as stripped text; whole-number floats (Excel's numbers) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def write_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
                widths: Sequence[int] | None = None, formats: dict[int, str] | None = None) -> bytes:
    """A workbook with a bold header row. `formats` maps a 0-based column to a number format
    ("@" keeps ID numbers and phones as text, "yyyy-mm-dd" for dates, "0.00" for money)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for col, width in enumerate(widths or [14] * len(headers), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    for col, fmt in (formats or {}).items():
        for r in range(2, len(rows) + 2):
            ws.cell(row=r, column=col + 1).number_format = fmt
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_table(data: bytes | BinaryIO, headers: Sequence[str], *, max_rows: int = 2000) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every non-empty data row; TableFileError for an unusable file."""
    if isinstance(data, bytes) and len(data) > MAX_UPLOAD_BYTES:
        raise TableFileError(f"文件过大(上限{MAX_UPLOAD_BYTES // (1024 * 1024)}MB)")
    try:
        wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml and openpyxl errors vary
        raise TableFileError("无法读取文件:请上传由模板填写的 .xlsx 文件") from exc
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [cell_text(c) for c in next(rows, [])]
        if header[: len(headers)] != list(headers):
            raise TableFileError("表头与模板不一致,请下载模板后填写(应为:" + "、".join(headers) + ")")
        out = []
        for number, row in enumerate(rows, start=2):
            cells = list(row[: len(headers)]) + [None] * (len(headers) - len(row))
            if all(cell_text(c) == "" for c in cells):
                continue
            out.append((number, cells))
            if len(out) > max_rows:
                raise TableFileError(f"一次最多导入{max_rows}行")
    finally:
        wb.close()
    if not out:
        raise TableFileError("文件中没有数据行")
    return out
