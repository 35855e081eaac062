"""Every write of the 组织生活会 cycle: keyword-only, durable transactions, audited.

Errors are ValidationErrors with a `code` (tests assert the codes). The meeting itself is an orglife
Meeting (kind 组织生活会) created by orglife's own service; `record_meeting` links it to the cycle.
Problems become 整改 items only through zhibu.rectify.services.raise_item."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.core.uploads import UploadError, check_zip_bomb, read_limited
from zhibu.orglife.models import Meeting, MeetingKind
from zhibu.orglifemeeting import rules, selectors
from zhibu.orglifemeeting.audit_actions import Action
from zhibu.orglifemeeting.models import MATERIAL_TYPES, CriticismNote, Cycle, Material, Opinion, Problem, Step
from zhibu.orgs.models import Organisation, Person
from zhibu.rectify import services as rectify_services

CYCLE_FIELDS = (
    "topic",
    "planned_date",
    "notice_date",
    "notice_requirements",
    "request_days",
    "required_steps",
    "readings",
)
STEP_FIELDS = ("owner_id", "due", "done_on", "note")
MATERIAL_MAX_BYTES = 10 * 1024 * 1024
YEAR_SPAN = 1


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    err = ValidationError(message, code=code)
    return ValidationError({field_name: err}) if field_name else err


def _check_settings(
    branch: Organisation,
    year: int,
    term: int,
    planned_date: dt.date,
    notice_date: dt.date | None,
    request_days: int,
    required_steps,
    readings,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not branch.is_branch:
        raise _error("组织生活会由党支部召开", "not_branch")
    this_year = clock.today().year
    if not this_year - YEAR_SPAN <= year <= this_year + YEAR_SPAN:
        raise _error(f"年度须在{this_year - YEAR_SPAN}年至{this_year + YEAR_SPAN}年之间", "year_implausible", "year")
    if term not in (0, 1, 2):
        raise _error("期次只能是全年、上半年或下半年", "term_invalid", "term")
    if planned_date.year != year or (term == 1 and planned_date.month > 6) or (term == 2 and planned_date.month < 7):
        raise _error("计划召开日期须在所选年度（期次）之内", "date_outside_term", "planned_date")
    if notice_date is not None and notice_date > planned_date:
        raise _error("上级通知日期不能晚于计划召开日期", "notice_after_meeting", "notice_date")
    if not 0 <= request_days <= 60:
        raise _error("提前请示天数须在0至60天之间", "request_days_invalid", "request_days")
    try:
        required = rules.check_required(required_steps)
        chosen = rules.check_readings(readings)
    except ValueError as exc:
        raise _error(str(exc), "setting_invalid") from None
    return required, chosen


@transaction.atomic(durable=True)
def start_cycle(
    *,
    actor,
    branch: Organisation,
    year: int,
    topic: str,
    planned_date: dt.date,
    term: int = 0,
    notice_date: dt.date | None = None,
    notice_requirements: str = "",
    request_days: int = rules.DEFAULT_REQUEST_DAYS,
    required_steps=rules.DEFAULT_REQUIRED,
    readings=rules.DEFAULT_READINGS,
) -> Cycle:
    """Start the year's (or a semester's) 组织生活会 with its checklist; every step due by the 请示 date."""
    required, chosen = _check_settings(
        branch, year, term, planned_date, notice_date, request_days, required_steps, readings
    )
    if not (topic or "").strip():
        raise _error("请填写主题", "topic_required", "topic")
    if Cycle.objects.filter(branch=branch, year=year, term=term).exists():
        raise _error("本年度（期次）的组织生活会已经建立", "duplicate")
    cycle = Cycle(
        branch=branch,
        year=year,
        term=term,
        topic=topic.strip(),
        planned_date=planned_date,
        notice_date=notice_date,
        notice_requirements=notice_requirements.strip(),
        request_days=request_days,
        required_steps=list(required),
        readings=list(chosen),
    )
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise _error("本年度（期次）的组织生活会已经建立", "duplicate") from None
    due = cycle.request_due
    Step.objects.bulk_create([Step(cycle=cycle, code=code, due=due) for code in rules.STEP_CODES])
    audit.record(
        actor=actor,
        action="create",
        obj=cycle,
        organisation=branch,
        changes=audit.diff({}, audit.snapshot(cycle, CYCLE_FIELDS)),
    )
    return cycle


@transaction.atomic(durable=True)
def update_cycle(
    *,
    actor,
    cycle: Cycle,
    topic: str,
    planned_date: dt.date,
    notice_date: dt.date | None = None,
    notice_requirements: str = "",
    request_days: int = rules.DEFAULT_REQUEST_DAYS,
    required_steps=rules.DEFAULT_REQUIRED,
    readings=rules.DEFAULT_READINGS,
) -> Cycle:
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("branch").get(pk=cycle.pk)
    required, chosen = _check_settings(
        cycle.branch, cycle.year, cycle.term, planned_date, notice_date, request_days, required_steps, readings
    )
    if not (topic or "").strip():
        raise _error("请填写主题", "topic_required", "topic")
    audit.update_audited(
        cycle,
        {
            "topic": topic.strip(),
            "planned_date": planned_date,
            "notice_date": notice_date,
            "notice_requirements": notice_requirements.strip(),
            "request_days": request_days,
            "required_steps": list(required),
            "readings": list(chosen),
        },
        actor=actor,
        fields=CYCLE_FIELDS,
        organisation=cycle.branch,
        full_clean=False,
    )
    return cycle


def _own_person(cycle: Cycle, person: Person | None, field_name: str) -> None:
    if person is not None and person.branch_id != cycle.branch_id:
        raise _error("只能选择本支部人员", "person_foreign", field_name)


@transaction.atomic(durable=True)
def update_step(
    *,
    actor,
    cycle: Cycle,
    code: str,
    owner: Person | None = None,
    due: dt.date | None = None,
    done_on: dt.date | None = None,
    note: str = "",
) -> Step:
    """A step's owner and due date; the steps kept by hand (会前学习, 征求意见, 请示) also their done date."""
    if code not in rules.STEP_CODES:
        raise _error("未知的准备事项", "unknown_step")
    _own_person(cycle, owner, "owner")
    if code in rules.DERIVED_STEPS and done_on is not None:
        raise _error(
            f"“{rules.STEP_LABELS[code]}”按登记的记录自动判断是否完成，不能手工标记", "derived_step", "done_on"
        )
    if done_on is not None and done_on > clock.today():
        raise _error("完成日期不能晚于今天", "date_in_future", "done_on")
    step, _ = Step.objects.select_for_update(of=("self",)).get_or_create(cycle=cycle, code=code)
    audit.update_audited(
        step,
        {"owner": owner, "due": due, "done_on": done_on, "note": (note or "").strip()},
        actor=actor,
        fields=STEP_FIELDS,
        action=Action.CYCLE_STEP,
        organisation=cycle.branch,
        full_clean=False,
    )
    return step


def _check_material_upload(upload) -> tuple[bytes, str]:
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MATERIAL_TYPES:
        raise _error("只能上传 PDF、Word（.docx）或图片（JPG、PNG）", "file_type", "upload")
    try:
        data = read_limited(upload, MATERIAL_MAX_BYTES)
        if ext == "docx":
            check_zip_bomb(data)
    except UploadError as exc:
        raise _error(str(exc), "file_invalid", "upload") from None
    signatures = {
        "pdf": (b"%PDF",),
        "png": (b"\x89PNG",),
        "jpg": (b"\xff\xd8",),
        "jpeg": (b"\xff\xd8",),
        "docx": (b"PK",),
    }
    if not data.startswith(signatures[ext]):
        raise _error("文件内容与扩展名不符，请检查后重新上传", "file_invalid", "upload")
    upload.seek(0)
    return data, MATERIAL_TYPES[ext]


@transaction.atomic(durable=True)
def save_material(
    *, actor, cycle: Cycle, kind: str, person: Person | None = None, text: str = "", upload=None
) -> Material:
    """对照检查材料 / 党性分析: written on the page or uploaded (replaces the earlier version)."""
    if kind not in dict(rules.MATERIAL_KINDS):
        raise _error("未知的材料类别", "unknown_material")
    cov = selectors.coverage(cycle)
    if kind == rules.MATERIAL_COMMITTEE:
        person = None
    elif person is None:
        raise _error("请选择本人", "person_required", "person")
    elif kind == rules.MATERIAL_MEMBER_REVIEW and person.pk not in cov.committee:
        raise _error("支委个人对照检查材料只由支部委员填写", "not_committee", "person")
    elif kind == rules.MATERIAL_SELF and person.pk not in cov.names:
        raise _error("党性分析由本支部党员填写", "not_member", "person")
    text = (text or "").strip()
    if not text and upload is None:
        raise _error("请填写内容或上传文件", "material_empty", "text")
    content_type = ""
    if upload is not None:
        _data, content_type = _check_material_upload(upload)
    material = Material.objects.select_for_update(of=("self",)).filter(cycle=cycle, kind=kind, person=person).first()
    created = material is None
    material = material or Material(cycle=cycle, kind=kind, person=person)
    material.text = text
    material.updated_at = clock.now()
    if upload is not None:
        if material.file:
            material.file.delete(save=False)
        material.file_name = (getattr(upload, "name", "") or "")[-150:]
        material.content_type = content_type
        material.file.save(upload.name, upload, save=False)
    material.save()
    audit.record(
        actor=actor,
        action="create" if created else "update",
        obj=material,
        organisation=cycle.branch,
        changes={"kind": kind, "person": person.name if person else "", "file": material.file_name},
    )
    return material


@transaction.atomic(durable=True)
def add_opinion(*, actor, cycle: Cycle, text: str, name: str = "") -> Opinion:
    """征求意见: anyone of the branch (members and non-member staff), or the committee typing one in."""
    text = (text or "").strip()
    if not text:
        raise _error("请填写意见建议", "opinion_empty", "text")
    opinion = Opinion.objects.create(
        cycle=cycle,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        name=(name or "").strip(),
        text=text,
    )
    audit.record(actor=actor, action="create", obj=opinion, organisation=cycle.branch, changes={"cycle": str(cycle)})
    return opinion


@transaction.atomic(durable=True)
def mark_ready(*, actor, cycle: Cycle) -> Cycle:
    """The checklist is complete: refused while a required step is open (code steps_open)."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("branch").get(pk=cycle.pk)
    open_steps = rules.open_required(row.state for row in selectors.step_states(cycle))
    if open_steps:
        raise _error(f"以下必须完成的准备事项尚未完成：{'、'.join(s.label for s in open_steps)}", "steps_open")
    if cycle.ready_at is None:
        cycle.ready_at = clock.now()
        cycle.save(update_fields=["ready_at"])
        audit.record(actor=actor, action=Action.CYCLE_READY, obj=cycle, organisation=cycle.branch)
    return cycle


@transaction.atomic(durable=True)
def record_meeting(
    *, actor, cycle: Cycle, meeting: Meeting, format: str, secretary_report: str = "", upper_attendee: str = ""
) -> Cycle:
    """Link the orglife meeting record (kind 组织生活会) and keep the format, the secretary's report and
    the upper committee's attendee. The checklist must be ready first."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("branch").get(pk=cycle.pk)
    if cycle.ready_at is None:
        raise _error("准备工作尚未就绪，请先完成准备事项并确认就绪", "not_ready")
    if meeting.branch_id != cycle.branch_id or meeting.kind != MeetingKind.ORG_LIFE_MEETING:
        raise _error("只能关联本支部的组织生活会记录", "meeting_foreign")
    if Cycle.objects.filter(meeting=meeting).exclude(pk=cycle.pk).exists():
        raise _error("该会议记录已关联到其他组织生活会", "meeting_taken")
    if format not in dict(rules.FORMATS):
        raise _error("请选择召开形式", "format_invalid", "format")
    audit.update_audited(
        cycle,
        {
            "meeting": meeting,
            "format": format,
            "secretary_report": (secretary_report or "").strip(),
            "upper_attendee": (upper_attendee or "").strip(),
        },
        actor=actor,
        fields=["meeting_id", "format", "secretary_report", "upper_attendee"],
        action=Action.CYCLE_MEETING,
        organisation=cycle.branch,
        full_clean=False,
    )
    return cycle


def _held(cycle: Cycle) -> None:
    if not Cycle.objects.filter(pk=cycle.pk, meeting__isnull=False).exists():
        raise _error("请先登记组织生活会的会议记录", "meeting_not_recorded")


@transaction.atomic(durable=True)
def save_note(*, actor, cycle: Cycle, person: Person, self_criticism: str = "", criticism: str = "") -> CriticismNote:
    """批评和自我批评 of one person at the meeting."""
    _held(cycle)
    _own_person(cycle, person, "person")
    note, created = CriticismNote.objects.select_for_update(of=("self",)).get_or_create(cycle=cycle, person=person)
    audit.update_audited(
        note,
        {"self_criticism": (self_criticism or "").strip(), "criticism": (criticism or "").strip()},
        actor=actor,
        fields=["self_criticism", "criticism"],
        organisation=cycle.branch,
        action="create" if created else "update",
        full_clean=False,
    )
    return note


@transaction.atomic(durable=True)
def add_problem(
    *,
    actor,
    cycle: Cycle,
    problem: str,
    measures: str = "",
    responsible: Person | None = None,
    kind: str = "deadline",
    deadline: dt.date | None = None,
) -> Problem:
    problem = (problem or "").strip()
    if not problem:
        raise _error("请填写问题", "problem_empty", "problem")
    _own_person(cycle, responsible, "responsible")
    row = Problem(
        cycle=cycle,
        problem=problem,
        measures=(measures or "").strip(),
        responsible=responsible,
        kind=kind,
        deadline=deadline,
    )
    row.full_clean(exclude=["cycle", "item"])
    row.save()
    audit.record(actor=actor, action="create", obj=row, organisation=cycle.branch, changes={"problem": problem})
    return row


@transaction.atomic(durable=True)
def raise_problems(*, actor, cycle: Cycle) -> list:
    """Every problem not yet raised becomes a 整改 item (source 组织生活会, linked to the meeting), all or
    nothing: one refused item (e.g. a deadline before today) writes none."""
    cycle = Cycle.objects.select_for_update(of=("self",)).select_related("branch", "meeting").get(pk=cycle.pk)
    _held(cycle)
    problems = list(
        Problem.objects.select_for_update(of=("self",))
        .filter(cycle=cycle, item__isnull=True)
        .select_related("responsible")
    )
    if not problems:
        raise _error("没有待转为整改事项的问题", "nothing_to_raise")
    items = []
    for row in problems:
        item = rectify_services.raise_item(
            actor=actor,
            branch=cycle.branch,
            source="org_life_meeting",
            problem=row.problem,
            measures=row.measures,
            responsible=row.responsible,
            kind=row.kind,
            deadline=row.deadline,
            link=cycle.meeting,
        )
        row.item = item
        row.save(update_fields=["item"])
        items.append(item)
    audit.record(
        actor=actor,
        action=Action.CYCLE_RAISE,
        obj=cycle,
        organisation=cycle.branch,
        changes={"items": [i.pk for i in items]},
    )
    return items
