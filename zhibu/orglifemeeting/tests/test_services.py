import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orglife import services as orglife_services
from zhibu.orglifemeeting import rules, selectors, services
from zhibu.orglifemeeting.models import Cycle, Material, Problem, Step
from zhibu.orglifemeeting.tests.access_cases import PNG, make_cycle
from zhibu.orglifemeeting.tests.helpers import all_talks_but, committee, complete_materials_and_steps, ready_cycle, talk
from zhibu.rectify.models import Item

pytestmark = pytest.mark.django_db


def code_of(exc_info) -> str:
    err = exc_info.value
    if hasattr(err, "error_dict"):
        return next(iter(err.error_dict.values()))[0].code
    return err.error_list[0].code


def test_start_cycle_creates_checklist_due_by_the_request_date(cast):
    planned = clock.today() + dt.timedelta(days=30)
    cycle = make_cycle(cast, planned=planned, request_days=10)
    assert cycle.request_due == planned - dt.timedelta(days=10)
    assert sorted(Step.objects.filter(cycle=cycle).values_list("code", flat=True)) == sorted(rules.STEP_CODES)
    assert set(Step.objects.filter(cycle=cycle).values_list("due", flat=True)) == {cycle.request_due}
    assert AuditEntry.objects.filter(object_type="orglifemeeting.Cycle", action="create").count() == 1


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"term": 1, "planned": dt.date(clock.today().year, 11, 1)}, "date_outside_term"),
        ({"request_days": 61}, "request_days_invalid"),
        ({"required_steps": ["nope"]}, "setting_invalid"),
        ({"readings": []}, "setting_invalid"),
        ({"planned": dt.date(clock.today().year + 3, 1, 1)}, "year_implausible"),
    ],
)
def test_start_cycle_refuses_bad_settings(cast, kwargs, code):
    with pytest.raises(ValidationError) as exc:
        make_cycle(cast, **kwargs)
    assert code_of(exc) == code
    assert not Cycle.objects.exists()


def test_one_cycle_per_term(cast):
    cycle = make_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        make_cycle(cast, planned=cycle.planned_date)
    assert code_of(exc) == "duplicate"


def test_not_a_branch(cast):
    with pytest.raises(ValidationError) as exc:
        services.start_cycle(
            actor=cast.district_admin,
            branch=cast.district,
            year=clock.today().year,
            topic="x",
            planned_date=clock.today(),
        )
    assert code_of(exc) == "not_branch"


def test_coverage_lists_exactly_the_missing_pairs(cast):
    cycle = make_cycle(cast)
    missing_pairs = all_talks_but(cast, skip=2)
    cov = selectors.coverage(cycle)
    assert sorted(n.pair for n in cov.missing) == sorted(tuple(sorted((a.pk, b.pk))) for a, b in missing_pairs)
    assert {frozenset(pair) for pair in cov.missing_named} == {frozenset((a.name, b.name)) for a, b in missing_pairs}
    for a, b in missing_pairs:
        talk(cast, a, b)
    assert selectors.coverage(cycle).complete


def test_coverage_reading_is_configurable(cast):
    cycle = make_cycle(cast, readings=[rules.COMMITTEE_PAIRS])
    assert len(selectors.coverage(cycle).needs) == 3
    cycle = services.update_cycle(
        actor=cast.secretary,
        cycle=cycle,
        topic=cycle.topic,
        planned_date=cycle.planned_date,
        readings=[rules.MEMBER_MEMBER],
    )
    cov = selectors.coverage(cycle)
    assert {n.reading for n in cov.needs} == {rules.MEMBER_MEMBER} and len(cov.needs) == len(cov.people)


def test_last_years_talks_do_not_count(cast):
    cycle = make_cycle(cast, readings=[rules.COMMITTEE_PAIRS])
    c = committee(cast)
    talk(cast, c[0], c[1], on=dt.date(cycle.year - 1, 12, 1))
    assert len(selectors.coverage(cycle).missing) == 3


def test_ready_refused_while_required_steps_open(cast):
    cycle = make_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        services.mark_ready(actor=cast.secretary, cycle=cycle)
    assert code_of(exc) == "steps_open"
    assert "谈心谈话" in exc.value.messages[0]
    all_talks_but(cast, skip=1)
    complete_materials_and_steps(cast, cycle)
    with pytest.raises(ValidationError):
        services.mark_ready(actor=cast.secretary, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.ready_at is None


def test_which_steps_are_required_is_configurable(cast):
    cycle = make_cycle(cast, required_steps=[rules.REQUEST])
    services.update_step(actor=cast.secretary, cycle=cycle, code=rules.REQUEST, done_on=clock.today())
    assert services.mark_ready(actor=cast.secretary, cycle=cycle).ready_at is not None


def test_derived_step_cannot_be_marked_by_hand(cast):
    cycle = make_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        services.update_step(actor=cast.secretary, cycle=cycle, code=rules.TALKS, done_on=clock.today())
    assert code_of(exc) == "derived_step"
    with pytest.raises(ValidationError) as exc:
        services.update_step(actor=cast.secretary, cycle=cycle, code=rules.STUDY, owner=cast.outsider_person)
    assert code_of(exc) == "person_foreign"
    with pytest.raises(ValidationError) as exc:
        services.update_step(
            actor=cast.secretary, cycle=cycle, code=rules.STUDY, done_on=clock.today() + dt.timedelta(days=1)
        )
    assert code_of(exc) == "date_in_future"


def test_step_owner_and_due_are_audited(cast):
    cycle = make_cycle(cast)
    services.update_step(
        actor=cast.secretary, cycle=cycle, code=rules.OPINIONS, owner=cast.committee_person, due=cycle.planned_date
    )
    step = Step.objects.get(cycle=cycle, code=rules.OPINIONS)
    assert step.owner == cast.committee_person
    assert AuditEntry.objects.filter(action="orglifemeeting.step").exists()


def test_material_rules(cast):
    cycle = make_cycle(cast)
    member = cast.people[4]
    with pytest.raises(ValidationError) as exc:
        services.save_material(
            actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_MEMBER_REVIEW, person=member, text="x"
        )
    assert code_of(exc) == "not_committee"
    with pytest.raises(ValidationError) as exc:
        services.save_material(actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_SELF, person=member, text="  ")
    assert code_of(exc) == "material_empty"
    with pytest.raises(ValidationError) as exc:
        services.save_material(
            actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_SELF, person=cast.people[10], text="x"
        )
    assert code_of(exc) == "not_member"
    bad = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.save_material(actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_SELF, person=member, upload=bad)
    assert code_of(exc) == "file_type"
    fake = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.save_material(actor=cast.secretary, cycle=cycle, kind=rules.MATERIAL_SELF, person=member, upload=fake)
    assert code_of(exc) == "file_invalid"
    assert not Material.objects.exists()
    photo = SimpleUploadedFile("照片.png", PNG, content_type="image/png")
    m = services.save_material(actor=cast.member, cycle=cycle, kind=rules.MATERIAL_SELF, person=member, upload=photo)
    assert m.file and m.content_type == "image/png"
    again = services.save_material(
        actor=cast.member, cycle=cycle, kind=rules.MATERIAL_SELF, person=member, text="改为文字"
    )
    assert again.pk == m.pk and Material.objects.count() == 1


def test_opinion(cast):
    cycle = make_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        services.add_opinion(actor=cast.member, cycle=cycle, text=" ")
    assert code_of(exc) == "opinion_empty"
    services.add_opinion(actor=cast.member, cycle=cycle, text="希望多开展业务学习")
    assert cycle.opinions.count() == 1


def _meeting(cast, day=None):
    day = day or clock.today() - dt.timedelta(days=1)
    start = dt.datetime.combine(day, dt.time(15), tzinfo=clock.TZ)
    return orglife_services.create_meeting(
        actor=cast.secretary,
        branch=cast.branch,
        kind="org_life_meeting",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        topic="组织生活会",
    )


def test_record_meeting_needs_ready_and_own_meeting(cast):
    cycle = make_cycle(cast)
    meeting = _meeting(cast)
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(actor=cast.secretary, cycle=cycle, meeting=meeting, format="party_congress")
    assert code_of(exc) == "not_ready"
    Cycle.objects.filter(pk=cycle.pk).delete()
    cycle = ready_cycle(cast)
    other = _meeting(cast)
    other.kind = "theme_day"
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(actor=cast.secretary, cycle=cycle, meeting=other, format="party_congress")
    assert code_of(exc) == "meeting_foreign"
    with pytest.raises(ValidationError) as exc:
        services.record_meeting(actor=cast.secretary, cycle=cycle, meeting=meeting, format="x")
    assert code_of(exc) == "format_invalid"
    services.record_meeting(
        actor=cast.secretary,
        cycle=cycle,
        meeting=meeting,
        format="committee_meeting",
        secretary_report="报告",
        upper_attendee="区委组织部张部长",
    )
    cycle.refresh_from_db()
    assert cycle.meeting == meeting and cycle.upper_attendee == "区委组织部张部长"


def test_problems_become_rectify_items_in_one_step_all_or_nothing(cast):
    cycle = ready_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        services.add_problem(actor=cast.secretary, cycle=cycle, problem="x")
        services.raise_problems(actor=cast.secretary, cycle=cycle)
    assert code_of(exc) == "meeting_not_recorded"
    services.record_meeting(actor=cast.secretary, cycle=cycle, meeting=_meeting(cast), format="party_congress")
    Problem.objects.all().delete()
    with pytest.raises(ValidationError) as exc:
        services.raise_problems(actor=cast.secretary, cycle=cycle)
    assert code_of(exc) == "nothing_to_raise"
    later = clock.today() + dt.timedelta(days=60)
    services.add_problem(
        actor=cast.secretary,
        cycle=cycle,
        problem="理论学习不够系统",
        measures="制定学习计划",
        responsible=cast.member_person,
        deadline=later,
    )
    services.add_problem(
        actor=cast.secretary,
        cycle=cycle,
        problem="谈心谈话不经常",
        kind="deadline",
        deadline=clock.today() - dt.timedelta(days=5),
    )
    with pytest.raises(ValidationError):
        services.raise_problems(actor=cast.secretary, cycle=cycle)
    assert not Item.objects.exists() and not Problem.objects.filter(item__isnull=False).exists()
    Problem.objects.filter(problem="谈心谈话不经常").update(deadline=later)
    items = services.raise_problems(actor=cast.secretary, cycle=cycle)
    assert len(items) == 2
    assert {i.source.code for i in items} == {"org_life_meeting"}
    assert items[0].responsible == cast.member_person
    with pytest.raises(ValidationError) as exc:
        services.raise_problems(actor=cast.secretary, cycle=cycle)
    assert code_of(exc) == "nothing_to_raise"


def test_criticism_note_after_the_meeting(cast):
    cycle = ready_cycle(cast)
    with pytest.raises(ValidationError) as exc:
        services.save_note(actor=cast.secretary, cycle=cycle, person=cast.member_person, self_criticism="x")
    assert code_of(exc) == "meeting_not_recorded"
    services.record_meeting(actor=cast.secretary, cycle=cycle, meeting=_meeting(cast), format="party_congress")
    services.save_note(actor=cast.secretary, cycle=cycle, person=cast.member_person, self_criticism="学习不够")
    note = services.save_note(
        actor=cast.secretary,
        cycle=cycle,
        person=cast.member_person,
        self_criticism="学习不够深入",
        criticism="多联系群众",
    )
    assert note.criticism == "多联系群众" and cycle.notes.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.save_note(actor=cast.secretary, cycle=cycle, person=cast.outsider_person)
    assert code_of(exc) == "person_foreign"


def test_report_docx(cast):
    from io import BytesIO

    from docx import Document

    from zhibu.orglifemeeting import documents

    cycle = ready_cycle(cast)
    services.record_meeting(
        actor=cast.secretary,
        cycle=cycle,
        meeting=_meeting(cast),
        format="party_congress",
        upper_attendee="区委组织部张部长",
    )
    services.add_problem(actor=cast.secretary, cycle=cycle, problem="理论学习不够系统", measures="制定学习计划")
    cycle.refresh_from_db()
    content = documents.build_report(
        cycle, problems=list(cycle.problems.all()), notes=[], opinions=2, upper_name=cast.district.name
    )
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "情况的报告" in text and "区委组织部张部长" in text and "应到" in text
    from zhibu.core.documents.checks import problems

    assert problems(content) == []
    table = Document(BytesIO(content)).tables[0]
    assert table.rows[1].cells[1].text == "理论学习不够系统"
