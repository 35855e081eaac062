"""The count follows election.md sentence by sentence (one test per sentence), plus properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibu.elections import rules


def case(
    seats=3, full=10, excluded=0, suspended=0, present=10, issued=None, returned=None, invalid=0, votes=(9, 8, 7, 1)
):
    issued = present if issued is None else issued
    returned = issued if returned is None else returned
    return {
        "seats": seats,
        "voters": {"full": full, "excluded": excluded, "suspended": suspended},
        "present": present,
        "ballots": {"issued": issued, "returned": returned, "invalid": invalid},
        "candidates": [{"name": f"候选{i}", "votes": v} for i, v in enumerate(votes)],
    }


def check(**kw):
    return rules.check(case(**kw)).to_json()


# --- "should_attend": full − excluded − suspended
def test_should_attend_is_full_less_excluded_and_suspended():
    assert check(full=30, excluded=1, suspended=2, present=27)["should_attend"] == 27


# --- "min_candidates": seats + ceil(0.2 × seats)
@pytest.mark.parametrize(("seats", "expected"), [(1, 2), (3, 4), (5, 6), (7, 9), (10, 12), (11, 14)])
def test_min_candidates_is_seats_plus_a_fifth_rounded_up(seats, expected):
    assert rules.min_candidates(seats) == expected


# --- the example of the contract
def test_the_contract_example():
    data = {
        "seats": 5,
        "voters": {"full": 30, "excluded": 1, "suspended": 0},
        "present": 27,
        "ballots": {"issued": 27, "returned": 27, "invalid": 1},
        "candidates": [{"name": "甲", "votes": 20}],
    }
    out = rules.check(data).to_json()
    assert list(out) == ["should_attend", "min_candidates", "valid", "elected", "runoff", "unfilled", "violations"]
    assert out["should_attend"] == 29 and out["min_candidates"] == 6 and out["valid"] is True
    assert out["elected"] == ["甲"] and out["runoff"] == [] and out["unfilled"] == 4
    assert [v["rule"] for v in out["violations"]] == ["candidate_margin"]
    assert set(out["violations"][0]) == {"rule", "message"}


# --- candidate_margin holds when len(candidates) ≥ min_candidates
def test_candidate_margin_holds_at_the_minimum_and_fails_below():
    assert "candidate_margin" not in [v["rule"] for v in check(seats=3, votes=(9, 8, 7, 1))["violations"]]
    assert "candidate_margin" in [v["rule"] for v in check(seats=3, votes=(9, 8, 7))["violations"]]


# --- candidate_margin is reported but does not make the count invalid
def test_candidate_margin_does_not_void_the_count():
    out = check(seats=3, votes=(9, 8, 7))
    assert out["valid"] is True and out["elected"] == ["候选0", "候选1", "候选2"]


# --- quorum: present > 4/5 × should_attend (exactly 4/5 is not enough)
def test_quorum_exactly_four_fifths_is_not_enough():
    out = check(full=10, present=8, votes=(8, 8, 8, 1))
    assert out["valid"] is False and [v["rule"] for v in out["violations"]] == ["quorum"]
    assert check(full=10, present=9, votes=(8, 8, 8, 1))["valid"] is True


def test_quorum_counts_against_should_attend_not_full():
    # 10 full, 2 excluded → 8 should attend; 7 present > 6.4
    assert check(full=10, excluded=2, present=7, votes=(6, 6, 6, 1))["valid"] is True


# --- ballots_exceed_issued: returned ≤ issued
def test_more_ballots_returned_than_issued_voids_the_count():
    out = check(issued=9, returned=10)
    assert out["valid"] is False
    assert [v["rule"] for v in out["violations"]] == ["ballots_exceed_issued"]
    assert check(issued=10, returned=10)["valid"] is True


# --- present_exceeds_voters: present ≤ should_attend
def test_present_above_should_attend_is_reported_and_does_not_void():
    out = check(full=10, suspended=1, present=10, votes=(9, 8, 7, 1))
    assert [v["rule"] for v in out["violations"]] == ["present_exceeds_voters"]
    assert out["valid"] is True and out["elected"] == ["候选0", "候选1", "候选2"]


# --- quorum and ballots_exceed_issued make it invalid: elected and runoff are [] and unfilled = seats
def test_an_invalid_count_elects_no_one():
    out = check(seats=3, full=10, present=5, issued=5, returned=6, votes=(5, 5, 5, 5))
    assert out == {**out, "valid": False, "elected": [], "runoff": [], "unfilled": 3}
    assert [v["rule"] for v in out["violations"]] == ["quorum", "ballots_exceed_issued"]


# --- a candidate qualifies with votes > present / 2 (exactly half does not)
def test_exactly_half_of_those_present_does_not_qualify():
    out = check(seats=3, full=10, present=10, votes=(6, 5, 9, 1))
    assert out["elected"] == ["候选2", "候选0"] and out["unfilled"] == 1


# --- if no more qualify than there are seats, all qualifiers are elected
def test_all_qualifiers_elected_when_not_more_than_seats():
    assert check(seats=3, votes=(9, 8, 7, 1))["elected"] == ["候选0", "候选1", "候选2"]


# --- otherwise the seats go in descending votes
def test_most_votes_win_when_more_qualify():
    out = check(seats=2, present=10, votes=(6, 9, 7, 8))
    assert out["elected"] == ["候选1", "候选3"] and out["runoff"] == [] and out["unfilled"] == 0


# --- "elected": in descending votes
def test_elected_are_listed_in_descending_votes():
    assert check(seats=3, votes=(6, 9, 7, 1))["elected"] == ["候选1", "候选2", "候选0"]


# --- tied candidates straddle the last seat(s): they go to runoff, only the seats above them are elected
def test_a_tie_at_the_last_seat_goes_to_a_runoff():
    out = check(seats=3, present=10, votes=(9, 7, 7, 7, 1))
    assert out["elected"] == ["候选0"]
    assert out["runoff"] == ["候选1", "候选2", "候选3"]
    assert out["unfilled"] == 0


def test_a_tie_below_the_last_seat_is_not_a_runoff():
    out = check(seats=2, present=10, votes=(9, 8, 7, 7))
    assert out["elected"] == ["候选0", "候选1"] and out["runoff"] == []


def test_a_tie_exactly_filling_the_seats_is_not_a_runoff():
    out = check(seats=3, present=10, votes=(8, 8, 8, 1))
    assert out["elected"] == ["候选0", "候选1", "候选2"] and out["runoff"] == []


def test_all_qualifiers_tied_for_fewer_seats():
    out = check(seats=2, present=10, votes=(7, 7, 7, 1))
    assert out["elected"] == [] and out["runoff"] == ["候选0", "候选1", "候选2"] and out["unfilled"] == 0


# --- unfilled = seats − len(elected) when runoff is empty (fewer qualified than seats: 另行选举), else 0
def test_unfilled_seats_go_to_another_election():
    out = check(seats=3, present=10, votes=(9, 8, 5, 4))
    assert out["elected"] == ["候选0", "候选1"] and out["unfilled"] == 1 and out["runoff"] == []


# --- input that is not valid names the field
@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("seats"), "seats"),
        (lambda d: d.update(seats=0), "seats"),
        (lambda d: d.update(seats="3"), "seats"),
        (lambda d: d.update(seats=True), "seats"),
        (lambda d: d.update(seats=2.5), "seats"),
        (lambda d: d.pop("voters"), "voters"),
        (lambda d: d["voters"].pop("full"), "voters.full"),
        (lambda d: d["voters"].update(excluded=-1), "voters.excluded"),
        (lambda d: d["voters"].update(suspended=11), "voters"),
        (lambda d: d.update(present=None), "present"),
        (lambda d: d["ballots"].pop("returned"), "ballots.returned"),
        (lambda d: d.update(ballots=[]), "ballots"),
        (lambda d: d.update(candidates={}), "candidates"),
        (lambda d: d["candidates"][1].pop("votes"), "candidates[1].votes"),
        (lambda d: d["candidates"][0].update(name=""), "candidates[0].name"),
        (lambda d: d["candidates"][2].update(name="候选0"), "candidates[2].name"),
        (lambda d: d["candidates"].append(3), "candidates[4]"),
    ],
)
def test_invalid_input_names_the_field(mutate, field):
    data = case()
    mutate(data)
    with pytest.raises(rules.InputError) as exc:
        rules.check(data)
    assert exc.value.field == field


def test_input_must_be_an_object():
    with pytest.raises(rules.InputError):
        rules.check([1, 2])


# --- properties
counts = st.builds(
    lambda seats, full, excl, susp, present, issued, extra, votes: case(
        seats=seats,
        full=full + excl + susp,
        excluded=excl,
        suspended=susp,
        present=present,
        issued=issued,
        returned=issued + extra,
        votes=votes,
    ),
    st.integers(1, 7),
    st.integers(0, 40),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 45),
    st.integers(0, 45),
    st.integers(-2, 2),
    st.lists(st.integers(0, 45), max_size=10),
)


@given(counts)
def test_never_more_elected_than_seats_and_every_seat_accounted(data):
    if data["ballots"]["returned"] < 0:
        return
    out = rules.check(data).to_json()
    seats = data["seats"]
    assert len(out["elected"]) <= seats
    assert not set(out["elected"]) & set(out["runoff"])
    if out["runoff"]:
        assert out["unfilled"] == 0 and len(out["elected"]) + len(out["runoff"]) > seats
    else:
        assert len(out["elected"]) + out["unfilled"] == seats
    votes = {c["name"]: c["votes"] for c in data["candidates"]}
    for name in out["elected"] + out["runoff"]:
        assert 2 * votes[name] > data["present"]
    assert [votes[n] for n in out["elected"]] == sorted((votes[n] for n in out["elected"]), reverse=True)
    if out["elected"] and out["runoff"]:
        assert min(votes[n] for n in out["elected"]) > max(votes[n] for n in out["runoff"])
    assert len({votes[n] for n in out["runoff"]}) <= 1
    rules_failed = {v["rule"] for v in out["violations"]}
    assert out["valid"] == (not rules_failed & {"quorum", "ballots_exceed_issued"})
    if not out["valid"]:
        assert out["elected"] == [] and out["runoff"] == [] and out["unfilled"] == seats


@given(counts)
def test_each_rule_is_reported_exactly_when_it_fails(data):
    if data["ballots"]["returned"] < 0:
        return
    out = rules.check(data).to_json()
    should = data["voters"]["full"] - data["voters"]["excluded"] - data["voters"]["suspended"]
    failed = [v["rule"] for v in out["violations"]]
    expected = [
        rule
        for rule, fails in (
            ("candidate_margin", len(data["candidates"]) < rules.min_candidates(data["seats"])),
            ("quorum", not data["present"] * 5 > should * 4),
            ("ballots_exceed_issued", data["ballots"]["returned"] > data["ballots"]["issued"]),
            ("present_exceeds_voters", data["present"] > should),
        )
        if fails
    ]
    assert failed == expected


# --- 姓氏笔画 order, terms
def test_names_in_surname_stroke_order():
    assert rules.by_strokes(["张三", "王五", "李四", "丁一", "王二"]) == ["丁一", "王二", "王五", "李四", "张三"]


def test_same_stroke_count_follows_the_first_strokes():
    # 王 (横) and 毛 (撇) both have 4 strokes: 横 comes before 撇
    assert rules.by_strokes(["毛丽", "王丽"]) == ["王丽", "毛丽"]


def test_term_is_three_years_and_shifts_at_most_a_year():
    start = dt.date(2024, 2, 29)
    assert rules.term_end(start) == dt.date(2027, 2, 28)
    end = dt.date(2027, 3, 1)
    assert rules.shift_allowed(end, dt.date(2028, 3, 1)) and not rules.shift_allowed(end, dt.date(2028, 3, 2))
    assert rules.shift_allowed(end, dt.date(2026, 3, 1)) and not rules.shift_allowed(end, dt.date(2026, 2, 28))


def test_term_states():
    today = dt.date(2026, 12, 2)
    assert rules.term_state(None, today) == "none"
    assert rules.term_state(dt.date(2026, 12, 1), today) == "overdue"
    assert rules.term_state(dt.date(2027, 6, 2), today) == "due"
    assert rules.term_state(dt.date(2027, 6, 3), today) == "ok"


def test_checklist_starts_two_months_before_and_blocks_in_order():
    end = dt.date(2027, 3, 1)
    steps = rules.checklist(end, {"decide": dt.date(2027, 1, 5)}, dt.date(2027, 2, 10))
    assert steps[0].due == dt.date(2027, 1, 1) and steps[0].state == "done"
    assert steps[1].code == "request" and steps[1].due == dt.date(2027, 2, 1) and steps[1].state == "overdue"
    assert steps[2].state == "blocked"


def test_next_round_kind():
    assert rules.next_round_kind([]) == "regular"
    assert rules.next_round_kind([(False, [], 3)]) == "regular"
    assert rules.next_round_kind([(True, ["甲", "乙"], 0)]) == "runoff"
    assert rules.next_round_kind([(True, [], 1)]) == "additional"


def test_runoff_round_needs_no_new_majority():
    c = rules.parse(case(seats=1, present=10, votes=(4, 3)))
    out = rules.count(c, runoff_round=True)
    assert out.elected == ["候选0"] and not out.violations
