"""The one flow of every .xlsx import page: read the whole file, validate every row, write only
when nothing is wrong (the service is atomic), and say what happened. The upload is never read
into memory whole: its size is checked, then the reader (zhibu.core.xlsx.read_table) inspects
the zip and streams the sheet from the uploaded file (on disk above FILE_UPLOAD_MAX_MEMORY_SIZE)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from zhibu.core.xlsx import MAX_UPLOAD_BYTES, RowError, TableFileError


@dataclass
class ImportOutcome:
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None
    result: Any = None

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.file_error)

    def context(self) -> dict[str, Any]:
        return {"errors": self.errors, "file_error": self.file_error, "result": self.result}


def run_import(upload, *, read: Callable[[Any], list], validate: Callable[[list], tuple[list, list[RowError]]],
               write: Callable[[list], Any]) -> ImportOutcome:
    outcome = ImportOutcome()
    try:
        if upload.size > MAX_UPLOAD_BYTES:
            raise TableFileError(f"文件过大（上限{MAX_UPLOAD_BYTES // (1024 * 1024)}MB）")
        upload.seek(0)
        clean, outcome.errors = validate(read(upload))
    except TableFileError as exc:
        outcome.file_error = str(exc)
        return outcome
    if not outcome.errors:
        try:
            outcome.result = write(clean)
        except ValidationError as exc:
            outcome.file_error = "导入失败，未写入任何数据：" + ";".join(exc.messages)
    return outcome
