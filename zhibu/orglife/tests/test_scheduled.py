"""A meeting that has not happened yet has not happened (issue 10): 已安排 meetings take a 会议通知 and
leave requests; attendance, sign-in, votes, minutes, the 会议记录本 and plan links wait for the date."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry, Notification
from zhibu.orglife import plan_links, selectors, services
from zhibu.orglife.models import MeetingState
from zhibu.orglife.tests.helpers import at, codes, mark, meeting
from zhibu.orgs.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 12, 2)
LATER = D(2026, 12, 28)


@pytest.fixture
def today():
    with clock.frozen(dt.datetime(2026, 12, 2, 10, 0, tzinfo=clock.TZ)) as now:
        yield now


def test_a_future_meeting_is_scheduled_and_sends_a_notice_once(cast, today):
    result = services.create_meeting_with_notice(
        actor=cast.secretary, branch=cast.branch, kind="party_congress", topic="讨论接收预备党员",
        starts_at=at(LATER, 15), ends_at=at(LATER, 16), place="党员活动室", agenda="一、学习党章\n二、表决")
    m = result.meeting
    assert m.state() == MeetingState.SCHEDULED and m.is_scheduled()
    # everyone who should attend and has an account: 王书记, 李组织, 张党员 (the cast's members with users)
    notes = Notification.objects.filter(title__startswith="会议通知")
    assert result.notified == 3 and set(notes.values_list("user__username", flat=True)) == {"secretary", "committee", "member"}
    note = notes.first()
    assert "12月28日" in note.title and "15:00—16:00" in note.body and "党员活动室" in note.body and "学习党章" in note.body
    assert note.url == reverse("orglife:leave", args=[cast.branch.pk, m.pk])
    # saving without a change sends nothing; a new time sends the updated notice
    assert services.update_meeting_with_notice(actor=cast.secretary, meeting=m, topic=m.topic).notified == 0
    assert services.update_meeting_with_notice(actor=cast.secretary, meeting=m, starts_at=at(LATER, 14)).notified == 3
    assert Notification.objects.filter(title__startswith="会议通知").count() == 6


def test_nothing_is_recorded_on_a_scheduled_meeting(cast, today):
    m = meeting(cast, day=LATER)
    with pytest.raises(ValidationError) as exc:
        mark(cast, m, {cast.people[0]: "present"})
    assert codes(exc) == {"not_held_yet"}
    with pytest.raises(ValidationError) as exc:
        services.add_motion(actor=cast.secretary, meeting=m, title="x", votes_for=1, votes_against=0, votes_abstain=0)
    assert codes(exc) == {"not_held_yet"}
    with pytest.raises(ValidationError) as exc:
        services.finalise_meeting(actor=cast.secretary, meeting=m)
    assert codes(exc) == {"not_held_yet"}
    with pytest.raises(ValidationError) as exc:
        services.update_meeting(actor=cast.secretary, meeting=m, minutes="会议内容")
    assert codes(exc) == {"not_held_yet"}
    with pytest.raises(ValidationError) as exc:
        meeting(cast, day=LATER, minutes="会议记录")
    assert codes(exc) == {"not_held_yet"}
    # sign-in: not even in the window before a meeting just after midnight
    early = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="theme_day", topic="党日",
                                    starts_at=dt.datetime(2026, 12, 3, 0, 10, tzinfo=clock.TZ),
                                    ends_at=dt.datetime(2026, 12, 3, 1, 0, tzinfo=clock.TZ))
    with clock.frozen(dt.datetime(2026, 12, 2, 23, 50, tzinfo=clock.TZ)):
        with pytest.raises(ValidationError) as exc:
            services.sign_in(actor=cast.member, meeting=early)
        assert codes(exc) == {"signin_early"}
    with clock.frozen(dt.datetime(2026, 12, 3, 0, 5, tzinfo=clock.TZ)):
        assert services.sign_in(actor=cast.member, meeting=early).status == "present"


def test_a_meeting_with_records_cannot_move_into_the_future(cast, today):
    m = meeting(cast, day=D(2026, 11, 20))
    mark(cast, m, {cast.people[0]: "present"})
    with pytest.raises(ValidationError) as exc:
        services.update_meeting(actor=cast.secretary, meeting=m, starts_at=at(LATER), ends_at=at(LATER, 16))
    assert codes(exc) == {"records_need_held"}


def test_meeting_dates_within_the_year_and_one_either_side(cast, today):
    assert meeting(cast, day=D(2025, 1, 5)).date.year == 2025
    assert meeting(cast, day=D(2027, 12, 30)).is_scheduled()
    for day in (D(2024, 12, 31), D(2028, 1, 1), D(2206, 3, 1)):
        with pytest.raises(ValidationError) as exc:
            meeting(cast, day=day)
        assert codes(exc) == {"date_implausible"}


def test_leave_from_the_notice_before_the_meeting(cast, today):
    m = meeting(cast, day=LATER)
    with pytest.raises(ValidationError) as exc:
        services.request_leave(actor=cast.member, meeting=m, reason=" ")
    assert codes(exc) == {"leave_reason_required"}
    row = services.request_leave(actor=cast.member, meeting=m, reason="外出培训")
    assert (row.status, row.leave_reason, row.source) == ("leave", "外出培训", "request") and row.leave_requested_at
    assert AuditEntry.objects.filter(action="orglife.leave_request", object_id=str(m.pk)).exists()
    detail = selectors.meeting_detail(m)
    assert [a.person.name for a in detail.leave_requests] == ["张党员"]
    with pytest.raises(ValidationError) as exc:
        services.request_leave(actor=cast.outsider, meeting=m, reason="x")
    assert codes(exc) == {"not_member"}
    group_meeting = meeting(cast, "group_meeting", group=cast.group, day=LATER)
    Person.objects.filter(pk=cast.member_person.pk).update(user=None)
    Person.objects.filter(name="钱党员").update(user=cast.member)  # not in the group
    with pytest.raises(ValidationError) as exc:
        services.request_leave(actor=cast.member, meeting=group_meeting, reason="x")
    assert codes(exc) == {"not_on_list"}
    Person.objects.filter(name="钱党员").update(user=None)
    Person.objects.filter(pk=cast.member_person.pk).update(user=cast.member)
    with clock.frozen(at(LATER, 15)):
        with pytest.raises(ValidationError) as exc:
            services.request_leave(actor=cast.member, meeting=m, reason="临时有事")
        assert codes(exc) == {"leave_too_late"}


def test_leave_requests_carry_into_the_attendance_form(cast, today):
    m = meeting(cast, day=LATER)
    services.request_leave(actor=cast.member, meeting=m, reason="外出培训")
    from zhibu.orglife.forms import AttendanceForm

    with clock.frozen(at(LATER, 17)):
        form = AttendanceForm(rows=selectors.attendance_rows(m), recorded=False)
        initial = {a.person.name: form[f"status_{a.person_id}"].initial for a in form.rows}
    assert initial["张党员"] == "leave" and initial["王书记"] == "present"  # 全部出席 with exceptions
    assert set(initial.values()) == {"present", "leave"}


def test_plan_links_offer_only_held_records_and_describe_them(cast, today):
    held = meeting(cast, "party_congress", day=D(2026, 12, 1))
    scheduled = meeting(cast, "party_congress", day=LATER)
    offered = [pk for _t, pk, _l in plan_links.candidates(cast.branch, 2026, [12], ["party_congress"])]
    assert held.pk in offered and scheduled.pk not in offered
    assert plan_links.describe(held).held and not plan_links.describe(scheduled).held
    assert plan_links.describe(held).kinds == ("party_congress",)
    only = plan_links.candidates(cast.branch, 2026, [12], ["theme_day"], only_kinds=True)
    assert only == []


def test_yearbook_meetings_leave_out_scheduled_ones(cast, today):
    held = meeting(cast, day=D(2026, 11, 2))
    meeting(cast, day=LATER)
    assert [m.pk for m in selectors.yearbook_meetings(cast.branch, 2026)] == [held.pk]
