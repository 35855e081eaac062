import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.rectify import rules

STATUSES = st.sampled_from([rules.OPEN, rules.IN_PROGRESS, rules.SUBMITTED, rules.CLOSED, rules.CONFIRMED])
ACTIONS = st.sampled_from(list(rules.TRANSITIONS))
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def test_the_lifecycle_runs_open_to_closed_and_a_review_may_reopen():
    s = rules.transition(rules.OPEN, "start")
    s = rules.transition(s, "submit")
    assert rules.transition(s, "send_back") == rules.IN_PROGRESS
    s = rules.transition(s, "close")
    assert s == rules.CLOSED and not rules.can_edit(s)
    assert rules.transition(s, "reopen") == rules.IN_PROGRESS
    assert rules.transition(s, "confirm") == rules.CONFIRMED


@given(STATUSES, ACTIONS)
def test_a_transition_either_follows_the_table_or_is_refused_in_chinese(status, action):
    allowed, after = rules.TRANSITIONS[action]
    if status in allowed:
        assert rules.transition(status, action) == after
    else:
        with pytest.raises(rules.RuleError) as exc:
            rules.transition(status, action)
        assert exc.value.code == "bad_transition" and "不能" in exc.value.message


@given(STATUSES)
def test_only_closed_items_are_not_editable_and_they_can_only_be_reopened(status):
    assert rules.can_edit(status) == (status not in rules.FINISHED)
    if status in rules.FINISHED:
        leaving = [a for a, (allowed, _after) in rules.TRANSITIONS.items() if status in allowed]
        assert set(leaving) <= {"confirm", "reopen"}


@given(DATES, st.integers(min_value=0, max_value=120))
def test_add_months_keeps_the_day_or_the_month_end(day, months):
    later = rules.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or later.day < day.day and (later + dt.timedelta(days=1)).day == 1


@given(DATES)
def test_inspection_feedback_is_reported_within_two_months(day):
    # rules2.md §6: 巡视工作条例 (2015) 27
    assert rules.report_due("inspection", day) == rules.add_months(day, 2)
    assert rules.report_due("self_check", day) is None


@given(DATES, DATES)
def test_a_deadline_before_the_item_date_is_refused(raised, deadline):
    if deadline < raised:
        with pytest.raises(rules.RuleError) as exc:
            rules.check_deadline(raised, deadline, "deadline")
        assert exc.value.code == "deadline_before_raised"
    else:
        rules.check_deadline(raised, deadline, "deadline")


def test_evidence_is_text_or_a_file():
    with pytest.raises(rules.RuleError):
        rules.check_evidence("  ", 0)
    rules.check_evidence("已整改", 0)
    rules.check_evidence("", 1)


@given(STATUSES, st.one_of(st.none(), DATES), DATES)
def test_overdue_items_sort_before_everything_else(status, deadline, today):
    key = rules.sort_key(status, deadline, today)
    if rules.is_overdue(status, deadline, today):
        assert key < rules.sort_key(rules.OPEN, dt.date.max, today)


def test_closer_and_review_months_come_from_the_nearest_setting():
    assert rules.closer_mode([]) == rules.DEFAULT_CLOSER == rules.CLOSER_DISTRICT
    assert rules.closer_mode([{}, {"rectify_closer": "branch"}]) == "branch"
    assert rules.closer_mode([{"rectify_closer": "district"}, {"rectify_closer": "branch"}]) == "district"
    assert rules.closer_mode([{"rectify_closer": "nonsense"}]) == rules.DEFAULT_CLOSER
    assert rules.review_months([{"rectify_review_months": 6}]) == 6
    assert rules.review_months([{"rectify_review_months": "x"}]) == rules.DEFAULT_REVIEW_MONTHS
