"""整改 (rectification) rules — pure, no ORM. Source: ../shared/spec/rules2.md §6 (and §2 for the
组织生活会 that raises most items).

| rule | value | source |
|---|---|---|
| after 巡视/巡察 feedback | rectification report within 2 months | 巡视工作条例 (2015) 27 (N B) |
| after 组织生活会 | 会后制定整改措施，逐一整改落实; checked again next year (回头看) | 支部条例 17 (N A) |
| three lists | 问题清单, 任务清单, 责任清单 (+ 成效清单) | local (L) |
| item kinds | 立行立改, 限期整改, 长期坚持 | local (L) |
| lifecycle | open → in progress → submitted → 销号 (closer configurable) → 回头看 after N months | local (L) |

Local practice (L) is configurable per district in `Organisation.settings` (the nearest ancestor
that sets it wins): `rectify_closer` ("branch": the branch secretary; "district": the upper
committee — the default, "often the upper committee") and `rectify_review_months` (default 12:
支部条例 17 checks again at next year's 组织生活会).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SOURCE_DOC = "rules2.md §6"
INSPECTION_REPORT_MONTHS = 2  # 巡视工作条例 (2015) 第27条: 整改情况报告 within 2 months of feedback
INSPECTION_SOURCES = frozenset({"inspection"})  # 巡察
DEFAULT_REVIEW_MONTHS = 12  # 支部条例 17: 回头看 at next year's 组织生活会 (L: configurable)
DUE_SOON_DAYS = 7  # reminder before a deadline (L)
CLOSER_BRANCH, CLOSER_DISTRICT = "branch", "district"
DEFAULT_CLOSER = CLOSER_DISTRICT  # rules2.md §6: "who closes: configurable, often the upper committee"
CLOSER_SETTING, REVIEW_SETTING = "rectify_closer", "rectify_review_months"
# Local practice (a district's setting): 销号 decided in the district's approval inbox (zhibu.approvals).
VIA_APPROVALS_SETTING = "rectify_close_via_approvals"

# The sources of rules2.md §6 (code, label, sort order); the Source table is seeded from these.
SOURCES = (
    ("org_life_meeting", "组织生活会"),
    ("appraisal", "民主评议"),
    ("inspection", "巡察"),
    ("supervision", "督查"),
    ("upper_check", "上级检查"),
    ("report_review", "述职评议"),
    ("audit", "审计"),
    ("self_check", "自查"),
    ("mailbox", "信箱/群众意见"),
)
DISTRICT_SOURCES = frozenset({"inspection", "supervision", "upper_check", "audit"})  # raised from above

OPEN, IN_PROGRESS, SUBMITTED, CLOSED, CONFIRMED = "open", "in_progress", "submitted", "closed", "confirmed"
STATUS_LABELS = {
    OPEN: "待整改",
    IN_PROGRESS: "整改中",
    SUBMITTED: "待销号",
    CLOSED: "已销号",
    CONFIRMED: "回头看已确认",
}
KIND_LABELS = {"immediate": "立行立改", "deadline": "限期整改", "ongoing": "长期坚持"}

# action -> (statuses it is allowed from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start": (frozenset({OPEN}), IN_PROGRESS),
    "submit": (frozenset({OPEN, IN_PROGRESS}), SUBMITTED),
    "close": (frozenset({SUBMITTED}), CLOSED),
    "send_back": (frozenset({SUBMITTED}), IN_PROGRESS),
    "confirm": (frozenset({CLOSED}), CONFIRMED),
    "reopen": (frozenset({CLOSED, CONFIRMED}), IN_PROGRESS),
}
ACTION_LABELS = {
    "start": "开始整改",
    "submit": "提交销号",
    "close": "销号",
    "send_back": "退回",
    "confirm": "回头看确认",
    "reopen": "回头看重新整改",
}
FINISHED = frozenset({CLOSED, CONFIRMED})  # 已销号: not editable, only reopened
ACTIVE = frozenset({OPEN, IN_PROGRESS, SUBMITTED})


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def transition(status: str, action: str) -> str:
    """The status after `action`, or RuleError (Chinese message) if the lifecycle forbids it."""
    if action not in TRANSITIONS:
        raise RuleError("未知的操作。", "unknown_action")
    allowed, after = TRANSITIONS[action]
    if status not in allowed:
        raise RuleError(f"“{STATUS_LABELS.get(status, status)}”的问题不能{ACTION_LABELS[action]}。", "bad_transition")
    return after


def can_edit(status: str) -> bool:
    """A 销号'd item is not edited, only reopened (rules2.md §6 lifecycle)."""
    return status not in FINISHED


def check_evidence(evidence: str, files: int) -> None:
    """Submission and 销号 need evidence (整改佐证): text or at least one file."""
    if not (evidence or "").strip() and files <= 0:
        raise RuleError("没有整改佐证材料，不能销号：请填写整改成效说明或上传佐证文件。", "no_evidence")


def check_deadline(raised_on: dt.date, deadline: dt.date | None, kind: str) -> None:
    if deadline is not None and deadline < raised_on:
        raise RuleError(
            f"整改时限（{deadline:%Y-%m-%d}）早于问题登记日期（{raised_on:%Y-%m-%d}）。", "deadline_before_raised"
        )
    if kind == "deadline" and deadline is None:
        raise RuleError("限期整改的问题须填写整改时限。", "deadline_required")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day if it has fewer days)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def report_due(source_code: str, raised_on: dt.date) -> dt.date | None:
    """巡察 feedback: the rectification report is due 2 months after (巡视工作条例 27, rules2.md §6)."""
    if source_code in INSPECTION_SOURCES:
        return add_months(raised_on, INSPECTION_REPORT_MONTHS)
    return None


def setting(chain: Iterable[Mapping], key: str, default):
    """The first value of `key` in the settings of the branch and its ancestors (nearest first)."""
    for settings in chain:
        if settings and key in settings:
            return settings[key]
    return default


def closer_mode(chain: Iterable[Mapping]) -> str:
    value = setting(chain, CLOSER_SETTING, DEFAULT_CLOSER)
    return value if value in (CLOSER_BRANCH, CLOSER_DISTRICT) else DEFAULT_CLOSER


def close_via_approvals(chain: Iterable[Mapping]) -> bool:
    """销号 through the approvals inbox: the district's setting (local practice), off by default."""
    return setting(chain, VIA_APPROVALS_SETTING, False) is True


def review_months(chain: Iterable[Mapping]) -> int:
    value = setting(chain, REVIEW_SETTING, DEFAULT_REVIEW_MONTHS)
    return value if isinstance(value, int) and 1 <= value <= 60 else DEFAULT_REVIEW_MONTHS


def is_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    return status in ACTIVE and deadline is not None and deadline < today


def review_is_due(status: str, review_due: dt.date | None, today: dt.date) -> bool:
    return status == CLOSED and review_due is not None and review_due <= today


@dataclass(frozen=True)
class Counts:
    open: int = 0
    overdue: int = 0
    closed: int = 0


def sort_key(status: str, deadline: dt.date | None, today: dt.date, pk: int = 0) -> tuple:
    """Overdue first (oldest deadline first), then active by deadline, then finished."""
    overdue = is_overdue(status, deadline, today)
    finished = status in FINISHED
    return (not overdue, finished, deadline or dt.date.max, pk)
