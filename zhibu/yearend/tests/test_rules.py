"""The year-end rules: the default year, the as-of date, percentages, the plan and obligation sentences,
names inside the zip."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from zhibu.yearend import rules


def test_the_default_year_is_the_year_ending():
    assert rules.default_year(dt.date(2026, 12, 2)) == 2026
    assert rules.default_year(dt.date(2027, 1, 15)) == 2026
    assert rules.default_year(dt.date(2027, 2, 28)) == 2026
    assert rules.default_year(dt.date(2027, 3, 1)) == 2027


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(2000, 2100))
def test_records_count_up_to_today_or_the_end_of_the_year(today, year):
    as_of = rules.as_of(year, today)
    assert as_of <= today and as_of <= dt.date(year, 12, 31)
    assert 0 <= rules.months_elapsed(year, today) <= 12


@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_a_percentage_is_whole_and_never_divides_by_zero(part, whole):
    text = rules.percent(part, whole)
    if whole == 0:
        assert text == "—"
    else:
        assert text.endswith("%") and int(text[:-1]) == int(100 * part / whole + 0.5)


def test_the_plan_sentence_names_the_months_behind():
    rows = rules.month_rows({1: 2, 2: 1}, {1: 2}, 3)
    assert [r.rate for r in rows] == ["100%", "0%", "—"]
    assert rules.plan_sentence(rows) == "全年行事历安排工作3项（按月计），已完成2项，完成率67%。2月有未完成的事项。"
    assert "没有登记" in rules.plan_sentence(rules.month_rows({}, {}, 12))


def test_the_obligation_sentence_separates_met_from_short():
    rows = [rules.ObligationRow("支委会", "条例", 12, 12, 13), rules.ObligationRow("党课", "条例", 4, 3, 3)]
    assert rules.obligation_sentence(rows) == "支委会均按规定频次开展。党课（3/4）未达到规定频次，须在下一年度补齐。"
    assert rows[1].missed == 1


@given(st.text(max_size=300))
def test_a_name_inside_the_zip_has_no_path_or_control_characters(text):
    name = rules.safe_name(text)
    assert name and len(name) <= 120
    assert not any(ch in name for ch in '/\\:*?"<>|') and all(ch.isprintable() for ch in name)
    assert not name.startswith(".")
