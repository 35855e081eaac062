"""The pure rules of 党内统计: bands, who counts as a member on a date, the organisation table."""

import datetime as dt

from zhibu.stats import rules
from zhibu.stats.rules import OrgFacts, PersonFacts, PostFacts, StepFacts

ON = dt.date(2025, 12, 31)


def member(pk, branch_id=1, **kw):
    values = {"standing": "full", "admitted_on": dt.date(2000, 1, 1), "full_on": dt.date(2001, 1, 1), "gender": "女"}
    values.update(kw)
    return PersonFacts(pk, branch_id, **values)


def test_every_table_has_a_sheet_name_and_unique_rows():
    assert [t.sheet for t in rules.TABLES] == [
        "党员基本情况",
        "党员年龄",
        "党员学历",
        "党龄",
        "职业",
        "发展党员",
        "基层组织",
    ]
    for t in rules.TABLES:
        keys = [r.key for r in t.rows]
        assert len(keys) == len(set(keys)) and all(r.label and r.source for r in t.rows)


def test_age_and_party_age_bands_on_the_date():
    assert rules.age_band(dt.date(1995, 12, 31), ON) == "age_30"  # 30 on the day
    assert rules.age_band(dt.date(1994, 12, 31), ON) == "age_31_35"
    assert rules.age_band(dt.date(1995, 1, 1), dt.date(2025, 12, 30)) == "age_30"
    assert rules.age_band(None, ON) == "age_unknown"
    assert rules.party_age_band(member(1, full_on=dt.date(2020, 12, 31)), ON) == "pa_5"
    assert rules.party_age_band(member(1, full_on=dt.date(2014, 12, 31)), ON) == "pa_11_20"
    assert rules.party_age_band(member(1, standing="probationary", full_on=None), ON) == "pa_probationary"
    assert rules.party_age_band(member(1, full_on=None), ON) == "pa_unknown"


def test_education_and_ethnicity_groups():
    assert rules.education_group("大学专科") == "edu_college"
    assert rules.education_group("硕士研究生") == "edu_postgraduate"
    assert rules.education_group("本科") == "edu_bachelor"
    assert rules.education_group("") == "edu_unknown"
    assert rules.ethnicity_group("回族") == "minority" and rules.ethnicity_group("") == "ethnicity_unknown"


def test_who_is_a_member_on_the_date():
    assert rules.is_member(member(1), ON)
    assert not rules.is_member(member(1, admitted_on=dt.date(2026, 1, 5), full_on=None, standing="probationary"), ON)
    assert not rules.is_member(member(1, active=False, left_on=dt.date(2025, 6, 1)), ON)  # left before
    assert rules.is_member(member(1, active=False, left_on=dt.date(2026, 3, 1), standing="masses"), ON)  # left after
    assert not rules.is_member(member(1, active=False, left_on=None), ON)
    assert not rules.is_member(member(1, standing="masses", admitted_on=None, full_on=None), ON)
    # 转正 after the date: still 预备 then
    report = rules.compute(on=ON, start=dt.date(2025, 1, 1), people=[member(1, full_on=dt.date(2026, 2, 1))])
    assert report.cells["basic"]["probationary"] == [1] and report.figure("basic", "full") == 0


def test_development_counts_flows_in_the_period_and_stocks_at_its_end():
    people = [
        member(
            1, admitted_on=dt.date(2025, 3, 1), full_on=None, standing="probationary", birth_date=dt.date(1995, 1, 1)
        ),
        member(2, admitted_on=dt.date(2024, 3, 1), full_on=dt.date(2025, 3, 1)),
        member(3, standing="activist", admitted_on=None, full_on=None),
        member(4, standing="candidate", admitted_on=None, full_on=None),
        member(5, standing="activist", admitted_on=None, full_on=None, active=False, left_on=dt.date(2025, 5, 1)),
    ]
    steps = [
        StepFacts(3, "activist", dt.date(2025, 4, 1)),
        StepFacts(4, "activist", dt.date(2024, 4, 1)),
        StepFacts(4, "candidate", dt.date(2025, 9, 1)),
        StepFacts(5, "activist", dt.date(2025, 2, 1)),
        StepFacts(1, "activist", dt.date(2023, 1, 1)),
        StepFacts(1, "candidate", dt.date(2024, 6, 1)),
        StepFacts(3, "candidate", dt.date(2026, 1, 2)),
    ]  # after the date: not yet
    cells = rules.compute(on=ON, start=dt.date(2025, 1, 1), people=people, steps=steps).cells["development"]
    assert cells["admitted"] == [1] and cells["admitted_young"] == [1] and cells["confirmed"] == [2]
    assert cells["activists_new"] == [3, 5] and cells["candidates_new"] == [4]
    assert cells["activists_now"] == [3] and cells["candidates_now"] == [4]


def test_branches_by_committee_status():
    people = [member(i, branch_id=10) for i in range(1, 9)]
    orgs = [
        OrgFacts(1, "committee"),
        OrgFacts(10, "branch", "城东幼儿园", 1),
        OrgFacts(11, "branch", "城西小学", 1),
        OrgFacts(12, "branch", "区教研室", 1),
    ]
    posts = [PostFacts(11, p, dt.date(2024, 1, 1)) for p in ("secretary", "organisation", "propaganda")]
    posts.append(PostFacts(10, "secretary", dt.date(2024, 1, 1), ended_on=dt.date(2025, 7, 1)))  # left the post
    posts.append(PostFacts(12, "secretary", dt.date(2026, 1, 1)))  # not yet
    cells = rules.compute(on=ON, start=dt.date(2025, 1, 1), people=people, organisations=orgs, posts=posts).cells[
        "organisations"
    ]
    assert cells["kind_branch"] == [10, 11, 12] and cells["kind_committee"] == [1]
    assert cells["unit_kindergarten"] == [10] and cells["unit_primary"] == [11] and cells["unit_other"] == [12]
    assert cells["with_committee"] == [11] and cells["committee_missing"] == [10]
    assert cells["secretary_in_post"] == [11] and cells["secretary_vacant"] == [10, 12]


def test_missing_national_fields():
    values = {f.name: "x" for f in rules.NATIONAL_FIELDS}
    assert rules.missing_fields(values, full=True) == []
    values.update(full_on=None, home_address=False, sponsors="  ")
    assert rules.missing_fields(values, full=False) == ["home_address", "sponsors"]
    assert rules.missing_fields(values, full=True) == ["home_address", "full_on", "sponsors"]


def test_period_and_half_year():
    assert rules.period(2025, False) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert rules.period(2025, True) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def test_a_member_without_an_admission_date_is_shown_apart():
    people = [member(1), member(2, admitted_on=None, full_on=None)]
    report = rules.compute(on=ON, start=dt.date(2025, 1, 1), people=people)
    assert report.cells["basic"]["total"] == [1] and report.cells["basic"]["admitted_unknown"] == [2]
