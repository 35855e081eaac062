"""Rules of 评优 (两优一先) and the optional 积分 (pure: no Django, no ORM).

Sources (rules2.md §12, §4, §5):
- 两优一先: 优秀共产党员, 优秀党务工作者, 先进基层党组织; a district commends around 七一 by custom; no
  national percentage cap — local fixed numbers or ratios (e.g. 5%); the scheme itself needs
  approval, its reference is recorded (党内功勋荣誉表彰条例 17, N A; quotas L).
- 公示: results are publicised before the commendation; 5 working days is the usual local period
  (the same count as 发展党员's 公示, 细则 第13条), configurable per round (L).
- 积分制: local only — base 60/70/80 ± items, floor 0, reset yearly (rules2.md §4, L B); never a
  ranking of members (整治形式主义为基层减负若干规定 2024, rules2.md §5, N A): points are shown to the
  member themself and to the branch committee, one person at a time.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

MEMBER, WORKER, ORG = "member", "worker", "org"
AWARD_TYPES = ((MEMBER, "优秀共产党员"), (WORKER, "优秀党务工作者"), (ORG, "先进基层党组织"))
AWARD_LABELS = dict(AWARD_TYPES)
PERSON_TYPES = (MEMBER, WORKER)

FIXED, RATIO = "fixed", "ratio"
QUOTA_KINDS = ((FIXED, "固定名额"), (RATIO, "按正式党员比例"))

NOMINATED, AWARDED, NOT_AWARDED, WITHDRAWN = "nominated", "awarded", "not_awarded", "withdrawn"
STATUSES = ((NOMINATED, "已推荐"), (AWARDED, "拟表彰"), (NOT_AWARDED, "未通过审定"), (WITHDRAWN, "已撤回"))
STATUS_LABELS = dict(STATUSES)

DEFAULT_PUBLICITY_WORKDAYS = 5
SOURCE = "《中国共产党党内功勋荣誉表彰条例》第17条；名额和比例按上级批准的表彰方案（本地做法）"

# 积分 sources: derived from records that already exist, or entered by the committee with evidence.
MANUAL, ATTENDANCE, ABSENCE, DUES_ON_TIME = "manual", "attendance", "absence", "dues_on_time"
POINT_SOURCES = (
    (MANUAL, "支委登记（须写明依据）"),
    (ATTENDANCE, "参加组织生活（每次）"),
    (ABSENCE, "无故缺席组织生活（每次）"),
    (DUES_ON_TIME, "按月交纳党费（每月）"),
)
POINT_SOURCE_LABELS = dict(POINT_SOURCES)
POINTS_FLOOR = 0


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def check_window(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise RuleError("推荐截止日期不能早于开始日期。", "window_reversed")


def in_window(opens_on: dt.date, closes_on: dt.date, today: dt.date) -> bool:
    return opens_on <= today <= closes_on


def ratio_quota(percent: Decimal, full_members: int) -> int:
    """A ratio of 正式党员, rounded down (a quota is a ceiling: 5% of 39 is 1, not 2)."""
    if percent <= 0 or full_members <= 0:
        return 0
    return math.floor(Decimal(full_members) * percent / Decimal(100))


@dataclass(frozen=True)
class Quotas:
    """How many of each type a round may award (district-wide) and a branch may nominate."""

    kind: str
    percent: Decimal | None
    fixed: dict[str, int]

    def district(self, award_type: str, full_members: int) -> int:
        if award_type == ORG or self.kind == FIXED:
            return self.fixed.get(award_type, 0)
        return ratio_quota(self.percent or Decimal(0), full_members)

    def branch(self, award_type: str, branch_full_members: int) -> int:
        """A branch nominates at most: 1 先进基层党组织 (itself); under a ratio, the ratio of its own
        正式党员 but at least 1 when the type is in the round; under fixed numbers, the round's number."""
        if award_type == ORG:
            return 1 if self.fixed.get(ORG, 0) > 0 else 0
        if self.kind == FIXED:
            return self.fixed.get(award_type, 0)
        return max(1, ratio_quota(self.percent or Decimal(0), branch_full_members))

    def offered(self) -> list[str]:
        if self.kind == FIXED:
            return [t for t, _l in AWARD_TYPES if self.fixed.get(t, 0) > 0]
        return [t for t in PERSON_TYPES if (self.percent or 0) > 0] + ([ORG] if self.fixed.get(ORG, 0) > 0 else [])


def check_quota(*, used: int, quota: int, what: str) -> None:
    if used >= quota:
        raise RuleError(f"{what}名额已满（{quota}名）。", "quota_full")


def check_nominee(*, award_type: str, is_full_member: bool, veto: str) -> None:
    if veto:
        raise RuleError(f"不能推荐：{veto}", "vetoed")
    if award_type in PERSON_TYPES and not is_full_member:
        raise RuleError(f"{AWARD_LABELS[award_type]}须从正式党员中推荐。", "not_full_member")


def publicity_end(start: dt.date, add_workdays, days: int) -> dt.date:
    """The last day of a 公示 of `days` working days counting `start` inclusive; `add_workdays(d, n)`
    is the working-day calendar's (zhibu.workdays)."""
    return add_workdays(start - dt.timedelta(days=1), days)


def publicity_state(start: dt.date | None, end: dt.date | None, today: dt.date) -> str:
    if start is None:
        return "none"
    if today < start:
        return "scheduled"
    if end is not None and today > end:
        return "done"
    return "open"


# --- 积分 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointLine:
    label: str
    count: int
    points: int
    source: str


def derived_points(*, per_item: int, count: int, cap: int | None) -> int:
    """Points of a derived item: per occurrence × count, within ±cap when the district set one."""
    total = per_item * count
    if cap is not None and cap > 0:
        total = max(-cap, min(cap, total))
    return total


def total_points(base: int, lines: list[PointLine]) -> int:
    return max(POINTS_FLOOR, base + sum(line.points for line in lines))
