"""The `exemptions` hook: a member another app exempts from attendance (care's 失能/年老体弱 flag,
党员教育管理工作条例 第23条) starts as 不计入应到 with the reason, on a new meeting's list and on the
attendance page; the host may still correct it."""

import datetime as dt

from zhibu.core import clock
from zhibu.orglife import selectors, services
from zhibu.orglife.models import Attendance


def _flag_frail(cast, person):
    from zhibu.care import services as care

    return care.set_flag(
        actor=cast.secretary, branch=cast.branch, person=person, kind="frail", since=dt.date(2026, 1, 1)
    )


def test_an_exempt_member_is_not_counted_as_expected(cast):
    frail = cast.people[7]
    _flag_frail(cast, frail)
    assert selectors.exemptions(cast.branch, dt.date(2026, 3, 1)) == {
        frail.pk: selectors.exemptions(cast.branch, dt.date(2026, 3, 1))[frail.pk]
    }
    start = clock.now().replace(microsecond=0)
    meeting = services.create_meeting(
        actor=cast.secretary,
        branch=cast.branch,
        kind="party_congress",
        topic="党员大会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    row = Attendance.objects.get(meeting=meeting, person=frail)
    assert row.excluded and "第23条" in row.excluded_reason
    others = Attendance.objects.filter(meeting=meeting).exclude(person=frail)
    assert others.exists() and not others.filter(excluded=True).exists()
    counts = selectors.attendance_counts(selectors.attendance_rows(meeting))
    assert counts["excluded"] == 1


def test_an_ended_flag_or_a_flag_from_later_exempts_nobody(cast):
    from zhibu.care import services as care

    flag = _flag_frail(cast, cast.people[7])
    assert selectors.exemptions(cast.branch, dt.date(2025, 12, 31)) == {}
    care.end_flag(actor=cast.secretary, flag=flag, until=dt.date(2026, 2, 1))
    assert selectors.exemptions(cast.branch, dt.date(2026, 2, 2)) == {}
    assert cast.people[7].pk in selectors.exemptions(cast.branch, dt.date(2026, 1, 15))
