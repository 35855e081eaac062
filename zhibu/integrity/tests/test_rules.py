import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.integrity import rules


def test_duty_lines_drop_blanks_and_marks():
    assert rules.duty_lines("- 廉洁从教\n\n· 规范收费 \n") == ["廉洁从教", "规范收费"]
    with pytest.raises(rules.RuleError) as e:
        rules.check_duties(" \n- \n")
    assert e.value.code == "no_duties"


def test_year_end_check_opens_on_the_first_of_december():
    assert not rules.can_check(2026, dt.date(2026, 11, 30))
    assert rules.can_check(2026, dt.date(2026, 12, 1))


def test_a_violation_cannot_be_dated_in_the_future():
    with pytest.raises(rules.RuleError):
        rules.check_violation_date(dt.date(2026, 6, 2), dt.date(2026, 6, 1))


def test_veto_reason_names_the_date_and_cuts_long_text():
    r = rules.veto_reason(dt.date(2026, 3, 5), "有偿补课" * 20)
    assert r.startswith("师德失范一票否决（2026年3月5日：") and "…" in r


def test_congress_votes_follow_orglife_rules():
    r = rules.decision_result(kind=rules.CONGRESS, should_attend=8, present=6, votes_for=5, against=1, abstain=0)
    assert r.passed and "通过" in r.reason
    r = rules.decision_result(kind=rules.CONGRESS, should_attend=8, present=6, votes_for=4, against=2, abstain=0)
    assert not r.passed  # 4 is not more than half of 8 应到
    with pytest.raises(rules.RuleError):
        rules.decision_result(kind=rules.CONGRESS, should_attend=8, present=6, votes_for=5, against=2, abstain=0)


def test_committee_needs_half_present_and_half_of_all_members_in_favour():
    assert rules.decision_result(kind=rules.COMMITTEE, should_attend=5, present=3, votes_for=3, against=0, abstain=0).passed
    r = rules.decision_result(kind=rules.COMMITTEE, should_attend=5, present=2, votes_for=2, against=0, abstain=0)
    assert not r.passed and "不能作出决定" in r.reason
    assert not rules.decision_result(kind=rules.COMMITTEE, should_attend=4, present=3, votes_for=2, against=1,
                                     abstain=0).passed
    with pytest.raises(rules.RuleError):
        rules.decision_result(kind="theme_day", should_attend=4, present=3, votes_for=2, against=1, abstain=0)


@given(kind=st.sampled_from([rules.CONGRESS, rules.COMMITTEE]), should=st.integers(1, 60), data=st.data())
def test_a_passed_decision_always_has_a_majority_of_all_entitled(kind, should, data):
    present = data.draw(st.integers(0, should))
    votes_for = data.draw(st.integers(0, present))
    against = data.draw(st.integers(0, present - votes_for))
    try:
        r = rules.decision_result(kind=kind, should_attend=should, present=present, votes_for=votes_for,
                                  against=against, abstain=0)
    except rules.RuleError:
        return
    assert r.passed == (present * 2 > should and votes_for * 2 > should)
    assert r.source


@given(kind=st.sampled_from([rules.CONGRESS, rules.COMMITTEE]), should=st.integers(1, 30), extra=st.integers(1, 5))
def test_more_votes_than_present_are_refused(kind, should, extra):
    with pytest.raises(rules.RuleError):
        rules.decision_result(kind=kind, should_attend=should, present=should, votes_for=should, against=extra, abstain=0)
