"""What a check returns: violations, what is due next, the JSON of development.md's output."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    rule: str
    step: str
    message: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "step": self.step, "message": self.message, "source": self.source}


@dataclass(frozen=True)
class NextStep:
    step: str
    due: dt.date | None
    provisional: bool
    # How to read `due` (not part of the JSON): "deadline" (do it by then), "earliest" (not before),
    # "at" (when it becomes due), "periodic" (next regular assessment), None (no date rule).
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "due": self.due.isoformat() if self.due else None, "provisional": self.provisional}


@dataclass(frozen=True)
class Result:
    rules: str
    violations: tuple[Violation, ...]
    probation_end: dt.date | None
    next: tuple[NextStep, ...]
    as_of: dt.date = field(compare=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict of development.md's output (json.dumps(..., ensure_ascii=False))."""
        return {
            "rules": self.rules,
            "violations": [v.to_json() for v in self.violations],
            "probation_end": self.probation_end.isoformat() if self.probation_end else None,
            "next": [n.to_json() for n in self.next],
        }
