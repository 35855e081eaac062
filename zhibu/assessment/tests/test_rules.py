"""The pure rules: points from a fraction, tiers by thresholds (hypothesis), the default rubric."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhibu.assessment import rules


def test_default_rubric_is_five_good_times_twenty():
    totals = {}
    for group, _label, points, _key, _guide in rules.DEFAULT_ITEMS:
        totals[group] = totals.get(group, 0) + points
    assert totals == dict.fromkeys(rules.GROUPS, 20)


@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("100"), places=1), st.floats(-1, 2))
def test_points_stay_between_zero_and_the_item_points(points, value):
    got = rules.points_for(points, value)
    assert Decimal(0) <= got <= points


@given(st.floats(0, 100), st.integers(0, 100), st.integers(0, 100))
def test_tiers_follow_the_thresholds(score, a, b):
    advanced, backward = max(a, b), min(a, b)
    tier = rules.tier(Decimal(str(score)), Decimal(100), advanced, backward)
    if score >= advanced:
        assert tier == rules.ADVANCED
    elif score < backward:
        assert tier == rules.BACKWARD
    else:
        assert tier == rules.MIDDLE
