import datetime as dt
import io

import pytest

from zhibu.core import clock
from zhibu.orglife import bench, rules, selectors
from zhibu.orglife import demo as orglife_demo
from zhibu.orglife.models import Attendance, Meeting
from zhibu.orgs import demo as orgs_demo

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def demo_ctx(db):
    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=12, members=30, year=2026, seed=3, progress=io.StringIO())
        orglife_demo.generate(ctx)
    return ctx


def test_demo_records(demo_ctx):
    n = Meeting.objects.count()
    assert 60 * 12 <= n <= 90 * 12
    assert Attendance.objects.count() > 12 * 800
    # nothing recorded on or after today; later this month only 已安排 meetings
    later = Meeting.objects.filter(date__gte=TODAY)
    assert not later.filter(date=TODAY).exists()
    assert all(d.month == TODAY.month for d in later.values_list("date", flat=True))
    assert not later.filter(attendance_recorded_at__isnull=False).exists()
    assert not Attendance.objects.filter(meeting__in=later).exclude(status="absent").exists()
    assert not Meeting.objects.filter(date__lt=TODAY, attendance_recorded_at__isnull=True).exists()
    # the stored local date agrees with the start time
    m = Meeting.objects.order_by("?").first()
    assert m.starts_at.astimezone(clock.TZ).date() == m.date and m.month == m.date.month
    with clock.frozen(TODAY):
        rows = selectors.district_grid(demo_ctx.district, year=2026, as_of=TODAY)
    assert rows[0].overdue > 0 and rows[-1].overdue == 0  # some branches overdue, sorted first


def test_sql_baseline_computes_the_same_grid(demo_ctx):
    with clock.frozen(TODAY):
        rows = selectors.district_grid(demo_ctx.district, year=2026, as_of=TODAY)
        sql = bench.baseline_grid(prefix=demo_ctx.district.path, year=2026, as_of=TODAY)
    ours = {(r.branch_id, c.kind): (c.met, c.overdue, c.n(rules.DUE), c.n(rules.UPCOMING)) for r in rows for c in r.cells}
    theirs = {(b, kind): (met, overdue, due, upcoming) for b, _n, kind, met, overdue, due, upcoming, _t, _d in sql}
    assert ours == theirs
    order = list(dict.fromkeys(b for b, *_ in sql))
    assert order == [r.branch_id for r in rows]


def test_demo_schedules_the_rest_of_this_month(db):
    """On 2 December the month's 支委会 (days 1–8), 主题党日 and 党员大会 still ahead are 已安排."""
    today = dt.date(2026, 12, 2)
    with clock.frozen(today):
        ctx = orgs_demo.generate(branches=3, members=12, year=2026, seed=5, progress=io.StringIO())
        orglife_demo.generate(ctx)
        scheduled = list(Meeting.objects.filter(date__gt=today))
        assert scheduled and all(m.is_scheduled() and m.attendance_recorded_at is None for m in scheduled)
        assert {m.kind for m in scheduled} <= {"committee_meeting", "theme_day", "party_congress"}
        assert not Meeting.objects.filter(date=today).exists()
