"""党费 rules: pure data and functions, no ORM.

Source: 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号), cited below as DOC plus the
article. Every rule is data with its source next to it (see ../../shared spec rules.md §3).

Money is `decimal.Decimal` end to end. Floats are rejected with TypeError wherever money or a rate
enters, because binary floating point rounds real amounts the wrong way (e.g. 3000.50 × 1% = 30.005
exactly, which is 30.01 half-up, but the float product is 30.004999… → 30.00).

Rounding: there is no central rounding rule in 中组发〔2008〕3号. We round every amount to the fen
(0.01 元) with ROUND_HALF_UP (四舍五入), once, on the exact Decimal product `base × rate`.

Input amounts (bases, farmer amounts, reductions, voluntary payments) must be finite, non-negative and
have at most two decimal places: a yuan amount is known to the fen, and silently rounding a base with
more places would hide a data-entry error, so such input is rejected with ValueError.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

DOC = "中组发〔2008〕3号"
DANGZHANG = "中国共产党章程"

FEN = Decimal("0.01")
# Inputs above this are rejected as implausible; it also keeps all arithmetic exact.
MAX_AMOUNT = Decimal("1000000000000")
# Our own context, so a caller's decimal context (precision, traps) cannot change results.
_CTX = Context(prec=40, rounding=ROUND_HALF_UP)
ROUNDING_NOTE = "中央未规定取舍办法，本系统按分（0.01元）四舍五入"

# Categories of member, by how the due is reckoned.
IN_SERVICE = "in_service"
RETIRED = "retired"
STUDENT = "student"
UNEMPLOYED = "unemployed"
LOW_INCOME = "low_income"
FARMER = "farmer"
CATEGORIES = (IN_SERVICE, RETIRED, STUDENT, UNEMPLOYED, LOW_INCOME, FARMER)

CATEGORY_LABELS = {
    IN_SERVICE: "在职党员",
    RETIRED: "离退休党员",
    STUDENT: "学生党员",
    UNEMPLOYED: "下岗失业党员",
    LOW_INCOME: "享受最低生活保障的党员",
    FARMER: "农民党员",
}


@dataclass(frozen=True)
class Bracket:
    """Rate `rate` applies to the WHOLE base when base <= upper (inclusive); upper None = no limit."""

    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class RateTable:
    brackets: tuple[Bracket, ...]  # ascending; one rate on the whole base, not progressive
    source: str


@dataclass(frozen=True)
class FixedDue:
    amount: Decimal
    source: str


@dataclass(frozen=True)
class RangeDue:
    minimum: Decimal
    maximum: Decimal
    default: Decimal
    source: str


RATE_TABLES: dict[str, RateTable] = {
    # 第1条: base = after-tax regular salary; 第2条: ≤3000 (inclusive) 0.5%, 3000–5000 1%,
    # 5000–10000 1.5%, >10000 2%, one rate on the whole base.
    IN_SERVICE: RateTable(
        (
            Bracket(Decimal("3000"), Decimal("0.005")),
            Bracket(Decimal("5000"), Decimal("0.01")),
            Bracket(Decimal("10000"), Decimal("0.015")),
            Bracket(None, Decimal("0.02")),
        ),
        f"{DOC} 第1条、第2条",
    ),
    # 第5条: base = pension; ≤5000 (inclusive) 0.5%, >5000 1%.
    RETIRED: RateTable(
        (
            Bracket(Decimal("5000"), Decimal("0.005")),
            Bracket(None, Decimal("0.01")),
        ),
        f"{DOC} 第5条",
    ),
}

FIXED_DUES: dict[str, FixedDue] = {
    # 第6条: students, unemployed, 低保 members pay 0.2 元 a month.
    STUDENT: FixedDue(Decimal("0.20"), f"{DOC} 第6条"),
    UNEMPLOYED: FixedDue(Decimal("0.20"), f"{DOC} 第6条"),
    LOW_INCOME: FixedDue(Decimal("0.20"), f"{DOC} 第6条"),
}

RANGE_DUES: dict[str, RangeDue] = {
    # 第6条: 农民党员 0.2–1 元 a month; the branch chooses within the range (default the minimum).
    FARMER: RangeDue(Decimal("0.20"), Decimal("1.00"), Decimal("0.20"), f"{DOC} 第6条"),
}

# 第7条: hardship — branch discusses, higher 党委 approves a reduction or exemption.
HARDSHIP_SOURCE = f"{DOC} 第7条"
# 第8条: a 预备党员 pays from the day the 支部大会 passed the admission.
PROBATIONARY_SOURCE = f"{DOC} 第8条"
# 第10条: a new base applies from the month the new salary is paid.
BASE_CHANGE_SOURCE = f"{DOC} 第10条"
# 第11条: voluntary extra payment; a single payment ≥1000 元 goes wholly to the Centre.
VOLUNTARY_CENTRE_THRESHOLD = Decimal("1000")
VOLUNTARY_SOURCE = f"{DOC} 第11条"
# 第12条: monthly; with branch consent quarterly, by proxy, or late (补交) up to 6 months.
MAX_LATE_MONTHS = 6
LATE_PAYMENT_SOURCE = f"{DOC} 第12条"


@dataclass(frozen=True)
class ArrearsThreshold:
    months: int  # consecutive unpaid months at which the level starts
    level: str
    label: str
    source: str


# 第13条 / 党章 第九条: 6 consecutive months unpaid without good reason → treated as 自行脱党.
# The warning (3) and escalation to the secretary (5) are this system's early warnings (local
# practice, so they are data a caller may replace), ascending.
ARREARS_THRESHOLDS: tuple[ArrearsThreshold, ...] = (
    ArrearsThreshold(3, "warning", "连续3个月未交纳党费，提醒本人", f"本系统预警（依据{DOC} 第13条提前提醒）"),
    ArrearsThreshold(5, "escalate", "连续5个月未交纳党费，报支部书记", f"本系统预警（依据{DOC} 第13条提前提醒）"),
    ArrearsThreshold(
        6,
        "lapsed",
        "连续6个月未交纳党费，无正当理由的视为自行脱党，须由支部研究处理",
        f"{DANGZHANG} 第九条；{DOC} 第13条",
    ),
)
ARREARS_LEVELS = ("ok", "warning", "escalate", "lapsed")


@dataclass(frozen=True)
class DueResult:
    category: str
    base: Decimal | None  # None for fixed/range categories when no base was given
    rate: Decimal | None  # None for fixed/range categories and for exemptions
    amount: Decimal  # monthly due, quantized to 0.01
    source: str


# ---------------------------------------------------------------------------------------------
# validation


def _money(value, name: str) -> Decimal:
    """Check a money input: Decimal or int (not bool, never float), finite, ≥0, ≤2 decimal places."""
    if isinstance(value, float):
        raise TypeError(f"{name} 不能是浮点数（float），请使用 Decimal")
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} 须为 Decimal 或整数，收到 {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{name} 须为有限数值，收到 {value}")
    if value < 0:
        raise ValueError(f"{name} 不能为负数，收到 {value}")
    if value >= MAX_AMOUNT:
        raise ValueError(f"{name} 过大（须小于{MAX_AMOUNT}），收到 {value}")
    if value != _CTX.quantize(value, FEN):
        raise ValueError(f"{name} 最多两位小数（精确到分），收到 {value}")
    return _CTX.quantize(value, FEN)  # same value, shown with two places


def round_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half-up (no central rounding rule; see module docstring)."""
    if isinstance(amount, float):
        raise TypeError("金额不能是浮点数（float），请使用 Decimal")
    return _CTX.quantize(Decimal(amount), FEN)


# ---------------------------------------------------------------------------------------------
# monthly due


def rate_for(category: str, base: Decimal) -> tuple[Decimal, str]:
    """The single rate for `base` in a percentage category (in_service, retired) and its source."""
    if category not in RATE_TABLES:
        raise ValueError(f"类别 {category!r} 不按比例计算党费")
    base = _money(base, "计算基数")
    table = RATE_TABLES[category]
    for bracket in table.brackets:
        if bracket.upper is None or base <= bracket.upper:
            return bracket.rate, table.source
    raise AssertionError("rate table must end with an open bracket")  # pragma: no cover


def monthly_due(
    *,
    category: str,
    base: Decimal | int | None = None,
    reduction: Decimal | int | None = None,
    exempt: bool = False,
    farmer_amount: Decimal | int | None = None,
) -> DueResult:
    """The monthly 党费 of one member.

    - in_service / retired: `base` required (after-tax salary / pension, Decimal yuan); amount =
      (base × rate) rounded to 0.01 half-up, one rate on the whole base.
    - student / unemployed / low_income: fixed 0.20 元; `base` optional and only echoed back.
    - farmer: `farmer_amount` chosen by the branch within 0.20–1.00 (default 0.20); outside → ValueError.
    - `reduction`: an approved reduction (第7条) in yuan subtracted from the computed amount; it may not
      exceed the amount. `exempt=True`: approved exemption (第7条), amount 0.00. Not both.

    Raises TypeError for floats (or other non-Decimal/int money), ValueError for bad values.
    """
    if category not in CATEGORIES:
        raise ValueError(f"未知的党员类别 {category!r}，可选：{', '.join(CATEGORIES)}")
    if not isinstance(exempt, bool):
        raise TypeError("exempt 须为 True 或 False")
    if farmer_amount is not None and category != FARMER:
        raise ValueError("只有农民党员可以指定 farmer_amount")
    if exempt and reduction is not None:
        raise ValueError("免交与减交不能同时指定")

    base_value = _money(base, "计算基数") if base is not None else None
    rate: Decimal | None
    if category in RATE_TABLES:
        if base_value is None:
            raise ValueError(f"{CATEGORY_LABELS[category]}须提供计算基数")
        rate, source = rate_for(category, base_value)
        amount = round_fen(_CTX.multiply(base_value, rate))
    elif category in FIXED_DUES:
        rule = FIXED_DUES[category]
        rate, source, amount = None, rule.source, rule.amount
    else:
        rule = RANGE_DUES[category]
        chosen = rule.default if farmer_amount is None else _money(farmer_amount, "农民党员党费")
        if not rule.minimum <= chosen <= rule.maximum:
            raise ValueError(
                f"农民党员每月党费须在{rule.minimum}元至{rule.maximum}元之间，收到{chosen}元"
            )
        rate, source, amount = None, rule.source, round_fen(chosen)

    if exempt:
        return DueResult(category, base_value, None, Decimal("0.00"), f"{source};{HARDSHIP_SOURCE}（免交）")
    if reduction is not None:
        cut = _money(reduction, "减交金额")
        if cut > amount:
            raise ValueError(f"减交金额{cut}元超过应交金额{amount}元")
        return DueResult(category, base_value, rate, round_fen(_CTX.subtract(amount, cut)), f"{source};{HARDSHIP_SOURCE}（减交）")
    return DueResult(category, base_value, rate, amount, source)


# ---------------------------------------------------------------------------------------------
# dates


def _first_of_month(day: dt.date) -> dt.date:
    if not isinstance(day, dt.date):
        raise TypeError("须为日期（datetime.date）")
    return dt.date(day.year, day.month, 1)


def pays_from(admission_meeting_date: dt.date) -> dt.date:
    """First month (as its 1st day) a 预备党员 owes 党费: the month of the 支部大会 that passed them (第8条)."""
    return _first_of_month(admission_meeting_date)


def base_effective_month(salary_paid_date: dt.date) -> dt.date:
    """First month (as its 1st day) a new base applies: the month the new salary is paid (第10条)."""
    return _first_of_month(salary_paid_date)


# ---------------------------------------------------------------------------------------------
# arrears, late payment, voluntary payments

YearMonth = tuple[int, int]


def _ym(value, name: str) -> YearMonth:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 1 <= value[1] <= 12
    ):
        raise ValueError(f"{name} 须为 （年， 月） 形式，收到 {value!r}")
    return value


def _index(ym: YearMonth) -> int:
    return ym[0] * 12 + ym[1] - 1


def months_between(earlier: YearMonth, later: YearMonth) -> int:
    """later − earlier in months (negative if later is before earlier)."""
    return _index(_ym(later, "later")) - _index(_ym(earlier, "earlier"))


def consecutive_unpaid(months_paid: set[YearMonth], upto: YearMonth, since: YearMonth) -> int:
    """Consecutive unpaid months counting back from `upto` (inclusive), never before `since`
    (inclusive: the first month the member owed, e.g. `pays_from`). Pass as `upto` the last month
    that should already have been paid. 0 if `upto` is paid or precedes `since`."""
    upto, since = _ym(upto, "upto"), _ym(since, "since")
    paid = {_index(_ym(m, "months_paid 的元素")) for m in months_paid}
    count, i = 0, _index(upto)
    while i >= _index(since) and i not in paid:
        count += 1
        i -= 1
    return count


def arrears_level(n: int, thresholds: tuple[ArrearsThreshold, ...] = ARREARS_THRESHOLDS) -> str:
    """"ok" | "warning" (≥3) | "escalate" (≥5) | "lapsed" (≥6, the 党章 第九条 line) for `n`
    consecutive unpaid months. "lapsed" flags the line; whether there was good reason is the
    branch's decision."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("连续未交月数须为整数")
    if n < 0:
        raise ValueError("连续未交月数不能为负数")
    level = "ok"
    for threshold in thresholds:
        if n >= threshold.months:
            level = threshold.level
    return level


def arrears_threshold(n: int) -> ArrearsThreshold | None:
    """The highest threshold reached by `n` consecutive unpaid months (its label and source), or None."""
    arrears_level(n)
    reached = [t for t in ARREARS_THRESHOLDS if n >= t.months]
    return reached[-1] if reached else None


def late_payment_allowed(for_month: YearMonth, paid_in: YearMonth) -> bool:
    """Whether paying in `paid_in` for `for_month` is allowed: 补交 at most 6 months back (第12条).
    Paying for the current or a future month is always allowed."""
    return months_between(for_month, paid_in) <= MAX_LATE_MONTHS


def goes_wholly_to_centre(voluntary_amount: Decimal | int) -> bool:
    """A single voluntary payment of 1000 元 or more goes wholly to the Centre (第11条)."""
    return _money(voluntary_amount, "自愿多交金额") >= VOLUNTARY_CENTRE_THRESHOLD


# ---------------------------------------------------------------------------------------------
# months as integers (fast arithmetic for the month close) and arrears streaks


def month_index(day: dt.date) -> int:
    """A month as one integer (year × 12 + month − 1); any day of the month maps to the same index."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    """The first day of the month with `month_index` == index."""
    return dt.date(index // 12, index % 12 + 1, 1)


def add_months(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after (or before, n < 0) the month of `day`."""
    return month_start(month_index(day) + n)


def quarter_months(day: dt.date) -> list[dt.date]:
    """The three months (first days) of the calendar quarter containing `day`."""
    first = (day.month - 1) // 3 * 3 + 1
    return [dt.date(day.year, first + i, 1) for i in range(3)]


def unpaid_streak(*, last_paid: int | None, since: int, upto: int, exempt: frozenset[int] | set[int] = frozenset()) -> tuple[int, int | None]:
    """Consecutive unpaid months counting back from month index `upto` (inclusive), never before
    `since` (inclusive), stopping at the last paid month `last_paid` (an index, None = never) and at an
    exempt month (an approved exemption, 第7条, means nothing was owed). Same counting as
    `consecutive_unpaid`, on month indexes. Returns (count, index of the first unpaid month or None)."""
    if last_paid is not None and last_paid >= upto:
        return 0, None
    stop = since - 1 if last_paid is None else max(since - 1, last_paid)
    if not exempt:
        count = max(0, upto - stop)
        return count, (stop + 1 if count else None)
    count, i = 0, upto
    while i > stop and i not in exempt:
        count += 1
        i -= 1
    return count, (i + 1 if count else None)


# ---------------------------------------------------------------------------------------------
# 待补交: what each month still owes, and paying it oldest first

# The 待补交 ledger looks back this many months from its cut-off (five years: far beyond the 6-month
# lines of 第12条 and 第13条, so nothing a branch still deals with falls out of it).
OWED_WINDOW_MONTHS = 60
ZERO_FEN = Decimal("0.00")


def owed_in_month(due: Decimal | None, paid: Decimal) -> Decimal:
    """What a month still owes: the due less what was paid for it (never negative; nothing when the
    due is unknown or nothing is due). A payment below the due is 少交: the rest stays owed."""
    if due is None or due <= 0:
        return ZERO_FEN
    return max(ZERO_FEN, round_fen(due - paid))


def payment_status(due: Decimal | None, paid: Decimal) -> str:
    """"paid" (已交: paid at least the due), "short" (少交: something, less than the due), "unpaid"
    (未交), "exempt" (免交: nothing due)."""
    if paid > 0:
        return "paid" if due is None or paid >= due else "short"
    if due is not None and due == 0:
        return "exempt"
    return "unpaid"


STATUS_LABELS = {"paid": "已交", "short": "少交", "unpaid": "未交", "exempt": "免交"}


def late_payment_refusal(for_month: dt.date, paid_on: dt.date) -> str | None:
    """The reason 补交 for `for_month` on `paid_on` is refused (more than 6 months back, 第12条), or None."""
    if late_payment_allowed((for_month.year, for_month.month), (paid_on.year, paid_on.month)):
        return None
    return (f"{for_month:%Y年%-m月}的党费补交已超过{MAX_LATE_MONTHS}个月，不能直接补交，须由支部研究处理"
            f"（{LATE_PAYMENT_SOURCE}:补交不超过{MAX_LATE_MONTHS}个月）")


def allocate_oldest_first(owed: list[tuple[dt.date, Decimal]], amount: Decimal) -> tuple[list[tuple[dt.date, Decimal]], Decimal]:
    """Spread `amount` over owed months, the oldest first, each up to what it owes. Returns the
    (month, amount) parts and what is left over."""
    left = _money(amount, "金额")
    parts = []
    for month, due in sorted(owed):
        if left <= 0:
            break
        take = min(left, due)
        if take > 0:
            parts.append((month, take))
            left -= take
    return parts, left


def lapsed_threshold() -> ArrearsThreshold:
    """The 党章 第九条 line (6 consecutive unpaid months): the committee is warned, nobody is removed
    automatically — whether there was good reason is the branch's decision."""
    return next(t for t in ARREARS_THRESHOLDS if t.level == "lapsed")
