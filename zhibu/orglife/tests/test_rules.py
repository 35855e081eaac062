"""Tests of zhibu.orglife.rules (pure, no database)."""
import datetime as dt

import pytest
from hypothesis import assume, given, strategies as st

from zhibu.orglife import rules
from zhibu.orglife.rules import (
    DEFAULT_OBLIGATIONS,
    MeetingRecord,
    Obligation,
    committee_quorum,
    missing_talk_pairs,
    motion_result,
    obligation_status,
    overdue_count,
    with_frequencies,
)

D = dt.date
N_PERIODS = {rules.MONTHLY: 12, rules.QUARTERLY: 4, rules.HALF_YEARLY: 2, rules.YEARLY: 1}


def test_existing_shapes_kept():
    assert rules.period_months(rules.QUARTERLY) == 3
    assert rules.OBLIGATIONS_BY_KIND["party_lecture"].configurable
    assert all(o.source for o in DEFAULT_OBLIGATIONS)


@pytest.mark.parametrize("frequency, n", list(N_PERIODS.items()))
def test_periods_cover_the_year(frequency, n):
    ps = rules.periods(frequency, 2024)
    assert len(ps) == n
    assert ps[0][1] == D(2024, 1, 1) and ps[-1][2] == D(2024, 12, 31)
    for (_, _, end), (_, start, _) in zip(ps, ps[1:]):
        assert start - end == dt.timedelta(days=1)
    assert [i for i, _, _ in ps] == list(range(1, n + 1))


def test_leap_february():
    assert rules.periods(rules.MONTHLY, 2024)[1][2] == D(2024, 2, 29)
    assert rules.periods(rules.MONTHLY, 2026)[1][2] == D(2026, 2, 28)


def test_statuses_example():
    records = [("committee_meeting", D(2026, 1, 5)), MeetingRecord("party_congress", D(2026, 2, 1)),
               ("committee_meeting", D(2025, 2, 5)), ("unknown_kind", D(2026, 2, 5))]
    s = obligation_status(obligations=DEFAULT_OBLIGATIONS, records=records, year=2026, as_of=D(2026, 4, 10))
    get = {(x.kind, x.period): x for x in s}
    assert get["party_congress", 1].status == "met" and get["party_congress", 1].count == 1
    assert get["party_congress", 2].status == "due"
    assert get["party_congress", 3].status == "upcoming"
    assert get["committee_meeting", 1].status == "met"
    assert get["committee_meeting", 2].status == "overdue"  # the 2025 record does not count
    assert get["committee_meeting", 4].status == "due"
    assert get["committee_meeting", 5].status == "upcoming"
    assert get["org_life_meeting", 1].status == "due"
    assert get["committee_meeting", 3].source.endswith("第12条")
    assert get["committee_meeting", 3].start == D(2026, 3, 1) and get["committee_meeting", 3].end == D(2026, 3, 31)
    # overdue: committee Feb, Mar; group meeting Jan–Mar; theme day Jan–Mar; party lecture Q1
    assert overdue_count(s) == 2 + 3 + 3 + 1
    counts = rules.status_counts(s)
    assert sum(counts.values()) == len(s) and counts["overdue"] == overdue_count(s)


def test_period_boundaries_against_as_of():
    ob = (rules.OBLIGATIONS_BY_KIND["committee_meeting"],)
    s = obligation_status(obligations=ob, records=[], year=2026, as_of=D(2026, 3, 31))
    assert s[2].status == "due" and s[1].status == "overdue" and s[3].status == "upcoming"
    s = obligation_status(obligations=ob, records=[], year=2026, as_of=D(2026, 4, 1))
    assert s[2].status == "overdue" and s[3].status == "due"
    # a past year: everything unmet is overdue; a future year: upcoming
    assert {x.status for x in obligation_status(obligations=ob, records=[], year=2025, as_of=D(2026, 1, 1))} == {"overdue"}
    assert {x.status for x in obligation_status(obligations=ob, records=[], year=2027, as_of=D(2026, 1, 1))} == {"upcoming"}


def test_months_filter():
    s = obligation_status(obligations=DEFAULT_OBLIGATIONS[:2], records=[], year=2026, as_of=D(2026, 6, 1), months=range(5, 13))
    quarters = [x.period for x in s if x.kind == "party_congress"]
    months = [x.period for x in s if x.kind == "committee_meeting"]
    assert quarters == [2, 3, 4] and months == list(range(5, 13))
    with pytest.raises(ValueError):
        obligation_status(obligations=DEFAULT_OBLIGATIONS, records=[], year=2026, as_of=D(2026, 6, 1), months=[13])


def test_heart_talk_pairs():
    pairs = [("书记", "委员甲"), ("书记", "党员乙"), ("委员甲", "党员乙")]
    talks = [("委员甲", "书记", D(2026, 3, 1)), ("书记", "党员乙", D(2025, 12, 1))]
    # missing_talk_pairs itself does not look at dates: the caller passes the year's talks
    assert missing_talk_pairs(pairs, talks) == [("委员甲", "党员乙")]
    ob = (rules.OBLIGATIONS_BY_KIND["heart_talk"],)
    [s] = obligation_status(obligations=ob, records=[], year=2026, as_of=D(2026, 5, 1), pairs=pairs, talks=talks)
    assert s.status == "due" and s.count == 1
    assert s.missing_pairs == (("书记", "党员乙"), ("委员甲", "党员乙"))
    talks.append(("党员乙", "委员甲", D(2026, 4, 1)))
    talks.append(("党员乙", "书记", D(2026, 4, 2)))
    [s] = obligation_status(obligations=ob, records=[], year=2026, as_of=D(2026, 5, 1), pairs=pairs, talks=talks)
    assert s.status == "met" and s.missing_pairs == ()
    # without pairs: judged on records of the kind
    [s] = obligation_status(obligations=ob, records=[("heart_talk", D(2026, 2, 2))], year=2026, as_of=D(2026, 5, 1))
    assert s.status == "met"


def test_missing_talk_pairs_unordered_and_deduplicated():
    assert missing_talk_pairs([("a", "b"), ("b", "a"), ("a", "c")], [("b", "a")]) == [("a", "c")]
    assert missing_talk_pairs([("a", "b")], []) == [("a", "b")]


def test_with_frequencies():
    obs = with_frequencies({"party_lecture": rules.MONTHLY})
    by = {o.kind: o for o in obs}
    assert by["party_lecture"].frequency == rules.MONTHLY
    assert by["committee_meeting"].frequency == rules.MONTHLY
    assert len(obs) == len(DEFAULT_OBLIGATIONS)
    assert rules.OBLIGATIONS_BY_KIND["party_lecture"].frequency == rules.QUARTERLY  # defaults untouched
    assert with_frequencies({"party_congress": rules.QUARTERLY}) == DEFAULT_OBLIGATIONS  # same = no change
    with pytest.raises(ValueError, match="不能调整"):
        with_frequencies({"party_congress": rules.YEARLY})
    with pytest.raises(ValueError, match="未知"):
        with_frequencies({"picnic": rules.YEARLY})
    with pytest.raises(ValueError, match="无效"):
        with_frequencies({"party_lecture": "weekly"})
    s = obligation_status(obligations=with_frequencies({"member_evaluation": rules.HALF_YEARLY}),
                          records=[], year=2026, as_of=D(2026, 1, 1))
    assert len([x for x in s if x.kind == "member_evaluation"]) == 2


# --- hypothesis: obligation status ---------------------------------------------------------------

obligation_st = st.builds(
    Obligation,
    kind=st.sampled_from(["a", "b", "c"]),
    label=st.just("测试"),
    frequency=st.sampled_from(rules.FREQUENCIES),
    source=st.just("测试依据"),
)
dates_st = st.dates(min_value=D(2025, 11, 1), max_value=D(2027, 2, 1))


@given(
    obligations=st.lists(obligation_st, max_size=4, unique_by=lambda o: o.kind),
    records=st.lists(st.tuples(st.sampled_from(["a", "b", "c", "x"]), dates_st), max_size=30),
    as_of=dates_st,
)
def test_status_properties(obligations, records, as_of):
    s = obligation_status(obligations=obligations, records=records, year=2026, as_of=as_of)
    # exactly one status per obligation-period
    keys = [(x.kind, x.period) for x in s]
    assert len(keys) == len(set(keys)) == sum(N_PERIODS[o.frequency] for o in obligations)
    for x in s:
        n = sum(1 for k, d in records if k == x.kind and x.start <= d <= x.end)
        assert x.count == n
        assert (x.status == "met") == (n > 0)  # met iff a record in the period
        if x.status == "due":
            assert x.start <= as_of <= x.end
        elif x.status == "overdue":
            assert x.end < as_of
        elif x.status == "upcoming":
            assert x.start > as_of
        else:
            assert x.status == "met"
    assert overdue_count(s) == sum(1 for x in s if x.status == "overdue")
    # at most one "due" per obligation
    for o in obligations:
        assert sum(1 for x in s if x.kind == o.kind and x.status == "due") <= 1


# --- quorum and votes -----------------------------------------------------------------------------


def test_motion_reason_no_quorum():
    r = motion_result(should_attend=12, present=5, votes_for=5, against=0, abstain=0)
    assert (r.quorum_met, r.passed) == (False, False)
    assert r.reason_zh == "应到会有表决权党员12人，实到5人，未过半数，不足法定人数，表决无效"
    assert "第11条" in r.source


def test_pass_is_against_should_attend_not_present():
    # 6 of 8 present is a majority of those present, but not more than half of the 12 who should attend
    r = motion_result(should_attend=12, present=8, votes_for=6, against=2, abstain=0)
    assert r.quorum_met and not r.passed and "未通过" in r.reason_zh
    r = motion_result(should_attend=12, present=8, votes_for=7, against=1, abstain=0)
    assert r.passed and r.reason_zh.endswith("通过") and "未通过" not in r.reason_zh


def test_quorum_boundary_exactly_half():
    assert not motion_result(should_attend=12, present=6, votes_for=6, against=0, abstain=0).quorum_met
    assert motion_result(should_attend=12, present=7, votes_for=7, against=0, abstain=0).passed
    assert not motion_result(should_attend=11, present=5, votes_for=5, against=0, abstain=0).quorum_met
    assert motion_result(should_attend=11, present=6, votes_for=6, against=0, abstain=0).passed


def test_motion_rejects_inconsistent_counts():
    with pytest.raises(ValueError):
        motion_result(should_attend=0, present=0, votes_for=0, against=0, abstain=0)
    with pytest.raises(ValueError):
        motion_result(should_attend=5, present=6, votes_for=0, against=0, abstain=0)
    with pytest.raises(ValueError):
        motion_result(should_attend=5, present=5, votes_for=4, against=2, abstain=0)
    with pytest.raises(ValueError):
        motion_result(should_attend=5, present=-1, votes_for=0, against=0, abstain=0)
    with pytest.raises(TypeError):
        motion_result(should_attend=5.0, present=3, votes_for=3, against=0, abstain=0)
    # votes are at most one per voting member present ...
    with pytest.raises(ValueError, match="实到"):
        motion_result(should_attend=10, present=6, votes_for=7, against=0, abstain=0)
    # ... plus the written opinions of absentees, which count (发展党员工作细则 第二十五条)
    assert motion_result(should_attend=10, present=6, votes_for=7, against=0, abstain=0, written=1).passed
    with pytest.raises(ValueError, match="书面意见"):
        motion_result(should_attend=10, present=6, votes_for=6, against=0, abstain=0, written=5)


def test_voting_base_excludes_probationary_and_approved_exclusions():
    assert rules.voting_base(full_members=14, excluded=2) == 12
    with pytest.raises(ValueError):
        rules.voting_base(full_members=2, excluded=3)


@given(data=st.data())
def test_motion_properties(data):
    should = data.draw(st.integers(1, 60))
    present = data.draw(st.integers(0, should))
    written = data.draw(st.integers(0, should - present))
    cast = present + written
    votes_for = data.draw(st.integers(0, cast))
    against = data.draw(st.integers(0, cast - votes_for))
    abstain = data.draw(st.integers(0, cast - votes_for - against))
    r = motion_result(should_attend=should, present=present, votes_for=votes_for, against=against, abstain=abstain,
                      written=written)
    if r.passed:
        assert r.quorum_met
    assert r.quorum_met == (present > should / 2)
    assert r.passed == (present > should / 2 and votes_for > should / 2)
    assert f"应到会有表决权党员{should}人，实到{present}人" in r.reason_zh
    assert ("表决无效" in r.reason_zh) == (not r.quorum_met)
    with pytest.raises(ValueError):  # one vote more than those present and the written opinions
        motion_result(should_attend=should + 1, present=present, votes_for=cast + 1, against=0, abstain=0, written=written)


@given(should=st.integers(1, 60).filter(lambda n: n % 2 == 0))
def test_exactly_half_is_never_quorum(should):
    r = motion_result(should_attend=should, present=should // 2, votes_for=should // 2, against=0, abstain=0)
    assert not r.quorum_met and not r.passed


def test_committee_quorum():
    assert not committee_quorum(committee_size=4, present=2).quorum_met
    assert committee_quorum(committee_size=5, present=3).quorum_met
    r = committee_quorum(committee_size=3, present=1)
    assert not r.quorum_met and r.reason_zh == "支部委员3人，实到1人，未过半数，不足法定人数"
    assert r.source.endswith("第12条")
    with pytest.raises(ValueError):
        committee_quorum(committee_size=3, present=4)


@given(size=st.integers(1, 9), data=st.data())
def test_committee_quorum_property(size, data):
    present = data.draw(st.integers(0, size))
    assert committee_quorum(committee_size=size, present=present).quorum_met == (2 * present > size)


def test_rules_module_does_not_import_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not any(n.startswith("django") for n in names)


@given(
    obligations=st.lists(obligation_st, max_size=4, unique_by=lambda o: o.kind),
    records=st.lists(st.tuples(st.sampled_from(["a", "b", "c", "x"]), st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 12, 31))), max_size=30),
    as_of=dates_st,
    months=st.none() | st.sets(st.integers(1, 12), min_size=1),
)
def test_period_statuses_agree_with_obligation_status(obligations, records, as_of, months):
    full = obligation_status(obligations=obligations, records=records, year=2026, as_of=as_of, months=months)
    for ob in obligations:
        plan = rules.period_plan(frequency=ob.frequency, year=2026, as_of=as_of, months=months)
        fast = rules.period_statuses(frequency=ob.frequency, held_months=[d.month for k, d in records if k == ob.kind], plan=plan)
        assert fast == [x.status for x in full if x.kind == ob.kind]


@given(k=st.integers(0, 6), extra=st.integers(0, 20))
def test_required_talk_pairs_count(k, extra):
    committee = [f"c{i}" for i in range(k)]
    members = committee + [f"m{i}" for i in range(extra)]
    pairs = rules.required_talk_pairs(committee, members)
    assert len(pairs) == len({frozenset(p) for p in pairs}) == rules.required_talk_pair_count(committee=k, members=k + extra)
    assert all(a in committee for a, _ in pairs)
