"""Write-side operations on the holiday tables. Views and commands call these, never .save() directly.
Every write is audited (zhibu.core.audit.record) in the same transaction."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhibu.core import audit
from zhibu.workdays.models import MAX_YEAR, MIN_YEAR, HolidayDay, HolidayYear

_DAY_FIELDS = ("date", "is_workday", "name")
_YEAR_FIELDS = ("year", "complete")


def _check_editor(actor: Any) -> None:
    """The table is national: every district's deadlines read it, so only a site administrator
    (superuser) edits it. `actor=None` is the operator's own command or a data migration."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("全国节假日安排由系统管理员维护")


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"年度须在 {MIN_YEAR}—{MAX_YEAR} 之间")


@transaction.atomic(durable=True)
def set_holiday(*, actor: Any, date: dt.date, is_workday: bool, name: str) -> HolidayDay:
    """Create or update the override for `date`: a holiday (is_workday=False) or a 调休 make-up working
    day (is_workday=True). Site administrators only."""
    _check_editor(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError("请填写名称（如：春节、国庆节调休上班）")
    if len(name) > 50:
        raise ValidationError("名称不能超过 50 个字")
    _check_year(date.year)
    existing = HolidayDay.objects.select_for_update().filter(date=date).first()
    if existing:
        audit.update_audited(existing, {"is_workday": bool(is_workday), "name": name}, actor=actor, fields=_DAY_FIELDS,
                             action="workdays.set_holiday", full_clean=False)
        return existing
    day = HolidayDay.objects.create(date=date, is_workday=bool(is_workday), name=name)
    audit.record(actor=actor, action="workdays.set_holiday", obj=day, changes=audit.diff({}, audit.snapshot(day, _DAY_FIELDS)))
    return day


@transaction.atomic(durable=True)
def remove_holiday(*, actor: Any, date: dt.date) -> bool:
    """Delete the override for `date`; True when there was one."""
    _check_editor(actor)
    day = HolidayDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        return False
    audit.record(actor=actor, action="workdays.remove_holiday", obj=day,
                 changes=audit.diff(audit.snapshot(day, _DAY_FIELDS), {}))
    day.delete()
    return True


@transaction.atomic(durable=True)
def set_year_complete(*, actor: Any, year: int, complete: bool) -> HolidayYear:
    """Declare (or withdraw) that every holiday and make-up day of `year` has been entered; dates in a
    complete year are no longer provisional."""
    _check_editor(actor)
    _check_year(year)
    row = HolidayYear.objects.select_for_update().filter(year=year).first()
    if row is not None:
        if row.complete != bool(complete):
            audit.update_audited(row, {"complete": bool(complete)}, actor=actor, fields=_YEAR_FIELDS,
                                 action="workdays.set_year_complete", full_clean=False)
        return row
    row = HolidayYear.objects.create(year=year, complete=bool(complete))
    audit.record(actor=actor, action="workdays.set_year_complete", obj=row,
                 changes=audit.diff({}, audit.snapshot(row, _YEAR_FIELDS)))
    return row
