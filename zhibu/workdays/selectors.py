"""Read-side helpers for working days: build the pure `WorkdayCalendar` from the admin tables."""
from __future__ import annotations

from typing import Any

from zhibu.workdays.calendar import WorkdayCalendar
from zhibu.workdays.models import HolidayDay, HolidayYear

_REQUEST_ATTR = "_zhibu_workday_calendar"


def get_calendar(request: Any = None, *, roll_to_workday: bool = True) -> WorkdayCalendar:
    """A `WorkdayCalendar` with every `HolidayDay` as an override and every complete `HolidayYear` as
    covered. Two queries; when `request` is given the calendar is cached on it for that request."""
    if request is not None:
        cached = getattr(request, _REQUEST_ATTR, None)
        if cached is not None and cached.roll_to_workday == roll_to_workday:
            return cached
    overrides = dict(HolidayDay.objects.values_list("date", "is_workday"))
    covered = HolidayYear.objects.filter(complete=True).values_list("year", flat=True)
    calendar = WorkdayCalendar(overrides, list(covered), roll_to_workday=roll_to_workday)
    if request is not None:
        setattr(request, _REQUEST_ATTR, calendar)
    return calendar
