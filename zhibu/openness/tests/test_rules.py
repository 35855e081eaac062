import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.openness import rules

STATUSES = st.sampled_from(list(rules.STATUS_LABELS))
STEPS = st.sampled_from(["review", "approve", "publish", "return", "resubmit"])
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def test_the_procedure_runs_propose_review_approve_publish():
    s = rules.transition(rules.PROPOSED, "review")
    s = rules.transition(s, "approve")
    assert rules.transition(s, "publish") == rules.PUBLISHED
    assert rules.transition(rules.REVIEWED, "return") == rules.RETURNED
    assert rules.transition(rules.RETURNED, "resubmit") == rules.PROPOSED


@given(STATUSES, STEPS)
def test_a_step_follows_the_table_or_is_refused_in_chinese(status, step):
    try:
        after = rules.transition(status, step)
    except rules.RuleError as exc:
        assert exc.code == "wrong_state" and "不能" in exc.message
    else:
        assert after in rules.STATUS_LABELS
        assert status != rules.PUBLISHED  # a published notice takes no further step


def test_review_needs_the_secrecy_check():
    with pytest.raises(rules.RuleError) as exc:
        rules.check_review(False)
    assert exc.value.code == "no_secrecy_check"
    rules.check_review(True)


def test_roles_default_and_the_nearest_setting_wins():
    roles = rules.step_roles([{}])
    assert roles["approve"] == rules.SECRETARY and roles["review"] == rules.MANAGER
    chain = [{"openness_roles": {"approve": "manager"}}, {"openness_roles": {"approve": "district", "publish": "x"}}]
    roles = rules.step_roles(chain)
    assert roles["approve"] == rules.MANAGER and roles["publish"] == rules.SECRETARY
    assert rules.may_take(rules.SECRETARY, manager=True, secretary=False, district=False) is False
    assert rules.may_take(rules.MANAGER, manager=False, secretary=True, district=False) is True


@given(st.sampled_from(list(rules.FREQUENCY_LABELS)), st.integers(2000, 2099))
def test_periods_cover_the_year_without_gaps(frequency, year):
    periods = rules.periods(frequency, year)
    assert periods[0][0] == dt.date(year, 1, 1) and periods[-1][1] == dt.date(year, 12, 31)
    for (_s1, e1), (s2, _e2) in zip(periods, periods[1:], strict=False):
        assert s2 == e1 + dt.timedelta(days=1)


@given(st.sampled_from(list(rules.FREQUENCY_LABELS)), st.lists(DATES, max_size=5), DATES)
def test_an_obligation_is_done_exactly_when_a_notice_falls_in_its_period(frequency, published, today):
    for ob in rules.obligations(frequency, 2026, published, today):
        inside = any(ob.start <= d <= ob.end for d in published)
        assert (ob.state == rules.DONE) == inside
        if not inside:
            assert ob.state == (rules.OVERDUE if ob.end < today else rules.DUE if ob.start <= today else rules.FUTURE)


def test_codes_are_read_back_however_they_are_typed_and_forgeries_are_none():
    code = rules.new_code()
    assert rules.normalise_code(code.lower().replace("-", " ")) == code
    assert rules.normalise_code(code.replace("-", "－")) == code
    assert rules.normalise_code("ABCD-EFGH-IJK0") is None  # I and 0 are never issued
    assert rules.normalise_code("<script>") is None
    assert rules.code_digest(code) != code and len(rules.code_digest(code)) == 64


def test_spam_checks_honeypot_links_and_length():
    assert rules.spam_problem("主题", "正常的意见建议内容", "") is None
    assert rules.spam_problem("主题", "正常的意见建议内容", "http://x")[1] == "honeypot"
    assert rules.spam_problem("", "看 http://a.com http://b.com www.c.cn", "")[1] == "too_many_links"
    assert rules.spam_problem("", "好", "")[1] == "too_short"


def test_channel_and_box_names_follow_the_unit():
    assert rules.channel_label(rules.SCHOOL, "阳光幼儿园") == "园务"
    assert rules.channel_label(rules.SCHOOL, "育才小学") == "校务"
    assert rules.box_name("阳光幼儿园") == "园长信箱" and rules.box_name("育才小学") == "校长信箱"
