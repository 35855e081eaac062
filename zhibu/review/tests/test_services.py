"""The review cycle: opening with the district's cap, stricter caps only, exclusions, grades, the checks
of review.md at finalising (the same rule functions), locking, vetoes, follow-ups, documents."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhibu.core import clock
from zhibu.core.documents import RECORD, checks
from zhibu.core.models import AuditEntry
from zhibu.review import documents, rules, selectors, services, yearend
from zhibu.review.models import Grade, Review, Step
from zhibu.review.tests.helpers import gradable, issue, make_review


def codes_of(exc) -> set[str]:
    return {e.code for e in exc.error_list} if hasattr(exc, "error_list") else {
        e.code for errs in exc.error_dict.values() for e in errs}


def test_open_takes_the_district_default_cap_and_makes_the_checklist(cast):
    review = make_review(cast)
    assert (review.cap_ratio, review.rounding) == ("1/3", "floor")
    assert [s.code for s in selectors.steps_of(review)] == list(rules.STEP_CODES)
    assert review.deadline == dt.date(review.year, 12, 31)
    assert AuditEntry.objects.filter(action="review.open").count() == 1
    with pytest.raises(ValidationError) as exc:
        make_review(cast)
    assert codes_of(exc.value) == {"duplicate"}


def test_district_default_is_data_per_district(cast):
    cast.district.settings = {"review_cap": "20%", "review_rounding": "round", "review_deadline": "11-30"}
    cast.district.save()
    review = make_review(cast)
    assert (review.cap_ratio, review.rounding, review.deadline.month) == ("20%", "round", 11)


def test_branch_may_set_a_stricter_cap_never_a_looser_one(cast):
    review = make_review(cast, cap_ratio="10%")
    assert review.cap_ratio == "10%"
    for bad in ("1/2", "", "abc"):
        with pytest.raises(ValidationError):
            services.update_settings(actor=cast.secretary, review=review, held_on=review.held_on, cap_ratio=bad,
                                     rounding="floor")
    with pytest.raises(ValidationError) as exc:
        services.update_settings(actor=cast.secretary, review=review, held_on=review.held_on, cap_ratio="1/3",
                                 rounding="ceil")
    assert codes_of(exc.value) == {"rounding_looser"}


def test_with_orglife_links_that_meetings_cycle(cast):
    from zhibu.orglifemeeting.tests.access_cases import make_cycle

    cycle = make_cycle(cast, planned=clock.today().replace(month=12, day=10))
    with pytest.raises(ValidationError):
        make_review(cast, with_orglife=True)
    review = make_review(cast, with_orglife=True, orglife_cycle=cycle)
    assert review.orglife_cycle == cycle


def test_excluded_and_probationary_members_get_no_grade_and_leave_the_base(cast):
    review = make_review(cast)
    members = gradable(cast)
    services.exclude(actor=cast.secretary, review=review, person=members[7], reason="abroad", note="上级同意")
    summary = selectors.summary(review)
    assert summary.result.base == 7 and summary.result.excellent_max == 2
    probationary = next(p for p in cast.people if p.standing == "probationary")
    for person, code in ((members[7], "excluded_graded"), (probationary, "probationary_graded")):
        with pytest.raises(ValidationError) as exc:
            services.save_grades(actor=cast.secretary, review=review, grades={person.pk: "合格"})
        assert codes_of(exc.value) == {code}
    with pytest.raises(ValidationError):
        services.exclude(actor=cast.secretary, review=review, person=members[0], reason="holiday")


def test_finalise_is_refused_while_a_check_fails_then_audited_and_locked(cast):
    review = make_review(cast)
    members = gradable(cast)
    services.exclude(actor=cast.secretary, review=review, person=members[7], reason="illness")
    grades = {p.pk: ("优秀" if i < 3 else "合格") for i, p in enumerate(members[:7])}
    services.save_grades(actor=cast.secretary, review=review, grades=grades)
    with pytest.raises(ValidationError) as exc:
        services.finalise(actor=cast.secretary, review=review)
    assert codes_of(exc.value) == {"excellent_cap"}
    services.save_grades(actor=cast.secretary, review=review, grades={members[2].pk: ""})
    with pytest.raises(ValidationError) as exc:
        services.finalise(actor=cast.secretary, review=review)
    assert codes_of(exc.value) == {"missing_grade"}
    services.save_grades(actor=cast.secretary, review=review, grades={members[2].pk: "合格"})
    services.finalise(actor=cast.secretary, review=review)
    review.refresh_from_db()
    assert review.finalised_at is not None
    assert AuditEntry.objects.filter(action="review.finalise").count() == 1
    for call in (
        lambda: services.save_grades(actor=cast.secretary, review=review, grades={members[3].pk: "优秀"}),
        lambda: services.exclude(actor=cast.secretary, review=review, person=members[3], reason="illness"),
        lambda: services.issue_codes(actor=cast.secretary, review=review, count=3),
        lambda: services.finalise(actor=cast.secretary, review=review),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert "finalised" in codes_of(exc.value)


def test_finalise_waits_for_the_poll_to_close(cast):
    review = make_review(cast)
    issue(cast, review, 2)
    services.save_grades(actor=cast.secretary, review=review, grades={p.pk: "合格" for p in gradable(cast)})
    with pytest.raises(ValidationError) as exc:
        services.finalise(actor=cast.secretary, review=review)
    assert codes_of(exc.value) == {"poll_open"}
    services.close_poll(actor=cast.secretary, review=review)
    services.finalise(actor=cast.secretary, review=review)


def test_the_web_checks_are_the_command_checks(cast):
    """selectors.summary feeds rules.check, the function `zhibu review check` runs."""
    review = make_review(cast)
    members = gradable(cast)
    services.save_grades(actor=cast.secretary, review=review, grades={members[0].pk: "优秀", members[1].pk: "优秀",
                                                                    members[2].pk: "优秀"})
    summary = selectors.summary(review)
    data = {"cap": {"ratio": review.cap_ratio, "rounding": review.rounding},
            "members": [{"id": r.person.pk, "status": r.status, "excluded": r.excluded, "grade": r.grade}
                        for r in summary.rows]}
    assert rules.check_input(data).to_json() == summary.result.to_json()


def test_a_vetoed_member_cannot_be_excellent(cast, monkeypatch):
    review = make_review(cast)
    member = gradable(cast)[4]
    monkeypatch.setattr(selectors, "vetoes", lambda branch, year: {member.pk: "师德失范，一票否决"})
    rows = selectors.rows_of(review, with_vetoes=True)
    assert next(r for r in rows if r.person.pk == member.pk).veto == "师德失范，一票否决"
    with pytest.raises(ValidationError) as exc:
        services.save_grades(actor=cast.secretary, review=review, grades={member.pk: "优秀"})
    assert "师德失范" in exc.value.messages[0]
    services.save_grades(actor=cast.secretary, review=review, grades={member.pk: "合格"})


def _finalised_with_basic(cast):
    review = make_review(cast)
    members = gradable(cast)
    grades = {p.pk: "合格" for p in members}
    grades[members[5].pk] = "基本合格"
    grades[members[6].pk] = "不合格"
    services.save_grades(actor=cast.secretary, review=review, grades=grades)
    services.finalise(actor=cast.secretary, review=review)
    return review, members


def test_followups_of_basic_and_unqualified(cast):
    review, members = _finalised_with_basic(cast)
    today = clock.today()
    with pytest.raises(ValidationError):
        services.save_followup(actor=cast.secretary, review=review, person=members[0], action="criticism")
    with pytest.raises(ValidationError) as exc:
        services.save_followup(actor=cast.secretary, review=review, person=members[5], action="correct",
                               deadline=today + dt.timedelta(days=400), help_plan="结对帮扶")
    assert codes_of(exc.value) == {"deadline_too_long"}
    with pytest.raises(ValidationError) as exc:
        services.save_followup(actor=cast.secretary, review=review, person=members[5], action="correct",
                               deadline=today + dt.timedelta(days=180))
    assert codes_of(exc.value) == {"help_plan_required"}
    item = services.save_followup(actor=cast.secretary, review=review, person=members[5], action="correct",
                                  deadline=today + dt.timedelta(days=180), help_plan="支委结对帮扶，每月谈心",
                                  negatives=[rules.DEFAULT_NEGATIVES[3]])
    assert item.deadline and item.negatives == [rules.DEFAULT_NEGATIVES[3]]
    with pytest.raises(ValidationError) as exc:
        services.save_followup(actor=cast.secretary, review=review, person=members[5], action="correct",
                               deadline=today, help_plan="x", negatives=["不在清单上的情形"])
    assert codes_of(exc.value) == {"negative_invalid"}
    with pytest.raises(ValidationError) as exc:
        services.save_followup(actor=cast.secretary, review=review, person=members[6], action="expel", done_on=today)
    assert codes_of(exc.value) == {"vote_required"}


def test_negatives_checklist_is_district_data(cast):
    cast.district.settings = {"review_negatives": ["本区自定的负面情形"]}
    cast.district.save()
    review, members = _finalised_with_basic(cast)
    services.save_followup(actor=cast.secretary, review=review, person=members[5], action="criticism",
                           negatives=["本区自定的负面情形"])


def test_expel_proposal_is_decided_by_an_orglife_congress_vote(cast):
    from zhibu.orglife import services as orglife_services
    from zhibu.orglife.models import MeetingKind

    review, members = _finalised_with_basic(cast)
    now = clock.now()
    meeting = orglife_services.create_meeting(actor=cast.secretary, branch=cast.branch,
                                              kind=MeetingKind.PARTY_CONGRESS, starts_at=now - dt.timedelta(hours=2),
                                              ends_at=now - dt.timedelta(hours=1), topic="讨论除名意见")
    orglife_services.record_attendance(actor=cast.secretary, meeting=meeting, entries=[
        {"person_id": p.pk, "status": "present"} for p in members])
    motion = orglife_services.add_motion(actor=cast.secretary, meeting=meeting, title="关于给予除名处置的表决",
                                         votes_for=6, votes_against=1, votes_abstain=0)
    item = services.save_followup(actor=cast.secretary, review=review, person=members[6], action="expel",
                                  motion=motion, done_on=clock.today())
    assert item.motion.passed == motion.passed
    assert motion in selectors.congress_motions(cast.branch, review.year)


def test_documents_pass_the_document_checks(cast):
    review, members = _finalised_with_basic(cast)
    summary = selectors.summary(review)
    report = documents.report_docx(review, summary, selectors.followups_of(review), upper_name=cast.district.name)
    notice = documents.notice_docx(review, summary)
    form = documents.form_docx(review, summary, filled=False)
    for content in (report, notice):
        assert checks.problems(content) == []
    assert checks.problems(form, kind=RECORD) == []
    slips = documents.slips_docx(review, [("member", "ABCD2345")], lambda code: f"https://zhibu.example.cn/vote/k/?c={code}")
    assert checks.problems(slips, kind=RECORD) == []
    text = checks.text_of(report)
    assert "基本合格1名" in text and "不合格1名" in text and "不超过2名" in text
    files = dict(yearend.documents(cast.branch, review.year))
    assert set(files) == {f"{review.year}年度民主评议党员情况报告.docx", f"{review.year}年度优秀党员公示.docx"}
    assert yearend.documents(cast.other_branch, review.year) == []


def test_eligibility_hook_vetoes_basic_and_unqualified_of_a_finalised_review(cast):
    from zhibu.review import eligibility

    review, members = _finalised_with_basic(cast)
    vetoes = eligibility.vetoes(cast.branch, review.year)
    assert set(vetoes) == {members[5].pk, members[6].pk}
    assert "基本合格" in vetoes[members[5].pk]


def test_reminders(cast):
    from zhibu.review import reminders

    review = make_review(cast)
    later = review.held_on + dt.timedelta(days=40)
    keys = {r.key for r in reminders.collect(later)}
    assert f"review:step:{review.pk}:study" in keys and f"review:deadline:{review.pk}" in keys


def test_self_assessment_by_the_member_text_or_file(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    review = make_review(cast)
    item = services.save_self_assessment(actor=cast.member, review=review, person=cast.member_person,
                                         text="对照党员标准，查找差距")
    assert item.text
    with pytest.raises(ValidationError):
        services.save_self_assessment(actor=cast.member, review=review, person=cast.member_person,
                                      upload=SimpleUploadedFile("a.pdf", b"not a pdf"))
    with pytest.raises(ValidationError):
        services.save_self_assessment(actor=cast.member, review=review, person=cast.outsider_person, text="x")
