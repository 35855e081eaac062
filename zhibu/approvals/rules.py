"""Pure rules of 报批审批 (no Django, no ORM)."""

from __future__ import annotations

import datetime as dt

REASON_MAX = 1000  # characters of a 打回 reason or an approval note
TITLE_MAX = 200


class RuleError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def check_decision_date(on: dt.date, *, submitted_on: dt.date, today: dt.date) -> None:
    """The approval date is when the upper committee decided: not before the request reached it, and
    never in the future (a date in the future has not happened: COMMON "records are evidence")."""
    if on > today:
        raise RuleError(f"批准日期 {on} 晚于今天（{today}），尚未发生的事项不能登记。", "future_date")
    if on < submitted_on:
        raise RuleError(f"批准日期 {on} 早于报送日期（{submitted_on}）。", "decided_before_submitted")


def check_submitted_on(on: dt.date, *, today: dt.date) -> None:
    if on > today:
        raise RuleError(f"报送日期 {on} 晚于今天（{today}），尚未发生的事项不能登记。", "future_date")


def clean_reason(reason: str | None) -> str:
    """打回 needs a reason the branch can act on (the log keeps it)."""
    text = (reason or "").strip()
    if not text:
        raise RuleError("打回须填写理由，说明需要补正的内容。", "reason_required")
    if len(text) > REASON_MAX:
        raise RuleError(f"理由不超过 {REASON_MAX} 字。", "reason_too_long")
    return text
