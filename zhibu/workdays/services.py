"""Write-side operations on the holiday tables. Views and commands call these, never .save() directly."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.workdays.models import MAX_YEAR, MIN_YEAR, HolidayDay, HolidayYear


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年度须在 {MIN_YEAR}—{MAX_YEAR} 之间")


def set_holiday(*, actor: Any, date: dt.date, is_workday: bool, name: str) -> HolidayDay:
    """Create or update the override for `date` (a holiday, or a 调休 make-up working day).
    TODO: permission check on `actor` once the roles module exists."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写名称（如：春节、国庆节调休上班）")
    if len(name) > 50:
        raise ValidationError("名称不能超过 50 个字")
    _check_year(date.year)
    with transaction.atomic():
        day, _created = HolidayDay.objects.update_or_create(
            date=date, defaults={"is_workday": bool(is_workday), "name": name}
        )
        # audit: zhibu.core.audit.record(actor=actor, action="workdays.set_holiday", target=day, ...)
    return day


def remove_holiday(*, actor: Any, date: dt.date) -> bool:
    """Delete the override for `date`; True when there was one."""
    with transaction.atomic():
        deleted, _ = HolidayDay.objects.filter(date=date).delete()
        # audit: zhibu.core.audit.record(actor=actor, action="workdays.remove_holiday", target=date, ...)
    return bool(deleted)


def set_year_complete(*, actor: Any, year: int, complete: bool) -> HolidayYear:
    """Declare (or withdraw) that every holiday and make-up day of `year` has been entered."""
    _check_year(year)
    with transaction.atomic():
        row, _created = HolidayYear.objects.update_or_create(year=year, defaults={"complete": bool(complete)})
        # audit: zhibu.core.audit.record(actor=actor, action="workdays.set_year_complete", target=row, ...)
    return row
