"""Pure rules of 关怀 and community work (no ORM). Sources: ../shared/spec/rules2.md §5, §11 and
rules.md (党龄).

- frail members (失能、年老体弱、重病、残疾): no attendance requirement; study is brought to them, they
  are visited (党员教育管理工作条例 第23条; rules2.md §11, N A). Only the 失能/年老体弱 flag exempts
  here; 重病 is a reason to visit (an exemption for a long illness is the host's call in orglife).
- 元旦春节 visits: yearly, done before the Spring Festival: 生活困难党员, 老党员 (all who joined before
  1949), award holders (中组部 yearly notice; rules2.md §11, N A). 七一 visits: usual (L B).
- 光荣在党50年: members reaching 50 years of Party standing this year (中央 2021; N A). 党龄 counts
  from the end of the 预备期, i.e. the 转正 date (发展党员工作细则 第33条; rules.md stage 5).
- 政治生日: the 入党 date (the 支部大会 admission, 细则 / rules.md: "党籍 starts the day the 支部大会
  passes the admission"); a monthly batch at the 主题党日, a notice a week ahead (中共中央 意见 2019, N B).
- 党费 may help 生活困难党员 (2008 规定 第19条, N B): a fund source of a visit.
- 减负 (rules2.md §5, N A): no ranking of people — volunteer hours are a table ordered by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

SOURCE_FRAIL = "党员教育管理工作条例 第23条"
SOURCE_VISITS = "中组部关于元旦春节期间走访慰问的通知（每年）"
SOURCE_FIFTY = "“光荣在党50年”纪念章颁发办法（2021）；党龄自转正之日算起（发展党员工作细则 第33条）"
SOURCE_BIRTHDAY = "中共中央 关于加强党的政治建设的意见（2019）"
SOURCE_NO_RANKING = "整治形式主义为基层减负若干规定（2024）：不对党员个人排名"

# --- care flags -----------------------------------------------------------------------------------

HARDSHIP, VETERAN, PRE1949, ILL, FRAIL = "hardship", "veteran", "pre1949", "ill", "frail"
FLAGS: tuple[tuple[str, str], ...] = (
    (HARDSHIP, "生活困难"),
    (VETERAN, "老党员"),
    (PRE1949, "建国前入党"),
    (ILL, "重病"),
    (FRAIL, "失能/年老体弱"),
)
FLAG_LABELS = dict(FLAGS)
EXEMPT_FLAGS = frozenset({FRAIL})  # no attendance requirement (教育管理条例 23)
EXEMPT_REASON = "失能/年老体弱，免于参加组织生活（党员教育管理工作条例第23条）"
FOUNDING = dt.date(1949, 10, 1)


def is_exempt(kinds: Iterable[str]) -> bool:
    return any(k in EXEMPT_FLAGS for k in kinds)


def flag_active(since: dt.date | None, until: dt.date | None, on: dt.date) -> bool:
    return (since is None or since <= on) and (until is None or until >= on)


def suggested_flags(admitted_on: dt.date | None, full_on: dt.date | None, on: dt.date) -> list[str]:
    """Flags the records suggest (the committee confirms): 建国前入党 from the 入党 date, 老党员 at 50
    years of standing."""
    out = []
    if admitted_on is not None and admitted_on < FOUNDING:
        out.append(PRE1949)
    start = standing_start(admitted_on, full_on)
    if start is not None and years_between(start, on) >= 50:
        out.append(VETERAN)
    return out


# --- visit campaigns -----------------------------------------------------------------------------

SPRING, JULY1, OTHER = "spring", "july1", "other"
CAMPAIGN_KINDS: tuple[tuple[str, str], ...] = (
    (SPRING, "元旦春节走访慰问"),
    (JULY1, "七一走访慰问"),
    (OTHER, "其他走访慰问"),
)
CAMPAIGN_LABELS = dict(CAMPAIGN_KINDS)
# Who a campaign visits by default: the 中组部 list for 元旦春节 (and 七一 by custom); 重病 and frail
# members are visited too (教育管理条例 23).
DEFAULT_FLAGS = {
    SPRING: (HARDSHIP, VETERAN, PRE1949, ILL, FRAIL),
    JULY1: (HARDSHIP, VETERAN, PRE1949, ILL, FRAIL),
    OTHER: (HARDSHIP,),
}

# 春节 (正月初一), Gregorian dates; years outside the table have no computed deadline (set by hand).
SPRING_FESTIVAL = {
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
    2031: dt.date(2031, 1, 23),
    2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31),
    2034: dt.date(2034, 2, 19),
    2035: dt.date(2035, 2, 8),
}

FUND_SOURCES: tuple[tuple[str, str], ...] = (
    ("dues", "党费"),
    ("union", "工会经费"),
    ("unit", "单位经费"),
    ("upper", "上级拨付"),
    ("other", "其他"),
)
MAX_AMOUNT = Decimal("100000")


def campaign_due(kind: str, year: int) -> dt.date | None:
    """元旦春节: by the eve of the Spring Festival of `year`; 七一: by July 1; other: none."""
    if kind == SPRING:
        festival = SPRING_FESTIVAL.get(year)
        return festival - dt.timedelta(days=1) if festival else None
    if kind == JULY1:
        return dt.date(year, 7, 1)
    return None


def campaign_title(kind: str, year: int) -> str:
    return f"{year}年{CAMPAIGN_LABELS.get(kind, '走访慰问')}"


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def check_amount(amount: Decimal | None) -> None:
    if amount is None:
        return
    if amount < 0:
        raise RuleError("慰问金额不能为负数。", "amount_negative")
    if amount > MAX_AMOUNT:
        raise RuleError(f"慰问金额不能超过{MAX_AMOUNT}元，请核对。", "amount_too_large")


def check_visit_date(visited_on: dt.date, today: dt.date, campaign_year: int) -> None:
    if visited_on > today:
        raise RuleError("走访日期不能晚于今天。", "visit_in_future")
    if visited_on.year < campaign_year - 1:
        raise RuleError(f"走访日期须在{campaign_year - 1}年以后。", "visit_too_early")


def campaign_complete(must_visit: Iterable[int], visited: Iterable[int]) -> bool:
    """A campaign is complete when everyone on its list has been visited (an empty list is not)."""
    must = set(must_visit)
    return bool(must) and must <= set(visited)


# --- standing: 光荣在党50年 and 政治生日 ------------------------------------------------------------


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def standing_start(admitted_on: dt.date | None, full_on: dt.date | None) -> dt.date | None:
    """党龄 counts from the 转正 date; without one (older records), one year after admission (the
    预备期, 细则 第31条)."""
    if full_on is not None:
        return full_on
    if admitted_on is not None:
        return add_years(admitted_on, 1)
    return None


def years_between(start: dt.date, on: dt.date) -> int:
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def reaches_fifty(admitted_on: dt.date | None, full_on: dt.date | None, year: int) -> bool:
    """光荣在党50年: 50 years of standing are reached during `year`."""
    start = standing_start(admitted_on, full_on)
    return start is not None and start.year + 50 == year


def fifty_date(admitted_on: dt.date | None, full_on: dt.date | None) -> dt.date | None:
    start = standing_start(admitted_on, full_on)
    return add_years(start, 50) if start else None


def political_birthday(admitted_on: dt.date, year: int) -> dt.date:
    """This year's 政治生日 (29 February: the 28th in a common year)."""
    return add_years(admitted_on, year - admitted_on.year)


def birthday_in_month(admitted_on: dt.date | None, year: int, month: int) -> bool:
    return admitted_on is not None and admitted_on.year < year and political_birthday(admitted_on, year).month == month


REMIND_DAYS = 7


def birthday_due(admitted_on: dt.date | None, today: dt.date) -> dt.date | None:
    """The 政治生日 falling within the next REMIND_DAYS days (the reminder a week ahead), else None."""
    if admitted_on is None:
        return None
    for year in (today.year, today.year + 1):
        if admitted_on.year >= year:
            continue
        day = political_birthday(admitted_on, year)
        if today <= day <= today + dt.timedelta(days=REMIND_DAYS):
            return day
    return None


# --- 结对 ---------------------------------------------------------------------------------------

DEFAULT_PAIRS = (1, 2)  # "each member mentors 1–2 staff or activists" (the seed plans)
PAIR_UNITS = ("名", "人", "个", "户")


def pair_range(targets: Iterable[dict]) -> tuple[int, int] | None:
    """The pairing target of a plan ("每名党员结对帮扶1-2名教职工"): (lower, upper), from the parser's
    targets (kind "pairing", an amount in 名/人); None when the plan sets none."""
    for t in targets:
        if t.get("kind") != "pairing":
            continue
        amount = t.get("amount") or {}
        if amount.get("unit") in PAIR_UNITS and amount.get("value"):
            lo = int(amount["value"])
            hi = int(amount.get("max") or lo)
            if 1 <= lo <= hi <= 20:
                return lo, hi
    return None


def pair_state(count: int, lo: int, hi: int) -> str:
    if count == 0:
        return "none"
    if count < lo:
        return "below"
    if count > hi:
        return "over"
    return "ok"


PAIR_STATE_LABELS = {"none": "未结对", "below": "不足", "ok": "达标", "over": "超出"}

# --- 志愿服务 ------------------------------------------------------------------------------------

MAX_HOURS = Decimal("24")


def check_hours(hours: Decimal) -> None:
    if hours <= 0:
        raise RuleError("服务时长须大于0小时。", "hours_not_positive")
    if hours > MAX_HOURS:
        raise RuleError("一次活动的服务时长不能超过24小时。", "hours_too_many")
    if (hours * 2) != (hours * 2).to_integral_value():
        raise RuleError("服务时长以半小时计（如1.5）。", "hours_not_half")


# --- 示范岗 --------------------------------------------------------------------------------------

POST_KINDS: tuple[tuple[str, str], ...] = (("model", "党员示范岗"), ("vanguard", "党员先锋岗"))
REVIEW_RESULTS: tuple[tuple[str, str], ...] = (("excellent", "优秀"), ("pass", "合格"), ("fail", "不合格"))

# --- 共建 --------------------------------------------------------------------------------------

PARTNER_KINDS: tuple[tuple[str, str], ...] = (
    ("community", "社区"),
    ("school", "学校/幼儿园"),
    ("unit", "机关事业单位"),
    ("enterprise", "企业"),
    ("other", "其他"),
)
