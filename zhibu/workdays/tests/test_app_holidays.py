"""The holiday / make-up-day page: a site administrator edits, district admins read."""
import datetime as dt

import pytest
from django.urls import reverse

from zhibu.core.models import AuditEntry
from zhibu.workdays.models import HolidayDay, HolidayYear
from zhibu.workdays.selectors import get_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin(cast):
    from django.test import Client

    from zhibu.orgs.testing import UserFactory

    c = Client()
    c.force_login(UserFactory(username="root", is_superuser=True))
    return c


def test_site_admin_maintains_2027(cast, site_admin):
    admin = site_admin
    url = reverse("workdays:holidays", kwargs={"org_id": cast.district.pk})
    page = admin.get(url + "?year=2027").content.decode()
    assert "未录入完整" in page
    r = admin.post(url, {"action": "set", "date": "2027-10-01", "is_workday": "0", "name": "国庆节"})
    assert r.status_code == 302
    admin.post(url, {"action": "set", "date": "2027-09-26", "is_workday": "1", "name": "国庆节调休上班"})
    assert get_calendar().is_workday(dt.date(2027, 9, 26)) is True
    admin.post(url, {"action": "complete", "year": "2027", "complete": "1"})
    assert HolidayYear.objects.get(year=2027).complete
    assert get_calendar().is_provisional(dt.date(2027, 10, 1)) is False
    admin.post(url, {"action": "remove", "year": "2027", "date": "2027-09-26"})
    assert list(HolidayDay.objects.values_list("name", flat=True)) == ["国庆节"]
    assert AuditEntry.objects.filter(action__startswith="workdays.").count() == 4
    r = admin.post(url, {"action": "set", "date": "2027-10-02", "is_workday": "0", "name": ""})
    assert r.status_code == 400


def test_only_the_district_admin(cast, client_for):
    url = reverse("workdays:holidays", kwargs={"org_id": cast.district.pk})
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("secretary").get(url).status_code == 404
    branch_url = reverse("workdays:holidays", kwargs={"org_id": cast.branch.pk})
    assert client_for("district_admin").get(branch_url).status_code == 403
    assert client_for("secretary").post(branch_url, {"action": "set", "date": "2027-10-01", "is_workday": "0",
                                                      "name": "x"}).status_code == 403
    assert not HolidayDay.objects.exists()


def test_district_admin_reads_but_cannot_edit_the_national_table(cast, client_for):
    url = reverse("workdays:holidays", kwargs={"org_id": cast.district.pk})
    admin = client_for("district_admin")
    page = admin.get(url + "?year=2027")
    assert page.status_code == 200 and "系统管理员" in page.content.decode() and 'value="set"' not in page.content.decode()
    for data in ({"action": "set", "date": "2027-10-01", "is_workday": "0", "name": "国庆节"},
                 {"action": "complete", "year": "2027", "complete": "1"}):
        assert admin.post(url, data).status_code == 403
    assert not HolidayDay.objects.exists() and not HolidayYear.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="workdays.").exists()
