"""发展党员 through the approvals: the steps the 上级党委 decides are sent up by the branch and recorded
only when approved, dated by the approval date; 打回 with a reason, fixed and sent again; extension and
cancellation get their approved_on from the approval; the pages show the state and the reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhibu.approvals import selectors
from zhibu.approvals import services as approvals
from zhibu.approvals.models import Approval, State
from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.development import services
from zhibu.development.models import StepRecord
from zhibu.development.tests.test_app_services import CAL, D, admitted, full, rec, walk_to_candidate
from zhibu.orgs.models import Person, Standing

pytestmark = pytest.mark.django_db


def published(cast):
    c = walk_to_candidate(cast)
    rec(cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-10"))
    return c


def send(cast, c, step, on, **kw):
    with clock.frozen(D(on)):
        return services.request_approval(
            actor=cast.secretary, candidate=c, step=step, submitted_on=D(on), calendar=CAL, **kw
        )


def approve(cast, a, on, today=None):
    with clock.frozen(D(today or on)):
        return approvals.approve(actor=cast.district_admin, approval=a, on=D(on))


def test_candidate_approved_is_recorded_only_on_approval_dated_by_it(cast):
    c = published(cast)
    doc = services.save_document(
        actor=cast.secretary, candidate=c, kind="other", name="支委会记录.pdf", content=b"%PDF", generated=False
    )
    a = send(cast, c, "candidate_approved", "2026-10-12", notes="公示无异议", documents=[doc])
    assert a.kind == "development.candidate_approved" and a.state == State.PENDING and a.approver == cast.district
    assert a.payload == {
        "step": "candidate_approved",
        "notes": "公示无异议",
        "materials": ["支委会记录.pdf"],
        "documents": [doc.pk],
    }
    assert not StepRecord.objects.filter(candidate=c, step="candidate_approved").exists()
    approve(cast, a, "2026-10-15", today="2026-10-16")
    record = StepRecord.objects.get(candidate=c, step="candidate_approved")
    assert record.date == D("2026-10-15") and record.actor == cast.district.name
    assert record.recorded_by == cast.district_admin
    entry = AuditEntry.objects.filter(action="development.record_step").latest("id")
    assert "报上级党委同意" in entry.object_repr and entry.changes["date"] == [None, "2026-10-15"]
    assert selectors.for_subject(c) == Approval.objects.get(pk=a.pk)


def test_returned_fixed_resubmitted_then_approved(cast):
    c = published(cast)
    a = send(cast, c, "candidate_approved", "2026-10-12")
    with clock.frozen(D("2026-10-13")):
        approvals.send_back(actor=cast.district_admin, approval=a, reason="缺少政治审查材料")
    assert not StepRecord.objects.filter(candidate=c, step="candidate_approved").exists()
    again = send(cast, c, "candidate_approved", "2026-10-14", notes="已补政审材料")
    assert again.pk == a.pk and again.state == State.PENDING and again.payload["notes"] == "已补政审材料"
    approve(cast, again, "2026-10-16")
    assert StepRecord.objects.get(candidate=c, step="candidate_approved").date == D("2026-10-16")


def test_request_is_checked_like_a_step(cast):
    c = published(cast)  # the 公示 ends 2026-10-10
    with pytest.raises(services.StepBlocked) as exc:
        send(cast, c, "candidate_approved", "2026-10-09")
    assert {v.rule for v in exc.value.violations} == {"publicity_before_approval"}
    assert not Approval.objects.exists()
    a = send(cast, c, "candidate_approved", "2026-10-09", override_reason="公示期间无异议，提前报送")
    assert a.state == State.PENDING and c.overrides.filter(rule="publicity_before_approval").exists()
    with clock.frozen(D("2026-10-12")):
        approvals.withdraw(actor=cast.secretary, approval=a)
    with clock.frozen(D("2026-10-12")), pytest.raises(ValidationError) as exc:
        services.request_approval(
            actor=cast.secretary, candidate=c, step="candidate_approved", submitted_on=D("2026-10-13"), calendar=CAL
        )
    assert exc.value.code == "future_date"
    with pytest.raises(ValidationError) as exc:  # recorded (historic import): nothing to send
        send(cast, c, "activist_filed", "2026-10-12")
    assert exc.value.code == "already_recorded"
    with pytest.raises(ValidationError) as exc:
        send(cast, c, "political_review", "2026-10-12")
    assert exc.value.code == "not_approved_step"


def test_double_submit_is_refused(cast):
    c = published(cast)
    send(cast, c, "candidate_approved", "2026-10-12")
    with pytest.raises(ValidationError) as exc:
        send(cast, c, "candidate_approved", "2026-10-12")
    assert exc.value.code == "already_pending"
    assert Approval.objects.count() == 1


def test_approval_makes_the_probationary_member_from_the_approval_date(cast):
    c, _ = admitted(cast)
    rec(cast, c, "approval_talk", "2026-11-05")
    a = send(cast, c, "approval", "2026-11-06")
    assert Person.objects.get(pk=c.person_id).standing == Standing.CANDIDATE
    approve(cast, a, "2026-11-10")
    assert StepRecord.objects.get(candidate=c, step="approval").date == D("2026-11-10")
    p = Person.objects.get(pk=c.person_id)
    assert p.standing == Standing.PROBATIONARY and p.admitted_on == D("2026-10-28")


def test_a_late_approval_is_recorded_with_the_exception_named(cast):
    c, _ = admitted(cast)
    rec(cast, c, "approval_talk", "2026-11-05")
    a = send(cast, c, "approval", "2026-11-06")
    approve(cast, a, "2027-03-01")  # more than three months after the 支部大会 (细则 第24条)
    assert StepRecord.objects.get(candidate=c, step="approval").date == D("2027-03-01")
    assert c.overrides.filter(reason__contains="以批准日期为准").exists()


def test_extension_gets_its_approved_on_from_the_approval(cast):
    from zhibu.development.tests.test_probation_outcomes import LATER, meeting, probationary

    c = probationary(cast)
    with pytest.raises(ValidationError) as exc:
        send(cast, c, "extension", "2027-10-29")
    assert exc.value.code == "meeting_first"
    meeting(cast, c, "extension", "2027-10-28", months=6)
    a = send(cast, c, "extension", "2027-10-29")
    approve(cast, a, "2027-11-20", today=LATER.isoformat())
    record = StepRecord.objects.get(candidate=c, step="extension")
    assert record.approved_on == D("2027-11-20") and record.months == 6 and record.date == D("2027-10-28")
    with pytest.raises(ValidationError) as exc:
        send(cast, c, "extension", "2027-11-21")
    assert exc.value.code == "already_approved"


def test_cancellation_approved_in_the_inbox_ends_membership(cast):
    from zhibu.development.tests.test_probation_outcomes import LATER, meeting, probationary

    c = probationary(cast)
    meeting(cast, c, "cancellation", "2027-10-30", votes_for=3)  # the vote failed: nothing to send up
    with pytest.raises(ValidationError) as exc:
        send(cast, c, "cancellation", "2027-11-01")
    assert exc.value.code == "meeting_failed"
    meeting(cast, c, "cancellation", "2027-10-30")
    a = send(cast, c, "cancellation", "2027-11-01")
    assert Person.objects.get(pk=c.person_id).standing == Standing.PROBATIONARY  # until approved
    approve(cast, a, "2027-11-15", today=LATER.isoformat())
    assert StepRecord.objects.get(candidate=c, step="cancellation").approved_on == D("2027-11-15")
    assert Person.objects.get(pk=c.person_id).standing == Standing.MASSES


# --- pages ----------------------------------------------------------------------------------------


def test_step_page_sends_up_and_the_file_page_shows_the_state_and_the_reason(cast, client_for):
    c = published(cast)
    client = client_for("secretary")
    url = reverse(
        "development:step", kwargs={"org_id": cast.branch.pk, "candidate_id": c.pk, "step": "candidate_approved"}
    )
    page = reverse("development:candidate", kwargs={"org_id": cast.branch.pk, "candidate_id": c.pk})
    with clock.frozen(D("2026-10-12")):
        html = client.get(url).content.decode()
        assert "报送日期" in html and 'name="approved_on"' not in html
        r = client.post(url, {"date": "2026-10-12", "notes": "公示无异议"})
        assert r.status_code == 302, r.content.decode()[:1500]
        html = client.get(page).content.decode()
    assert "待审批" in html and "报上级党委" in html
    a = Approval.objects.get()
    with clock.frozen(D("2026-10-13")):
        approvals.send_back(actor=cast.district_admin, approval=a, reason="请补充公示情况说明")
        html = client.get(page).content.decode()
        assert "请补充公示情况说明" in html and "补正并重新报送" in html
        html = client.get(url).content.decode()
        assert "重新报送" in html and "公示无异议" in html  # what was sent, to fix


def test_extension_form_no_longer_takes_the_approval_date_and_keeps_it(cast, client_for):
    from zhibu.development.tests.test_probation_outcomes import meeting, probationary

    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2027-11-20"))  # historic import
    url = reverse("development:step", kwargs={"org_id": cast.branch.pk, "candidate_id": c.pk, "step": "extension"})
    client = client_for("secretary")
    with clock.frozen(D("2027-12-01")):
        assert 'name="approved_on"' not in client.get(url).content.decode()
        r = client.post(
            url,
            {
                "date": "2027-10-28",
                "should_attend": 12,
                "present": 9,
                "votes_for": 8,
                "against": 1,
                "abstain": 0,
                "secret_ballot": "on",
                "months": 6,
                "notes": "改备注",
            },
        )
    assert r.status_code == 302
    record = StepRecord.objects.get(candidate=c, step="extension")
    assert record.approved_on == D("2027-11-20") and record.notes == "改备注"


def test_district_decides_on_the_detail_page(cast, client_for):
    c = published(cast)
    a = send(cast, c, "candidate_approved", "2026-10-12")
    url = reverse("approvals:detail", kwargs={"org_id": cast.district.pk, "approval_id": a.pk})
    district = client_for("district_admin")
    with clock.frozen(D("2026-10-14")):
        html = district.get(url).content.decode()
        assert "批准" in html and "打回" in html and "/development/c/" in html
        r = district.post(url, {"action": "return", "reason": "  "})
        assert r.status_code == 400 and "打回须填写理由" in r.content.decode()
        r = district.post(url, {"action": "approve", "on": "2026-10-15"})
        assert r.status_code == 400 and "晚于今天" in r.content.decode()
        r = district.post(url, {"action": "approve", "on": "2026-10-14"})
        assert r.status_code == 302
        r = district.post(url, {"action": "approve", "on": "2026-10-14"})  # the second click
        assert r.status_code == 403
    assert StepRecord.objects.get(candidate=c, step="candidate_approved").date == D("2026-10-14")
    # the branch reads the request and its log, but does not decide
    secretary = client_for("secretary")
    branch_url = reverse("approvals:detail", kwargs={"org_id": cast.branch.pk, "approval_id": a.pk})
    assert secretary.get(branch_url).status_code == 200
    assert secretary.post(branch_url, {"action": "approve", "on": "2026-10-14"}).status_code == 403
    assert client_for("auditor").post(url, {"action": "approve", "on": "2026-10-14"}).status_code == 403


def test_files_of_two_people_in_bulk(cast, client_for):
    c = published(cast)
    a = send(cast, c, "candidate_approved", "2026-10-12")
    other = Person.objects.create(branch=cast.other_branch, name="育才积极", gender="女", standing=Standing.ACTIVIST)
    assert other and full(cast, 1)
    url = reverse("approvals:inbox", kwargs={"org_id": cast.district.pk})
    district = client_for("district_admin")
    with clock.frozen(D("2026-10-14")):
        html = district.get(url).content.decode()
        assert f'value="{a.pk}"' in html and "报上级党委同意" in html
        r = district.post(url, {"ids": [a.pk], "on": "2026-10-14"})
    assert r.status_code == 302
    assert Approval.objects.get(pk=a.pk).state == State.APPROVED
    assert StepRecord.objects.get(candidate=c, step="candidate_approved").date == D("2026-10-14")
