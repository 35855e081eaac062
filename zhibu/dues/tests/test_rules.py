"""Tests of zhibu.dues.rules (pure, no database)."""
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal as D

import pytest
from hypothesis import given, strategies as st

from zhibu.dues import rules
from zhibu.dues.rules import monthly_due


def due(category, base):
    return monthly_due(category=category, base=D(base)).amount


@pytest.mark.parametrize(
    "base, rate, amount",
    [
        ("0", "0.005", "0.00"),
        ("3000", "0.005", "15.00"),  # ≤3000 inclusive
        ("3000.01", "0.01", "30.00"),
        ("5000", "0.01", "50.00"),  # ≤5000 inclusive
        ("5000.01", "0.015", "75.00"),
        ("10000", "0.015", "150.00"),  # ≤10000 inclusive
        ("10000.01", "0.02", "200.00"),
        ("25000", "0.02", "500.00"),
    ],
)
def test_in_service_bracket_boundaries(base, rate, amount):
    r = monthly_due(category="in_service", base=D(base))
    assert (r.rate, r.amount) == (D(rate), D(amount))
    assert str(r.amount) == amount
    assert "中组发〔2008〕3号" in r.source and "第2条" in r.source


def test_one_rate_on_whole_base_not_progressive():
    # progressive would be 3000*0.5% + 1000*1% = 25.00; the rule is 4000*1% = 40.00
    assert due("in_service", "4000") == D("40.00")


@pytest.mark.parametrize(
    "base, rate, amount", [("5000", "0.005", "25.00"), ("5000.01", "0.01", "50.00"), ("1", "0.005", "0.01")]
)
def test_retired_boundaries(base, rate, amount):
    r = monthly_due(category="retired", base=D(base))
    assert (r.rate, r.amount) == (D(rate), D(amount))
    assert "第5条" in r.source


# Exact product ends in 5 at the third decimal; float arithmetic lands just below and rounds down.
FLOAT_TRAPS = [
    ("in_service", "9.00", "0.045", "0.05"),
    ("in_service", "3000.50", "30.005", "30.01"),
    ("in_service", "3005.50", "30.055", "30.06"),
    ("in_service", "5009.00", "75.135", "75.14"),
    ("in_service", "10000.25", "200.005", "200.01"),
    ("retired", "3.00", "0.015", "0.02"),
]


@pytest.mark.parametrize("category, base, exact, amount", FLOAT_TRAPS)
def test_float_would_round_the_wrong_way(category, base, exact, amount):
    r = monthly_due(category=category, base=D(base))
    assert r.base * r.rate == D(exact)
    assert r.amount == D(amount)
    # the same computation in binary floating point gives a different answer, both ways of rounding
    f = float(base) * float(r.rate)
    assert D(repr(round(f, 2))) != D(amount)
    assert D(f).quantize(D("0.01"), ROUND_HALF_UP) != D(amount)


def test_brief_examples():
    assert due("in_service", "2999.99") == D("15.00")  # 14.99995
    assert due("in_service", "4999.50") == D("50.00")  # 49.995
    assert due("in_service", "1.00") == D("0.01")  # 0.005


@pytest.mark.parametrize("category", ["student", "unemployed", "low_income"])
def test_fixed_categories(category):
    r = monthly_due(category=category)
    assert r.amount == D("0.20") and r.rate is None and r.base is None
    assert "第6条" in r.source
    assert monthly_due(category=category, base=D("800")).amount == D("0.20")


def test_farmer_range():
    assert monthly_due(category="farmer").amount == D("0.20")
    assert monthly_due(category="farmer", farmer_amount=D("0.5")).amount == D("0.50")
    assert monthly_due(category="farmer", farmer_amount=D("1.00")).amount == D("1.00")
    assert monthly_due(category="farmer", farmer_amount=1).amount == D("1.00")
    for bad in ("0.19", "1.01", "0"):
        with pytest.raises(ValueError, match="0.20元至1.00元"):
            monthly_due(category="farmer", farmer_amount=D(bad))
    with pytest.raises(ValueError):
        monthly_due(category="student", farmer_amount=D("0.5"))


def test_reduction_and_exemption():
    r = monthly_due(category="in_service", base=D("4500"), reduction=D("20"))
    assert r.amount == D("25.00") and "第7条" in r.source
    r = monthly_due(category="in_service", base=D("4500"), exempt=True)
    assert r.amount == D("0.00") and "免交" in r.source
    with pytest.raises(ValueError):
        monthly_due(category="in_service", base=D("4500"), reduction=D("45.01"))
    with pytest.raises(ValueError):
        monthly_due(category="in_service", base=D("4500"), reduction=D("1"), exempt=True)


@pytest.mark.parametrize("bad", [4500.0, 0.1, float("nan")])
def test_float_rejected(bad):
    with pytest.raises(TypeError):
        monthly_due(category="in_service", base=bad)
    with pytest.raises(TypeError):
        monthly_due(category="farmer", farmer_amount=bad)
    with pytest.raises(TypeError):
        monthly_due(category="in_service", base=D("4500"), reduction=bad)
    with pytest.raises(TypeError):
        rules.goes_wholly_to_centre(bad)
    with pytest.raises(TypeError):
        rules.round_fen(bad)


@pytest.mark.parametrize("bad", ["4500", True, None.__class__])
def test_other_types_rejected(bad):
    with pytest.raises(TypeError):
        monthly_due(category="in_service", base=bad)


@pytest.mark.parametrize("bad", ["-1", "NaN", "Infinity", "-Infinity", "1.001", "1E+13"])
def test_bad_values_rejected(bad):
    with pytest.raises(ValueError):
        monthly_due(category="in_service", base=D(bad))


def test_bad_category_and_missing_base():
    with pytest.raises(ValueError, match="未知的党员类别"):
        monthly_due(category="cadre", base=D("1"))
    with pytest.raises(ValueError, match="须提供计算基数"):
        monthly_due(category="retired")


def test_int_base_and_trailing_zeros_accepted():
    assert monthly_due(category="in_service", base=4500).amount == D("45.00")
    r = monthly_due(category="in_service", base=D("4500.000"))
    assert r.amount == D("45.00") and str(r.base) == "4500.00"


def test_caller_decimal_context_does_not_matter():
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        assert due("in_service", "2999.00") == D("15.00")
        assert due("in_service", "123456.78") == D("2469.14")


# --- hypothesis ---------------------------------------------------------------------------------

bases = st.decimals(min_value=0, max_value=D("1000000"), places=2, allow_nan=False, allow_infinity=False)


@given(base=bases, category=st.sampled_from(["in_service", "retired"]))
def test_amount_is_exact_product_rounded_half_up(base, category):
    r = monthly_due(category=category, base=base)
    assert isinstance(r.amount, D) and isinstance(r.rate, D) and isinstance(r.base, D)
    assert r.amount == (base * r.rate).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert r.amount.as_tuple().exponent == -2
    expected_rate, _ = rules.rate_for(category, base)
    assert r.rate == expected_rate


@given(a=bases, b=bases, category=st.sampled_from(["in_service", "retired"]))
def test_monotone_within_bracket(a, b, category):
    lo, hi = sorted((a, b))
    rlo, rhi = monthly_due(category=category, base=lo), monthly_due(category=category, base=hi)
    if rlo.rate == rhi.rate:
        assert rlo.amount <= rhi.amount
    else:
        assert rlo.rate < rhi.rate  # higher base, higher (never lower) rate


@given(base=bases)
def test_rate_matches_brackets(base):
    rate = monthly_due(category="in_service", base=base).rate
    if base <= 3000:
        assert rate == D("0.005")
    elif base <= 5000:
        assert rate == D("0.01")
    elif base <= 10000:
        assert rate == D("0.015")
    else:
        assert rate == D("0.02")


@given(x=st.floats(allow_nan=True, allow_infinity=True))
def test_never_accepts_float(x):
    with pytest.raises(TypeError):
        monthly_due(category="in_service", base=x)


# --- dates --------------------------------------------------------------------------------------


def test_pays_from_and_base_effective_month():
    assert rules.pays_from(dt.date(2026, 3, 31)) == dt.date(2026, 3, 1)
    assert rules.pays_from(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    assert rules.base_effective_month(dt.date(2026, 7, 15)) == dt.date(2026, 7, 1)
    with pytest.raises(TypeError):
        rules.pays_from("2026-03-31")


# --- arrears ------------------------------------------------------------------------------------


def test_consecutive_unpaid():
    paid = {(2025, 10), (2025, 12)}
    assert rules.consecutive_unpaid(paid, upto=(2026, 3), since=(2025, 1)) == 3
    assert rules.consecutive_unpaid(paid, upto=(2025, 12), since=(2025, 1)) == 0
    assert rules.consecutive_unpaid(set(), upto=(2026, 3), since=(2026, 1)) == 3
    assert rules.consecutive_unpaid(set(), upto=(2026, 3), since=(2026, 4)) == 0
    assert rules.consecutive_unpaid(set(), upto=(2026, 2), since=(2025, 9)) == 6  # across the year
    with pytest.raises(ValueError):
        rules.consecutive_unpaid(set(), upto=(2026, 13), since=(2026, 1))


@pytest.mark.parametrize(
    "n, level", [(0, "ok"), (2, "ok"), (3, "warning"), (4, "warning"), (5, "escalate"), (6, "lapsed"), (30, "lapsed")]
)
def test_arrears_level(n, level):
    assert rules.arrears_level(n) == level


def test_arrears_thresholds_are_data_with_sources():
    assert [(t.months, t.level) for t in rules.ARREARS_THRESHOLDS] == [(3, "warning"), (5, "escalate"), (6, "lapsed")]
    assert "第九条" in rules.ARREARS_THRESHOLDS[-1].source
    assert rules.arrears_threshold(2) is None
    assert rules.arrears_threshold(5).level == "escalate"
    with pytest.raises(ValueError):
        rules.arrears_level(-1)


@given(
    paid=st.sets(st.tuples(st.integers(2024, 2026), st.integers(1, 12)), max_size=30),
    upto=st.tuples(st.integers(2024, 2026), st.integers(1, 12)),
    since=st.tuples(st.integers(2024, 2026), st.integers(1, 12)),
)
def test_consecutive_unpaid_properties(paid, upto, since):
    n = rules.consecutive_unpaid(paid, upto=upto, since=since)
    span = max(0, rules.months_between(since, upto) + 1)
    assert 0 <= n <= span
    # the n months ending at upto are unpaid; the one before (if within range) is paid
    y, m = upto
    idx = y * 12 + m - 1
    for k in range(n):
        i = idx - k
        assert (i // 12, i % 12 + 1) not in paid
    if n < span:
        i = idx - n
        assert (i // 12, i % 12 + 1) in paid
    assert rules.arrears_level(n) in rules.ARREARS_LEVELS


# --- late payment, voluntary --------------------------------------------------------------------


def test_late_payment_at_most_six_months_back():
    assert rules.late_payment_allowed((2026, 1), (2026, 7))  # 6 months back
    assert not rules.late_payment_allowed((2026, 1), (2026, 8))  # 7
    assert rules.late_payment_allowed((2025, 9), (2026, 3))
    assert not rules.late_payment_allowed((2025, 8), (2026, 3))
    assert rules.late_payment_allowed((2026, 3), (2026, 3))
    assert rules.late_payment_allowed((2026, 6), (2026, 3))  # in advance


def test_voluntary_payment_to_centre():
    assert rules.goes_wholly_to_centre(D("1000"))
    assert rules.goes_wholly_to_centre(1000)
    assert not rules.goes_wholly_to_centre(D("999.99"))
    assert rules.goes_wholly_to_centre(D("1000.00"))
    with pytest.raises(ValueError):
        rules.goes_wholly_to_centre(D("-1000"))


def test_rules_module_does_not_import_django_orm():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not any(n.startswith("django") for n in names)



@pytest.mark.django_db
def test_month_totals_are_exact_fen_on_every_database(cast):
    """SQLite sums decimals in floating point (0.1 + 0.2 != 0.3); the month close brings the sums
    back to exact fen, so no float reaches a total."""
    from zhibu.dues import selectors
    from zhibu.dues.models import LedgerEntry

    month = dt.date(2026, 3, 1)
    for person, amount, seq in [(cast.people[3], "0.10", 1), (cast.people[3], "0.20", 2), (cast.people[4], "1234.57", 1)]:
        LedgerEntry.objects.create(person=person, branch=cast.branch, month=month, amount_due=D("0"),
                                   amount_paid=D(amount), paid_on=month, seq=seq)
    close = selectors.month_close(cast.branch, month)
    by_person = {r.person_id: r for r in close.rows}
    assert str(by_person[cast.people[3].pk].paid) == "0.30"
    total = sum((b.collected for b in (close.branches.values() if isinstance(close.branches, dict) else close.branches)), D("0"))
    assert str(total) == "1234.87"
