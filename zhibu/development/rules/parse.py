"""The timeline JSON of development.md: its parts, and `parse_timeline`, which validates it and names
the first bad field (TimelineError)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zhibu.development.rules.steps import EXTENSION, PUBLICITY, SEQUENCE


class TimelineError(ValueError):
    """The timeline is not valid; `field` is the offending key path (e.g. "steps.oath")."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Counted:  # contacts, sponsors
    date: dt.date | None
    count: int | None


@dataclass(frozen=True)
class Span:  # candidate_publicity
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Training:
    start: dt.date | None
    end: dt.date | None
    days: float | None
    hours: float | None


@dataclass(frozen=True)
class Meeting:  # admission_meeting, full_meeting
    date: dt.date | None
    should_attend: int | None
    present: int | None
    votes_for: int | None
    against: int | None
    abstain: int | None
    secret_ballot: bool | None


@dataclass(frozen=True)
class Extension(Meeting):
    """延长预备期: the 支部大会 that extended the probation (its tally), by how many months, and the
    上级党委's approval."""

    months: int | None = None
    approval: dt.date | None = None


@dataclass(frozen=True)
class Timeline:
    birth_date: dt.date | None
    rules: str  # "auto" / "2014" / "2026"
    as_of: dt.date | None
    steps: Mapping[str, Any]  # key -> date | Counted | Span | Training | Meeting | tuple[date, ...]

    def has(self, key: str) -> bool:
        return self.date_of(key) is not None or (key in self.steps and not isinstance(self.steps[key], tuple))

    def date_of(self, key: str) -> dt.date | None:
        """The date a step happened (start of a span, earliest assessment), or None."""
        value = self.steps.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, tuple):
            return min(value) if value else None
        if isinstance(value, (Span, Training)):
            return value.start
        return value.date

    def dates_of(self, key: str) -> tuple[dt.date, ...]:
        """Every date a step stands for in the `order` rule: each assessment, else its date."""
        value = self.steps.get(key)
        if isinstance(value, tuple):
            return value
        d = self.date_of(key)
        return (d,) if d is not None else ()


_DATE_STEPS = frozenset(
    {
        "application",
        "application_talk",
        "activist",
        "activist_filed",
        "candidate",
        "candidate_approved",
        "political_review",
        "committee_review",
        "pre_review",
        "application_form",
        "approval_talk",
        "approval",
        "filed",
        "assigned",
        "oath",
        "full_application",
        "full_approval",
        "archived",
    }
)
_COUNTED_STEPS = frozenset({"contacts", "sponsors"})
_MEETING_STEPS = frozenset({"admission_meeting", "full_meeting"})
_MEETING_COUNTS = ("should_attend", "present", "for", "against", "abstain")
_TOP_KEYS = frozenset({"birth_date", "rules", "as_of", "steps"})
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise TimelineError(path, f"日期格式应为 YYYY-MM-DD，实际为 {_show(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TimelineError(path, f"不是有效的日期：{value}") from None


def _int(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TimelineError(path, f"应为非负整数，实际为 {_show(value)}")
    if value < 0:
        raise TimelineError(path, f"不能为负数：{value}")
    return value


def _number(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TimelineError(path, f"应为非负数，实际为 {_show(value)}")
    if value < 0:
        raise TimelineError(path, f"不能为负数：{value}")
    return value


def _object(value: Any, path: str, keys: Iterable[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TimelineError(path, f"应为对象（{{…}}），实际为 {_show(value)}")
    allowed = set(keys)
    for key in value:
        if key not in allowed:
            raise TimelineError(f"{path}.{key}", f"未知字段（可用字段：{'、'.join(sorted(allowed))}）")
    return value


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, list, dict)) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _span_end_check(start: dt.date | None, end: dt.date | None, path: str) -> None:
    if start is not None and end is not None and end < start:
        raise TimelineError(f"{path}.end", f"结束日期 {end} 早于开始日期 {start}")


def parse_timeline(data: Any) -> Timeline:
    """Validate the JSON timeline of development.md; raise TimelineError naming the first bad field."""
    top = _object(data, "timeline", _TOP_KEYS)
    rules = top.get("rules", "auto")
    if rules is None:
        rules = "auto"
    if rules not in ("auto", "2014", "2026"):
        raise TimelineError("rules", f'应为 "auto"、"2014" 或 "2026"，实际为 {_show(rules)}')
    birth = _date(top.get("birth_date"), "birth_date")
    as_of = _date(top.get("as_of"), "as_of")
    raw_steps = top.get("steps")
    raw_steps = {} if raw_steps is None else _object(raw_steps, "steps", SEQUENCE)
    steps: dict[str, Any] = {}
    for key, value in raw_steps.items():
        path = f"steps.{key}"
        if value is None:
            continue
        if key in _DATE_STEPS:
            steps[key] = _date(value, path)
        elif key in _COUNTED_STEPS:
            obj = _object(value, path, ("date", "count"))
            steps[key] = Counted(_date(obj.get("date"), f"{path}.date"), _int(obj.get("count"), f"{path}.count"))
        elif key == "assessments":
            if not isinstance(value, list):
                raise TimelineError(path, f"应为日期列表（[…]），实际为 {_show(value)}")
            dates = tuple(_date(v, f"{path}[{i}]") for i, v in enumerate(value))
            if any(d is None for d in dates):
                raise TimelineError(f"{path}[{dates.index(None)}]", "不能为空")
            steps[key] = tuple(sorted(d for d in dates if d is not None))
        elif key == PUBLICITY:
            obj = _object(value, path, ("start", "end"))
            span = Span(_date(obj.get("start"), f"{path}.start"), _date(obj.get("end"), f"{path}.end"))
            _span_end_check(span.start, span.end, path)
            steps[key] = span
        elif key == "training":
            obj = _object(value, path, ("start", "end", "days", "hours"))
            training = Training(
                _date(obj.get("start"), f"{path}.start"),
                _date(obj.get("end"), f"{path}.end"),
                _number(obj.get("days"), f"{path}.days"),
                _number(obj.get("hours"), f"{path}.hours"),
            )
            _span_end_check(training.start, training.end, path)
            steps[key] = training
        elif key in _MEETING_STEPS or key == EXTENSION:
            extra = ("months", "approval") if key == EXTENSION else ()
            obj = _object(value, path, ("date", *_MEETING_COUNTS, "secret_ballot", *extra))
            ballot = obj.get("secret_ballot")
            if ballot is not None and not isinstance(ballot, bool):
                raise TimelineError(f"{path}.secret_ballot", f"应为 true 或 false，实际为 {_show(ballot)}")
            counts = {k: _int(obj.get(k), f"{path}.{k}") for k in _MEETING_COUNTS}
            args = (
                _date(obj.get("date"), f"{path}.date"),
                counts["should_attend"],
                counts["present"],
                counts["for"],
                counts["against"],
                counts["abstain"],
                ballot,
            )
            if key == EXTENSION:
                steps[key] = Extension(
                    *args,
                    months=_int(obj.get("months"), f"{path}.months"),
                    approval=_date(obj.get("approval"), f"{path}.approval"),
                )
            else:
                steps[key] = Meeting(*args)
    return Timeline(birth, rules, as_of, steps)
