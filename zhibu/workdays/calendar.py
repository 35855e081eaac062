"""The project's one working-day calendar (pure: no ORM, no Django).

Every module that needs "working days" or calendar-month arithmetic uses this module; nothing else in
the project should call `chinese_calendar` directly or re-implement month arithmetic.

Sources (rules.md §5):

* Statutory public holidays: 《全国年节及纪念日放假办法》 (as amended 2024-11-10, in force 2025-01-01:
  13 days — 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3), plus the 调休 make-up working
  days that the State Council's 办公厅 announces each year (国务院办公厅关于××年部分节假日安排的通知).
* Those announcements for 2004–2026 come from the PyPI package `chinesecalendar` 1.11.0
  (`import chinese_calendar`), which raises NotImplementedError for any other year.
* For later (or earlier) years an administrator maintains the days in the database
  (`zhibu.workdays.models.HolidayDay` / `HolidayYear`); `zhibu.workdays.selectors.get_calendar()`
  passes them in here as plain data.
* A year covered by neither source is reckoned Monday–Friday, **but every result that depends on such a
  day carries ``provisional=True``** so callers can show it; the fallback is never silent.
* Counting periods: the first day is not counted, and a period whose last day is not a working day
  ends on the next working day (《中华人民共和国民法典》 第201–203条, applied by analogy; configurable
  with ``roll_to_workday``).
* Calendar months: ``date + n months`` is the same day n months later, or that month's last day when
  there is no such day (民法典 第202条: "按照年、月计算期间的，到期月的对应日为期间的最后一日；没有
  对应日的，月末日为期间的最后一日").
"""
from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import chinese_calendar
from chinese_calendar import constants as _cc_constants

__all__ = [
    "WorkdayCalendar",
    "WorkdayResult",
    "WorkdayCount",
    "add_months",
    "add_years",
    "CHINESECALENDAR_YEARS",
    "MAX_NON_WORKING_RUN",
]

# Years `chinesecalendar` has data for (2004–2026 in 1.11.0). Read from the package's own tables so an
# upgrade of the package widens coverage without a code change.
# (The package itself validates against the span of its `holidays` table.)
_cc_years = {d.year for d in _cc_constants.holidays}
CHINESECALENDAR_YEARS: range = range(min(_cc_years), max(_cc_years) + 1)

# Longest run of consecutive non-working days tolerated while searching for a working day. The longest
# real run is the 春节 week (9 days in 2026); a longer run means broken admin data, and we fail loudly
# rather than loop for ever.
MAX_NON_WORKING_RUN = 60


class WorkdayResult(NamedTuple):
    """A computed date. `provisional` is True when a day that decided it lies in a year that neither
    `chinesecalendar` nor the admin table covers (Monday–Friday was assumed)."""

    date: dt.date
    provisional: bool


class WorkdayCount(NamedTuple):
    """A number of working days; `provisional` as in `WorkdayResult`."""

    count: int
    provisional: bool


def _as_date(d: dt.date) -> dt.date:
    if isinstance(d, dt.datetime):
        return d.date()
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def add_months(d: dt.date, n: int) -> dt.date:
    """`d` plus `n` calendar months (n may be negative): the same day of the target month, or the
    target month's last day when it has no such day — 2024-01-31 + 1 month = 2024-02-29,
    2023-01-31 + 1 month = 2023-02-28 (民法典 第202条). Raises OverflowError only outside year 1..9999."""
    d = _as_date(d)
    index = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise OverflowError(f"{d} + {n} months is outside the supported date range")
    last = _stdlib_calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(d.day, last))


def add_years(d: dt.date, n: int) -> dt.date:
    """`d` plus `n` years, as 12·n calendar months: 2024-02-29 + 1 year = 2025-02-28."""
    return add_months(d, 12 * n)


class WorkdayCalendar:
    """Working days in mainland China.

    overrides
        date → is_workday, maintained by an administrator: public holidays (False) and 调休 make-up
        working days (True). An override wins over `chinesecalendar`, so an admin can also correct it.
    covered_years
        years for which the admin table is declared complete (HolidayYear.complete). Dates in those
        years are not provisional.
    roll_to_workday
        whether `roll_forward` moves a period end that falls on a non-working day to the next working
        day (民法典 第203条 by analogy). Default True.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        covered_years: Iterable[int] = (),
        *,
        roll_to_workday: bool = True,
    ) -> None:
        self._overrides: dict[dt.date, bool] = {_as_date(k): bool(v) for k, v in (overrides or {}).items()}
        self._covered_years: frozenset[int] = frozenset(int(y) for y in covered_years)
        self.roll_to_workday = bool(roll_to_workday)

    def __repr__(self) -> str:
        return (
            f"WorkdayCalendar(overrides={len(self._overrides)} days, "
            f"covered_years={sorted(self._covered_years)}, roll_to_workday={self.roll_to_workday})"
        )

    # --- single days -------------------------------------------------------------------------------

    def source(self, d: dt.date) -> str | None:
        """Where the working-day status of `d`'s year comes from: "admin" (the year is declared complete
        in the admin table), "chinesecalendar", or None (uncovered → provisional)."""
        year = _as_date(d).year
        if year in self._covered_years:
            return "admin"
        if year in CHINESECALENDAR_YEARS:
            return "chinesecalendar"
        return None

    def is_provisional(self, d: dt.date) -> bool:
        """True when neither `chinesecalendar` nor a complete admin year covers `d`'s year; the answer of
        `is_workday(d)` is then a Monday–Friday guess (plus any admin days already entered)."""
        return self.source(d) is None

    def is_workday(self, d: dt.date) -> bool:
        """Whether `d` is a working day: admin override, else `chinesecalendar` for the years it covers,
        else Monday–Friday (check `is_provisional`)."""
        d = _as_date(d)
        if d in self._overrides:
            return self._overrides[d]
        if d.year in CHINESECALENDAR_YEARS:
            try:
                return bool(chinese_calendar.is_workday(d))
            except NotImplementedError:  # pragma: no cover - defensive; years come from the package
                pass
        return d.weekday() < 5

    # --- periods -----------------------------------------------------------------------------------

    def add_workdays(self, start: dt.date, n: int) -> WorkdayResult:
        """The n-th working day after `start` (the first day, `start` itself, is not counted).
        n = 0 gives `start`; a negative n counts backwards (the |n|-th working day before `start`).
        `provisional` is True when any day examined lies in an uncovered year."""
        start = _as_date(start)
        if n == 0:
            return WorkdayResult(start, False)
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        provisional = False
        day = start
        run = 0
        while remaining:
            day += step
            provisional = provisional or self.is_provisional(day)
            if self.is_workday(day):
                remaining -= 1
                run = 0
            else:
                run += 1
                if run > MAX_NON_WORKING_RUN:
                    raise ValueError(f"more than {MAX_NON_WORKING_RUN} consecutive non-working days after {day}")
        return WorkdayResult(day, provisional)

    def count_workdays(self, start: dt.date, end: dt.date, inclusive: bool = True) -> WorkdayCount:
        """Working days from `start` to `end`. inclusive=True counts both ends (e.g. a 公示 period
        "start–end"); inclusive=False does not count `start` (the first day of a period is not counted)
        but counts `end`, so ``count_workdays(s, add_workdays(s, n).date, inclusive=False) == n``.
        An empty range (end before start) counts 0."""
        start, end = _as_date(start), _as_date(end)
        day = start if inclusive else start + dt.timedelta(days=1)
        count = 0
        provisional = False
        while day <= end:
            provisional = provisional or self.is_provisional(day)
            if self.is_workday(day):
                count += 1
            day += dt.timedelta(days=1)
        return WorkdayCount(count, provisional)

    def roll_forward(self, d: dt.date) -> WorkdayResult:
        """The end of a period: `d` itself when it is a working day, else the next working day
        (民法典 第203条 by analogy). With ``roll_to_workday=False`` returns `d` unchanged, not provisional.
        `provisional` is True when a day examined lies in an uncovered year."""
        d = _as_date(d)
        if not self.roll_to_workday:
            return WorkdayResult(d, False)
        provisional = self.is_provisional(d)
        day = d
        run = 0
        while not self.is_workday(day):
            run += 1
            if run > MAX_NON_WORKING_RUN:
                raise ValueError(f"more than {MAX_NON_WORKING_RUN} consecutive non-working days after {d}")
            day += dt.timedelta(days=1)
            provisional = provisional or self.is_provisional(day)
        return WorkdayResult(day, provisional)
