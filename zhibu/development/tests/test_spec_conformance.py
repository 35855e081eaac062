"""An independent reading of ../shared/spec/development.md, run through the CLI as an external checker would.

Each rule in the table gets a timeline that breaks it exactly at its boundary and one that just
satisfies it; the assertion is the exact set of (rule, step) pairs in `zhibu develop check - --json`.
Timelines are kept minimal (only the steps a rule reads) so that no other rule, `order` included, fires.

2026 working days (chinesecalendar 1.11.0):
  春节  2026-02-15 .. 02-23 off; 调休 Saturdays 02-14 and 02-28 are working days.
  国庆/中秋  2026-10-01 .. 10-07 off; 调休 Sunday 09-20 and Saturday 10-10 are working days.
"""
import copy
import json
import os
import subprocess
import sys

import pytest

# The interpreter running the tests, so a clone anywhere works (zhibu/__main__.py).
ZHIBU = [sys.executable, "-m", "zhibu"]


def run(timeline, tmp_path, *, raw=None):
    env = dict(os.environ, ZHIBU_DATA_DIR=str(tmp_path / "no-db"), DJANGO_SETTINGS_MODULE="zhibu.settings")
    env.pop("ZHIBU_DATABASE_URL", None)
    data = raw if raw is not None else json.dumps(timeline, ensure_ascii=False)
    return subprocess.run(
        [*ZHIBU, "develop", "check", "-", "--json"], input=data, capture_output=True, text=True,
        env=env, cwd=tmp_path, timeout=120,
    )


def check(timeline, tmp_path):
    proc = run(timeline, tmp_path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def violations(timeline, tmp_path):
    data = check(timeline, tmp_path)
    pairs = [(v["rule"], v["step"]) for v in data["violations"]]
    assert len(pairs) == len(set(pairs)), pairs  # no duplicates
    for v in data["violations"]:
        assert v["message"] and v["source"], v
    return set(pairs)


def tl(steps, *, rules="2026", birth="1990-01-01", as_of="2027-12-31"):
    return {"birth_date": birth, "rules": rules, "as_of": as_of, "steps": copy.deepcopy(steps)}


def meeting(date, should_attend=12, present=9, for_=8, secret_ballot=True, **kw):
    m = {"date": date, "should_attend": should_attend, "present": present, "for": for_,
         "against": present - for_, "abstain": 0, "secret_ballot": secret_ballot}
    m.update(kw)
    return m


# A complete, clean timeline (2026 rules throughout).
FULL = {
    "application": "2024-03-01",
    "application_talk": "2024-03-15",
    "activist": "2024-06-03",
    "activist_filed": "2024-06-10",
    "contacts": {"date": "2024-06-10", "count": 2},
    "assessments": ["2024-12-02", "2025-06-02"],
    "candidate": "2025-06-09",
    "candidate_publicity": {"start": "2025-06-10", "end": "2025-06-16"},  # Tue..Mon: 5 working days
    "candidate_approved": "2025-06-17",
    "sponsors": {"date": "2025-06-18", "count": 2},
    "political_review": "2025-06-20",
    "training": {"start": "2025-06-23", "end": "2025-06-25", "days": 3, "hours": 24},
    "committee_review": "2025-07-01",
    "pre_review": "2025-07-07",
    "application_form": "2025-07-10",
    "admission_meeting": meeting("2025-07-20"),
    "approval_talk": "2025-08-01",
    "approval": "2025-09-01",
    "filed": "2025-09-05",
    "assigned": "2025-09-08",
    "oath": "2025-09-20",
    "full_application": "2026-06-20",
    "full_meeting": meeting("2026-07-20"),
    "full_approval": "2026-08-01",
    "archived": "2026-08-10",
}


def test_full_clean_timeline(tmp_path):
    data = check(tl(FULL, birth="2000-01-01", as_of="2026-11-26"), tmp_path)
    assert data["rules"] == "2026"
    assert data["violations"] == []
    assert data["probation_end"] == "2026-07-20"
    assert set(data) == {"rules", "violations", "probation_end", "next"}


# ---------------------------------------------------------------- age_18

@pytest.mark.parametrize("birth, application, bad", [
    ("2006-03-01", "2024-03-01", False),  # 18th birthday
    ("2006-03-02", "2024-03-01", True),   # one day short
    ("2008-01-01", "2026-06-01", False),
    ("2008-06-02", "2026-06-01", True),
    # born on a leap day: birth + 18 years by the spec's calendar arithmetic (29 Feb → 28 Feb)
    ("2008-02-29", "2026-02-28", False),
    ("2008-02-29", "2026-02-27", True),
])
def test_age_18(tmp_path, birth, application, bad):
    got = violations(tl({"application": application}, birth=birth), tmp_path)
    assert got == ({("age_18", "application")} if bad else set())


def test_age_18_needs_birth_date_and_application(tmp_path):
    # missing input: not reported
    assert violations(tl({"application_talk": "2024-03-01"}, birth="2020-01-01"), tmp_path) == set()


# ---------------------------------------------------------------- talk_within_1_month

@pytest.mark.parametrize("application, talk, bad", [
    ("2024-01-31", "2024-02-29", False),  # leap-year month end
    ("2024-01-31", "2024-03-01", True),
    ("2025-01-31", "2025-02-28", False),
    ("2025-01-31", "2025-03-01", True),
    ("2025-03-15", "2025-04-15", False),
    ("2025-03-15", "2025-04-16", True),
    ("2025-12-31", "2026-01-31", False),  # across the year end
    ("2025-12-31", "2026-02-01", True),
    ("2026-05-31", "2026-06-30", False),
    ("2026-05-31", "2026-07-01", True),
])
def test_talk_within_1_month(tmp_path, application, talk, bad):
    got = violations(tl({"application": application, "application_talk": talk}), tmp_path)
    assert got == ({("talk_within_1_month", "application_talk")} if bad else set())


# ---------------------------------------------------------------- contacts_1_to_2

@pytest.mark.parametrize("count, bad", [(0, True), (1, False), (2, False), (3, True)])
def test_contacts_1_to_2(tmp_path, count, bad):
    got = violations(tl({"contacts": {"date": "2025-01-06", "count": count}}), tmp_path)
    assert got == ({("contacts_1_to_2", "contacts")} if bad else set())


# ---------------------------------------------------------------- activist_min_one_year

@pytest.mark.parametrize("activist, candidate, bad", [
    ("2024-02-29", "2025-02-28", False),  # leap day + 1 year = 2025-02-28
    ("2024-02-29", "2025-02-27", True),
    ("2025-06-03", "2026-06-03", False),
    ("2025-06-03", "2026-06-02", True),
])
def test_activist_min_one_year(tmp_path, activist, candidate, bad):
    got = violations(tl({"activist": activist, "candidate": candidate}), tmp_path)
    assert got == ({("activist_min_one_year", "candidate")} if bad else set())


# ---------------------------------------------------------------- publicity_5_workdays (2026 rules)

@pytest.mark.parametrize("start, end, bad", [
    # 春节 2026: Thu 12, Fri 13, Sat 14 (调休, working), 15..23 off, Tue 24, Wed 25
    ("2026-02-12", "2026-02-24", True),   # 4 working days
    ("2026-02-12", "2026-02-25", False),  # 5
    ("2026-02-13", "2026-02-25", True),   # 13, 14, 24, 25 = 4
    ("2026-02-13", "2026-02-26", False),
    # Sat 2026-02-28 is a 调休 working day, Sun 03-01 is not
    ("2026-02-24", "2026-02-27", True),   # 24..27 = 4
    ("2026-02-24", "2026-02-28", False),  # + Sat 28 = 5
    ("2026-02-25", "2026-03-01", True),   # 25, 26, 27, 28 = 4
    ("2026-02-25", "2026-03-02", False),
    # 国庆 2026: Mon 09-28, Tue 29, Wed 30, Oct 1..7 off, Thu 8, Fri 9, Sat 10 (调休)
    ("2026-09-28", "2026-10-08", True),   # 4
    ("2026-09-28", "2026-10-09", False),  # 5
    ("2026-09-29", "2026-10-09", True),   # 29, 30, 8, 9 = 4
    ("2026-09-29", "2026-10-10", False),  # + Sat 10 (调休) = 5
    ("2026-09-30", "2026-10-11", True),   # 30, 8, 9, 10 = 4 (Sun 11 off)
    ("2026-09-30", "2026-10-12", False),
    # Sun 2026-09-20 is a 调休 working day
    ("2026-09-20", "2026-09-23", True),   # 20, 21, 22, 23 = 4
    ("2026-09-20", "2026-09-24", False),
    # an ordinary week, inclusive counting
    ("2026-06-01", "2026-06-04", True),
    ("2026-06-01", "2026-06-05", False),  # Mon..Fri
    ("2026-06-05", "2026-06-11", False),  # Fri, Mon..Thu
    ("2026-06-06", "2026-06-11", True),   # Sat, Sun off: Mon..Thu = 4
    ("2026-06-15", "2026-06-22", False),  # Mon..Thu, 端午 19..21 off, Mon 22 = 5
    ("2026-06-15", "2026-06-19", True),   # 4
    ("2026-06-15", "2026-06-15", True),   # 1
])
def test_publicity_5_workdays(tmp_path, start, end, bad):
    got = violations(tl({"candidate_publicity": {"start": start, "end": end}}), tmp_path)
    assert got == ({("publicity_5_workdays", "candidate_publicity")} if bad else set())


def test_publicity_5_workdays_not_under_2014(tmp_path):
    steps = {"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-24"}}
    assert violations(tl(steps, rules="2014"), tmp_path) == set()


def test_publicity_5_workdays_with_candidate_around(tmp_path):
    steps = {"activist": "2025-06-03", "candidate": "2026-06-05",
             "candidate_publicity": {"start": "2026-09-28", "end": "2026-10-08"},
             "candidate_approved": "2026-10-09"}
    assert violations(tl(steps), tmp_path) == {("publicity_5_workdays", "candidate_publicity")}


# ---------------------------------------------------------------- publicity_before_approval

@pytest.mark.parametrize("end, approved, bad", [
    ("2026-06-05", "2026-06-05", True),   # same day: not strictly before
    ("2026-06-05", "2026-06-06", False),
])
def test_publicity_before_approval(tmp_path, end, approved, bad):
    steps = {"candidate_publicity": {"start": "2026-06-01", "end": end}, "candidate_approved": approved}
    got = violations(tl(steps), tmp_path)
    assert got == ({("publicity_before_approval", "candidate_approved")} if bad else set())


def test_publicity_before_approval_approved_during_publicity(tmp_path):
    # approval inside the 公示: publicity_before_approval; and candidate_approved before the 公示's end
    steps = {"candidate_publicity": {"start": "2026-06-01", "end": "2026-06-05"}, "candidate_approved": "2026-06-03"}
    got = violations(tl(steps), tmp_path)
    assert ("publicity_before_approval", "candidate_approved") in got


# ---------------------------------------------------------------- sponsors_2

@pytest.mark.parametrize("count, bad", [(0, True), (1, True), (2, False), (3, True)])
def test_sponsors_2(tmp_path, count, bad):
    got = violations(tl({"sponsors": {"date": "2026-06-01", "count": count}}), tmp_path)
    assert got == ({("sponsors_2", "sponsors")} if bad else set())


# ---------------------------------------------------------------- training_min

@pytest.mark.parametrize("days, hours, bad", [
    (3, 0, False),
    (2, 24, False),
    (2, 23, True),
    (3, 24, False),
    (0, 0, True),
    (2.5, 23.5, True),
])
def test_training_min(tmp_path, days, hours, bad):
    steps = {"training": {"start": "2026-06-01", "end": "2026-06-03", "days": days, "hours": hours}}
    got = violations(tl(steps), tmp_path)
    assert got == ({("training_min", "training")} if bad else set())


# ---------------------------------------------------------------- review_before_admission

def _review(pr="2026-06-01", pre="2026-06-10", form="2026-06-15", meeting_date="2026-06-20"):
    return {"political_review": pr, "pre_review": pre, "application_form": form,
            "admission_meeting": meeting(meeting_date)}


def test_review_before_admission_holds(tmp_path):
    assert violations(tl(_review(form="2026-06-19")), tmp_path) == set()


def test_review_before_admission_same_day(tmp_path):
    # 入党志愿书 filled in on the day of the meeting: not "precede"; order is fine (on or after)
    got = violations(tl(_review(form="2026-06-20")), tmp_path)
    assert got == {("review_before_admission", "admission_meeting")}


def test_review_before_admission_missing_review_is_not_reported(tmp_path):
    steps = _review()
    del steps["political_review"]
    assert violations(tl(steps), tmp_path) == set()


# ---------------------------------------------------------------- admission_within_1_month

@pytest.mark.parametrize("pre, meeting_date, bad", [
    ("2026-01-31", "2026-02-28", False),
    ("2026-01-31", "2026-03-01", True),
    ("2024-01-31", "2024-02-29", False),
    ("2024-01-31", "2024-03-01", True),
    ("2026-06-10", "2026-07-10", False),
    ("2026-06-10", "2026-07-11", True),
])
def test_admission_within_1_month(tmp_path, pre, meeting_date, bad):
    got = violations(tl({"pre_review": pre, "admission_meeting": meeting(meeting_date)}), tmp_path)
    assert got == ({("admission_within_1_month", "admission_meeting")} if bad else set())


# ---------------------------------------------------------------- quorum / vote_pass / secret_ballot

@pytest.mark.parametrize("which", ["admission_meeting", "full_meeting"])
@pytest.mark.parametrize("should, present, bad", [
    (12, 6, True), (12, 7, False), (11, 5, True), (11, 6, False), (1, 1, False), (2, 1, True),
])
def test_quorum(tmp_path, which, should, present, bad):
    steps = {which: meeting("2026-07-10", should_attend=should, present=present, for_=present)}
    got = violations(tl(steps), tmp_path)
    # for == present here, so when quorum fails vote_pass fails as well
    expected = {("quorum", which), ("vote_pass", which)} if bad else set()
    assert got == expected


@pytest.mark.parametrize("which", ["admission_meeting", "full_meeting"])
@pytest.mark.parametrize("should, for_, bad", [
    (12, 6, True), (12, 7, False), (11, 5, True), (11, 6, False), (10, 5, True), (10, 6, False),
])
def test_vote_pass(tmp_path, which, should, for_, bad):
    # vote base is should_attend, not present
    steps = {which: meeting("2026-07-10", should_attend=should, present=should, for_=for_)}
    got = violations(tl(steps), tmp_path)
    assert got == ({("vote_pass", which)} if bad else set())


def test_vote_pass_is_of_should_attend_not_present(tmp_path):
    # 7 present of 12, 6 for: a majority of those present but not of 应到
    steps = {"admission_meeting": meeting("2026-07-10", should_attend=12, present=7, for_=6)}
    assert violations(tl(steps), tmp_path) == {("vote_pass", "admission_meeting")}


@pytest.mark.parametrize("which", ["admission_meeting", "full_meeting"])
def test_secret_ballot(tmp_path, which):
    steps = {which: meeting("2026-07-10", secret_ballot=False)}
    assert violations(tl(steps), tmp_path) == {("secret_ballot", which)}
    assert violations(tl(steps, rules="2014"), tmp_path) == set()
    steps[which]["secret_ballot"] = True
    assert violations(tl(steps), tmp_path) == set()


def test_meeting_fields_missing_are_not_reported(tmp_path):
    steps = {"admission_meeting": {"date": "2026-07-10"}}
    assert violations(tl(steps), tmp_path) == set()


def test_both_meetings_each_reported(tmp_path):
    steps = {"admission_meeting": meeting("2025-07-10", should_attend=10, present=5, for_=5, secret_ballot=False),
             "full_meeting": meeting("2026-07-10", should_attend=10, present=6, for_=5, secret_ballot=False)}
    assert violations(tl(steps), tmp_path) == {
        ("quorum", "admission_meeting"), ("vote_pass", "admission_meeting"), ("secret_ballot", "admission_meeting"),
        ("vote_pass", "full_meeting"), ("secret_ballot", "full_meeting"),
    }


# ---------------------------------------------------------------- approval_within_3_months

@pytest.mark.parametrize("meeting_date, approval, bad", [
    ("2025-11-30", "2026-02-28", False),
    ("2025-11-30", "2026-03-01", True),
    ("2023-11-30", "2024-02-29", False),  # leap year
    ("2023-11-30", "2024-03-01", True),
    ("2026-06-10", "2026-09-10", False),
    ("2026-06-10", "2026-09-11", True),
])
def test_approval_within_3_months(tmp_path, meeting_date, approval, bad):
    got = violations(tl({"admission_meeting": meeting(meeting_date), "approval": approval}), tmp_path)
    assert got == ({("approval_within_3_months", "approval")} if bad else set())


# ---------------------------------------------------------------- oath_within_1_month

@pytest.mark.parametrize("approval, oath, bad", [
    ("2024-01-31", "2024-02-29", False),
    ("2024-01-31", "2024-03-01", True),
    ("2026-08-31", "2026-09-30", False),
    ("2026-08-31", "2026-10-01", True),
])
def test_oath_within_1_month(tmp_path, approval, oath, bad):
    got = violations(tl({"approval": approval, "oath": oath}), tmp_path)
    assert got == ({("oath_within_1_month", "oath")} if bad else set())


# ---------------------------------------------------------------- full_meeting_after_probation

@pytest.mark.parametrize("admission, full, bad", [
    ("2024-02-29", "2025-02-28", False),  # probation_end = 2025-02-28
    ("2024-02-29", "2025-02-27", True),
    ("2025-06-30", "2026-06-30", False),
    ("2025-06-30", "2026-06-29", True),
])
def test_full_meeting_after_probation(tmp_path, admission, full, bad):
    data = check(tl({"admission_meeting": meeting(admission), "full_meeting": meeting(full)}), tmp_path)
    got = {(v["rule"], v["step"]) for v in data["violations"]}
    assert got == ({("full_meeting_after_probation", "full_meeting")} if bad else set())


@pytest.mark.parametrize("admission, end", [
    ("2024-02-29", "2025-02-28"),
    ("2023-02-28", "2024-02-28"),
    ("2026-06-30", "2027-06-30"),
    ("2026-12-31", "2027-12-31"),
])
def test_probation_end(tmp_path, admission, end):
    assert check(tl({"admission_meeting": meeting(admission)}), tmp_path)["probation_end"] == end


def test_probation_end_null_without_admission_meeting(tmp_path):
    assert check(tl({"application": "2026-06-01"}), tmp_path)["probation_end"] is None


# ---------------------------------------------------------------- full_approval_within_3_months

@pytest.mark.parametrize("full, approval, bad", [
    ("2025-11-30", "2026-02-28", False),
    ("2025-11-30", "2026-03-01", True),
    ("2027-11-30", "2028-02-29", False),  # beyond chinesecalendar: calendar months only
    ("2027-11-30", "2028-03-01", True),
])
def test_full_approval_within_3_months(tmp_path, full, approval, bad):
    got = violations(tl({"full_meeting": meeting(full), "full_approval": approval}, as_of="2028-06-01"), tmp_path)
    assert got == ({("full_approval_within_3_months", "full_approval")} if bad else set())


# ---------------------------------------------------------------- order

def test_order_same_day_is_fine(tmp_path):
    steps = {"application": "2026-06-01", "application_talk": "2026-06-01", "activist": "2026-06-01"}
    assert violations(tl(steps), tmp_path) == set()


def test_order_violation_is_on_the_later_step(tmp_path):
    steps = {"application": "2026-06-02", "application_talk": "2026-06-01"}
    assert violations(tl(steps), tmp_path) == {("order", "application_talk")}


def test_order_skips_missing_steps(tmp_path):
    # activist_filed .. candidate_approved absent; sponsors compared with activist
    steps = {"activist": "2026-06-10", "sponsors": {"date": "2026-06-09", "count": 2}}
    assert violations(tl(steps), tmp_path) == {("order", "sponsors")}


def test_order_last_steps(tmp_path):
    steps = {"full_approval": "2026-06-10", "archived": "2026-06-09"}
    assert violations(tl(steps), tmp_path) == {("order", "archived")}


def test_order_filed_before_approval(tmp_path):
    steps = {"approval": "2026-06-10", "filed": "2026-06-09"}
    assert violations(tl(steps), tmp_path) == {("order", "filed")}


def test_order_composite_steps_use_their_first_date(tmp_path):
    # 公示 starting before the 支委会 decided the 发展对象; an assessment before the 积极分子 was named
    steps = {"candidate": "2026-06-10", "candidate_publicity": {"start": "2026-06-09", "end": "2026-06-16"}}
    assert violations(tl(steps), tmp_path) == {("order", "candidate_publicity")}
    steps = {"activist": "2025-06-10", "assessments": ["2025-06-09", "2025-12-09"]}
    assert violations(tl(steps), tmp_path) == {("order", "assessments")}


# `order` is a partial order: steps of one stage in any order; each stage after all earlier ones.
def test_order_parallel_stage_4_in_any_order(tmp_path):
    # 培养联系人 and a 考察 before the 备案 of the 积极分子: one stage
    steps = {"activist": "2025-06-03", "contacts": {"date": "2025-06-05", "count": 2},
             "assessments": ["2025-06-08"], "activist_filed": "2025-06-10"}
    assert violations(tl(steps), tmp_path) == set()


def test_order_stage_5_after_every_step_of_stage_4(tmp_path):
    steps = {"activist": "2024-06-03", "activist_filed": "2024-06-10", "contacts": {"date": "2024-06-10", "count": 2},
             "assessments": ["2024-12-03", "2025-06-20"], "candidate": "2025-06-19"}
    assert violations(tl(steps), tmp_path) == {("order", "candidate")}


def test_order_parallel_stage_8_in_any_order(tmp_path):
    steps = {"candidate_approved": "2026-06-15", "training": {"start": "2026-06-16", "end": "2026-06-18", "days": 3},
             "political_review": "2026-06-20", "sponsors": {"date": "2026-06-22", "count": 2},
             "committee_review": "2026-06-22"}
    assert violations(tl(steps), tmp_path) == set()
    steps["committee_review"] = "2026-06-21"
    assert violations(tl(steps), tmp_path) == {("order", "committee_review")}


def test_order_parallel_stage_15_in_any_order(tmp_path):
    steps = {"approval": "2026-08-10", "oath": "2026-08-12", "assigned": "2026-08-20", "filed": "2026-08-15",
             "full_application": "2027-07-01"}
    assert violations(tl(steps), tmp_path) == set()
    steps["oath"] = "2026-08-09"
    assert violations(tl(steps), tmp_path) == {("order", "oath")}


def test_order_extension_between_oath_and_full_application(tmp_path):
    ext = {**meeting("2027-07-10"), "months": 6, "approval": "2027-08-01"}
    steps = {"oath": "2026-08-12", "extension": ext, "full_application": "2027-07-09"}
    assert violations(tl(steps, as_of="2028-06-01"), tmp_path) == {("order", "full_application")}
    steps = {"oath": "2027-07-11", "extension": ext}
    assert violations(tl(steps, as_of="2028-06-01"), tmp_path) == {("order", "extension")}


def test_order_reported_once_naming_the_first_pair(tmp_path):
    steps = {"application": "2026-06-10", "application_talk": "2026-06-09", "activist": "2026-06-08",
             "candidate": "2026-01-01"}
    data = check(tl(steps), tmp_path)
    order = [v for v in data["violations"] if v["rule"] == "order"]
    assert len(order) == 1 and order[0]["step"] == "application_talk"
    assert "党组织派人谈话" in order[0]["message"] and "递交入党申请书" in order[0]["message"]


# ---------------------------------------------------------------- 延长预备期

def ext_meeting(date, months=6, approval=None, **kw):
    m = {**meeting(date, **kw), "months": months}
    if approval:
        m["approval"] = approval
    return m


@pytest.mark.parametrize("months, bad", [(5, True), (6, False), (12, False), (13, True)])
def test_extension_6_to_12_months(tmp_path, months, bad):
    got = violations(tl({"extension": ext_meeting("2027-07-10", months)}, as_of="2028-06-01"), tmp_path)
    assert got == ({("extension_6_to_12_months", "extension")} if bad else set())


@pytest.mark.parametrize("approval, bad", [("2027-02-28", False), ("2027-03-01", True)])
def test_extension_approval_within_3_months(tmp_path, approval, bad):
    got = violations(tl({"extension": ext_meeting("2026-11-30", approval=approval)}, as_of="2028-06-01"), tmp_path)
    assert got == ({("extension_approval_within_3_months", "extension")} if bad else set())


def test_extension_meeting_quorum_vote_and_ballot(tmp_path):
    bad = ext_meeting("2027-07-10", present=6, for_=6, secret_ballot=False)
    got = violations(tl({"extension": bad}, as_of="2028-06-01"), tmp_path)
    assert got == {("quorum", "extension"), ("vote_pass", "extension"), ("secret_ballot", "extension")}


def test_extension_moves_probation_end(tmp_path):
    steps = {"admission_meeting": meeting("2024-01-31"), "extension": ext_meeting("2025-01-20", 6, "2025-02-10")}
    data = check(tl(steps, as_of="2025-03-01"), tmp_path)
    assert data["probation_end"] == "2025-07-31"
    assert data["next"] == [{"step": "full_application", "due": "2025-07-31", "provisional": False}]
    steps["full_meeting"] = meeting("2025-07-30")
    assert violations(tl(steps, as_of="2025-08-01"), tmp_path) == {("full_meeting_after_probation", "full_meeting")}


# ---------------------------------------------------------------- rules selection

def test_rules_explicit_values_are_echoed(tmp_path):
    assert check(tl({}, rules="2014"), tmp_path)["rules"] == "2014"
    assert check(tl({}, rules="2026"), tmp_path)["rules"] == "2026"


def test_auto_before_switch_is_2014(tmp_path):
    steps = {"candidate_publicity": {"start": "2026-02-12", "end": "2026-02-24"},
             "admission_meeting": meeting("2026-05-08", secret_ballot=False)}
    data = check(tl(steps, rules="auto", as_of="2026-05-10"), tmp_path)
    assert data["rules"] == "2014"
    assert data["violations"] == []


def test_auto_on_switch_day_is_2026(tmp_path):
    steps = {"candidate_publicity": {"start": "2026-05-11", "end": "2026-05-14"}}
    data = check(tl(steps, rules="auto", as_of="2026-05-20"), tmp_path)
    assert data["rules"] == "2026"
    assert {(v["rule"], v["step"]) for v in data["violations"]} == {("publicity_5_workdays", "candidate_publicity")}


def test_auto_2026_source(tmp_path):
    steps = {"activist": "2025-06-03", "candidate": "2026-06-01"}
    data = check(tl(steps, rules="auto", as_of="2026-06-10"), tmp_path)
    assert data["rules"] == "2026"
    [v] = data["violations"]
    assert (v["rule"], v["step"], v["source"]) == ("activist_min_one_year", "candidate", "发展党员工作细则(2026) 第13条")


def test_auto_spanning_the_switch_judges_each_step_by_its_date(tmp_path):
    # rules.md: "a candidate whose step happened before 2026-05-11 is judged by the 2014 text".
    # The 公示 (2026-05-06..05-08, 3 working days) and the admission meeting (open vote) are 2014 steps;
    # the 转正 meeting on 2027-05-11 is a 2026 step and must vote by secret ballot.
    steps = {
        "candidate_publicity": {"start": "2026-05-06", "end": "2026-05-08"},
        "candidate_approved": "2026-05-09",
        "pre_review": "2026-05-09",
        "admission_meeting": meeting("2026-05-10", secret_ballot=False),
        "full_meeting": meeting("2027-05-11", secret_ballot=False),
    }
    data = check(tl(steps, rules="auto", as_of="2027-05-12"), tmp_path)
    assert data["rules"] == "2026"
    assert {(v["rule"], v["step"]) for v in data["violations"]} == {("secret_ballot", "full_meeting")}
    assert data["probation_end"] == "2027-05-10"
    # forced 2026 rules judge every step by 2026
    assert violations(tl(steps, rules="2026"), tmp_path) == {
        ("publicity_5_workdays", "candidate_publicity"), ("secret_ballot", "admission_meeting"),
        ("secret_ballot", "full_meeting"),
    }
    # forced 2014 rules: neither rule exists
    assert violations(tl(steps, rules="2014"), tmp_path) == set()


def test_auto_publicity_starting_on_the_switch_day(tmp_path):
    steps = {"candidate_publicity": {"start": "2026-05-11", "end": "2026-05-14"}}  # Mon..Thu = 4
    assert violations(tl(steps, rules="auto"), tmp_path) == {("publicity_5_workdays", "candidate_publicity")}
    steps = {"candidate_publicity": {"start": "2026-05-08", "end": "2026-05-12"}}  # 8, 9 (调休), 11, 12 = 4
    assert violations(tl(steps, rules="auto"), tmp_path) == set()  # started under the 2014 text


def test_auto_all_steps_before_switch_is_2014_whatever_as_of(tmp_path):
    steps = {"application": "2025-03-03", "application_talk": "2025-03-20"}
    assert check(tl(steps, rules="auto", as_of="2026-11-26"), tmp_path)["rules"] == "2014"


def test_missing_birth_date_is_a_missing_input(tmp_path):
    t = tl({"application": "2026-06-01"})
    del t["birth_date"]
    data = check(t, tmp_path)
    assert data["violations"] == []


# ---------------------------------------------------------------- exit codes

def one_line_error(proc):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("timeline, field", [
    ({"birth_date": "1999-02-30", "steps": {}}, "birth_date"),
    ({"birth_date": "1999-4-30", "steps": {}}, "birth_date"),
    ({"birth_date": 19990430, "steps": {}}, "birth_date"),
    ({"birth_date": "1999-04-30", "as_of": "2026/11/26", "steps": {}}, "as_of"),
    ({"birth_date": "1999-04-30", "rules": "2019", "steps": {}}, "rules"),
    ({"birth_date": "1999-04-30", "rules": 2026, "steps": {}}, "rules"),
    ({"birth_date": "1999-04-30", "steps": {"application": "2026-13-01"}}, "application"),
    ({"birth_date": "1999-04-30", "steps": {"contacts": {"date": "2026-06-01", "count": "2"}}}, "count"),
    ({"birth_date": "1999-04-30", "steps": {"assessments": "2026-06-01"}}, "assessments"),
    ({"birth_date": "1999-04-30", "steps": {"assessments": ["2026-06-31"]}}, "assessments"),
    ({"birth_date": "1999-04-30", "steps": {"candidate_publicity": {"start": "2026-06-01", "end": "x"}}}, "end"),
    ({"birth_date": "1999-04-30", "steps": {"admission_meeting": meeting("2026-07-10", secret_ballot="yes")}},
     "secret_ballot"),
    ({"birth_date": "1999-04-30", "steps": {"full_meeting": meeting("2026-07-10", should_attend=-1)}},
     "should_attend"),
    ({"birth_date": "1999-04-30", "steps": []}, "steps"),
    # a span that ends before it starts is not a valid span (implementation's choice; names the field)
    ({"birth_date": "1999-04-30", "steps": {"candidate_publicity": {"start": "2026-06-05", "end": "2026-06-01"}}},
     "candidate_publicity.end"),
    ([], None),
])
def test_invalid_timeline_exits_2(tmp_path, timeline, field):
    line = one_line_error(run(timeline, tmp_path))
    if field:
        assert field in line


def test_non_json_exits_2(tmp_path):
    one_line_error(run(None, tmp_path, raw="{not json"))
    one_line_error(run(None, tmp_path, raw=""))


# ---------------------------------------------------------------- next

def test_next_after_application(tmp_path):
    data = check(tl({"application": "2026-01-31"}, as_of="2026-02-01"), tmp_path)
    assert data["violations"] == []
    assert data["next"][0]["step"] == "application_talk"
    assert data["next"][0]["due"] == "2026-02-28"  # a 调休 Saturday: a working day, nothing rolls
    assert data["next"][0]["provisional"] is False


def test_next_full_application_due_probation_end(tmp_path):
    # the spec's own example: 2026-06-30 + 1 year, not provisional
    steps = {k: v for k, v in FULL.items() if list(FULL).index(k) <= list(FULL).index("oath")}
    steps = copy.deepcopy(steps)
    steps["admission_meeting"]["date"] = "2026-06-30"
    for k in ("approval_talk", "approval", "filed", "assigned", "oath"):
        steps[k] = "2026-07-15"
    for k in ("candidate", "candidate_approved", "sponsors", "political_review", "training", "committee_review",
              "pre_review", "application_form", "candidate_publicity"):
        steps.pop(k)
    data = check(tl(steps, as_of="2026-11-26"), tmp_path)
    assert data["probation_end"] == "2027-06-30"
    assert {"step": "full_application", "due": "2027-06-30", "provisional": False} in data["next"]


def test_next_deadline_in_2027_is_provisional(tmp_path):
    # 2026-11-20 + 3 months = 2027-02-20: a year chinesecalendar does not cover
    data = check(tl({"admission_meeting": meeting("2026-11-20")}, as_of="2026-11-26"), tmp_path)
    assert data["probation_end"] == "2027-11-20"
    assert data["next"] == [
        {"step": "approval_talk", "due": "2027-02-20", "provisional": True},
        {"step": "approval", "due": "2027-02-20", "provisional": True},
    ]


def test_next_deadline_in_2026_is_not_provisional(tmp_path):
    data = check(tl({"admission_meeting": meeting("2026-07-10")}, as_of="2026-07-11"), tmp_path)
    assert data["next"] == [
        {"step": "approval_talk", "due": "2026-10-10", "provisional": False},
        {"step": "approval", "due": "2026-10-10", "provisional": False},
    ]


def test_next_is_the_rule_deadline_itself(tmp_path):
    # the due date is the literal deadline (2026-02-16 is in the Spring Festival: not rolled),
    # and doing the step on it is no violation
    data = check(tl({"application": "2026-01-16"}, as_of="2026-01-20"), tmp_path)
    assert data["next"] == [{"step": "application_talk", "due": "2026-02-16", "provisional": False}]
    assert violations(tl({"application": "2026-01-16", "application_talk": "2026-02-16"}), tmp_path) == set()


@pytest.mark.parametrize("base_key, key, base, value, rule", [
    # deadlines are plain calendar months, not rolled over holidays (development.md's table)
    ("application", "application_talk", "2026-01-16", "2026-02-17", "talk_within_1_month"),  # 02-16 in 春节
    ("approval", "oath", "2026-09-05", "2026-10-06", "oath_within_1_month"),                 # 10-05 in 国庆
    ("approval", "oath", "2025-10-31", "2025-12-01", "oath_within_1_month"),                 # 11-30 a Sunday
])
def test_deadlines_do_not_roll_over_holidays(tmp_path, base_key, key, base, value, rule):
    assert violations(tl({base_key: base, key: value}), tmp_path) == {(rule, key)}


def test_admission_deadline_over_national_day(tmp_path):
    steps = {"pre_review": "2026-09-05", "admission_meeting": meeting("2026-10-06")}
    assert violations(tl(steps), tmp_path) == {("admission_within_1_month", "admission_meeting")}
    steps["admission_meeting"]["date"] = "2026-10-05"
    assert violations(tl(steps), tmp_path) == set()


@pytest.mark.parametrize("training", [
    {"start": "2026-06-01", "days": 2},
    {"start": "2026-06-01", "hours": 16},
    {"start": "2026-06-01", "end": "2026-06-02"},
])
def test_training_min_with_a_measure_missing_is_not_reported(tmp_path, training):
    assert violations(tl({"training": training}), tmp_path) == set()


def test_training_min_one_measure_enough(tmp_path):
    assert violations(tl({"training": {"days": 3}}), tmp_path) == set()
    assert violations(tl({"training": {"hours": 24}}), tmp_path) == set()


def test_as_of_defaults_to_today(tmp_path):
    t = tl({"application": "2026-06-01"})
    del t["as_of"]
    proc = run(t, tmp_path)
    assert proc.returncode == 0, proc.stderr
