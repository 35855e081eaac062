import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhibu.core import notify
from zhibu.core.models import Notification, ReminderLog
from zhibu.orgs.models import CommitteePosition, Organisation, Person, Role


@pytest.mark.django_db
def test_demo_is_deterministic_and_idempotent_with_if_empty():
    out = io.StringIO()
    call_command("demo", branches=3, members=12, year=2026, seed=7, stdout=out, stderr=io.StringIO(), only_orgs=True)
    assert "secretary" in out.getvalue() and "zhibu2026" in out.getvalue()
    first = sorted(Person.objects.values_list("name", "standing", "birth_date"))
    assert Organisation.objects.filter(kind="branch").count() == 3
    assert Role.objects.filter(user__username="district", role="district_admin").exists()
    assert CommitteePosition.objects.filter(position="secretary").count() == 3
    call_command("demo", branches=3, members=12, year=2026, seed=7, if_empty=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert Person.objects.count() == 36
    with pytest.raises(CommandError):
        call_command("demo", branches=3, members=12, year=2026, seed=7, stdout=io.StringIO(), stderr=io.StringIO())
    call_command("demo", branches=3, members=12, year=2026, seed=7, reset=True, only_orgs=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(Person.objects.values_list("name", "standing", "birth_date")) == first


@pytest.mark.django_db
def test_remind_sends_each_reminder_once(cast, monkeypatch):
    reminder = notify.Reminder(key="test:once", users=(cast.secretary,), title="测试提醒", organisation=cast.branch)
    monkeypatch.setattr(notify, "collect_all", lambda today: iter([reminder, reminder]))
    call_command("remind", stdout=io.StringIO())
    call_command("remind", stdout=io.StringIO())
    assert Notification.objects.filter(user=cast.secretary, title="测试提醒").count() == 1
    assert ReminderLog.objects.filter(key="test:once").count() == 1
