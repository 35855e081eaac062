"""The pure rules of 关怀 (rules2.md §11)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.care import rules

dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2090, 12, 31))


@given(dates, st.integers(min_value=2000, max_value=2100))
def test_the_political_birthday_is_the_admission_day_in_that_year(admitted, year):
    day = rules.political_birthday(admitted, year)
    assert day.year == year and day.month == admitted.month
    assert day.day == admitted.day or (admitted.month, admitted.day, day.day) == (2, 29, 28)


@given(dates, st.integers(min_value=2000, max_value=2100))
def test_birthday_in_month_only_after_the_admission_year(admitted, year):
    for month in range(1, 13):
        inside = rules.birthday_in_month(admitted, year, month)
        assert inside == (month == admitted.month and admitted.year < year)


@given(dates, dates)
def test_fifty_years_count_from_the_full_member_date(admitted, full):
    if full <= admitted:
        return
    assert rules.reaches_fifty(admitted, full, full.year + 50)
    assert not rules.reaches_fifty(admitted, full, full.year + 49)
    assert rules.fifty_date(admitted, full).year == full.year + 50


def test_without_a_full_member_date_standing_starts_a_year_after_admission():
    assert rules.standing_start(dt.date(1976, 7, 1), None) == dt.date(1977, 7, 1)
    assert rules.reaches_fifty(dt.date(1976, 7, 1), None, 2027)
    assert rules.standing_start(None, None) is None and not rules.reaches_fifty(None, None, 2026)


def test_suggested_flags_from_the_record():
    today = dt.date(2026, 12, 1)
    assert rules.suggested_flags(dt.date(1948, 5, 1), dt.date(1949, 5, 1), today) == [rules.PRE1949, rules.VETERAN]
    assert rules.suggested_flags(dt.date(1975, 5, 1), dt.date(1976, 5, 1), today) == [rules.VETERAN]
    assert rules.suggested_flags(dt.date(2010, 5, 1), dt.date(2011, 5, 1), today) == []


def test_the_spring_festival_deadline_is_its_eve_and_july_first_for_qiyi():
    assert rules.campaign_due(rules.SPRING, 2027) == dt.date(2027, 2, 5)
    assert rules.campaign_due(rules.JULY1, 2027) == dt.date(2027, 7, 1)
    assert rules.campaign_due(rules.SPRING, 2099) is None and rules.campaign_due(rules.OTHER, 2027) is None


@given(st.sets(st.integers(1, 50)), st.sets(st.integers(1, 50)))
def test_a_campaign_is_complete_when_everyone_on_it_is_visited(must, visited):
    assert rules.campaign_complete(must, visited) == (bool(must) and must <= visited)


@given(dates)
def test_birthday_due_is_within_the_next_week(admitted):
    today = dt.date(2026, 12, 28)
    due = rules.birthday_due(admitted, today)
    if due is not None:
        assert today <= due <= today + dt.timedelta(days=7) and due.year > admitted.year


def test_only_the_frail_flag_exempts():
    assert rules.is_exempt([rules.FRAIL]) and not rules.is_exempt([rules.ILL, rules.HARDSHIP])


def test_the_pair_range_comes_from_a_pairing_target():
    targets = [
        {"kind": "study", "amount": {"value": 32, "unit": "学时"}},
        {"kind": "pairing", "amount": {"value": 1, "max": 3, "unit": "名"}},
    ]
    assert rules.pair_range(targets) == (1, 3)
    assert rules.pair_range([{"kind": "pairing", "every": {"n": 1, "unit": "month"}, "amount": None}]) is None
    assert rules.pair_range([{"kind": "pairing", "amount": {"value": 500, "unit": "名"}}]) is None
    assert [rules.pair_state(n, 1, 2) for n in (0, 1, 2, 3)] == ["none", "ok", "ok", "over"]
    assert rules.pair_state(1, 2, 3) == "below"


@pytest.mark.parametrize(
    "hours,code",
    [(Decimal(0), "hours_not_positive"), (Decimal(25), "hours_too_many"), (Decimal("1.3"), "hours_not_half")],
)
def test_bad_hours_are_refused(hours, code):
    with pytest.raises(rules.RuleError) as exc:
        rules.check_hours(hours)
    assert exc.value.code == code


def test_amounts_and_visit_dates():
    with pytest.raises(rules.RuleError):
        rules.check_amount(Decimal(-1))
    with pytest.raises(rules.RuleError):
        rules.check_amount(Decimal(100001))
    rules.check_amount(None)
    with pytest.raises(rules.RuleError) as exc:
        rules.check_visit_date(dt.date(2026, 2, 2), dt.date(2026, 2, 1), 2026)
    assert exc.value.code == "visit_in_future"
