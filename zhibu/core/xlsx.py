"""Shared cell reading for the .xlsx imports (roster, payroll)."""
from __future__ import annotations

from typing import Any


def cell_text(value: Any) -> str:
    """A cell as stripped text; whole-number floats (Excel's numbers) lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
