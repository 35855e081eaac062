"""Reading a plan file: .txt (UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030) or .docx (paragraphs and
tables, person/remark columns dropped). Pure Python (python-docx for .docx)."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from zhibu.core.punctuation import fix_text
from zhibu.plans.text import _normalise
from zhibu.plans.vocabulary import _DROP_COLUMN, _HEADER_WORDS


class PlanInputError(ValueError):
    """Unreadable or non-plan input. The message is one line, Chinese then English (the CLI's);
    `chinese` is the Chinese part alone, for the web page."""

    @property
    def chinese(self) -> str:
        text = re.sub(r"\s*\([A-Za-z][^()]*\)", "", str(self))
        return fix_text(text.replace(",", "，").replace(": ", "：").replace(":", "："))


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


def _one_line(s: object) -> str:
    return " ".join(str(s).split())


def read_file(path_or_bytes, filename: str | None = None) -> str:
    """Text of a plan file: .txt (UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030) or .docx.

    path_or_bytes: a path (str/Path), bytes, or a binary file-like object (e.g. an upload).
    Raises PlanInputError with a one-line message for anything unreadable.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        name = filename or "-"
    elif hasattr(path_or_bytes, "read"):
        try:
            data = path_or_bytes.read()
        except OSError as exc:
            raise PlanInputError(
                f"无法读取文件 (cannot read file): {_one_line(filename or '-')}: {_one_line(exc)}"
            ) from None
        if isinstance(data, str):
            return data
        name = filename or getattr(path_or_bytes, "name", None) or "-"
    else:
        path = Path(path_or_bytes)
        name = filename or str(path)
        if not path.exists():
            raise PlanInputError(f"文件不存在 (file not found): {_one_line(path)}")
        if path.is_dir():
            raise PlanInputError(f"这是一个目录,不是文件 (is a directory): {_one_line(path)}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PlanInputError(
                f"无法读取文件 (cannot read file): {_one_line(path)}: {_one_line(exc.strerror or exc)}"
            ) from None
    name = _one_line(name)
    suffix = Path(str(name)).suffix.lower()
    if not data or not data.strip():
        raise PlanInputError(f"文件为空 (empty file): {name}")
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        return _read_docx(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".doc":
        raise PlanInputError(f"不支持旧版 .doc 格式,请另存为 .docx 或 .txt (legacy .doc is not supported): {name}")
    if data.startswith(b"%PDF"):
        raise PlanInputError(f"不支持 PDF,请另存为 .docx 或 .txt (PDF is not supported): {name}")
    return _decode_text(data, name)


def _decode_text(data: bytes, name: str) -> str:
    text = None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            text = None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        if b"\x00" in data:
            raise PlanInputError(f"不是文本或 .docx 文件 (not a text or .docx file): {name}")
        for enc in ("utf-8", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise PlanInputError(f"无法识别文件编码,请使用 UTF-8 或 GB18030 (unknown text encoding): {name}")
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\f\v")
    if "\x00" in text or bad > max(2, len(text) // 100):
        raise PlanInputError(f"不是文本或 .docx 文件 (not a text or .docx file): {name}")
    return text.lstrip("\ufeff")


def _read_docx(data: bytes, name: str) -> str:
    from zhibu.core.uploads import UploadError, check_zip_bomb  # pure: zip directory checks only

    try:
        check_zip_bomb(data)  # a small .docx can unpack to hundreds of megabytes: refuse before parsing
    except UploadError as exc:
        if exc.code != "not_zip":
            raise PlanInputError(f"{exc}：{name}") from None
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any failure means "not a readable .docx"
        raise PlanInputError(f"无法打开 .docx 文件 (cannot open .docx file): {name}") from None
    lines: list[str] = []
    try:
        _docx_blocks(document, lines)
    except Exception:  # noqa: BLE001
        raise PlanInputError(f"无法读取 .docx 内容 (cannot read .docx content): {name}") from None
    return "\n".join(lines)


def _docx_blocks(container, lines: list[str]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _docx_table(block, lines)
        else:
            lines.extend(block.text.split("\n"))


def _docx_cell_lines(cell) -> list[str]:
    out: list[str] = []
    _docx_blocks(cell, out)
    return out


def _docx_table(table, lines: list[str]) -> None:
    keep: list[bool] | None = None
    for r, row in enumerate(table.rows):
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        texts = [_docx_cell_lines(c) for c in cells]
        joined = ["".join(t).strip() for t in texts]
        if (
            keep is None
            and r == 0
            and joined
            and all(len(j) <= 8 for j in joined)
            and any(_HEADER_WORDS.match(_normalise(j).replace(" ", "")) for j in joined if j)
        ):
            keep = [not _DROP_COLUMN.search(j) for j in joined]
            continue
        for c, cell_lines in enumerate(texts):
            if keep is not None and c < len(keep) and not keep[c]:
                continue
            lines.extend(cell_lines)
