"""Holiday tables, the selector and the services (database)."""
import datetime as dt
import types

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.workdays import services
from zhibu.workdays.models import HolidayDay, HolidayYear
from zhibu.workdays.selectors import get_calendar

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db


def test_get_calendar_uses_admin_table(django_assert_max_num_queries):
    services.set_holiday(actor=None, date=D("2027-02-08"), is_workday=False, name="春节")
    services.set_holiday(actor=None, date=D("2027-02-20"), is_workday=True, name="春节调休上班")
    with django_assert_max_num_queries(2):
        cal = get_calendar()
    assert cal.is_workday(D("2027-02-08")) is False
    assert cal.is_workday(D("2027-02-20")) is True
    assert cal.is_provisional(D("2027-02-08")) is True  # year not declared complete yet
    services.set_year_complete(actor=None, year=2027, complete=True)
    cal = get_calendar()
    assert cal.is_provisional(D("2027-02-08")) is False
    assert cal.add_workdays(D("2027-02-05"), 1).date == D("2027-02-09")


def test_get_calendar_is_cached_per_request(django_assert_num_queries):
    request = types.SimpleNamespace()
    first = get_calendar(request)
    with django_assert_num_queries(0):
        assert get_calendar(request) is first


def test_set_holiday_updates_the_row():
    services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=False, name="国庆节")
    services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=True, name=" 调休 ")
    row = HolidayDay.objects.get()
    assert (row.is_workday, row.name) == (True, "调休")
    assert services.remove_holiday(actor=None, date=D("2027-10-01")) is True
    assert services.remove_holiday(actor=None, date=D("2027-10-01")) is False


def test_set_holiday_validates():
    with pytest.raises(ValidationError):
        services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=False, name="  ")
    with pytest.raises(ValidationError):
        services.set_holiday(actor=None, date=D("1999-10-01"), is_workday=False, name="国庆节")
    with pytest.raises(ValidationError):
        services.set_year_complete(actor=None, year=2300, complete=True)


def test_database_constraints():
    HolidayDay.objects.create(date=D("2027-01-01"), is_workday=False, name="元旦")
    with pytest.raises(IntegrityError), transaction.atomic():
        HolidayDay.objects.create(date=D("2027-01-01"), is_workday=False, name="元旦")
    with pytest.raises(IntegrityError), transaction.atomic():
        HolidayDay.objects.create(date=D("2027-01-02"), is_workday=False, name="")
    with pytest.raises(IntegrityError), transaction.atomic():
        HolidayDay.objects.create(date=D("1990-01-02"), is_workday=False, name="元旦")
    HolidayYear.objects.create(year=2027, complete=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        HolidayYear.objects.create(year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        HolidayYear.objects.create(year=1999)


def test_writes_are_audited():
    from zhibu.core.models import AuditEntry

    services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=False, name="国庆节")
    services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=False, name="国庆节假期")
    services.set_year_complete(actor=None, year=2027, complete=True)
    services.set_year_complete(actor=None, year=2027, complete=True)  # no change, no entry
    services.remove_holiday(actor=None, date=D("2027-10-01"))
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "changes"))
    assert [a for a, _ in entries] == [
        "workdays.set_holiday", "workdays.set_holiday", "workdays.set_year_complete", "workdays.remove_holiday"
    ]
    assert entries[1][1] == {"name": ["国庆节", "国庆节假期"]}
    assert entries[2][1] == {"year": [None, 2027], "complete": [None, True]}


def test_failed_validation_writes_nothing():
    from zhibu.core.models import AuditEntry

    with pytest.raises(ValidationError):
        services.set_holiday(actor=None, date=D("2027-10-01"), is_workday=False, name="")
    assert not HolidayDay.objects.exists() and not AuditEntry.objects.exists()
