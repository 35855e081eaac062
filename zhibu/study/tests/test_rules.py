"""Pure study rules: counting, targets, the quota/obligation a plan target becomes."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.study import rules


def test_a_full_day_is_8_and_half_a_day_4_and_otherwise_per_hour():
    assert rules.credited(rules.FULL_DAY, None) == 8
    assert rules.credited(rules.HALF_DAY, None) == 4
    assert rules.credited(rules.HOURS, "1.5") == Decimal("1.5")


def test_the_counting_is_configurable_per_district():
    cfg = rules.config([{}, {"study_full_day": 6, "study_hours_member": 40}])
    assert rules.credited(rules.FULL_DAY, None, cfg) == 6
    assert rules.target_hours(leader=False, cfg=cfg) == 40
    assert rules.target_hours(leader=True, cfg=cfg) == 56


@pytest.mark.parametrize(
    "hours, code",
    [
        ("-1", "hours_not_positive"),
        ("0", "hours_not_positive"),
        ("99", "hours_absurd"),
        ("1.3", "hours_not_half"),
        ("abc", "hours_invalid"),
    ],
)
def test_negative_or_absurd_hours_are_refused(hours, code):
    with pytest.raises(rules.RuleError) as exc:
        rules.check_hours(hours)
    assert exc.value.code == code


@given(st.floats(min_value=0, max_value=20 * 3600))
def test_meeting_hours_are_half_hours_never_above_a_full_day(seconds):
    h = rules.credited_for_duration(seconds)
    assert 0 <= h <= 8 and (h * 2) == int(h * 2)


def test_exempt_people_are_never_short():
    assert rules.Standing(Decimal(10), 32, True).short == 0
    assert rules.Standing(Decimal(10), 32, False).short == 22
    assert not rules.Standing(Decimal(40), 32, False).below


def test_characters_are_counted_without_whitespace():
    assert rules.char_count("学习 心得\n体会") == 6


@pytest.mark.parametrize(
    "target, becomes, result",
    [
        (
            {
                "text": "每两周组织一次全体教职工政治学习",
                "kind": "study",
                "every": {"n": 2, "unit": "week"},
                "amount": None,
            },
            "obligation",
            "monthly",
        ),
        (
            {"text": "坚持每月集中学习一次", "kind": "study", "every": {"n": 1, "unit": "month"}, "amount": None},
            "obligation",
            "monthly",
        ),
        (
            {"text": "每人撰写2篇学习体会", "kind": "study", "every": None, "amount": {"value": 2, "unit": "篇"}},
            "quota",
            ("reflections", 2),
        ),
        (
            {
                "text": "年记一万字",
                "kind": "study",
                "every": {"n": 1, "unit": "year"},
                "amount": {"value": 10000, "unit": "字"},
            },
            "quota",
            ("chars", 10000),
        ),
        (
            {
                "text": "月读一本书",
                "kind": "study",
                "every": {"n": 1, "unit": "month"},
                "amount": {"value": 1, "unit": "本"},
            },
            "quota",
            ("books", 12),
        ),
        (
            {
                "text": "学习强国每天35分",
                "kind": "study",
                "every": {"n": 1, "unit": "day"},
                "amount": {"value": 35, "unit": "分"},
            },
            "quota",
            ("xuexi_daily", 35),
        ),
        (
            {
                "text": "日学一小时",
                "kind": "study",
                "every": {"n": 1, "unit": "day"},
                "amount": {"value": 1, "unit": "小时"},
            },
            None,
            None,
        ),
        (
            {"text": "评选10%优秀党员", "kind": "review_cap", "every": None, "amount": {"value": 10, "unit": "%"}},
            None,
            None,
        ),
    ],
)
def test_a_plan_target_becomes_an_obligation_or_a_quota(target, becomes, result):
    assert rules.adoptable(target) == becomes
    if becomes == "obligation":
        assert rules.frequency_of(target["every"]) == result
    if becomes == "quota":
        assert rules.quota_of(target) == result
