"""The one flow of every .xlsx import page: read the whole file, validate every row, write only
when nothing is wrong (the service is atomic), and say what happened."""
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


def run_import(upload, *, read: Callable[[bytes], list], validate: Callable[[list], tuple[list, list[RowError]]],
               write: Callable[[list], Any]) -> ImportOutcome:
    outcome = ImportOutcome()
    try:
        if upload.size > MAX_UPLOAD_BYTES:
            raise TableFileError(f"文件过大(上限{MAX_UPLOAD_BYTES // (1024 * 1024)}MB)")
        clean, outcome.errors = validate(read(upload.read()))
    except TableFileError as exc:
        outcome.file_error = str(exc)
        return outcome
    if not outcome.errors:
        try:
            outcome.result = write(clean)
        except ValidationError as exc:
            outcome.file_error = "导入失败,未写入任何数据:" + ";".join(exc.messages)
    return outcome
