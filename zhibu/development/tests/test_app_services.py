"""Services: opening a file, recording steps, blocking and overrides, links, tally, quota (database)."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core.models import AuditEntry
from zhibu.development import services, timeline
from zhibu.development.models import AnnualQuota, Candidate, Link, Override, StepRecord
from zhibu.orgs.models import Person, Standing
from zhibu.workdays.calendar import WorkdayCalendar

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
CAL = WorkdayCalendar()


def person(cast, name="陈老师"):
    return next(p for p in cast.people if p.name == name)


def full(cast, n):
    return [p for p in cast.people if p.standing == Standing.FULL][:n]


def open_(cast, date="2025-03-03", **kw):
    return services.open_file(actor=cast.secretary, branch=cast.branch, person=person(cast), application_date=D(date),
                              calendar=CAL, **kw)


def rec(cast, c, step, date, **kw):
    return services.record_step(actor=cast.secretary, candidate=c, step=step, date=D(date), calendar=CAL,
                                as_of=D("2026-11-26"), **kw)


def walk_to_candidate(cast):
    c = open_(cast)
    rec(cast, c, "application_talk", "2025-03-20")
    rec(cast, c, "activist", "2025-04-10")
    rec(cast, c, "activist_filed", "2025-04-20")
    rec(cast, c, "contacts", "2025-04-20", people=full(cast, 2))
    services.record_assessment(actor=cast.secretary, candidate=c, date=D("2025-10-10"), calendar=CAL)
    rec(cast, c, "candidate", "2026-09-21")
    return c


def test_open_file_records_the_application_and_audits(cast):
    c = open_(cast)
    assert c.stage == 1 and c.last_step == "application"
    assert StepRecord.objects.get(candidate=c).date == D("2025-03-03")
    assert Person.objects.get(pk=c.person_id).standing == Standing.APPLICANT
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"development.open_file", "development.record_step"} <= actions
    with pytest.raises(ValidationError) as exc:
        open_(cast)
    assert exc.value.code == "file_exists"


def test_members_cannot_open_a_file(cast):
    with pytest.raises(ValidationError) as exc:
        services.open_file(actor=cast.secretary, branch=cast.branch, person=cast.member_person,
                           application_date=D("2025-03-03"), calendar=CAL)
    assert exc.value.code == "already_member"


def test_under_18_is_blocked_then_overridden_with_reason(cast):
    p = person(cast)
    p.birth_date = D("2008-06-01")
    p.id_number = ""  # (a birth date that disagrees with the ID number is refused by orgs)
    p.save()
    with pytest.raises(services.StepBlocked) as exc:
        open_(cast, "2025-03-03")
    assert exc.value.violations[0].rule == "age_18"
    assert "发展党员工作细则(2014) 第5条" in exc.value.messages[0]
    assert not Candidate.objects.exists()  # rolled back with the refused step
    c = open_(cast, "2025-03-03", override_reason="上级党委同意提前受理")
    o = Override.objects.get(candidate=c)
    assert (o.rule, o.step, o.reason) == ("age_18", "application", "上级党委同意提前受理")
    assert AuditEntry.objects.filter(action="development.override").count() == 1


def test_activist_standing_and_contacts_must_be_full_members(cast):
    c = open_(cast)
    rec(cast, c, "activist", "2025-04-10")
    assert Person.objects.get(pk=c.person_id).standing == Standing.ACTIVIST
    probationary = person(cast, "郑预备")
    with pytest.raises(ValidationError) as exc:
        rec(cast, c, "contacts", "2025-04-20", people=[probationary])
    assert exc.value.code == "link_not_full_member"
    with pytest.raises(ValidationError) as exc:
        rec(cast, c, "contacts", "2025-04-20", people=full(cast, 3))
    assert exc.value.code == "contacts_1_to_2"
    with pytest.raises(ValidationError) as exc:
        rec(cast, c, "contacts", "2025-04-20", people=[cast.outsider_person])
    assert exc.value.code == "link_not_in_branch"
    rec(cast, c, "contacts", "2025-04-20", people=full(cast, 2))
    assert Link.objects.filter(candidate=c, role="contact").count() == 2
    rec(cast, c, "contacts", "2025-04-21", people=full(cast, 1))  # corrected: one contact
    assert list(Link.objects.filter(candidate=c).values_list("person_id", flat=True)) == [full(cast, 1)[0].pk]
    tl = timeline.build(Candidate.objects.get(pk=c.pk))
    assert tl["steps"]["contacts"] == {"date": "2025-04-21", "count": 1}


def test_candidate_too_early_is_blocked_with_source(cast):
    c = open_(cast)
    rec(cast, c, "activist", "2025-06-03")
    with pytest.raises(services.StepBlocked) as exc:
        rec(cast, c, "candidate", "2026-06-01")
    v = exc.value.violations[0]
    assert v.rule == "activist_min_one_year" and v.source == "发展党员工作细则(2026) 第13条"
    assert not StepRecord.objects.filter(candidate=c, step="candidate").exists()


def test_short_publicity_over_national_day_is_blocked_and_fixed(cast):
    c = walk_to_candidate(cast)
    with pytest.raises(services.StepBlocked) as exc:
        rec(cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-09"))
    assert [v.rule for v in exc.value.violations] == ["publicity_5_workdays"]
    assert "仅 4 个工作日" in exc.value.violations[0].message
    rec(cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-10"))  # 10-10 is a make-up working day
    rec(cast, c, "candidate_approved", "2026-10-12")
    c.refresh_from_db()
    assert c.stage == 3 and c.open_violations == 0


def test_upstream_violation_blocks_later_steps_until_overridden(cast):
    c = walk_to_candidate(cast)
    rec(cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-09"), override_reason="已报上级同意")
    rec(cast, c, "candidate_approved", "2026-10-12")  # the override covers it
    assert Override.objects.filter(candidate=c, rule="publicity_5_workdays").exists()
    # an approval before the publicity ended blocks the step itself
    c2_person = person(cast, "冯积极")
    c2 = services.open_file(actor=cast.secretary, branch=cast.branch, person=c2_person,
                            application_date=D("2025-03-03"), calendar=CAL)
    rec(cast, c2, "activist", "2025-04-10")
    rec(cast, c2, "candidate", "2026-09-21")
    rec(cast, c2, "candidate_publicity", "2026-09-21", end_date=D("2026-09-28"))
    with pytest.raises(services.StepBlocked) as exc:
        rec(cast, c2, "candidate_approved", "2026-09-25")
    assert {v.rule for v in exc.value.violations} == {"publicity_before_approval"}


def test_sponsors_must_be_two(cast):
    c = walk_to_candidate(cast)
    with pytest.raises(ValidationError) as exc:
        rec(cast, c, "sponsors", "2026-10-12", people=full(cast, 1))
    assert exc.value.code == "sponsors_2"


def ready(cast):
    """Every step before the admission vote recorded."""
    c = walk_to_candidate(cast)
    rec(cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-10"))
    rec(cast, c, "candidate_approved", "2026-10-12")
    rec(cast, c, "sponsors", "2026-10-12", people=full(cast, 2))
    rec(cast, c, "political_review", "2026-10-13")
    rec(cast, c, "training", "2026-10-14", end_date=D("2026-10-16"), training_days=3)
    rec(cast, c, "committee_review", "2026-10-19")
    rec(cast, c, "pre_review", "2026-10-20")
    rec(cast, c, "application_form", "2026-10-21")
    return c


def admitted(cast, votes_for=8, present=9, should=12):
    c = ready(cast)
    outcome = services.enter_tally(actor=cast.secretary, candidate=c, meeting="admission_meeting", date=D("2026-10-28"),
                                   should_attend=should, present=present, votes_for=votes_for,
                                   against=present - votes_for, abstain=0, calendar=CAL)
    return c, outcome


def test_tally_passes_and_approval_makes_a_probationary_member(cast):
    c, outcome = admitted(cast)
    assert outcome["passed"] is True and outcome["label"] == "通过"
    rec(cast, c, "approval_talk", "2026-11-05")
    rec(cast, c, "approval", "2026-11-10")
    p = Person.objects.get(pk=c.person_id)
    assert p.standing == Standing.PROBATIONARY and p.admitted_on == D("2026-10-28")
    c.refresh_from_db()
    assert c.stage == 4


def test_failed_vote_is_recorded_and_blocks_approval(cast):
    c, outcome = admitted(cast, votes_for=6, present=9, should=12)  # 6 is not more than half of 12
    assert outcome["passed"] is False
    assert StepRecord.objects.get(candidate=c, step="admission_meeting").votes_for == 6
    with pytest.raises(ValidationError) as exc:  # not even with the secretary's override: a vote decides
        rec(cast, c, "approval", "2026-11-10", override_reason="上级同意")
    assert exc.value.code == "meeting_failed"
    assert Person.objects.get(pk=c.person_id).standing == Standing.CANDIDATE


def test_open_ballot_is_blocked_under_2026_rules(cast):
    c = ready(cast)
    with pytest.raises(services.StepBlocked) as exc:
        services.enter_tally(actor=cast.secretary, candidate=c, meeting="admission_meeting", date=D("2026-10-28"),
                             should_attend=12, present=10, votes_for=10, against=0, abstain=0, secret_ballot=False,
                             calendar=CAL)
    assert "secret_ballot" in {v.rule for v in exc.value.violations}


def test_tally_counts_are_validated_and_constrained(cast):
    c = ready(cast)
    with pytest.raises(ValidationError) as exc:
        services.enter_tally(actor=cast.secretary, candidate=c, meeting="admission_meeting", date=D("2026-10-28"),
                             should_attend=12, present=5, votes_for=5, against=1, abstain=0, calendar=CAL)
    assert exc.value.code == "votes_above_present"
    with pytest.raises(IntegrityError), transaction.atomic():
        StepRecord.objects.create(candidate=c, step="full_meeting", date=D("2027-11-01"), should_attend=3, present=5)


def test_thought_reports_assessments_quota_and_frequency(cast):
    c = open_(cast)
    services.record_thought_report(actor=cast.secretary, candidate=c, received_on=D("2025-06-30"))
    with pytest.raises(ValidationError):
        services.record_thought_report(actor=cast.secretary, candidate=c, received_on=D("2025-06-30"))
    services.set_quota(actor=cast.secretary, branch=cast.branch, year=2026, planned=2)
    services.set_quota(actor=cast.secretary, branch=cast.branch, year=2026, planned=3)
    assert AnnualQuota.objects.get(branch=cast.branch, year=2026).planned == 3
    assert services.thought_report_months(cast.branch) == 3
    services.set_thought_report_months(actor=cast.secretary, branch=cast.branch, months=2)
    cast.branch.refresh_from_db()
    assert services.thought_report_months(cast.branch) == 2
    with pytest.raises(ValidationError):
        services.set_thought_report_months(actor=cast.secretary, branch=cast.branch, months=0)


def test_timeline_builder_matches_the_cli_shape(cast):
    c, _ = admitted(cast)
    c = Candidate.objects.get(pk=c.pk)
    tl = timeline.build(c)
    assert tl["steps"]["candidate_publicity"] == {"start": "2026-09-29", "end": "2026-10-10"}
    assert tl["steps"]["training"] == {"start": "2026-10-14", "end": "2026-10-16", "days": 3, "hours": None}
    assert tl["steps"]["admission_meeting"]["for"] == 8
    assert tl["steps"]["assessments"] == ["2025-10-10"]
    from zhibu.development.rules import check_timeline

    result = check_timeline(tl, calendar=CAL, as_of=D("2026-11-26"))
    assert result.violations == ()
    assert result.probation_end == D("2027-10-28")
