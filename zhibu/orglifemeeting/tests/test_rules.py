import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibu.orglifemeeting import rules

ids = st.lists(st.integers(min_value=1, max_value=40), unique=True, max_size=12)


def test_request_due_is_n_days_before():
    assert rules.request_due(dt.date(2026, 12, 15), 7) == dt.date(2026, 12, 8)


def test_check_required_orders_and_refuses_unknown():
    assert rules.check_required(["request", "talks"]) == ("talks", "request")
    with pytest.raises(ValueError):
        rules.check_required(["nonsense"])


def test_check_readings_needs_one():
    with pytest.raises(ValueError):
        rules.check_readings([])
    with pytest.raises(ValueError):
        rules.check_readings(["x"])


def test_committee_pairs_and_member_with_committee():
    needs = rules.required_needs([1, 2, 3], [1, 2, 3, 4, 5], [rules.COMMITTEE_PAIRS, rules.MEMBER_COMMITTEE])
    assert [n.pair for n in needs if n.reading == rules.COMMITTEE_PAIRS] == [(1, 2), (1, 3), (2, 3)]
    assert [(n.person, n.partners) for n in needs if n.reading == rules.MEMBER_COMMITTEE] == [
        (4, frozenset({1, 2, 3})),
        (5, frozenset({1, 2, 3})),
    ]
    missing = rules.missing_needs(needs, [(1, 2), (3, 4), (2, 5), (1, 3)])
    assert [n.pair for n in missing] == [(2, 3)]


def test_member_member_reading():
    needs = rules.required_needs([], [1, 2, 3], [rules.MEMBER_MEMBER])
    assert len(needs) == 3
    assert [n.person for n in rules.missing_needs(needs, [(1, 2)])] == [3]


def test_matrix_marks_talked_missing_and_options():
    needs = rules.required_needs([1, 2], [1, 2, 3], [rules.COMMITTEE_PAIRS, rules.MEMBER_COMMITTEE])
    cells = rules.matrix([1, 2, 3], needs, [])
    assert cells[(1, 2)] == cells[(2, 1)] == rules.MISSING
    assert cells[(3, 1)] == rules.OPTION
    cells = rules.matrix([1, 2, 3], needs, [(1, 2), (1, 3)])
    assert cells[(1, 2)] == rules.TALKED and (3, 2) not in cells


def test_per_person_progress():
    assert rules.per_person([1, 2, 9], [1, 2, 3]) == (False, "2/3")
    assert rules.per_person([1, 2, 3], [1, 2, 3]) == (True, "3/3")


def test_open_required_only_required_and_open():
    states = [
        rules.StepState("a", "A", False, True),
        rules.StepState("b", "B", False, False),
        rules.StepState("c", "C", True, True),
    ]
    assert [s.code for s in rules.open_required(states)] == ["a"]


@settings(deadline=None, max_examples=60)
@given(
    committee=ids,
    members=ids,
    readings=st.sets(st.sampled_from(rules.READING_CODES), min_size=1),
    talks=st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40)), max_size=40),
)
def test_coverage_properties(committee, members, readings, talks):
    needs = rules.required_needs(committee, members, readings)
    missing = rules.missing_needs(needs, talks)
    # missing is a subset of needs, in order
    assert [n for n in needs if n in missing] == missing
    # talking every needed pair meets every need
    everything = [(n.person, p) for n in needs for p in n.partners]
    assert rules.missing_needs(needs, [*talks, *everything]) == []
    # nobody needs a talk with themselves, and a need always has a partner
    assert all(n.person not in n.partners and n.partners for n in needs)
    # adding talks never adds missing needs
    assert set(rules.missing_needs(needs, [*talks, (1, 2)])) <= set(missing)
    if rules.COMMITTEE_PAIRS in readings:
        k = len(committee)
        assert sum(1 for n in needs if n.reading == rules.COMMITTEE_PAIRS) == k * (k - 1) // 2
