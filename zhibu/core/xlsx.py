"""The one .xlsx layer: every export, import template and import goes through here.

Writing (`new_workbook`, `write_sheet`, `workbook_bytes`): a merged title row, a bold shaded header
with thin borders, panes frozen under it, 宋体 11, real dates as 2026年3月5日, money as 0.00, A4
(landscape when wide) fitted to one page wide with the header repeated and "第 1 页 共 N 页" in the
footer, and signature lines where the paper form has them. Every value goes through `put`: text
that a spreadsheet would run as a formula (= + - @, tab, CR first) is stored as text with a quote
prefix, characters XML cannot hold are removed, so no user-typed name breaks or arms a file.

Reading (`read_table`): the file is inspected before it is parsed (zip sizes and ratios, the sheet's
declared dimension), rows are scanned up to a bound, and anything unreadable becomes a
`TableFileError` with a Chinese message, never an exception page. The header may sit under a title
row and after a 序号 column, so an export re-imports unchanged; per-row validation belongs to each
import and reports `RowError`s."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhibu.core.uploads import UploadError, check_zip_bomb, file_size

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 25 * 1024 * 1024  # a 2,000-row roster is about 2 MB unpacked
MAX_RATIO = 100  # a member packed more than 100:1 (and over 1 MB unpacked) is a bomb, not a sheet
MAX_CELLS = 2_000_000  # the sheet's declared dimension, rows × columns
MAX_COUNTED_CELLS = 500_000  # cells present in the sheet's XML, empty ones included

FONT_NAME = "宋体"
FONT = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
MONEY_FORMAT = "0.00"
TEXT_FORMAT = "@"
FOOTER = "第 &P 页 共 &N 页"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32767  # Excel refuses longer cells
LANDSCAPE_WIDTH = 95  # total column width (characters) beyond which a sheet prints landscape
DROPDOWN_ROWS = 2000  # how far down a template's dropdowns and text formats reach

# XML 1.0 cannot hold C0 controls other than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


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


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class Col:
    """One column of a sheet. kind: "text", "code" (kept as text in the whole column: ID numbers,
    phones, receipt numbers), "date", "money" (0.00), "number"."""

    header: str
    width: float = 12
    kind: str = "text"
    choices: tuple[str, ...] = ()  # a dropdown (data validation) over the column
    wrap: bool = False


@dataclass(frozen=True)
class Layout:
    header_row: int
    first_data_row: int
    last_data_row: int  # == header_row when there are no rows
    columns: int


def clean_text(text: str) -> str:
    """Text an .xlsx can hold: characters XML 1.0 forbids removed, at most Excel's cell length."""
    return _ILLEGAL.sub("", text)[:MAX_CELL_CHARS]


def sheet_title(text: str) -> str:
    """A legal worksheet name (≤ 31 characters, none of []:*?/\\)."""
    return _SHEET_TITLE_BAD.sub("_", clean_text(text)).strip("'")[:31] or "Sheet"


def put(ws, row: int, column: int, value: Any, *, number_format: str | None = None, font: Font = FONT):
    """Write one value safely: text never becomes a formula, dates and money get their format."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cell.quotePrefix = True  # and Excel would re-evaluate it when the cell is edited
        if number_format:
            cell.number_format = number_format
    else:
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                from django.utils import timezone

                value = timezone.localtime(value).replace(tzinfo=None)
            cell.value = value
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            cell.value = value
            if number_format:
                cell.number_format = number_format
        elif value is None:
            cell.value = None
        else:
            return put(ws, row, column, str(value), number_format=number_format, font=font)
    cell.font = font
    return cell


def new_workbook(*, creator: str = "", title: str = "") -> Workbook:
    """An empty workbook (no default sheet) with Chinese document properties."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = clean_text(creator or "支部工作")[:255]
    wb.properties.lastModifiedBy = wb.properties.creator
    wb.properties.title = clean_text(title)[:255] or None
    wb.properties.language = "zh-CN"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _merged_line(ws, row: int, columns: int, text: str, *, font: Font, align: str, height: float | None = None) -> None:
    put(ws, row, 1, text, font=font)
    if columns > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
    if height:
        ws.row_dimensions[row].height = height


def _line_height(text: str, width: float) -> float:
    chars_per_line = max(8, int(width / 2))  # Chinese characters are two widths wide
    lines = sum(max(1, -(-len(part) // chars_per_line)) for part in text.split("\n"))
    return 16 * lines + 4


def write_sheet(
    ws,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Any]],
    *,
    title: str = "",
    subtitles: Sequence[str] = (),
    notes: Sequence[str] = (),
    signatures: Sequence[str] = (),
    total_rows: int = 0,
    freeze_columns: int = 0,
    landscape: bool | None = None,
    template: bool = False,
) -> Layout:
    """Lay out one sheet: title (merged), subtitles (merged), the header, the rows (bordered; the
    last `total_rows` bold), notes (merged), signature lines; then the print setup. `template`:
    the dropdowns and text formats reach DROPDOWN_ROWS rows down for filling in."""
    n = len(columns)
    total_width = sum(c.width for c in columns)
    r = 0
    if title:
        r += 1
        _merged_line(ws, r, n, title, font=TITLE_FONT, align="center", height=30)
    for line in subtitles:
        r += 1
        _merged_line(ws, r, n, line, font=FONT, align="left", height=_line_height(line, total_width))
    header_row = r + 1
    for j, col in enumerate(columns, start=1):
        cell = put(ws, header_row, j, col.header, font=BOLD)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = col.width
        if col.kind == "code":
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        elif col.kind == "date" and template:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
    if any(len(c.header) * 2 > c.width for c in columns):
        ws.row_dimensions[header_row].height = 32
    formats = {j: {"code": TEXT_FORMAT, "money": MONEY_FORMAT}.get(col.kind) for j, col in enumerate(columns, start=1)}
    aligns = {j: Alignment(vertical="center", wrap_text=col.wrap) for j, col in enumerate(columns, start=1)}
    first = header_row + 1
    for i, values in enumerate(rows):
        rr = first + i
        bold = i >= len(rows) - total_rows
        for j in range(1, n + 1):
            value = values[j - 1] if j - 1 < len(values) else None
            cell = put(ws, rr, j, value, number_format=formats[j], font=BOLD if bold else FONT)
            cell.border = BORDER
            cell.alignment = aligns[j]
    last = first + len(rows) - 1 if rows else header_row
    r = last
    for line in notes:
        r += 1
        _merged_line(ws, r, n, line, font=FONT, align="left", height=_line_height(line, total_width))
    if signatures:
        r += 1  # a blank line before the signatures
        r = _signatures(ws, r + 1, n, signatures)
    reach = first + max(len(rows), DROPDOWN_ROWS if template else 0) - 1
    for j, col in enumerate(columns, start=1):
        if col.choices and reach >= first:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(clean_text(c) for c in col.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入有误",
                error="请从下拉列表中选择",
                showInputMessage=True,
                promptTitle=col.header[:32],
                prompt="请从下拉列表中选择",
            )
            dv.add(f"{get_column_letter(j)}{first}:{get_column_letter(j)}{reach}")
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=freeze_columns + 1).coordinate
    print_setup(ws, header_row=header_row, landscape=total_width > LANDSCAPE_WIDTH if landscape is None else landscape)
    return Layout(header_row=header_row, first_data_row=first, last_data_row=last, columns=n)


def _signatures(ws, row: int, columns: int, labels: Sequence[str]) -> int:
    """Signature lines ("收款人（签字）：" …) spread over the sheet's width, tall enough to sign in;
    one per line when the sheet is too narrow. Returns the last row used."""
    per_line = len(labels) if columns >= 2 * len(labels) else 1
    for start in range(0, len(labels), per_line):
        chunk = labels[start : start + per_line]
        span, extra = divmod(columns, len(chunk))
        col = 1
        for k, label in enumerate(chunk):
            width = span + (1 if k < extra else 0)
            put(ws, row, col, label, font=FONT)
            if width > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + width - 1)
            ws.cell(row=row, column=col).alignment = Alignment(horizontal="left", vertical="bottom")
            col += width
        ws.row_dimensions[row].height = 36
        row += 1
    return row - 1


def print_setup(ws, *, header_row: int, landscape: bool = False) -> None:
    """A4, fitted to one page wide (as many pages down as needed), the header repeated on every
    page, "第 1 页 共 N 页" in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = f"{FONT_NAME},常规"
    ws.oddFooter.center.size = 10


def instructions_sheet(wb: Workbook, rows: Sequence[tuple[str, str, str]], *, title: str) -> None:
    """The 填写说明 sheet of an import template: column, required or not, how to fill it in."""
    ws = wb.create_sheet("填写说明")
    write_sheet(ws, [Col("列名", 16), Col("是否必填", 10), Col("填写说明", 70, wrap=True)], rows, title=title)


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    formats: dict[int, str] | None = None,
) -> bytes:
    """A one-sheet workbook with the header in row 1 (an import template's shape). `formats` maps a
    0-based column to "@" (text: ID numbers, phones), a date format or "0.00" (money)."""
    kinds = {"@": "code", "0.00": "money"}
    cols = [
        Col(
            h,
            (widths or [14] * len(headers))[i],
            kinds.get((formats or {}).get(i, ""), "date" if "yy" in (formats or {}).get(i, "") else "text"),
        )
        for i, h in enumerate(headers)
    ]
    wb = new_workbook(title=title)
    write_sheet(wb.create_sheet(sheet_title(title)), cols, rows)
    return workbook_bytes(wb)


# ---------------------------------------------------------------------------------------------
# Reading


def _open(data: bytes | BinaryIO) -> BinaryIO:
    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data
    size = file_size(stream)
    if size > MAX_UPLOAD_BYTES:
        raise TableFileError(f"文件过大（上限{MAX_UPLOAD_BYTES // (1024 * 1024)}MB）")
    if size == 0:
        raise TableFileError("文件为空")
    try:
        check_zip_bomb(stream, max_uncompressed=MAX_UNCOMPRESSED_BYTES, max_ratio=MAX_RATIO)
    except UploadError as exc:
        if exc.code == "not_zip":
            raise TableFileError("无法读取文件：请上传由模板填写的 .xlsx 文件（不是有效的 .xlsx 文件）") from None
        raise TableFileError(str(exc)) from None
    return stream


_TOO_MANY = "一次最多导入{}行，请删除多余的行后重新导入"
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"|<(?:\w+:)?sheet\b[^>]*?\bid=\"([^\"]+)\"")


def _first_sheet(archive: zipfile.ZipFile) -> list[str]:
    """The zip path of the first worksheet (all worksheets if the workbook cannot be followed)."""
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return sheets
    first = _SHEET_TAG.search(workbook)
    rid = (first.group(1) or first.group(2)) if first else None
    rel = re.search(rb"<Relationship\b[^>]*?Id=\"" + re.escape(rid) + rb"\"[^>]*>", rels) if rid else None
    target = re.search(rb"Target=\"([^\"]+)\"", rel.group(0)) if rel else None
    if target is None:
        return sheets
    path = target.group(1).decode(errors="replace").lstrip("/")
    path = path if path.startswith("xl/") else "xl/" + path
    return [path] if path in archive.namelist() else sheets


def _count_rows(stream: BinaryIO, *, max_scan: int, max_cells: int, max_rows: int) -> None:
    """Count the row and cell elements of the first sheet's XML as bytes, before any XML parser
    sees it: a sheet of endless blank rows is refused in milliseconds (openpyxl would read it all
    just to look for its dimension)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            for name in _first_sheet(archive):
                rows = cells = 0
                carry = b""
                with archive.open(name) as member:
                    while chunk := member.read(1 << 20):
                        data = carry + chunk
                        cut = max(0, len(data) - 16)  # a tag split between chunks is counted in the next one
                        rows += len(_ROW_TAG.findall(data, 0, cut))
                        cells += len(_CELL_TAG.findall(data, 0, cut))
                        carry = data[cut:]
                        if rows > max_scan or cells > max_cells:
                            raise TableFileError(
                                f"表格行数过多（超过{max_scan}行，含空行）：{_TOO_MANY.format(max_rows)}"
                            )
    except TableFileError:
        raise
    except Exception as exc:  # a broken member: the reader below says so in its own words
        raise TableFileError("文件内容已损坏，无法读取：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from exc
    finally:
        stream.seek(0)


_HALF_WIDTH = str.maketrans("（）：，", "():,")


def _same_header(text: str) -> str:
    """Headers compare alike in either punctuation (计算基数（元） written as 计算基数(元) in an older sheet)."""
    return text.translate(_HALF_WIDTH)


def _header_at(cells: Sequence[Any], headers: Sequence[str]) -> int | None:
    """The offset of `headers` in a row (0, or 1 after a 序号 column), None if it is not the header."""
    texts = [_same_header(cell_text(c)) for c in cells]
    wanted = [_same_header(h) for h in headers]
    for offset in (0, 1):
        if offset and (not texts or texts[0] != "序号"):
            continue
        if texts[offset : offset + len(headers)] == wanted:
            return offset
    return None


def read_table(data: bytes | BinaryIO, headers: Sequence[str], *, max_rows: int = 2000) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every non-empty data row; TableFileError for an unusable file.
    The header is looked for in the first five rows (under a title row, after a 序号 column)."""
    stream = _open(data)
    max_scan = 5 * max_rows + 100  # blank rows included: the rest of the sheet is not read
    _count_rows(stream, max_scan=max_scan, max_cells=MAX_COUNTED_CELLS, max_rows=max_rows)
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it drops (extensions, names)
            warnings.simplefilter("ignore")
            wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # zip, xml and openpyxl errors vary
        raise TableFileError("无法读取文件：请上传由模板填写的 .xlsx 文件") from exc
    try:
        if not wb.worksheets:
            raise TableFileError("文件中没有工作表")
        ws = wb.worksheets[0]
        if ws.max_row and ws.max_column and (ws.max_row > max_scan or ws.max_row * ws.max_column > MAX_CELLS):
            raise TableFileError(f"表格行数过多（{ws.max_row}行，含空行）：{_TOO_MANY.format(max_rows)}")
        rows = ws.iter_rows(values_only=True, max_col=len(headers) + 1)
        offset = None
        out: list[tuple[int, list[Any]]] = []
        for number, row in enumerate(rows, start=1):
            if number > max_scan:
                raise TableFileError(f"表格行数过多（超过{max_scan}行，含空行）：{_TOO_MANY.format(max_rows)}")
            if offset is None:
                offset = _header_at(row, headers)
                if offset is None and (
                    number >= 5 or any(_same_header(cell_text(c)) in {_same_header(h) for h in headers} for c in row)
                ):
                    raise TableFileError("表头与模板不一致，请下载模板后填写（应为：" + "、".join(headers) + "）")
                continue
            cells = list(row[offset : offset + len(headers)])
            cells += [None] * (len(headers) - len(cells))
            if all(cell_text(c) == "" for c in cells):
                continue
            out.append((number, cells))
            if len(out) > max_rows:
                raise TableFileError(f"一次最多导入{max_rows}行")
        if offset is None:
            raise TableFileError("表头与模板不一致，请下载模板后填写（应为：" + "、".join(headers) + "）")
    except TableFileError:
        raise
    except Exception as exc:  # malformed sheet XML (ParseError), broken zip members, bad dates…
        raise TableFileError("文件内容已损坏，无法读取：请用 Excel 或 WPS 打开后另存为 .xlsx 再导入") from exc
    finally:
        wb.close()
    if not out:
        raise TableFileError("文件中没有数据行")
    return out
