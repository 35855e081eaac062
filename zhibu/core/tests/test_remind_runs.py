"""The 提醒 page says when reminders last ran (issue 10)."""
import datetime as dt

from django.urls import reverse

from zhibu.core import clock, notify
from zhibu.core.models import RemindRun


def test_the_page_says_reminders_never_ran_then_when_they_last_ran(client_for):
    c = client_for("secretary")
    assert "尚未生成过" in c.get(reverse("core:notifications")).content.decode()
    with clock.frozen(dt.datetime(2026, 12, 1, 7, 30, tzinfo=clock.TZ)):
        notify.run()
    assert RemindRun.objects.count() == 1
    page = c.get(reverse("core:notifications")).content.decode()
    assert "提醒最近一次生成于 2026年12月1日 07:30" in page
