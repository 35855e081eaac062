"""Rules of 组织关系转接, the status register and 党内奖惩, as data with their sources (pure: no Django).

Sources: 中国共产党党员教育管理工作条例 (2019) 第24、25、31条 (rules.md §4); 中国共产党章程 第九条、
第四十条; local practice where marked (configurable per district in Organisation.settings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    months: int
    source: str


# 失联党员: out of contact ≥ 6 months → 停止党籍; still lost 2 years after that → 自行脱党, 除名
# (党员教育管理工作条例 第24条, rules.md §4, confidence A).
LOST_TO_STOP = Timing(6, "党员教育管理工作条例 第24条：与党组织失去联系6个月以上的，停止党籍")
STOPPED_TO_LAPSE = Timing(24, "党员教育管理工作条例 第24条：停止党籍2年后仍无法取得联系的，按自行脱党予以除名")
# Transfer: on change of unit/residence or away ≥ 6 months; the old branch stays responsible until the
# new one received the member (第25条); away ≥ 6 months without a transfer: 流动党员, keep contact (第32条).
TRANSFER_SOURCE = "党员教育管理工作条例 第25条：党员工作单位、经常居住地发生变动的，应当及时转移组织关系"
FLOATING = Timing(6, "党员教育管理工作条例 第32条：外出6个月以上未转移组织关系的，为流动党员")
# 介绍信 有效期: local practice (the district's setting "membership_letter_days"); 30 days as commonly printed.
LETTER_DAYS_DEFAULT = 30
LETTER_DAYS_SOURCE = "本地做法：介绍信有效期（天）由上级党组织设定，默认30天"
LETTER_DAYS_RANGE = (1, 180)

# 党纪处分 (党章 第四十条): five kinds; 留党察看 at most two years, without the right to vote, elect or
# be elected during it.
PENALTIES = ("警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍")
PROBATION = "留党察看"
PROBATION_MAX_MONTHS = 24
PENALTY_SOURCE = "中国共产党章程 第四十条"
VOTING_SOURCE = "党章 第四十条：党员在留党察看期间没有表决权、选举权和被选举权"
# 评优: a member under a 处分 decided that year (or under 留党察看 during it) is not considered (local
# practice commonly written into 评优 notices; configurable by leaving this empty).
VETO_SOURCE = "本地做法：当年受党纪处分或处于留党察看期的党员不参加评优"

# Status kinds that take a person off the register, and their sources.
LEAVING = {
    "withdrew": "党章 第九条：党员有退党的自由",
    "removed": "党章 第九条；党员教育管理工作条例 第31条",
    "expelled": "党章 第四十条",
    "stopped": LOST_TO_STOP.source,
    "died": "",
}


class RuleError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    # clamp to the month's last day
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def letter_number(year: int | None, seq: int | None) -> str:
    """介绍信编号 as printed: 〔2026〕第7号 (one sequence per district and year)."""
    return f"〔{year}〕第{seq}号" if year and seq else ""


def letter_days(settings: dict | None) -> int:
    value = (settings or {}).get("membership_letter_days", LETTER_DAYS_DEFAULT)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return LETTER_DAYS_DEFAULT
    low, high = LETTER_DAYS_RANGE
    return days if low <= days <= high else LETTER_DAYS_DEFAULT


def lost_due(lost_on: dt.date) -> dt.date:
    """The day from which a 失联 member should be considered for 停止党籍."""
    return add_months(lost_on, LOST_TO_STOP.months)


def lapse_due(stopped_on: dt.date) -> dt.date:
    """The day from which a member whose 党籍 was stopped and who is still lost is 除名 (自行脱党)."""
    return add_months(stopped_on, STOPPED_TO_LAPSE.months)


def check_penalty(title: str, decided_on: dt.date, ends_on: dt.date | None) -> None:
    if title not in PENALTIES:
        raise RuleError(f"党纪处分为：{'、'.join(PENALTIES)}（{PENALTY_SOURCE}）", "unknown_penalty")
    if title == PROBATION:
        if ends_on is None:
            raise RuleError("留党察看须填写期满日期", "probation_end")
        if ends_on > add_months(decided_on, PROBATION_MAX_MONTHS):
            raise RuleError(f"留党察看最长不超过两年（{PENALTY_SOURCE}）", "probation_too_long")
    elif ends_on is not None:
        raise RuleError("只有留党察看有期满日期", "ends_only_probation")


def suspended_on(title: str, decided_on: dt.date, ends_on: dt.date | None, on: dt.date) -> bool:
    """Voting rights suspended on `on` (留党察看 from the decision to the day before it ends)."""
    return title == PROBATION and decided_on <= on and (ends_on is None or on < ends_on)


def vetoed_in(title: str, decided_on: dt.date, ends_on: dt.date | None, year: int) -> bool:
    """Barred from that year's 评优: a 处分 decided in the year, or a 留党察看 running into it."""
    if decided_on.year == year:
        return True
    return title == PROBATION and decided_on.year < year and (ends_on is None or ends_on > dt.date(year, 1, 1))
