"""The 支部大会 votes: refused before their steps and in the future, failed votes decide nothing, the
end of 预备期 (转正, 延长预备期 once, 取消预备党员资格), a vote reused from an orglife 党员大会, and the
status derived in one place. Service errors are asserted by code."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhibu.core import clock
from zhibu.development import services, timeline
from zhibu.development.models import Candidate, StepRecord
from zhibu.development.tests.test_app_services import CAL, D, admitted, ready, rec, walk_to_candidate
from zhibu.orgs.models import Person, Standing

pytestmark = pytest.mark.django_db
LATER = D("2028-06-30")  # "today" for the end-of-probation steps


def code_of(call):
    with pytest.raises(ValidationError) as exc:
        call()
    return exc.value.code


def status(c, as_of=D("2026-11-26")):
    c = Candidate.objects.get(pk=c.pk)
    return timeline.derive(c, calendar=CAL, as_of=as_of)


def meeting(cast, c, step, date, *, as_of=LATER, votes_for=8, present=9, should=12, **kw):
    return services.record_step(actor=cast.secretary, candidate=c, step=step, date=D(date), should_attend=should,
                                present=present, votes_for=votes_for, against=present - votes_for, abstain=0,
                                secret_ballot=True, calendar=CAL, as_of=as_of, **kw)


def probationary(cast):
    c, _ = admitted(cast)
    rec(cast, c, "approval_talk", "2026-11-05")
    rec(cast, c, "approval", "2026-11-10")
    rec(cast, c, "oath", "2026-11-20")
    return c


# --- the admission vote ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["political_review", "committee_review", "pre_review", "application_form"])
def test_admission_vote_refused_while_a_step_before_it_is_missing(cast, missing):
    c = ready(cast)
    StepRecord.objects.filter(candidate=c, step=missing).delete()
    assert code_of(lambda: meeting(cast, c, "admission_meeting", "2026-10-28", as_of=D("2026-11-26"))) \
        == "missing_prerequisites"
    assert not StepRecord.objects.filter(candidate=c, step="admission_meeting").exists()


def test_admission_vote_refused_in_the_future(cast):
    c = ready(cast)
    with clock.frozen(dt.datetime(2026, 10, 27, 12, 0, tzinfo=clock.TZ)):
        assert code_of(lambda: services.enter_tally(
            actor=cast.secretary, candidate=c, meeting="admission_meeting", date=D("2026-10-28"), should_attend=12,
            present=9, votes_for=8, against=1, abstain=0, calendar=CAL)) == "future_date"
    assert not StepRecord.objects.filter(candidate=c, step="admission_meeting").exists()


def test_any_step_refused_in_the_future(cast):
    c = walk_to_candidate(cast)
    assert code_of(lambda: rec(cast, c, "political_review", "2026-11-27")) == "future_date"  # as_of 2026-11-26


def test_failed_admission_vote_starts_no_probation(cast):
    c, outcome = admitted(cast, votes_for=6)
    assert outcome["passed"] is False
    s = status(c)
    assert s.failed == ("admission_meeting",)
    assert s.probation_end is None
    assert [n.step for n in s.next] == ["admission_meeting"]  # the vote is due again, nothing after it
    c.refresh_from_db()
    assert c.next_step == "admission_meeting" and c.stage == 4 and c.open_violations == 0
    assert Person.objects.get(pk=c.person_id).standing == Standing.CANDIDATE
    for step in ("approval_talk", "approval", "oath"):
        assert code_of(lambda step=step: rec(cast, c, step, "2026-11-10")) == "meeting_failed"
    # a new vote, passed, replaces it; the old tally stays in the audit log
    meeting(cast, c, "admission_meeting", "2026-11-20", as_of=D("2026-11-26"), votes_for=9)
    s = status(c)
    assert s.failed == () and s.probation_end == D("2027-11-20")


def test_quorum_not_met_is_a_failed_vote(cast):
    c, outcome = admitted(cast, votes_for=6, present=6)  # 6 of 12 present: no quorum
    assert outcome["passed"] is False and status(c).failed == ("admission_meeting",)


def test_failed_full_meeting_makes_no_full_member(cast):
    c = probationary(cast)
    rec_later(cast, c, "full_application", "2027-10-28")
    meeting(cast, c, "full_meeting", "2027-11-01", votes_for=5)
    assert code_of(lambda: services.record_step(actor=cast.secretary, candidate=c, step="full_approval",
                                                date=D("2027-12-01"), calendar=CAL, as_of=LATER,
                                                override_reason="例外")) == "meeting_failed"
    assert Person.objects.get(pk=c.person_id).standing == Standing.PROBATIONARY
    assert [n.step for n in status(c, LATER).next] == ["full_meeting"]


def test_full_meeting_needs_the_admission_approved(cast):
    c, _ = admitted(cast)
    assert code_of(lambda: meeting(cast, c, "full_meeting", "2027-11-01")) == "missing_prerequisites"


# --- 延长预备期 ----------------------------------------------------------------------------------------


def test_extension_moves_probation_end_then_only_confirm_or_cancel(cast):
    c = probationary(cast)
    assert code_of(lambda: meeting(cast, c, "extension", "2027-10-27", months=6)) == "probation_not_ended"
    assert code_of(lambda: meeting(cast, c, "extension", "2027-10-28", months=13)) == "extension_6_to_12_months"
    meeting(cast, c, "extension", "2027-10-28", months=6)
    s = status(c, D("2027-11-01"))
    assert s.probation_end == D("2028-04-28") and s.extended_months == 6
    assert ("extension", D("2028-01-28")) in [(n.step, n.due) for n in s.next]  # 上级党委 approval due
    services.record_step(actor=cast.secretary, candidate=c, step="extension", date=D("2027-10-28"),
                         should_attend=12, present=9, votes_for=8, against=1, abstain=0, secret_ballot=True,
                         months=6, approved_on=D("2027-11-20"), calendar=CAL, as_of=LATER)
    assert [(n.step, n.due) for n in status(c, D("2027-12-01")).next] == [("full_application", D("2028-04-28"))]
    c.refresh_from_db()
    assert (c.next_step, c.next_due) == ("full_application", D("2028-04-28"))
    # the 转正 before the extended end breaks full_meeting_after_probation
    with pytest.raises(services.StepBlocked) as exc:
        meeting(cast, c, "full_meeting", "2028-04-27")
    assert {v.rule for v in exc.value.violations} == {"full_meeting_after_probation"}
    meeting(cast, c, "full_meeting", "2028-04-28")
    assert code_of(lambda: meeting(cast, c, "extension", "2028-04-28", months=6)) == "extension_not_allowed"
    rec_later(cast, c, "full_approval", "2028-05-20")
    p = Person.objects.get(pk=c.person_id)
    assert p.standing == Standing.FULL and p.full_on == D("2028-04-28")  # 党龄 from the extended end


def rec_later(cast, c, step, date, **kw):
    return services.record_step(actor=cast.secretary, candidate=c, step=step, date=D(date), calendar=CAL, as_of=LATER,
                                **kw)


def test_failed_extension_vote_leaves_probation_as_it_was(cast):
    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6, votes_for=4)
    s = status(c, D("2027-11-01"))
    assert s.failed == ("extension",) and s.probation_end == D("2027-10-28") and s.extended_months is None
    assert s.open_violations == 0  # a vote that failed is an outcome, not a fault of the record
    meeting(cast, c, "full_meeting", "2027-11-05")  # the 转正 is not blocked by the failed extension vote
    assert status(c, D("2027-11-06")).failed == ("extension",)


def test_extension_needs_an_approved_admission(cast):
    c, _ = admitted(cast)
    assert code_of(lambda: meeting(cast, c, "extension", "2027-10-28", months=6)) == "missing_prerequisites"


def test_extension_approval_within_3_months_is_a_rule(cast):
    c = probationary(cast)
    with pytest.raises(services.StepBlocked) as exc:
        meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2028-01-29"))
    assert {v.rule for v in exc.value.violations} == {"extension_approval_within_3_months"}


# --- 取消预备党员资格 ----------------------------------------------------------------------------------


def test_cancellation_approved_ends_membership_and_closes_the_file(cast):
    c = probationary(cast)
    meeting(cast, c, "cancellation", "2027-10-30")
    s = status(c, D("2027-11-01"))
    assert not s.cancelled and [(n.step, n.due) for n in s.next] == [("cancellation", D("2028-01-30"))]
    assert Person.objects.get(pk=c.person_id).standing == Standing.PROBATIONARY  # until approved
    meeting(cast, c, "cancellation", "2027-10-30", approved_on=D("2027-11-15"))
    s = status(c, D("2027-12-01"))
    assert s.cancelled and s.archived and s.next == ()
    c.refresh_from_db()
    assert c.archived and c.next_step == ""
    assert Person.objects.get(pk=c.person_id).standing == Standing.MASSES
    assert code_of(lambda: meeting(cast, c, "full_meeting", "2027-12-01")) == "probation_decided"


def test_failed_cancellation_vote_keeps_the_member(cast):
    c = probationary(cast)
    meeting(cast, c, "cancellation", "2027-10-30", approved_on=D("2027-11-15"), votes_for=3)
    assert not status(c, D("2027-12-01")).cancelled
    assert Person.objects.get(pk=c.person_id).standing == Standing.PROBATIONARY


# --- a vote reused from orglife ------------------------------------------------------------------


def party_congress(cast, date, *, branch=None, kind="party_congress", **counts):
    from zhibu.orglife.models import Meeting, Motion

    start = dt.datetime.combine(date, dt.time(15, 0), tzinfo=clock.TZ)
    m = Meeting.objects.create(branch=branch or cast.branch, kind=kind, starts_at=start,
                               ends_at=start + dt.timedelta(hours=1), topic="讨论接收预备党员")
    values = dict(should_attend=12, present=9, votes_for=8, votes_against=1, votes_abstain=0)
    values.update(counts)
    return Motion.objects.create(meeting=m, title="接收陈老师为预备党员", quorum_met=True, passed=True,
                                 reason="", source="", **values)


def test_admission_vote_reuses_an_orglife_motion(cast):
    from zhibu.development import selectors

    c = ready(cast)
    motion = party_congress(cast, D("2026-10-28"))
    assert [m.pk for m in selectors.branch_motions(cast.branch, D("2026-11-26"))] == [motion.pk]
    record = services.record_step(actor=cast.secretary, candidate=c, step="admission_meeting", date=None,
                                  motion=motion, secret_ballot=True, calendar=CAL, as_of=D("2026-11-26"))
    assert (record.date, record.should_attend, record.present, record.votes_for, record.against) == \
        (D("2026-10-28"), 12, 9, 8, 1)
    assert "党员大会" in record.notes
    assert status(c).probation_end == D("2027-10-28")


def test_a_motion_of_another_kind_or_branch_is_refused(cast):
    c = ready(cast)
    motion = party_congress(cast, D("2026-10-28"), kind="committee_meeting")
    assert code_of(lambda: services.record_step(actor=cast.secretary, candidate=c, step="admission_meeting",
                                                date=None, motion=motion, calendar=CAL,
                                                as_of=D("2026-11-26"))) == "motion_foreign"


# --- pages -----------------------------------------------------------------------------------------


def page_url(cast, c, step=None):
    from django.urls import reverse

    if step:
        return reverse("development:step", kwargs={"org_id": cast.branch.pk, "candidate_id": c.pk, "step": step})
    return reverse("development:candidate", kwargs={"org_id": cast.branch.pk, "candidate_id": c.pk})


def test_page_offers_the_three_outcomes_then_two_after_an_extension(cast, client_for):
    c = probationary(cast)
    client = client_for("secretary")
    with clock.frozen(D("2027-10-30")):
        html = client.get(page_url(cast, c)).content.decode()
    assert 'data-outcome="full_meeting"' in html and 'data-outcome="extension"' in html
    assert 'data-outcome="cancellation"' in html
    meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2027-11-20"))
    with clock.frozen(D("2027-12-01")):
        html = client.get(page_url(cast, c)).content.decode()
    assert 'data-outcome="extension"' not in html and 'data-outcome="cancellation"' in html
    assert "预备期满 2028-04-28（已延长6个月）" in html
    assert 'data-step="extension"' in html and "延长6个月" in html


def test_extension_form_posts_months_and_approval(cast, client_for):
    c = probationary(cast)
    client = client_for("secretary")
    with clock.frozen(D("2027-11-01")):
        form = client.get(page_url(cast, c, "extension")).content.decode()
        # the 上级党委's approval date comes with its approval (报上级党委, zhibu.approvals)
        assert 'name="months"' in form and 'name="approved_on"' not in form
        r = client.post(page_url(cast, c, "extension"), {
            "date": "2027-10-28", "should_attend": 12, "present": 9, "votes_for": 8, "against": 1, "abstain": 0,
            "secret_ballot": "on", "months": 5})
        assert r.status_code == 400 and not StepRecord.objects.filter(step="extension").exists()
        r = client.post(page_url(cast, c, "extension"), {
            "date": "2027-10-28", "should_attend": 12, "present": 9, "votes_for": 8, "against": 1, "abstain": 0,
            "secret_ballot": "on", "months": 6})
    assert r.status_code == 302
    assert StepRecord.objects.get(candidate=c, step="extension").months == 6
    assert Candidate.objects.get(pk=c.pk).next_step == "extension"  # the approval is due


def test_admission_form_reuses_a_motion(cast, client_for):
    c = ready(cast)
    motion = party_congress(cast, D("2026-10-28"))
    client = client_for("secretary")
    with clock.frozen(D("2026-11-26")):
        form = client.get(page_url(cast, c, "admission_meeting")).content.decode()
        assert 'name="motion"' in form and "接收陈老师为预备党员" in form
        r = client.post(page_url(cast, c, "admission_meeting"), {"motion": motion.pk, "secret_ballot": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    record = StepRecord.objects.get(candidate=c, step="admission_meeting")
    assert (record.date, record.votes_for) == (D("2026-10-28"), 8)


def test_failed_vote_is_shown_on_the_page(cast, client_for):
    c, _ = admitted(cast, votes_for=6)
    with clock.frozen(D("2026-11-26")):
        html = client_for("secretary").get(page_url(cast, c)).content.decode()
    assert 'data-failed="admission_meeting"' in html and "不接收为预备党员" in html
    assert "预备期满" not in html


def test_board_shows_the_extension_and_a_failed_vote(cast, client_for):
    from django.urls import reverse

    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2027-11-20"))
    with clock.frozen(D("2027-12-01")):
        html = client_for("secretary").get(reverse("development:board", args=[cast.branch.pk])).content.decode()
    assert "预备期已延长6个月，至 2028-04-28 期满" in html
    assert "下一步：提出转正申请" in html


def test_reminder_after_the_extended_end(cast):
    from zhibu.development import reminders

    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2027-11-20"))
    items = {r.key.split(":c=")[0]: r for r in reminders.collect(D("2028-05-02"))}
    r = items["development:probation:2028-04-28"]
    assert "已于 2028年4月28日 期满" in r.title and "已延长6个月" in r.title and "延长预备期" not in r.title.split("讨论")[1]


def test_extension_resolution_button_on_the_page(cast, client_for):
    # (what the document needs is documents.MEETING_NEEDS: the documents engineer's)
    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6, approved_on=D("2027-11-20"))
    with clock.frozen(D("2027-12-01")):
        html = client_for("secretary").get(page_url(cast, c)).content.decode()
    assert 'data-resolution="extension"' in html and "生成延长预备期决议" in html


def test_thought_reports_and_assessments_in_the_future_are_refused(cast):
    c = walk_to_candidate(cast)
    tomorrow = clock.today() + dt.timedelta(days=1)
    assert code_of(lambda: services.record_thought_report(actor=cast.secretary, candidate=c,
                                                          received_on=tomorrow)) == "future_date"
    assert code_of(lambda: services.record_assessment(actor=cast.secretary, candidate=c, date=tomorrow,
                                                      calendar=CAL)) == "future_date"


def test_the_extension_resolution_needs_no_full_application_and_documents_read_the_moved_end(cast):
    from zhibu.development import documents
    from zhibu.development.models import DocKind

    c = probationary(cast)
    meeting(cast, c, "extension", "2027-10-28", months=6)
    c = Candidate.objects.get(pk=c.pk)
    assert documents.refusals(c, DocKind.RESOLUTION, calendar=CAL, today=D("2027-11-01"), meeting="extension") == []
    ctx = documents.context(c, DocKind.RESOLUTION, calendar=CAL, today=D("2027-11-01"), meeting="extension")
    assert ctx["预备期满日期"] == "2028年4月28日"
