"""review.md, one test per sentence (and per row of its rule table), plus hypothesis properties.
The spec's example input and the unseen-case families it names: rounding, exclusions, probationary
members, tallies with blanks and unknown grades."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.review import rules
from zhibu.review.rules import InputError, check_input, parse_ratio


def run(data):
    return check_input(data).to_json()


def full(i, grade=None, excluded=False):
    return {"id": f"m{i}", "status": "full", "excluded": excluded, "grade": grade}


def rules_of(out):
    return [v["rule"] for v in out["violations"]]


def violation(out, rule):
    return next(v for v in out["violations"] if v["rule"] == rule)


# --- Input: cap ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,value",
    [("1/3", Fraction(1, 3)), ("10%", Fraction(1, 10)), ("0.15", Fraction(15, 100)), ("12.5%", Fraction(1, 8)),
     ("0", Fraction(0)), ("1", Fraction(1)), (" 1 / 3 ", Fraction(1, 3)), ("１／３", Fraction(1, 3)), ("10％", Fraction(1, 10))],
)
def test_ratio_is_written_as_a_fraction_a_percentage_or_a_decimal(text, value):
    assert parse_ratio(text) == value


def test_ratio_null_means_no_cap():
    out = run({"cap": {"ratio": None}, "members": [full(1, "优秀")]})
    assert out["excellent_max"] is None
    assert "excellent_cap" not in rules_of(out)


@pytest.mark.parametrize("bad", ["abc", "1/0", "150%", "-0.1", "2", "1/3/4", "", True, [1], "0.1.2"])
def test_a_ratio_that_is_not_one_of_the_forms_is_invalid_naming_the_field(bad):
    with pytest.raises(InputError) as exc:
        run({"cap": {"ratio": bad}, "members": []})
    assert exc.value.field == "cap.ratio"


def test_rounding_defaults_to_floor():
    out = run({"cap": {"ratio": "1/3"}, "members": [full(i, "合格") for i in range(8)]})
    assert out["excellent_max"] == 2  # 8/3 = 2.67


@pytest.mark.parametrize(
    "base,ratio,rounding,expected",
    [
        (8, "1/3", "floor", 2), (8, "1/3", "round", 3), (8, "1/3", "ceil", 3),
        (7, "1/3", "floor", 2), (7, "1/3", "round", 2), (7, "1/3", "ceil", 3),
        (9, "1/3", "floor", 3), (9, "1/3", "ceil", 3),  # exact: no float error
        (5, "10%", "round", 1), (5, "10%", "floor", 0), (15, "10%", "round", 2),  # half up: 1.5 → 2
        (4, "10%", "round", 0), (20, "0.15", "floor", 3), (30, "0.1", "ceil", 3), (0, "1/3", "ceil", 0),
    ],
)
def test_excellent_max_is_the_rounding_of_base_times_ratio(base, ratio, rounding, expected):
    out = run({"cap": {"ratio": ratio, "rounding": rounding}, "members": [full(i, "合格") for i in range(base)]})
    assert out["excellent_max"] == expected


def test_a_rounding_other_than_the_three_is_invalid():
    with pytest.raises(InputError) as exc:
        run({"cap": {"ratio": "1/3", "rounding": "up"}, "members": []})
    assert exc.value.field == "cap.rounding"


# --- Input: members --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data,field",
    [
        ([], "FILE"),
        ({"cap": None}, "members"),
        ({"members": [{"id": "m1"}]}, "members[0].status"),
        ({"members": [{"id": "m1", "status": "member"}]}, "members[0].status"),
        ({"members": [{"status": "full"}]}, "members[0].id"),
        ({"members": [full(1), full(1)]}, "members[1].id"),
        ({"members": [{"id": "m1", "status": "full", "excluded": "yes"}]}, "members[0].excluded"),
        ({"members": [], "poll": {"issued": -1, "returned": 0, "ballots": []}}, "poll.issued"),
        ({"members": [], "poll": {"issued": 1, "returned": "1", "ballots": []}}, "poll.returned"),
        ({"members": [], "poll": {"issued": 1, "returned": 1}}, "poll.ballots"),
        ({"members": [], "poll": {"issued": 1, "returned": 1, "ballots": [["m1"]]}}, "poll.ballots[0]"),
        ({"members": [], "cap": "1/3"}, "cap"),
    ],
)
def test_an_invalid_input_names_the_field(data, field):
    with pytest.raises(InputError) as exc:
        check_input(data)
    assert exc.value.field == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_excluded_defaults_to_false_and_grade_to_null():
    out = run({"cap": {"ratio": "1/3"}, "members": [{"id": "m1", "status": "full"}]})
    assert out["base"] == 1
    assert violation(out, "missing_grade")["members"] == ["m1"]


# --- Output -----------------------------------------------------------------------------------------

def test_output_keys_in_the_contract_order():
    out = run({"cap": {"ratio": "1/3"}, "members": [full(1, "合格")]})
    assert list(out) == ["base", "excellent_max", "excellent", "tally", "violations"]


def test_base_is_full_members_not_excluded():
    members = [full(1, "合格"), full(2, excluded=True), {"id": "p", "status": "probationary"}]
    assert run({"cap": {"ratio": "1/3"}, "members": members})["base"] == 1


def test_excellent_counts_full_not_excluded_members_graded_excellent():
    members = [full(1, "优秀"), full(2, "优秀", excluded=True), {"id": "p", "status": "probationary", "grade": "优秀"}]
    assert run({"cap": None, "members": members})["excellent"] == 1


def test_the_example_of_the_contract():
    members = [full(i, "优秀" if i < 2 else "合格") for i in range(9)] + [
        {"id": "p", "status": "probationary", "grade": None}
    ]
    out = run({"cap": {"ratio": "1/3", "rounding": "floor"}, "members": members})
    assert (out["base"], out["excellent_max"], out["excellent"]) == (9, 3, 2)
    assert out["violations"] == [] and out["tally"] == {}


def test_tally_has_every_full_not_excluded_member_also_those_no_ballot_names():
    members = [full(1, "合格"), full(2, "合格"), full(3, excluded=True), {"id": "p", "status": "probationary"}]
    out = run({"members": members, "poll": {"issued": 2, "returned": 2, "ballots": [{"m1": "优秀"}, {"m1": "合格"}]}})
    assert list(out["tally"]) == ["m1", "m2"]
    assert out["tally"]["m1"] == {"优秀": 1, "合格": 1, "基本合格": 0, "不合格": 0, "blank": 0}
    assert out["tally"]["m2"] == {"优秀": 0, "合格": 0, "基本合格": 0, "不合格": 0, "blank": 2}


def test_tally_counts_in_the_grade_order_with_blank_last():
    out = run({"members": [full(1, "合格")], "poll": {"issued": 1, "returned": 1, "ballots": [{"m1": "不合格"}]}})
    assert list(out["tally"]["m1"]) == ["优秀", "合格", "基本合格", "不合格", "blank"]


def test_a_member_left_out_of_a_ballot_is_blank():
    out = run({"members": [full(1, "合格")], "poll": {"issued": 3, "returned": 3, "ballots": [{}, {"m1": None}, {"m1": "合格"}]}})
    assert out["tally"]["m1"]["blank"] == 2


def test_grades_that_ballots_give_to_other_members_are_not_counted():
    members = [full(1, "合格"), full(2, excluded=True), {"id": "p", "status": "probationary"}]
    ballots = [{"m1": "合格", "m2": "优秀", "p": "优秀", "stranger": "优秀"}]
    out = run({"members": members, "poll": {"issued": 1, "returned": 1, "ballots": ballots}})
    assert list(out["tally"]) == ["m1"]
    assert out["violations"] == []


def test_an_unknown_ballot_grade_is_counted_nowhere_not_blank_and_reported_for_that_member():
    members = [full(1, "合格"), full(2, "合格")]
    ballots = [{"m1": "良好", "m2": "合格"}, {"m2": "优 秀"}]
    out = run({"members": members, "poll": {"issued": 2, "returned": 2, "ballots": ballots}})
    assert out["tally"]["m1"] == {"优秀": 0, "合格": 0, "基本合格": 0, "不合格": 0, "blank": 1}
    assert out["tally"]["m2"] == {"优秀": 0, "合格": 1, "基本合格": 0, "不合格": 0, "blank": 0}
    assert violation(out, "unknown_grade")["members"] == ["m1", "m2"]


def test_without_poll_tally_is_empty():
    assert run({"members": [full(1, "合格")]})["tally"] == {}


def test_a_poll_without_ballots_still_lists_every_member():
    out = run({"members": [full(1, "合格")], "poll": {"issued": 0, "returned": 0, "ballots": []}})
    assert out["tally"] == {"m1": {"优秀": 0, "合格": 0, "基本合格": 0, "不合格": 0, "blank": 0}}


# --- The rule table -----------------------------------------------------------------------------

def test_excellent_cap_holds_when_excellent_at_most_max():
    members = [full(i, "优秀" if i < 3 else "合格") for i in range(9)]
    assert run({"cap": {"ratio": "1/3"}, "members": members})["violations"] == []
    members[3]["grade"] = "优秀"
    out = run({"cap": {"ratio": "1/3"}, "members": members})
    assert rules_of(out) == ["excellent_cap"]
    assert violation(out, "excellent_cap")["members"] == []


def test_excellent_cap_always_holds_without_a_cap():
    members = [full(i, "优秀") for i in range(5)]
    assert run({"members": members})["violations"] == []
    assert run({"cap": {"ratio": None, "rounding": "ceil"}, "members": members})["violations"] == []


def test_seven_members_with_three_excellent_and_a_third_floor_is_refused():
    members = [full(i, "优秀" if i < 3 else "合格") for i in range(7)]
    out = run({"cap": {"ratio": "1/3", "rounding": "floor"}, "members": members})
    assert out["excellent_max"] == 2 and rules_of(out) == ["excellent_cap"]


def test_probationary_graded_lists_those_who_have_a_grade():
    members = [full(1, "合格"), {"id": "p1", "status": "probationary", "grade": "合格"},
               {"id": "p2", "status": "probationary"}, {"id": "p3", "status": "probationary", "grade": "不定等次"}]
    out = run({"members": members})
    assert violation(out, "probationary_graded")["members"] == ["p1", "p3"]
    assert violation(out, "unknown_grade")["members"] == ["p3"]


def test_excluded_graded_lists_those_who_have_a_grade():
    members = [full(1, "合格"), full(2, "合格", excluded=True), full(3, excluded=True)]
    out = run({"members": members})
    assert rules_of(out) == ["excluded_graded"]
    assert violation(out, "excluded_graded")["members"] == ["m2"]


def test_excluded_probationary_member_with_a_grade_is_reported_under_both():
    out = run({"members": [{"id": "p", "status": "probationary", "excluded": True, "grade": "合格"}]})
    assert rules_of(out) == ["probationary_graded", "excluded_graded"]


def test_missing_grade_lists_full_not_excluded_members_without_one():
    members = [full(1), full(2, "合格"), full(3, excluded=True), {"id": "p", "status": "probationary"}, full(4)]
    out = run({"members": members})
    assert violation(out, "missing_grade")["members"] == ["m1", "m4"]


def test_an_unknown_grade_is_a_grade_not_a_missing_one():
    out = run({"members": [full(1, "良好")]})
    assert rules_of(out) == ["unknown_grade"]


@pytest.mark.parametrize(
    "issued,returned,n,ok",
    [(3, 3, 3, True), (3, 2, 2, True), (0, 0, 0, True), (2, 3, 3, False), (3, 3, 2, False), (3, 2, 3, False)],
)
def test_ballots_exceed_issued(issued, returned, n, ok):
    out = run({"members": [full(1, "合格")], "poll": {"issued": issued, "returned": returned, "ballots": [{}] * n}})
    assert ("ballots_exceed_issued" not in rules_of(out)) is ok
    if not ok:
        assert violation(out, "ballots_exceed_issued")["members"] == []


def test_a_grade_that_is_not_text_is_an_unknown_grade_too():
    members = [full(1, 1), full(2, "合格")]
    out = run({"members": members, "poll": {"issued": 1, "returned": 1, "ballots": [{"m2": True, "m1": "合格"}]}})
    assert violation(out, "unknown_grade")["members"] == ["m1", "m2"]
    assert out["tally"]["m2"] == {"优秀": 0, "合格": 0, "基本合格": 0, "不合格": 0, "blank": 0}


def test_unknown_grade_covers_member_grades_and_ballot_grades():
    members = [full(1, "良好"), full(2, "合格"), full(3, "合格")]
    out = run({"members": members, "poll": {"issued": 1, "returned": 1, "ballots": [{"m3": "A", "m2": "合格"}]}})
    assert violation(out, "unknown_grade")["members"] == ["m1", "m3"]


def test_unknown_grade_for_a_probationary_member_on_a_ballot_is_reported():
    members = [full(1, "合格"), {"id": "p", "status": "probationary"}]
    out = run({"members": members, "poll": {"issued": 1, "returned": 1, "ballots": [{"p": "良"}]}})
    assert violation(out, "unknown_grade")["members"] == ["p"]


def test_a_rule_appears_at_most_once_and_in_table_order_with_members_in_input_order():
    members = [full(3, "优秀"), full(1, "优秀"), full(2), {"id": "p", "status": "probationary", "grade": "X"},
               full(5, "B", excluded=True), full(4)]
    poll = {"issued": 1, "returned": 2, "ballots": [{"m4": "Z", "m3": "Y"}]}
    out = run({"cap": {"ratio": "10%"}, "members": members, "poll": poll})
    assert rules_of(out) == list(rules.RULES)
    assert violation(out, "missing_grade")["members"] == ["m2", "m4"]
    assert violation(out, "unknown_grade")["members"] == ["m3", "p", "m5", "m4"]
    assert all(isinstance(v["message"], str) and v["message"] for v in out["violations"])


# --- Hypothesis -----------------------------------------------------------------------------------

grade_st = st.one_of(st.none(), st.sampled_from(rules.GRADES), st.sampled_from(["良好", "", "不定等次"]))
member_st = st.builds(
    lambda status, excluded, grade: {"status": status, "excluded": excluded, "grade": grade},
    st.sampled_from(rules.STATUSES), st.booleans(), grade_st,
)


@st.composite
def inputs(draw):
    members = [dict(m, id=f"m{i}") for i, m in enumerate(draw(st.lists(member_st, max_size=12)))]
    ids = [m["id"] for m in members] + ["x"]
    ballots = draw(st.lists(st.dictionaries(st.sampled_from(ids), grade_st), max_size=8))
    ratio = draw(st.sampled_from([None, "1/3", "10%", "0.15", "1/2", "0", "1"]))
    rounding = draw(st.sampled_from(rules.ROUNDINGS))
    return {"cap": {"ratio": ratio, "rounding": rounding}, "members": members,
            "poll": {"issued": len(ballots), "returned": len(ballots), "ballots": ballots}}


@given(inputs())
def test_every_ballot_is_counted_once_per_member_unless_its_grade_is_unknown(data):
    out = run(data)
    n = len(data["poll"]["ballots"])
    for key, counts in out["tally"].items():
        unknown = sum(1 for b in data["poll"]["ballots"] if b.get(key) is not None and b[key] not in rules.GRADES)
        assert sum(counts.values()) + unknown == n


@given(inputs())
def test_the_cap_never_exceeds_the_base_and_violations_are_unique(data):
    out = run(data)
    if out["excellent_max"] is not None:
        assert 0 <= out["excellent_max"] <= out["base"]
    names = rules_of(out)
    assert len(names) == len(set(names))
    assert names == [r for r in rules.RULES if r in names]
    ids = [m["id"] for m in data["members"]]
    for v in out["violations"]:
        listed = [m for m in v["members"] if m in ids]
        assert listed == sorted(listed, key=ids.index)


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=0, max_value=100), st.integers(min_value=1, max_value=100))
def test_floor_le_round_le_ceil(base, num, den):
    if num > den:
        num, den = den, num
    ratio = Fraction(num, den)
    lo, mid, hi = (rules.excellent_max(base, ratio, r) for r in ("floor", "round", "ceil"))
    assert lo <= mid <= hi <= lo + 1
    assert lo <= base * ratio <= hi


@given(st.integers(min_value=0, max_value=1000))
def test_percent_and_decimal_spellings_agree(n):
    as_percent = f"{n // 10}.{n % 10}%"
    as_decimal = f"0.{n:03d}" if n < 1000 else "1"
    assert parse_ratio(as_percent) == parse_ratio(as_decimal) == parse_ratio(f"{n}/1000") == Fraction(n, 1000)


def test_correct_deadline_at_most_twelve_months():
    start = dt.date(2026, 3, 1)
    assert rules.correct_deadline_ok(start, dt.date(2027, 3, 1))
    assert not rules.correct_deadline_ok(start, dt.date(2027, 3, 2))
    assert not rules.correct_deadline_ok(start, start)


def test_nearest_setting_wins():
    assert rules.nearest_setting([{}, {"review_cap": "10%"}, {"review_cap": "1/3"}], "review_cap", "x") == "10%"
    assert rules.nearest_setting([{}], "review_cap", "1/3") == "1/3"
