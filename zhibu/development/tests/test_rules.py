"""发展党员 timeline rules: every rule violated and satisfied, rule-set switch, `next`, validation."""
import copy
import datetime as dt
import json

import pytest

from zhibu.core import clock
from zhibu.development.rules import (
    ORDER_STAGE_OF,
    ORDER_STAGES,
    RULE_IDS,
    RULES_2014,
    RULES_2026,
    SEQUENCE,
    STAGES,
    STEP_BY_ID,
    STEPS,
    TimelineError,
    check_timeline,
    parse_timeline,
)
from zhibu.workdays.calendar import WorkdayCalendar

D = dt.date.fromisoformat
CAL = WorkdayCalendar()
AS_OF = D("2027-12-31")


def meeting(date, should=12, present=9, votes_for=8, secret=True):
    return {"date": date, "should_attend": should, "present": present, "for": votes_for,
            "against": present - votes_for, "abstain": 0, "secret_ballot": secret}


def ext(date, months=6, approval=None, **kw):
    m = {**meeting(date, **kw), "months": months}
    if approval:
        m["approval"] = approval
    return m


# A complete timeline that satisfies every rule, judged by the 2026 rules.
GOOD = {
    "birth_date": "1999-04-30",
    "rules": "2026",
    "as_of": "2027-12-31",
    "steps": {
        "application": "2025-03-03",
        "application_talk": "2025-03-20",
        "activist": "2025-06-03",
        "activist_filed": "2025-06-10",
        "contacts": {"date": "2025-06-10", "count": 2},
        "assessments": ["2025-12-03", "2026-06-03"],
        "candidate": "2026-06-05",
        "candidate_publicity": {"start": "2026-06-08", "end": "2026-06-12"},
        "candidate_approved": "2026-06-15",
        "sponsors": {"date": "2026-06-16", "count": 2},
        "political_review": "2026-06-22",
        "training": {"start": "2026-06-23", "end": "2026-06-25", "days": 3, "hours": 24},
        "committee_review": "2026-06-26",
        "pre_review": "2026-06-29",
        "application_form": "2026-07-01",
        "admission_meeting": meeting("2026-07-10"),
        "approval_talk": "2026-07-20",
        "approval": "2026-08-10",
        "filed": "2026-08-15",
        "assigned": "2026-08-20",
        "oath": "2026-09-01",
        "full_application": "2027-07-01",
        "full_meeting": meeting("2027-07-12"),
        "full_approval": "2027-08-02",
        "archived": "2027-08-16",
    },
}


def check(steps=None, *, rules="2026", birth=None, as_of="2027-12-31", calendar=CAL):
    timeline = {"rules": rules, "as_of": as_of, "steps": steps or {}}
    if birth:
        timeline["birth_date"] = birth
    return check_timeline(timeline, calendar=calendar, as_of=None)


def found(result):
    return {(v.rule, v.step) for v in result.violations}


# (rule, case name, keyword arguments for `check`, expected violations). An empty expectation means
# the rule is satisfied at the boundary given.
CASES = [
    # age_18
    ("age_18", "one day short", dict(birth="2008-03-04", steps={"application": "2026-03-03"}),
     {("age_18", "application")}),
    ("age_18", "on the 18th birthday", dict(birth="2008-03-03", steps={"application": "2026-03-03"}), set()),
    ("age_18", "leap-day birthday, 28 Feb counts", dict(birth="2008-02-29", steps={"application": "2026-02-28"}),
     set()),
    ("age_18", "leap-day birthday, a day early", dict(birth="2008-02-29", steps={"application": "2026-02-27"}),
     {("age_18", "application")}),
    # talk_within_1_month
    ("talk_within_1_month", "month end, last day",
     dict(steps={"application": "2025-01-31", "application_talk": "2025-02-28"}), set()),
    ("talk_within_1_month", "month end, a day late",
     dict(steps={"application": "2025-01-31", "application_talk": "2025-03-01"}),
     {("talk_within_1_month", "application_talk")}),
    ("talk_within_1_month", "leap year 29 Feb",
     dict(steps={"application": "2024-01-31", "application_talk": "2024-02-29"}), set()),
    ("talk_within_1_month", "leap year, a day late",
     dict(steps={"application": "2024-01-31", "application_talk": "2024-03-01"}),
     {("talk_within_1_month", "application_talk")}),
    # development.md: plain calendar months, not rolled to the next working day (see rules.ROLL_DEADLINES)
    ("talk_within_1_month", "deadline 2026-02-16 in the Spring Festival: that day still holds",
     dict(steps={"application": "2026-01-16", "application_talk": "2026-02-16"}), set()),
    ("talk_within_1_month", "deadline in the Spring Festival is not rolled",
     dict(steps={"application": "2026-01-16", "application_talk": "2026-02-17"}),
     {("talk_within_1_month", "application_talk")}),
    # contacts_1_to_2
    ("contacts_1_to_2", "none", dict(steps={"contacts": {"date": "2026-06-01", "count": 0}}),
     {("contacts_1_to_2", "contacts")}),
    ("contacts_1_to_2", "three", dict(steps={"contacts": {"date": "2026-06-01", "count": 3}}),
     {("contacts_1_to_2", "contacts")}),
    ("contacts_1_to_2", "one", dict(steps={"contacts": {"date": "2026-06-01", "count": 1}}), set()),
    ("contacts_1_to_2", "two, no date", dict(steps={"contacts": {"count": 2}}), set()),
    # activist_min_one_year
    ("activist_min_one_year", "a day short",
     dict(steps={"activist": "2025-06-30", "candidate": "2026-06-29"}), {("activist_min_one_year", "candidate")}),
    ("activist_min_one_year", "exactly a year",
     dict(steps={"activist": "2025-06-30", "candidate": "2026-06-30"}), set()),
    ("activist_min_one_year", "from a leap day",
     dict(steps={"activist": "2024-02-29", "candidate": "2025-02-28"}), set()),
    ("activist_min_one_year", "from a leap day, a day short",
     dict(steps={"activist": "2024-02-29", "candidate": "2025-02-27"}), {("activist_min_one_year", "candidate")}),
    # publicity_5_workdays (2026 rules)
    ("publicity_5_workdays", "over the 2026 Spring Festival: 4 working days",
     dict(steps={"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-24"}}),
     {("publicity_5_workdays", "candidate_publicity")}),
    ("publicity_5_workdays", "over the 2026 Spring Festival: 5 working days incl. make-up Saturday",
     dict(steps={"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-25"}}), set()),
    ("publicity_5_workdays", "over National Day 2026: 4 working days",
     dict(steps={"candidate_publicity": {"start": "2026-09-29", "end": "2026-10-09"}}),
     {("publicity_5_workdays", "candidate_publicity")}),
    ("publicity_5_workdays", "over National Day 2026: 5 working days",
     dict(steps={"candidate_publicity": {"start": "2026-09-28", "end": "2026-10-09"}}), set()),
    ("publicity_5_workdays", "National Day make-up Saturday 10-10 counts",
     dict(steps={"candidate_publicity": {"start": "2026-09-29", "end": "2026-10-10"}}), set()),
    ("publicity_5_workdays", "Mon–Fri",
     dict(steps={"candidate_publicity": {"start": "2026-06-08", "end": "2026-06-12"}}), set()),
    ("publicity_5_workdays", "Dragon Boat Festival 2026-06-19",
     dict(steps={"candidate_publicity": {"start": "2026-06-16", "end": "2026-06-22"}}),
     {("publicity_5_workdays", "candidate_publicity")}),
    # publicity_before_approval
    ("publicity_before_approval", "approved on the last publicity day",
     dict(steps={"candidate_publicity": {"start": "2026-06-08", "end": "2026-06-12"},
                 "candidate_approved": "2026-06-12"}),
     {("publicity_before_approval", "candidate_approved")}),
    ("publicity_before_approval", "approved the day after",
     dict(steps={"candidate_publicity": {"start": "2026-06-08", "end": "2026-06-12"},
                 "candidate_approved": "2026-06-13"}), set()),
    # sponsors_2
    ("sponsors_2", "one sponsor", dict(steps={"sponsors": {"date": "2026-06-16", "count": 1}}),
     {("sponsors_2", "sponsors")}),
    ("sponsors_2", "three sponsors", dict(steps={"sponsors": {"date": "2026-06-16", "count": 3}}),
     {("sponsors_2", "sponsors")}),
    ("sponsors_2", "two sponsors", dict(steps={"sponsors": {"date": "2026-06-16", "count": 2}}), set()),
    # training_min
    ("training_min", "2 days, 16 hours", dict(steps={"training": {"days": 2, "hours": 16}}),
     {("training_min", "training")}),
    # hours missing: the rule's inputs are missing, not reported (development.md)
    ("training_min", "2 days, hours not given", dict(steps={"training": {"start": "2026-06-23", "days": 2}}),
     set()),
    ("training_min", "3 days", dict(steps={"training": {"days": 3, "hours": 12}}), set()),
    ("training_min", "24 hours", dict(steps={"training": {"days": 2, "hours": 24}}), set()),
    ("training_min", "23.5 hours, days not given", dict(steps={"training": {"hours": 23.5}}), set()),
    ("training_min", "2.5 days, 23.5 hours", dict(steps={"training": {"days": 2.5, "hours": 23.5}}),
     {("training_min", "training")}),
    ("training_min", "neither given", dict(steps={"training": {"start": "2026-06-23", "end": "2026-06-25"}}), set()),
    # review_before_admission
    ("review_before_admission", "political review on the meeting day",
     dict(steps={"political_review": "2026-07-10", "admission_meeting": meeting("2026-07-10")}),
     {("review_before_admission", "admission_meeting")}),
    ("review_before_admission", "form filled on the meeting day",
     dict(steps={"application_form": "2026-07-10", "admission_meeting": meeting("2026-07-10")}),
     {("review_before_admission", "admission_meeting")}),
    ("review_before_admission", "all before",
     dict(steps={"political_review": "2026-06-22", "pre_review": "2026-07-01", "application_form": "2026-07-09",
                 "admission_meeting": meeting("2026-07-10")}), set()),
    # admission_within_1_month
    ("admission_within_1_month", "deadline 2026-10-05 (National Day) holds",
     dict(steps={"pre_review": "2026-09-05", "admission_meeting": meeting("2026-10-05")}), set()),
    ("admission_within_1_month", "deadline in National Day is not rolled",
     dict(steps={"pre_review": "2026-09-05", "admission_meeting": meeting("2026-10-08")}),
     {("admission_within_1_month", "admission_meeting")}),
    ("admission_within_1_month", "month end 08-31 → 09-30",
     dict(steps={"pre_review": "2026-08-31", "admission_meeting": meeting("2026-09-30")}), set()),
    # quorum (both meetings)
    ("quorum", "admission: exactly half present",
     dict(steps={"admission_meeting": meeting("2026-07-10", should=12, present=6, votes_for=6)}),
     {("quorum", "admission_meeting"), ("vote_pass", "admission_meeting")}),
    ("quorum", "admission: 7 of 12", dict(steps={"admission_meeting": meeting("2026-07-10", present=7, votes_for=7)}),
     set()),
    ("quorum", "full: 5 of 11",
     dict(steps={"full_meeting": meeting("2027-07-12", should=11, present=5, votes_for=5)}),
     {("quorum", "full_meeting"), ("vote_pass", "full_meeting")}),
    ("quorum", "full: 6 of 11", dict(steps={"full_meeting": meeting("2027-07-12", should=11, present=6, votes_for=6)}),
     set()),
    # vote_pass: the base is those who should attend, not those present
    ("vote_pass", "6 for of 7 present, 12 should attend",
     dict(steps={"admission_meeting": meeting("2026-07-10", should=12, present=7, votes_for=6)}),
     {("vote_pass", "admission_meeting")}),
    ("vote_pass", "full meeting 6 for of 12",
     dict(steps={"full_meeting": meeting("2027-07-12", should=12, present=10, votes_for=6)}),
     {("vote_pass", "full_meeting")}),
    ("vote_pass", "7 for of 12", dict(steps={"admission_meeting": meeting("2026-07-10", present=7, votes_for=7)}),
     set()),
    # secret_ballot (2026 rules)
    ("secret_ballot", "admission by show of hands",
     dict(steps={"admission_meeting": meeting("2026-07-10", secret=False)}), {("secret_ballot", "admission_meeting")}),
    ("secret_ballot", "full meeting by show of hands",
     dict(steps={"full_meeting": meeting("2027-07-12", secret=False)}), {("secret_ballot", "full_meeting")}),
    ("secret_ballot", "secret ballot", dict(steps={"full_meeting": meeting("2027-07-12")}), set()),
    ("secret_ballot", "not stated",
     dict(steps={"full_meeting": {"date": "2027-07-12", "should_attend": 10, "present": 8, "for": 8}}), set()),
    # approval_within_3_months
    ("approval_within_3_months", "deadline is the make-up Saturday 2026-10-10",
     dict(steps={"admission_meeting": meeting("2026-07-10"), "approval": "2026-10-10"}), set()),
    ("approval_within_3_months", "a day after 2026-10-10",
     dict(steps={"admission_meeting": meeting("2026-07-10"), "approval": "2026-10-11"}),
     {("approval_within_3_months", "approval")}),
    ("approval_within_3_months", "month end 11-30 → 02-28 (make-up Saturday)",
     dict(steps={"admission_meeting": meeting("2025-11-30"), "approval": "2026-02-28"}), set()),
    ("approval_within_3_months", "month end, a day late",
     dict(steps={"admission_meeting": meeting("2025-11-30"), "approval": "2026-03-01"}),
     {("approval_within_3_months", "approval")}),
    # oath_within_1_month
    ("oath_within_1_month", "month end 08-31 → 09-30",
     dict(steps={"approval": "2026-08-31", "oath": "2026-09-30"}), set()),
    ("oath_within_1_month", "a day late, in National Day",
     dict(steps={"approval": "2026-08-31", "oath": "2026-10-01"}), {("oath_within_1_month", "oath")}),
    ("oath_within_1_month", "deadline 10-05 (National Day) is not rolled",
     dict(steps={"approval": "2026-09-05", "oath": "2026-10-06"}), {("oath_within_1_month", "oath")}),
    # full_meeting_after_probation
    ("full_meeting_after_probation", "probation from a leap day ends 2025-02-28",
     dict(rules="2014", steps={"admission_meeting": meeting("2024-02-29"), "full_meeting": meeting("2025-02-28")}),
     set()),
    ("full_meeting_after_probation", "a day before the end",
     dict(rules="2014", steps={"admission_meeting": meeting("2024-02-29"), "full_meeting": meeting("2025-02-27")}),
     {("full_meeting_after_probation", "full_meeting")}),
    # full_approval_within_3_months
    ("full_approval_within_3_months", "11-30 → 02-28 (2027, a Sunday: not rolled)",
     dict(steps={"full_meeting": meeting("2026-11-30"), "full_approval": "2027-02-28"}), set()),
    ("full_approval_within_3_months", "a day late",
     dict(steps={"full_meeting": meeting("2026-11-30"), "full_approval": "2027-03-01"}),
     {("full_approval_within_3_months", "full_approval")}),
    # order
    ("order", "activist before application", dict(steps={"application": "2025-03-03", "activist": "2025-03-01"}),
     {("order", "activist")}),
    ("order", "same day", dict(steps={"application": "2025-03-03", "activist": "2025-03-03"}), set()),
    ("order", "oath before approval", dict(steps={"approval": "2026-08-10", "oath": "2026-08-09"}),
     {("order", "oath")}),
    ("order", "skipped steps compare with the nearest earlier present step",
     dict(steps={"candidate": "2026-06-05", "committee_review": "2026-06-04", "archived": "2027-01-01"}),
     {("order", "committee_review")}),
    ("order", "contacts before the activist's filing: one stage, any order",
     dict(steps={"activist": "2025-06-03", "contacts": {"date": "2025-06-05", "count": 2},
                 "activist_filed": "2025-06-10"}), set()),
    ("order", "extension before the oath", dict(steps={"oath": "2026-09-10", "extension": ext("2026-09-09")}),
     {("order", "extension")}),
    # extension_6_to_12_months
    ("extension_6_to_12_months", "6 months", dict(steps={"extension": ext("2027-08-01", months=6)}), set()),
    ("extension_6_to_12_months", "12 months", dict(steps={"extension": ext("2027-08-01", months=12)}), set()),
    ("extension_6_to_12_months", "5 months", dict(steps={"extension": ext("2027-08-01", months=5)}),
     {("extension_6_to_12_months", "extension")}),
    ("extension_6_to_12_months", "13 months", dict(steps={"extension": ext("2027-08-01", months=13)}),
     {("extension_6_to_12_months", "extension")}),
    # extension_approval_within_3_months
    ("extension_approval_within_3_months", "11-30 → 02-28",
     dict(steps={"extension": ext("2026-11-30", approval="2027-02-28")}), set()),
    ("extension_approval_within_3_months", "a day late",
     dict(steps={"extension": ext("2026-11-30", approval="2027-03-01")}),
     {("extension_approval_within_3_months", "extension")}),
    ("vote_pass", "extension meeting", dict(steps={"extension": ext("2027-08-01", votes_for=6)}),
     {("vote_pass", "extension")}),
]


@pytest.mark.parametrize("rule, name, kwargs, expected", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_rule_cases(rule, name, kwargs, expected):
    assert found(check(**kwargs)) == expected


def test_every_rule_is_exercised_violated_and_satisfied():
    violated = {r for rule, _, _, expected in CASES for r, _ in expected if r == rule}
    satisfied = {rule for rule, _, _, expected in CASES if not expected}
    assert violated == set(RULE_IDS)
    assert satisfied == set(RULE_IDS)


def test_good_timeline_has_no_violations():
    result = check_timeline(GOOD, calendar=CAL)
    assert result.violations == ()
    assert result.rules == "2026"
    assert result.probation_end == D("2027-07-10")
    assert result.next == ()
    assert result.to_json() == {"rules": "2026", "violations": [], "probation_end": "2027-07-10", "next": []}


def test_good_timeline_under_auto_and_2014():
    for rules in ("auto", "2014"):
        timeline = dict(GOOD, rules=rules)
        assert check_timeline(timeline, calendar=CAL).violations == ()


def test_one_bad_timeline_reports_each_violation_with_source():
    timeline = copy.deepcopy(GOOD)
    steps = timeline["steps"]
    steps["candidate"] = "2026-05-20"
    steps["assessments"] = ["2025-12-03", "2026-05-18"]  # each assessment precedes the 发展对象 (order)
    steps["candidate_publicity"] = {"start": "2026-05-20", "end": "2026-05-22"}
    steps["sponsors"]["count"] = 1
    steps["admission_meeting"]["secret_ballot"] = False
    result = check_timeline(timeline, calendar=CAL)
    data = result.to_json()
    assert [(v["rule"], v["step"]) for v in data["violations"]] == [
        ("activist_min_one_year", "candidate"),
        ("publicity_5_workdays", "candidate_publicity"),
        ("sponsors_2", "sponsors"),
        ("secret_ballot", "admission_meeting"),
    ]
    first = data["violations"][0]
    assert first["source"] == "发展党员工作细则(2026) 第13条"
    assert "未满一年" in first["message"] and "2026-06-03" in first["message"]
    assert all(set(v) == {"rule", "step", "message", "source"} for v in data["violations"])
    assert "3 个工作日" in data["violations"][1]["message"]
    json.dumps(data, ensure_ascii=False)


def test_messages_and_sources_are_chinese_and_cite_articles():
    result = check(
        {"admission_meeting": meeting("2026-07-10", present=5, votes_for=5, secret=False),
         "approval": "2026-10-11"},
    )
    for v in result.violations:
        assert v.source.startswith("发展党员工作细则(2026) 第")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in v.message)
    assert "截止 2026-10-10" in next(v.message for v in result.violations if v.rule == "approval_within_3_months")


def test_deadlines_are_not_rolled_whatever_the_calendar_says():
    # development.md states deadlines as plain calendar months; rules.md §5's rolling is not applied
    steps = {"application": "2026-01-16", "application_talk": "2026-02-24"}
    for cal in (WorkdayCalendar(), WorkdayCalendar(roll_to_workday=False)):
        assert found(check(steps, calendar=cal)) == {("talk_within_1_month", "application_talk")}


def test_rolling_can_be_switched_on(monkeypatch):
    from zhibu.development.rules import check as checker

    monkeypatch.setattr(checker, "ROLL_DEADLINES", True)
    assert found(check({"application": "2026-01-16", "application_talk": "2026-02-24"})) == set()
    result = check({"full_meeting": meeting("2026-11-30"), "full_approval": "2027-03-02"})
    (v,) = result.violations
    assert "截止 2027-03-01" in v.message and "暂定" in v.message


def test_deadline_in_2027_is_certain_in_the_message():
    result = check({"full_meeting": meeting("2026-11-30"), "full_approval": "2027-03-01"})
    (v,) = result.violations
    assert "截止 2027-02-28" in v.message and "暂定" not in v.message


def test_publicity_in_2027_counts_weekdays_provisionally():
    result = check({"candidate_publicity": {"start": "2027-02-01", "end": "2027-02-04"}})
    (v,) = result.violations
    assert v.rule == "publicity_5_workdays" and "暂计" in v.message
    # an admin-declared 2027 with a holiday week settles it
    cal = WorkdayCalendar({D("2027-02-08") + dt.timedelta(days=i): False for i in range(5)}, covered_years=[2027])
    result = check({"candidate_publicity": {"start": "2027-02-03", "end": "2027-02-12"}}, calendar=cal)
    (v,) = result.violations
    assert "3 个工作日" in v.message and "暂计" not in v.message


# --- the 2014 / 2026 switch -----------------------------------------------------------------------


def test_2014_rules_have_no_publicity_minimum_or_secret_ballot():
    steps = {"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-24"},
             "admission_meeting": meeting("2026-07-10", secret=False)}
    assert found(check(steps, rules="2014")) == set()
    assert found(check(steps, rules="2026")) == {
        ("publicity_5_workdays", "candidate_publicity"), ("secret_ballot", "admission_meeting")
    }
    assert RULES_2014.applies("publicity_5_workdays") is False and RULES_2014.applies("secret_ballot") is False
    assert all(RULES_2026.applies(r) for r in RULE_IDS)
    assert set(RULE_IDS) - set(RULES_2014.articles) == {"publicity_5_workdays", "secret_ballot"}


def test_auto_spring_festival_2026_publicity_is_judged_by_2014():
    steps = {"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-24"}}
    result = check(steps, rules="auto")
    assert result.violations == () and result.rules == "2014"


def test_auto_switches_on_2026_05_11_by_the_step_date():
    before = {"candidate_publicity": {"start": "2026-05-08", "end": "2026-05-11"}}  # 3 working days
    on = {"candidate_publicity": {"start": "2026-05-11", "end": "2026-05-14"}}  # 4 working days
    assert found(check(before, rules="auto")) == set()
    assert found(check(on, rules="auto")) == {("publicity_5_workdays", "candidate_publicity")}
    assert found(check({"admission_meeting": meeting("2026-05-08", secret=False)}, rules="auto")) == set()
    assert found(check({"admission_meeting": meeting("2026-05-11", secret=False)}, rules="auto")) == {
        ("secret_ballot", "admission_meeting")
    }


def test_auto_mixed_timeline_judges_each_step_by_its_own_date():
    steps = {"admission_meeting": meeting("2026-05-08", secret=False),
             "full_meeting": meeting("2027-05-10", secret=False),
             "activist": "2025-01-10", "candidate": "2026-01-05"}
    result = check(steps, rules="auto")
    assert result.rules == "2026"  # the latest step is on or after 2026-05-11
    assert [(v.rule, v.step, v.source) for v in result.violations] == [
        ("activist_min_one_year", "candidate", "发展党员工作细则(2014) 第13条"),
        ("secret_ballot", "full_meeting", "发展党员工作细则(2026) 第20条"),
    ]


def test_step_8_is_filing_under_2014_and_consent_under_2026():
    steps = {"candidate_publicity": {"start": "2025-06-09", "end": "2025-06-13"}, "candidate_approved": "2025-06-13"}
    (v14,) = check(steps, rules="auto").violations
    assert "备案" in v14.message and v14.source == "发展党员工作细则(2014) 第13条"
    (v26,) = check(steps, rules="2026").violations
    assert "同意" in v26.message


@pytest.mark.parametrize(
    "rules, steps, as_of, expected",
    [
        ("auto", {"application": "2025-03-03", "activist": "2026-05-10"}, "2026-11-26", "2014"),
        ("auto", {"application": "2025-03-03", "activist": "2026-05-11"}, "2026-11-26", "2026"),
        ("auto", {}, "2026-11-26", "2026"),
        ("auto", {}, "2026-01-01", "2014"),
        ("2014", {"application": "2026-06-01"}, "2026-11-26", "2014"),
        ("2026", {"application": "2020-06-01"}, "2026-11-26", "2026"),
    ],
)
def test_top_level_rules(rules, steps, as_of, expected):
    assert check(steps, rules=rules, as_of=as_of).rules == expected


# --- probation_end and next -----------------------------------------------------------------------


def nxt(result):
    return [(n.step, n.due.isoformat() if n.due else None, n.provisional) for n in result.next]


def test_next_on_an_empty_timeline_is_the_application():
    assert nxt(check({})) == [("application", None, False)]


def test_next_talk_due_one_month_after_application():
    assert nxt(check({"application": "2024-01-31"})) == [("application_talk", "2024-02-29", False)]
    # 2026-01-31 + 1 month = 2026-02-28, a make-up Saturday: due that day
    assert nxt(check({"application": "2026-01-31"})) == [("application_talk", "2026-02-28", False)]


def test_next_while_activist_includes_the_half_yearly_assessment():
    result = check({"application": "2025-03-03", "application_talk": "2025-03-20", "activist": "2025-06-03"})
    assert nxt(result) == [("activist_filed", None, False), ("assessments", "2025-12-03", False)]
    result = check({"activist": "2025-06-03", "contacts": {"count": 1}, "assessments": ["2025-12-03"]})
    assert nxt(result) == [("assessments", "2026-06-03", False), ("candidate", "2026-06-03", False)]


def test_next_after_pre_review_is_the_meeting():
    # 2026-10-05 is in the National Day holiday; the deadline is not rolled (development.md)
    assert nxt(check({"pre_review": "2026-09-05"})) == [("application_form", None, False),
                                                       ("admission_meeting", "2026-10-05", False)]


def test_next_after_admission_meeting_is_talk_and_approval():
    result = check({"admission_meeting": meeting("2026-07-10")})
    assert result.probation_end == D("2027-07-10")
    assert nxt(result) == [("approval_talk", "2026-10-10", False), ("approval", "2026-10-10", False)]


def test_next_approval_due_in_2027_is_provisional():
    result = check({"admission_meeting": meeting("2026-12-15")})
    assert nxt(result) == [("approval_talk", "2027-03-15", True), ("approval", "2027-03-15", True)]
    # once an administrator declares 2027 complete, the same deadline is no longer provisional
    cal = WorkdayCalendar({D("2027-03-15"): False}, covered_years=[2027])
    assert nxt(check({"admission_meeting": meeting("2026-12-15")}, calendar=cal)) == [
        ("approval_talk", "2027-03-15", False), ("approval", "2027-03-15", False)
    ]


def test_next_after_oath_is_full_application_at_probation_end():
    # the spec's example: probation_end 2027-06-30, full_application due then, not provisional
    result = check({"admission_meeting": meeting("2026-06-30"), "approval": "2026-08-10", "oath": "2026-09-01"})
    data = result.to_json()
    assert data["probation_end"] == "2027-06-30"
    assert data["next"] == [{"step": "full_application", "due": "2027-06-30", "provisional": False}]


def test_next_after_approval_lists_oath_deadline():
    result = check({"admission_meeting": meeting("2026-07-10"), "approval": "2026-08-31"})
    assert nxt(result) == [("filed", None, False), ("oath", "2026-09-30", False)]


def test_next_full_approval_due_in_2027_is_provisional():
    result = check({"admission_meeting": meeting("2025-11-30"), "full_meeting": meeting("2026-11-30")})
    assert result.probation_end == D("2026-11-30")
    assert nxt(result) == [("full_approval", "2027-02-28", True)]


def test_probation_end_from_a_leap_day():
    result = check({"admission_meeting": meeting("2024-02-29")}, rules="2014")
    assert result.probation_end == D("2025-02-28")


def test_missing_inputs_are_not_violations_but_show_in_next():
    result = check({"application": "2026-01-16"}, as_of="2026-11-26")
    assert result.violations == ()
    assert nxt(result) == [("application_talk", "2026-02-16", False)]


def test_as_of_defaults_to_the_clock():
    with clock.frozen(D("2026-01-01")):
        result = check_timeline({"steps": {}}, calendar=CAL)
    assert result.as_of == D("2026-01-01") and result.rules == "2014"
    result = check_timeline({"steps": {}}, calendar=CAL, as_of=D("2026-06-01"))
    assert result.as_of == D("2026-06-01") and result.rules == "2026"
    # the timeline's own as_of wins
    result = check_timeline({"as_of": "2025-06-01"}, calendar=CAL, as_of=D("2026-06-01"))
    assert result.as_of == D("2025-06-01")


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "timeline, field",
    [
        ([], "timeline"),
        ({"rules": "2020"}, "rules"),
        ({"birth_date": "1999/04/30"}, "birth_date"),
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"steps": []}, "steps"),
        ({"steps": {"aplication": "2025-01-01"}}, "steps.aplication"),
        ({"oops": 1}, "timeline.oops"),
        ({"steps": {"oath": "2026-02-30"}}, "steps.oath"),
        ({"steps": {"oath": 20260201}}, "steps.oath"),
        ({"steps": {"contacts": {"date": "2026-01-01", "count": "two"}}}, "steps.contacts.count"),
        ({"steps": {"sponsors": {"count": True}}}, "steps.sponsors.count"),
        ({"steps": {"sponsors": {"count": -1}}}, "steps.sponsors.count"),
        ({"steps": {"sponsors": "2026-01-01"}}, "steps.sponsors"),
        ({"steps": {"assessments": "2026-01-01"}}, "steps.assessments"),
        ({"steps": {"assessments": ["2026-01-01", "x"]}}, "steps.assessments[1]"),
        ({"steps": {"candidate_publicity": {"start": "2026-06-12", "end": "2026-06-08"}}},
         "steps.candidate_publicity.end"),
        ({"steps": {"training": {"hours": float("nan")}}}, "steps.training.hours"),
        ({"steps": {"training": {"start": "2026-06-25", "end": "2026-06-23"}}}, "steps.training.end"),
        ({"steps": {"admission_meeting": {"date": "2026-07-10", "secret_ballot": "yes"}}},
         "steps.admission_meeting.secret_ballot"),
        ({"steps": {"admission_meeting": {"date": "2026-07-10", "present": 9.5}}}, "steps.admission_meeting.present"),
        ({"steps": {"full_meeting": {"date": "2027-07-10", "quorum": 3}}}, "steps.full_meeting.quorum"),
    ],
)
def test_invalid_timelines_name_the_field(timeline, field):
    with pytest.raises(TimelineError) as info:
        check_timeline(timeline, calendar=CAL, as_of=AS_OF)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")
    assert "\n" not in str(info.value)


def test_nulls_are_missing():
    tl = parse_timeline({"birth_date": None, "rules": None, "steps": {"oath": None, "contacts": {"count": None}}})
    assert tl.rules == "auto" and tl.birth_date is None and "oath" not in tl.steps


# --- the step data --------------------------------------------------------------------------------


def test_25_steps_in_5_stages():
    assert [s.number for s in STEPS] == list(range(1, 26))
    assert len({s.id for s in STEPS}) == 25
    assert {s.stage for s in STEPS} == set(STAGES) == {1, 2, 3, 4, 5}
    assert [s.stage for s in STEPS] == sorted(s.stage for s in STEPS)
    assert all(s.name and s.article.startswith("第") for s in STEPS)
    # every input key but the 公示 and the 延长预备期 is a step id, in step order
    keys = [k for k in SEQUENCE if k not in ("candidate_publicity", "extension")]
    assert [STEP_BY_ID[k].number for k in keys] == sorted(STEP_BY_ID[k].number for k in keys)
    assert set(STEP_BY_ID) - set(SEQUENCE) == {"probation_education"}


# --- order: a partial order (development.md § "Order of steps") -------------------------------------


def test_order_stages_cover_every_input_key_once():
    keys = [k for stage in ORDER_STAGES for k in stage]
    assert sorted(keys) == sorted(SEQUENCE) and len(ORDER_STAGES) == 20


# For each stage with steps in parallel: every order among them is fine; a step of the next stage
# before any of them is `order`, on that later step.
PARALLEL = [
    # (the stage before, the parallel steps, the next stage's step, the latest date among the parallel steps)
    ({"activist": "2024-06-03"}, {"activist_filed": "2024-06-20", "contacts": {"date": "2024-06-10", "count": 2},
                                  "assessments": ["2024-06-05", "2025-06-05"]}, "candidate", "2025-06-05"),
    ({"candidate_approved": "2026-06-20"}, {"sponsors": {"date": "2026-06-30", "count": 2},
                                            "political_review": "2026-06-25",
                                            "training": {"start": "2026-06-22", "end": "2026-06-24", "days": 3}},
     "committee_review", "2026-06-30"),
    ({"approval": "2026-09-01"}, {"filed": "2026-09-20", "assigned": "2026-09-05", "oath": "2026-09-10"},
     "full_application", "2026-09-20"),
]


@pytest.mark.parametrize("before, stage, after, latest", PARALLEL)
def test_order_parallel_steps_in_any_order(before, stage, after, latest):
    assert found(check({**before, **stage, after: value_of(after, "2027-07-01")})) == set()
    assert found(check({**before, **stage, after: value_of(after, latest)})) == set()


@pytest.mark.parametrize("before, stage, after, latest", PARALLEL)
def test_order_next_stage_after_every_parallel_step(before, stage, after, latest):
    day_before = (D(latest) - dt.timedelta(days=1)).isoformat()
    assert found(check({**before, **stage, after: value_of(after, day_before)})) == {("order", after)}


@pytest.mark.parametrize("stage_key", [k for keys in ORDER_STAGES[1:] for k in keys])
def test_order_each_stage_after_the_one_before(stage_key):
    """Each input key dated before the step of the stage before it is `order` on that key."""
    earlier = ORDER_STAGES[ORDER_STAGE_OF[stage_key] - 2][0]
    steps = {earlier: value_of(earlier, "2026-06-10"), stage_key: value_of(stage_key, "2026-06-09")}
    assert ("order", stage_key) in found(check(steps))
    steps = {earlier: value_of(earlier, "2026-06-10"), stage_key: value_of(stage_key, "2026-06-10")}
    assert ("order", stage_key) not in found(check(steps))


def value_of(key, date):
    if key in ("contacts", "sponsors"):
        return {"date": date, "count": 2}
    if key == "assessments":
        return [date]
    if key == "candidate_publicity":
        return {"start": date, "end": (D(date) + dt.timedelta(days=7)).isoformat()}
    if key == "training":
        return {"start": date, "end": date, "days": 3}
    if key in ("admission_meeting", "full_meeting"):
        return meeting(date)
    if key == "extension":
        return ext(date)
    return date


def test_order_is_reported_once_naming_the_first_pair():
    steps = {"application": "2026-06-10", "application_talk": "2026-06-09", "activist": "2026-06-08",
             "oath": "2026-01-01", "full_application": "2025-01-01"}
    result = check(steps)
    order = [v for v in result.violations if v.rule == "order"]
    assert len(order) == 1
    assert order[0].step == "application_talk"
    assert "党组织派人谈话" in order[0].message and "递交入党申请书" in order[0].message


def test_order_assessments_each_date_counts():
    # the second assessment falls after the 发展对象 decision: every date of assessments is a step date
    steps = {"activist": "2025-06-03", "assessments": ["2025-12-03", "2026-06-20"], "candidate": "2026-06-10"}
    assert found(check(steps)) == {("order", "candidate")}


# --- 延长预备期 ----------------------------------------------------------------------------------------


def test_extension_moves_probation_end_and_the_full_meeting_rule():
    steps = {"admission_meeting": meeting("2024-01-31"), "extension": ext("2025-01-20", months=6,
                                                                             approval="2025-02-10")}
    result = check(steps)
    assert result.probation_end == D("2025-07-31")  # 2024-01-31 + 18 calendar months
    late = {**steps, "full_meeting": meeting("2025-07-30")}
    assert ("full_meeting_after_probation", "full_meeting") in found(check(late))
    assert found(check({**steps, "full_meeting": meeting("2025-07-31")})) == set()
    # without the extension the same 转正 meeting is fine
    assert found(check({"admission_meeting": meeting("2024-01-31"), "full_meeting": meeting("2025-01-31")})) == set()


def test_extension_next_is_full_application_at_the_new_end():
    steps = {"admission_meeting": meeting("2025-07-20"), "approval": "2025-09-01", "oath": "2025-09-10",
             "extension": ext("2026-07-20", months=12, approval="2026-08-01")}
    result = check(steps, as_of="2026-08-02")
    assert [(n.step, n.due) for n in result.next] == [("full_application", D("2027-07-20"))]


def test_extension_awaiting_approval_is_due_within_3_months():
    steps = {"admission_meeting": meeting("2025-07-20"), "oath": "2025-09-10", "extension": ext("2026-07-20")}
    result = check(steps, as_of="2026-08-02")
    assert ("extension", D("2026-10-20")) in [(n.step, n.due) for n in result.next]


def test_extension_is_never_asked_for():
    steps = {"admission_meeting": meeting("2025-07-20"), "oath": "2025-09-10"}
    assert "extension" not in [n.step for n in check(steps, as_of="2026-08-02").next]


def test_extension_fields_are_validated():
    with pytest.raises(TimelineError) as info:
        parse_timeline({"steps": {"extension": {"date": "2026-07-20", "months": "six"}}})
    assert info.value.field == "steps.extension.months"
    with pytest.raises(TimelineError) as info:
        parse_timeline({"steps": {"extension": {"date": "2026-07-20", "approved": "2026-08-01"}}})
    assert info.value.field == "steps.extension.approved"


def test_outcomes_after_an_extension_only_confirm_or_cancel():
    from zhibu.development.rules import ProbationOutcome, probation_options, vote_passed

    assert ProbationOutcome.EXTEND in probation_options(extended=False)
    assert probation_options(extended=True) == (ProbationOutcome.CONFIRM, ProbationOutcome.CANCEL)
    assert vote_passed(12, 7, 7) and not vote_passed(12, 6, 6) and not vote_passed(12, 12, 6)
