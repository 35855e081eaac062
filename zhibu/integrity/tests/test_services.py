import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.integrity import eligibility, services
from zhibu.integrity.models import Commitment
from zhibu.integrity.tests.helpers import TODAY, held_meeting


def _duty(cast, person=None, year=2026):
    return services.create_duty_list(actor=cast.secretary, branch=cast.branch, year=year,
                                     person=person or cast.member_person, role_title="教研组长（一岗双责）",
                                     duties="廉洁从教\n规范收费")


def test_a_duty_list_is_confirmed_by_its_person_only_and_checked_at_year_end(cast):
    with clock.frozen(TODAY):
        duty = _duty(cast)
        with pytest.raises(ValidationError) as e:
            services.sign_duty_list(actor=cast.secretary, duty=duty)
        assert e.value.code == "not_self"
        with pytest.raises(ValidationError) as e:
            services.check_duty_list(actor=cast.secretary, duty=duty, result="fulfilled")
        assert e.value.code == "too_early"
        services.sign_duty_list(actor=cast.member, duty=duty)
        with pytest.raises(ValidationError):
            services.sign_duty_list(actor=cast.member, duty=duty)
    with clock.frozen(dt.date(2026, 12, 10)):
        duty = services.check_duty_list(actor=cast.secretary, duty=duty, result="fulfilled", note="履职到位")
    assert duty.check_result == "fulfilled" and duty.checked_on == dt.date(2026, 12, 10)
    assert AuditEntry.objects.filter(action="integrity.duty_check").count() == 1


def test_one_list_per_person_and_year_and_an_edit_asks_for_confirmation_again(cast):
    with clock.frozen(TODAY):
        duty = _duty(cast)
        with pytest.raises(ValidationError) as e:
            _duty(cast)
        assert e.value.code == "duty_exists"
        services.sign_duty_list(actor=cast.member, duty=duty)
        changes = services.update_duty_list(actor=cast.secretary, duty=duty, role_title="教研组长", duties="廉洁从教")
    duty.refresh_from_db()
    assert duty.signed_at is None and "signed_at" in changes


def test_commitments_are_issued_to_every_staff_member_once_and_signed_by_themselves(cast):
    with clock.frozen(TODAY):
        n = services.issue_commitments(actor=cast.secretary, branch=cast.branch, year=2026, text="我承诺")
        assert n == len(cast.people)  # members and non-members alike
        assert services.issue_commitments(actor=cast.secretary, branch=cast.branch, year=2026, text="我承诺") == 0
        mine = Commitment.objects.get(person=cast.member_person, year=2026)
        with pytest.raises(ValidationError):
            services.sign_commitment(actor=cast.committee, commitment=mine)
        services.sign_commitment(actor=cast.member, commitment=mine)
    mine.refresh_from_db()
    assert mine.signed_at is not None


def test_a_violation_vetoes_that_years_commendation_until_withdrawn(cast):
    person = cast.people[4]
    with clock.frozen(TODAY):
        v = services.record_violation(actor=cast.secretary, branch=cast.branch, person=person,
                                      date=dt.date(2026, 5, 3), description="违规有偿补课", handling="批评教育")
        services.record_violation(actor=cast.secretary, branch=cast.branch, person=cast.people[5],
                                  date=dt.date(2026, 5, 3), description="轻微问题", veto=False)
        vetoes = eligibility.vetoes(cast.branch, 2026)
        assert list(vetoes) == [person.pk] and "一票否决" in vetoes[person.pk] and "2026年5月3日" in vetoes[person.pk]
        assert eligibility.vetoes(cast.branch, 2027) == {}
        assert eligibility.vetoes(cast.other_branch, 2026) == {}
        services.withdraw_violation(actor=cast.secretary, violation=v, reason="复核撤销")
        assert eligibility.vetoes(cast.branch, 2026) == {}
        with pytest.raises(ValidationError) as e:
            services.record_violation(actor=cast.secretary, branch=cast.branch, person=person,
                                      date=dt.date(2026, 7, 1), description="未来")
        assert e.value.code == "future_date"


def test_a_decision_takes_its_figures_from_the_meeting_and_is_judged_by_the_vote_rules(cast):
    meeting = held_meeting(cast, absent=cast.people[6:8])  # 8 正式党员: 6 present
    with clock.frozen(TODAY):
        d = services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=meeting, category="funds",
                                     item="购置教学设备20万元", votes_for=5, votes_against=1, votes_abstain=0)
        assert (d.should_attend, d.present, d.passed) == (8, 6, True)
        with pytest.raises(ValidationError) as e:
            services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=meeting, category="funds",
                                     item="另一事项", votes_for=6, votes_against=1, votes_abstain=0)
        assert e.value.code == "bad_votes"
        with pytest.raises(ValidationError) as e:
            services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=meeting, category="funds",
                                     item="购置教学设备20万元", votes_for=5, votes_against=0, votes_abstain=0)
        assert e.value.code == "decision_exists"
        failed = services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=meeting,
                                          category="project", item="改建操场", votes_for=4, votes_against=2,
                                          votes_abstain=0)
        assert not failed.passed and "未通过" in failed.reason


def test_a_decision_needs_a_congress_or_committee_meeting_of_the_branch_with_attendance(cast):
    lecture = held_meeting(cast, kind="party_lecture")
    with clock.frozen(TODAY):
        with pytest.raises(ValidationError) as e:
            services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=lecture, category="funds",
                                     item="x", votes_for=1, votes_against=0, votes_abstain=0)
        assert e.value.code == "wrong_meeting_kind"
        with pytest.raises(ValidationError) as e:
            services.record_decision(actor=cast.secretary, branch=cast.other_branch, meeting=lecture,
                                     category="funds", item="x", votes_for=1, votes_against=0, votes_abstain=0)
        assert e.value.code == "meeting_elsewhere"


def test_a_committee_decision_counts_the_committee(cast):
    meeting = held_meeting(cast, kind="committee_meeting")  # 3 committee members, all present
    with clock.frozen(TODAY):
        d = services.record_decision(actor=cast.secretary, branch=cast.branch, meeting=meeting,
                                     category="appointment", item="任命教研组长", votes_for=2, votes_against=1,
                                     votes_abstain=0)
    assert (d.should_attend, d.present, d.passed) == (3, 3, True)
