import datetime as dt

from hypothesis import given, strategies as st

from zhibu.orgs import rules


@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2020, 12, 31)), st.integers(0, 999), st.sampled_from(["320902", "110105"]))
def test_generated_ids_validate_and_any_single_change_fails(birth, seq, region):
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    value = first17 + rules.id_check_char(first17)
    assert rules.validate_id_number(value) is None
    assert rules.birth_date_from_id(value) == birth
    wrong = value[:17] + ("0" if value[17] != "0" else "1")
    assert rules.validate_id_number(wrong) is not None


def test_id_messages():
    assert "18位" in rules.validate_id_number("123")
    assert "出生日期" in rules.validate_id_number("320902199902300012")
    assert rules.validate_id_number("11010519491231002x") is None  # lower-case x normalised


def test_phone():
    assert rules.validate_phone("13812345678") is None
    assert rules.validate_phone("12812345678")
    assert rules.validate_phone("1381234567")


def test_branch_flags():
    assert [f.code for f in rules.branch_flags(full_members=2, members=3, has_committee=False)] == ["below_three"]
    assert [f.code for f in rules.branch_flags(full_members=7, members=8, has_committee=False)] == ["committee_required"]
    assert rules.branch_flags(full_members=7, members=8, has_committee=True) == []
    assert [f.code for f in rules.branch_flags(full_members=45, members=51, has_committee=True)] == ["over_fifty"]


def test_terms():
    assert rules.term_end(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)
    end = dt.date(2026, 9, 1)
    assert rules.term_status(end, dt.date(2026, 1, 1)) == "ok"
    assert rules.term_status(end, dt.date(2026, 7, 1)) == "expiring"
    assert rules.term_status(end, dt.date(2026, 9, 1)) == "expired"


def test_rules_module_imports_no_orm():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not any(n and n.startswith("django") for n in names)
