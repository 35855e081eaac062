"""Uploaded Office files (.xlsx, .docx) are zip archives: look inside before parsing. A small file
can unpack to hundreds of megabytes (a 519 KB .docx to 200 MB), so the declared sizes and ratios
of its members are checked first and the file is refused early with a Chinese message.

Pure Python (no Django): the plan parser uses it too. Python's zipfile never returns more than a
member's declared size, so bounding the declared sizes bounds what a parser can read."""

from __future__ import annotations

import io
import os
import zipfile
from typing import BinaryIO

MB = 1024 * 1024
DOCX_MAX_UNCOMPRESSED = 50 * MB  # images included; a long plan's document.xml is about 1 MB
DEFAULT_MAX_RATIO = 100
RATIO_FLOOR = 1 * MB  # small members may compress very well (styles, empty parts): ratio checked above this
MAX_ENTRIES = 2000


class UploadError(ValueError):
    """The file cannot be used; the message is Chinese and can be shown as it is."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


def file_size(stream: BinaryIO) -> int:
    """The size of a seekable file object (an upload, BytesIO), leaving its position unchanged."""
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    if isinstance(stream, io.BytesIO):
        return stream.getbuffer().nbytes
    pos = stream.tell()
    try:
        return stream.seek(0, os.SEEK_END)
    finally:
        stream.seek(pos)


def check_zip_bomb(
    file: BinaryIO | bytes,
    *,
    max_uncompressed: int = DOCX_MAX_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
    max_entries: int = MAX_ENTRIES,
) -> None:
    """Refuse (UploadError) a zip archive that is not one, has too many members, unpacks to more
    than `max_uncompressed` bytes in all, or has a member over 1 MB packed more than `max_ratio`:1.
    Reads only the archive's directory; the file position is restored."""
    stream = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else file
    pos = stream.tell()
    try:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError, IndexError):
            raise UploadError("文件已损坏或不是有效的 Office 文件（.docx / .xlsx）", "not_zip") from None
        if len(infos) > max_entries:
            raise UploadError("文件内部结构异常（条目过多），无法读取", "too_many_entries")
        total = sum(info.file_size for info in infos)
        if total > max_uncompressed:
            raise UploadError(
                f"文件解压后过大（约{total // MB}MB，上限{max_uncompressed // MB}MB），"
                "可能是异常文件，请检查后重新上传",
                "too_large",
            )
        for info in infos:
            if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
                raise UploadError("文件压缩比异常，可能是异常文件，请检查后重新上传", "ratio")
    finally:
        stream.seek(pos)


def read_limited(upload, max_bytes: int) -> bytes:
    """An upload's content, after checking its size (never read whole before that)."""
    size = file_size(upload)
    if size > max_bytes:
        raise UploadError(f"文件过大（上限{max_bytes // MB}MB）", "too_large")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadError(f"文件过大（上限{max_bytes // MB}MB）", "too_large")
    return data
