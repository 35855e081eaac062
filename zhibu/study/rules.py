"""Study rules, pure Python (no ORM). Sources: rules2.md §4 (education and study), §5 (减负), §11 (care).

- Hours (学时): 集中学习培训 ≥ 32 学时 a year for members (党员教育管理工作条例 第20条, N A); 基层党组织书记
  and 班子成员 ≥ 56 (全国党员教育培训工作规划, N B). Both configurable per district (organisation settings
  `study_hours_member`, `study_hours_leader`; the nearest ancestor's value wins).
- Counting (local, L B): a full day 8 学时, half a day 4, otherwise 1 per hour; calendar year only
  (settings `study_full_day`, `study_half_day`).
- 减负 (rules2.md §5, N A): no ranking of people, no 在线时长 counting, 学习时长 never an assessment
  basis — tables are ordered by name and say how far short someone is, nothing more.
- Frail members (old, immobile, seriously ill or disabled) have no attendance requirement
  (党员教育管理工作条例 第23条, rules2.md §11): marked exempt, never counted as short.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HOURS_SOURCE = "党员教育管理工作条例 第20条（党员每年集中学习培训一般不少于32学时）"
LEADER_SOURCE = "全国党员教育培训工作规划（基层党组织书记和班子成员每年不少于56学时）"
COUNTING_SOURCE = "本地做法：全天8学时、半天4学时，其余按1小时1学时计算，按自然年统计"
FRAIL_SOURCE = "党员教育管理工作条例 第23条（年老体弱、行动不便等党员不作参学要求，送学上门）"
NO_RANKING = "依据整治形式主义为基层减负若干规定：不对个人排名，学习时长不作为考核依据。"

DEFAULTS = {"study_hours_member": 32, "study_hours_leader": 56, "study_full_day": 8, "study_half_day": 4}
MAX_SESSION_HOURS = Decimal(12)  # one session: more than a long day is a typing error
MAX_TRAINING_HOURS = Decimal(200)  # one external course (a month at 党校 is about 160)
MAX_POINTS_PER_DAY = 200  # 学习强国: more points than a day can give is a malformed row

CATEGORIES = (
    ("theory", "理论学习"),
    ("integrity", "廉政/警示教育"),
    ("ethics", "师德师风"),
    ("ideology", "意识形态"),
    ("work", "业务学习"),
    ("other", "其他"),
)

FULL_DAY, HALF_DAY, HOURS = "full_day", "half_day", "hours"
FRAIL_REASONS = ("年老体弱", "行动不便", "重病", "残疾")


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def config(chain: Iterable[Mapping]) -> dict[str, int]:
    """The study settings from a chain of organisation settings, nearest first."""
    out = dict(DEFAULTS)
    for key in DEFAULTS:
        for settings in chain:
            value = (settings or {}).get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 500:
                out[key] = value
                break
    return out


def check_hours(hours, *, limit: Decimal = MAX_SESSION_HOURS, what: str = "学习时长") -> Decimal:
    """Hours as typed: positive, at most `limit`, in half hours."""
    try:
        value = Decimal(str(hours))
    except Exception:
        raise RuleError(f"{what}须为数字。", "hours_invalid") from None
    if not value.is_finite() or value <= 0:
        raise RuleError(f"{what}须大于0。", "hours_not_positive")
    if value > limit:
        raise RuleError(f"{what}不能超过{limit}小时，请核对。", "hours_absurd")
    if value * 2 != (value * 2).to_integral_value():
        raise RuleError(f"{what}按半小时计，如1.5小时。", "hours_not_half")
    return value


def credited(length: str, hours, cfg: Mapping[str, int] = DEFAULTS) -> Decimal:
    """学时 credited for one session: a full day, half a day, or per hour (COUNTING_SOURCE)."""
    if length == FULL_DAY:
        return Decimal(cfg["study_full_day"])
    if length == HALF_DAY:
        return Decimal(cfg["study_half_day"])
    return check_hours(hours)


def credited_for_duration(seconds: float, cfg: Mapping[str, int] = DEFAULTS) -> Decimal:
    """学时 of a meeting held for `seconds` (a 党课 or 主题党日 of 组织生活): per hour to the half hour,
    never more than a full day."""
    hours = (Decimal(max(seconds, 0)) / 3600 * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
    return min(hours, Decimal(cfg["study_full_day"]))


def target_hours(*, leader: bool, cfg: Mapping[str, int] = DEFAULTS) -> int:
    return cfg["study_hours_leader"] if leader else cfg["study_hours_member"]


@dataclass(frozen=True)
class Standing:
    hours: Decimal
    target: int
    exempt: bool

    @property
    def short(self) -> Decimal:
        """How far below the target (0 when met or exempt)."""
        if self.exempt:
            return Decimal(0)
        return max(Decimal(self.target) - self.hours, Decimal(0))

    @property
    def below(self) -> bool:
        return self.short > 0


def char_count(text: str) -> int:
    """Characters of a 心得 as people count them: everything but whitespace."""
    return sum(1 for ch in text or "" if not ch.isspace())


# --- targets of the plan → obligations and quotas -----------------------------------------------


# orglife's frequencies (its grid is month-based): a target more frequent than monthly is checked
# month by month (每两周一次 → at least one in every month), the text says what was promised.
def frequency_of(every: Mapping | None) -> str | None:
    if not every:
        return None
    n, unit = int(every.get("n") or 1), every.get("unit")
    if unit in ("day", "week"):
        return "monthly"
    if unit == "month":
        return "monthly" if n == 1 else "quarterly" if n <= 3 else "half_yearly" if n <= 6 else "yearly"
    if unit == "quarter":
        return "quarterly" if n == 1 else "half_yearly" if n == 2 else "yearly"
    if unit == "semester":
        return "half_yearly" if n == 1 else "yearly"
    if unit == "year":
        return "yearly"
    return None


QUOTA_KINDS = {
    "reflections": ("学习心得", "篇"),
    "chars": ("学习笔记字数", "字"),
    "books": ("读书", "本"),
    "xuexi_daily": ("学习强国每日积分", "分"),
    "hours": ("个人学时", "学时"),
}


def quota_of(target: Mapping) -> tuple[str, int] | None:
    """A personal quota a target sets ("每人撰写2篇学习体会" → ("reflections", 2)), scaled to the year."""
    amount = target.get("amount") or {}
    unit, value = amount.get("unit"), amount.get("value")
    if not isinstance(value, (int, float)) or value <= 0:
        return None
    every = target.get("every") or {}
    per_year = _per_year(every)
    text = target.get("text", "")
    if unit == "篇":
        return "reflections", int(value * per_year)
    if unit == "字":
        return "chars", int(value * per_year)
    if unit == "本":
        return "books", int(value * per_year)
    if unit == "分" and ("学习强国" in text or "强国" in text):
        return "xuexi_daily", int(value)
    if unit in ("小时", "学时") and not every:
        return "hours", int(value)
    return None


def _per_year(every: Mapping) -> int:
    n, unit = int(every.get("n") or 1), every.get("unit")
    if unit == "month":
        return max(12 // n, 1)
    if unit == "quarter":
        return max(4 // n, 1)
    if unit == "semester":
        return max(2 // n, 1)
    return 1


def adoptable(target: Mapping) -> str | None:
    """What a target becomes on adoption: "obligation" (a frequency of collective study), "quota"
    (a personal amount), or None (not a study target, or nothing countable)."""
    if target.get("kind") not in ("study", "integrity", "ethics"):
        return None
    if quota_of(target):
        return "quota"
    if (target.get("every") or {}).get("unit") == "day":
        return None  # 日学一小时: encouraged, never clocked (rules2.md §5: no 在线时长 counting)
    if frequency_of(target.get("every")):
        return "obligation"
    return None


def xuexi_month_total(points: Iterable[int]) -> int:
    return sum(points)
