import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.commend import rules


def test_a_ratio_quota_rounds_down():
    assert rules.ratio_quota(Decimal(5), 39) == 1
    assert rules.ratio_quota(Decimal(5), 40) == 2
    assert rules.ratio_quota(Decimal(10), 0) == 0


@given(percent=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100), places=2), n=st.integers(0, 5000))
def test_a_ratio_quota_never_exceeds_the_ratio(percent, n):
    q = rules.ratio_quota(percent, n)
    assert 0 <= q <= n and Decimal(q) <= Decimal(n) * percent / 100


def test_branch_and_district_quotas_by_kind():
    fixed = rules.Quotas(rules.FIXED, None, {rules.MEMBER: 3, rules.WORKER: 0, rules.ORG: 2})
    assert fixed.offered() == [rules.MEMBER, rules.ORG]
    assert fixed.district(rules.MEMBER, 500) == 3 and fixed.branch(rules.ORG, 10) == 1
    ratio = rules.Quotas(rules.RATIO, Decimal(5), {rules.MEMBER: 0, rules.WORKER: 0, rules.ORG: 0})
    assert ratio.offered() == [rules.MEMBER, rules.WORKER]
    assert ratio.district(rules.MEMBER, 200) == 10
    assert ratio.branch(rules.MEMBER, 8) == 1  # at least one per branch when the type is offered
    assert ratio.branch(rules.MEMBER, 60) == 3


def test_a_vetoed_or_probationary_member_cannot_be_nominated():
    with pytest.raises(rules.RuleError) as e:
        rules.check_nominee(award_type=rules.MEMBER, is_full_member=True, veto="师德失范一票否决")
    assert e.value.code == "vetoed" and "师德失范" in e.value.message
    with pytest.raises(rules.RuleError) as e:
        rules.check_nominee(award_type=rules.MEMBER, is_full_member=False, veto="")
    assert e.value.code == "not_full_member"
    rules.check_nominee(award_type=rules.ORG, is_full_member=False, veto="")


def test_publicity_counts_working_days_from_the_start():
    def add(d, n):  # Monday–Friday
        while n:
            d += dt.timedelta(days=1)
            if d.weekday() < 5:
                n -= 1
        return d

    assert rules.publicity_end(dt.date(2026, 6, 10), add, 5) == dt.date(2026, 6, 16)  # Wed → next Tue
    assert rules.publicity_state(dt.date(2026, 6, 10), dt.date(2026, 6, 16), dt.date(2026, 6, 17)) == "done"
    assert rules.publicity_state(None, None, dt.date(2026, 6, 17)) == "none"


@given(base=st.integers(0, 100), pts=st.lists(st.integers(-200, 200), max_size=8))
def test_points_never_go_below_zero(base, pts):
    lines = [rules.PointLine("x", 1, p, rules.MANUAL) for p in pts]
    assert rules.total_points(base, lines) >= 0


def test_a_cap_limits_derived_points_both_ways():
    assert rules.derived_points(per_item=2, count=30, cap=20) == 20
    assert rules.derived_points(per_item=-5, count=10, cap=20) == -20
    assert rules.derived_points(per_item=1, count=7, cap=None) == 7
