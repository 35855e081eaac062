"""Every rule of the approval services: submit / resubmit, approve (dated, never in the future, once),
打回 (reason required), withdraw, bulk; DB constraints; audit; due dates by working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.approvals import selectors, services
from zhibu.approvals.models import Approval, ApprovalEvent, State
from zhibu.approvals.tests.helpers import TEST_KIND, TODAY, submit
from zhibu.core import clock
from zhibu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _code(exc_info) -> str:
    return exc_info.value.code


def test_submit_sets_approver_due_date_event_and_audit(cast, test_kind):
    a = submit(cast, payload={"notes": "材料齐全"})
    assert a.state == State.PENDING and a.approver == cast.district and a.branch == cast.branch
    # 10 working days after Monday 2026-03-02: Monday 2026-03-16
    assert a.due_on == dt.date(2026, 3, 16)
    assert a.payload == {"notes": "材料齐全"}
    assert list(a.events.values_list("action", flat=True)) == ["submit"]
    entry = AuditEntry.objects.get(action="approvals.submit")
    assert entry.organisation == cast.branch and entry.changes["title"] == [None, "测试报批"]
    assert selectors.for_subject(cast.member_person) == a
    assert selectors.for_subject(cast.member_person, kind="approvals.other") is None


def test_due_date_counts_the_working_day_calendar(cast, test_kind):
    from zhibu.workdays.models import HolidayDay

    HolidayDay.objects.create(date=dt.date(2026, 3, 10), is_workday=False, name="测试假日")
    a = submit(cast)
    assert a.due_on == dt.date(2026, 3, 17)  # one more day for the holiday


def test_a_second_submit_while_pending_is_refused(cast, test_kind):
    submit(cast)
    with pytest.raises(ValidationError) as exc:
        submit(cast)
    assert _code(exc) == "already_pending"
    assert Approval.objects.count() == 1 and ApprovalEvent.objects.count() == 1


def test_submit_refuses_future_date_empty_title_unknown_kind(cast, test_kind):
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.submit(
            actor=cast.secretary,
            branch=cast.branch,
            kind=TEST_KIND,
            subject=cast.member_person,
            title="x",
            submitted_on=TODAY + dt.timedelta(days=1),
        )
    assert _code(exc) == "future_date"
    with pytest.raises(ValidationError) as exc:
        submit(cast, title="  ")
    assert _code(exc) == "title_required"
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.submit(
            actor=cast.secretary,
            branch=cast.branch,
            kind="nope.kind",
            subject=cast.member_person,
            title="x",
            submitted_on=TODAY,
        )
    assert _code(exc) == "unknown_kind"
    assert not Approval.objects.exists() and not AuditEntry.objects.filter(action__startswith="approvals.").exists()


def test_no_approver_above_the_top(cast, test_kind):
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.submit(
            actor=cast.district_admin,
            branch=cast.district,
            kind=TEST_KIND,
            subject=cast.member_person,
            title="x",
            submitted_on=TODAY,
        )
    assert _code(exc) == "no_approver"


def test_approve_dated_calls_the_app_once(cast, test_kind):
    a = submit(cast)
    with clock.frozen(TODAY + dt.timedelta(days=3)):
        services.approve(actor=cast.district_admin, approval=a, on=TODAY + dt.timedelta(days=2), note="同意")
        with pytest.raises(ValidationError) as exc:  # the double click
            services.approve(actor=cast.district_admin, approval=a, on=TODAY + dt.timedelta(days=2))
    assert _code(exc) == "not_pending"
    a.refresh_from_db()
    assert a.state == State.APPROVED and a.decided_on == TODAY + dt.timedelta(days=2) and a.note == "同意"
    assert a.decided_by == cast.district_admin
    assert test_kind.approved == [(a.pk, TODAY + dt.timedelta(days=2))]
    assert AuditEntry.objects.filter(action="approvals.approve").count() == 1
    assert list(a.events.values_list("action", flat=True)) == ["submit", "approve"]


def test_approve_never_in_the_future_nor_before_submission(cast, test_kind):
    a = submit(cast)
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.approve(actor=cast.district_admin, approval=a, on=TODAY + dt.timedelta(days=1))
    assert _code(exc) == "future_date"
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.approve(actor=cast.district_admin, approval=a, on=TODAY - dt.timedelta(days=1))
    assert _code(exc) == "decided_before_submitted"
    a.refresh_from_db()
    assert a.state == State.PENDING and not test_kind.approved


def test_when_the_app_refuses_nothing_is_approved(cast, test_kind):
    a = submit(cast)
    test_kind.refuse = True
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.approve(actor=cast.district_admin, approval=a, on=TODAY)
    assert _code(exc) == "refused_by_app"
    a.refresh_from_db()
    assert a.state == State.PENDING and not AuditEntry.objects.filter(action="approvals.approve").exists()


def test_send_back_needs_a_reason_then_resubmit_is_the_same_row(cast, test_kind):
    a = submit(cast)
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.send_back(actor=cast.district_admin, approval=a, reason="  ")
    assert _code(exc) == "reason_required" and "理由" in exc.value.messages[0]
    with clock.frozen(TODAY):
        services.send_back(actor=cast.district_admin, approval=a, reason="缺少支委会会议记录")
    a.refresh_from_db()
    assert a.state == State.RETURNED and a.reason == "缺少支委会会议记录" and a.decided_on is None
    assert test_kind.returned == [(a.pk, "缺少支委会会议记录")]
    assert selectors.returned_count(cast.branch) == 1
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:  # cannot approve a returned request
        services.approve(actor=cast.district_admin, approval=a, on=TODAY)
    assert _code(exc) == "not_pending"
    again = submit(cast, on=TODAY + dt.timedelta(days=7), title="测试报批（已补正）", payload={"notes": "已补"})
    assert again.pk == a.pk and again.state == State.PENDING and again.submitted_on == TODAY + dt.timedelta(days=7)
    assert again.due_on == dt.date(2026, 3, 23)
    assert list(again.events.values_list("action", flat=True)) == ["submit", "return", "resubmit"]
    assert AuditEntry.objects.filter(action="approvals.resubmit").count() == 1
    assert Approval.objects.count() == 1


def test_withdraw_open_only(cast, test_kind):
    a = submit(cast)
    with clock.frozen(TODAY):
        services.withdraw(actor=cast.secretary, approval=a)
        with pytest.raises(ValidationError) as exc:
            services.withdraw(actor=cast.secretary, approval=a)
    assert _code(exc) == "not_open"
    b = submit(cast)  # a new request may follow a withdrawn one
    assert b.pk != a.pk and b.state == State.PENDING


def test_decide_many_approves_each_and_lists_the_refused(cast, test_kind):
    from zhibu.orgs.models import Person

    people = list(Person.objects.filter(branch=cast.branch)[:3])
    made = [submit(cast, subject=p, title=f"报批{p.name}") for p in people]
    with clock.frozen(TODAY):
        services.approve(actor=cast.district_admin, approval=made[0], on=TODAY)
        result = services.decide_many(actor=cast.district_admin, approvals=made, on=TODAY)
    assert [a.pk for a in result.approved] == [made[1].pk, made[2].pk]
    assert [a.pk for a, _why in result.refused] == [made[0].pk]
    assert Approval.objects.filter(state=State.APPROVED).count() == 3
    with clock.frozen(TODAY), pytest.raises(ValidationError) as exc:
        services.decide_many(actor=cast.district_admin, approvals=made, on=TODAY + dt.timedelta(days=1))
    assert _code(exc) == "future_date"


def test_database_refuses_two_open_requests_and_bad_dates(cast, test_kind):
    a = submit(cast)
    b = Approval(
        kind=a.kind,
        branch=a.branch,
        approver=a.approver,
        subject_type=a.subject_type,
        subject_id=a.subject_id,
        title="x",
        state=State.RETURNED,
        reason="r",
        submitted_on=TODAY,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=a.pk).update(state=State.APPROVED, decided_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=a.pk).update(state=State.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=a.pk).update(state="lost")
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=a.pk).update(state=State.RETURNED, reason="")


def test_overdue_and_district_counts(cast, test_kind):
    a = submit(cast)
    assert not a.overdue(a.due_on)
    assert a.overdue(a.due_on + dt.timedelta(days=1))
    assert selectors.counts_for_district(cast.district, a.due_on + dt.timedelta(days=1)) == {"pending": 1, "overdue": 1}
    assert selectors.counts_for_district(cast.district, TODAY) == {"pending": 1, "overdue": 0}
