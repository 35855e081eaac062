"""Every write about organisational life: keyword-only, atomic, audited."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.core import audit, clock
from zhibu.orglife import rules
from zhibu.orglife.models import (
    ATTACHMENT_TYPES,
    MAKE_UP_KINDS,
    Attachment,
    Attendance,
    AttendanceStatus,
    BranchObligationConfig,
    HeartTalk,
    MakeUpTask,
    Meeting,
    MeetingKind,
    Motion,
    SignInSource,
)
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, OrgKind, Person, Standing

MEETING_FIELDS = ("kind", "group_id", "starts_at", "ends_at", "place", "topic", "host_id", "recorder_id",
                  "minutes", "resolutions", "with_evaluation")


# --- who should attend ----------------------------------------------------------------------------


def expected_people(*, branch: Organisation, kind: str, group: Organisation | None, on: dt.date) -> list[Person]:
    """Who should attend, by kind: a 党小组会 its group's members; a 支委会 the current committee;
    everything else the branch's active members (正式 and 预备党员)."""
    members = Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS)
    if kind == MeetingKind.GROUP_MEETING:
        return list(members.filter(group=group).order_by("name", "id"))
    if kind == MeetingKind.COMMITTEE_MEETING:
        ids = CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True, term_start__lte=on).values("person_id")
        return list(Person.objects.filter(pk__in=ids, active=True).order_by("name", "id"))
    return list(members.order_by("name", "id"))


def _validate_meeting(meeting: Meeting) -> None:
    branch = meeting.branch
    if not branch.is_branch:
        raise ValidationError("组织生活记录须属于党支部")
    if meeting.kind == MeetingKind.GROUP_MEETING:
        if meeting.group is None:
            raise ValidationError({"group": "党小组会须选择党小组"})
        if meeting.group.parent_id != branch.pk or meeting.group.kind != OrgKind.GROUP:
            raise ValidationError({"group": "只能选择本支部的党小组"})
    else:
        meeting.group = None
    for field in ("host", "recorder"):
        person = getattr(meeting, field)
        if person is not None and person.branch_id != branch.pk:
            raise ValidationError({field: "只能选择本支部人员"})
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间"})
    if meeting.with_evaluation and meeting.kind not in (MeetingKind.ORG_LIFE_MEETING, MeetingKind.PARTY_CONGRESS):
        meeting.with_evaluation = False


def _sync_attendance(meeting: Meeting) -> None:
    """Rows for everyone who should attend (absent until signed in or recorded); rows of people no
    longer expected are dropped unless something was recorded for them."""
    people = expected_people(branch=meeting.branch, kind=meeting.kind, group=meeting.group, on=meeting.date)
    rows = {a.person_id: a for a in meeting.attendances.all()}
    expected_ids = {p.pk for p in people}
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, person=p, voting=p.standing == Standing.FULL)
        for p in people if p.pk not in rows
    ])
    stale = [a.pk for pid, a in rows.items() if pid not in expected_ids and a.status == AttendanceStatus.ABSENT
             and a.signed_in_at is None and not a.excluded]
    if stale:
        Attendance.objects.filter(pk__in=stale).delete()


@transaction.atomic
def create_meeting(*, actor, branch: Organisation, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, topic: str,
                   place: str = "", group: Organisation | None = None, host: Person | None = None,
                   recorder: Person | None = None, minutes: str = "", resolutions: str = "",
                   with_evaluation: bool = False) -> Meeting:
    meeting = Meeting(branch=branch, kind=kind, group=group, starts_at=starts_at, ends_at=ends_at, topic=topic,
                      place=place, host=host, recorder=recorder, minutes=minutes, resolutions=resolutions,
                      with_evaluation=with_evaluation)
    _validate_meeting(meeting)
    meeting.set_date()
    meeting.full_clean(exclude=["signin_token"])
    meeting.save()
    _sync_attendance(meeting)
    audit.record(actor=actor, action="create", obj=meeting, organisation=branch,
                 changes=audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)))
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting: Meeting, **values) -> Meeting:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    for key, value in values.items():
        if key not in {f.replace("_id", "") for f in MEETING_FIELDS}:
            raise TypeError(f"unknown field {key}")
        setattr(meeting, key, value)
    _validate_meeting(meeting)
    meeting.set_date()
    meeting.full_clean(exclude=["signin_token"])
    meeting.save()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if "kind" in changes or "group_id" in changes:
        _sync_attendance(meeting)
        _sync_makeups(meeting)
        _recompute_motions(meeting)
    if changes:
        audit.record(actor=actor, action="update", obj=meeting, organisation=meeting.branch, changes=changes)
    return meeting


@transaction.atomic
def delete_meeting(*, actor, meeting: Meeting) -> None:
    branch = meeting.branch
    snapshot = audit.snapshot(meeting, MEETING_FIELDS)
    files = [a.file for a in meeting.attachments.all()]
    audit.record(actor=actor, action="delete", obj=meeting, organisation=branch, changes=audit.diff(snapshot, {}))
    meeting.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


# --- attendance, sign-in and 补课 -------------------------------------------------------------------


def attendance_counts(rows: Iterable[Attendance]) -> dict[str, int]:
    """应到 (not excluded), 实到, 请假, 缺席, and the same for those with a vote."""
    c = dict.fromkeys(("should", "present", "leave", "absent", "excluded", "voting_should", "voting_present"), 0)
    for a in rows:
        if a.excluded:
            c["excluded"] += 1
            continue
        c["should"] += 1
        c[a.status] += 1
        if a.voting:
            c["voting_should"] += 1
            if a.status == AttendanceStatus.PRESENT:
                c["voting_present"] += 1
    return c


def _sync_makeups(meeting: Meeting) -> None:
    """补课 for every absentee (absent or on leave, not excluded) of a 党课 or 主题党日; tasks not yet
    done are dropped for people now recorded present (or for other kinds)."""
    rows = list(meeting.attendances.all())
    owing = set()
    if meeting.kind in MAKE_UP_KINDS:
        owing = {a.person_id for a in rows if not a.excluded and a.status != AttendanceStatus.PRESENT}
    existing = set(meeting.makeup_tasks.values_list("person_id", flat=True))
    MakeUpTask.objects.bulk_create([
        MakeUpTask(meeting=meeting, person_id=pid, branch_id=meeting.branch_id, created_on=clock.today())
        for pid in sorted(owing - existing)
    ])
    gone = existing - owing
    if gone:
        MakeUpTask.objects.filter(meeting=meeting, person_id__in=gone, done_on__isnull=True).delete()


def _recompute_motions(meeting: Meeting) -> None:
    counts = attendance_counts(meeting.attendances.all())
    for motion in meeting.motions.all():
        _apply_result(motion, counts)
        motion.save()


def _apply_result(motion: Motion, counts: dict[str, int]) -> None:
    try:
        result = rules.motion_result(should_attend=counts["voting_should"], present=counts["voting_present"],
                                     votes_for=motion.votes_for, against=motion.votes_against, abstain=motion.votes_abstain)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    motion.should_attend = counts["voting_should"]
    motion.present = counts["voting_present"]
    motion.quorum_met = result.quorum_met
    motion.passed = result.passed
    motion.reason = result.reason_zh
    motion.source = result.source


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, entries: Iterable[dict]) -> list[Attendance]:
    """The host records or corrects attendance. entries: {"person_id", "status", "leave_reason",
    "excluded", "excluded_reason"}; only people on the meeting's list."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    _sync_attendance(meeting)
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    changes = {}
    errors = {}
    for entry in entries:
        row = rows.get(entry["person_id"])
        if row is None:
            raise ValidationError("该人员不在本次会议的应到名单中")
        status = entry.get("status", row.status)
        if status not in AttendanceStatus.values:
            raise ValidationError(f"出勤状态无效:{status}")
        leave_reason = (entry.get("leave_reason") or "").strip() if status == AttendanceStatus.LEAVE else ""
        excluded = bool(entry.get("excluded"))
        excluded_reason = (entry.get("excluded_reason") or "").strip() if excluded else ""
        if status == AttendanceStatus.LEAVE and not leave_reason:
            errors[row.person_id] = f"{row.person.name}:请假须填写原因"
        if excluded and not excluded_reason:
            errors[row.person_id] = f"{row.person.name}:不计入应到须填写经批准的原因"
        new = (status, leave_reason, excluded, excluded_reason)
        old = (row.status, row.leave_reason, row.excluded, row.excluded_reason)
        if new != old:
            changes[row.person.name] = [list(old), list(new)]
            row.status, row.leave_reason, row.excluded, row.excluded_reason = new
            row.source = SignInSource.HOST
            if status != AttendanceStatus.PRESENT:
                row.signed_in_at = None
    if errors:
        raise ValidationError(list(errors.values()))
    Attendance.objects.bulk_update(list(rows.values()),
                                   ["status", "leave_reason", "excluded", "excluded_reason", "source", "signed_in_at"])
    _sync_makeups(meeting)
    _recompute_motions(meeting)
    if changes:
        audit.record(actor=actor, action="attendance", obj=meeting, organisation=meeting.branch, changes=changes)
    return list(rows.values())


def get_config(branch: Organisation) -> BranchObligationConfig:
    config = BranchObligationConfig.objects.filter(branch=branch).first()
    return config or BranchObligationConfig(branch=branch)


def signin_window(meeting: Meeting, config: BranchObligationConfig) -> tuple[dt.datetime, dt.datetime]:
    """From `signin_before_minutes` before the start to `signin_after_minutes` after the end."""
    return (meeting.starts_at - dt.timedelta(minutes=config.signin_before_minutes),
            meeting.ends_at + dt.timedelta(minutes=config.signin_after_minutes))


def signin_state(meeting: Meeting, config: BranchObligationConfig, now: dt.datetime | None = None) -> str:
    """"early", "open" or "closed"."""
    now = now or clock.now()
    opens, closes = signin_window(meeting, config)
    if now < opens:
        return "early"
    if now > closes:
        return "closed"
    return "open"


@transaction.atomic
def sign_in(*, actor, meeting: Meeting) -> Attendance:
    """A logged-in member marks themselves present through the meeting link, during the window."""
    config = get_config(meeting.branch)
    state = signin_state(meeting, config)
    if state == "early":
        opens, _ = signin_window(meeting, config)
        raise ValidationError(f"签到尚未开始,{opens.astimezone(clock.TZ):%m月%d日 %H:%M} 起可签到")
    if state == "closed":
        raise ValidationError("会议签到已结束,如需更正请联系主持人")
    person = Person.objects.filter(user=actor, branch=meeting.branch_id, active=True).first()
    if person is None:
        raise ValidationError("您不是本支部在册人员,不能签到")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        expected = {p.pk for p in expected_people(branch=meeting.branch, kind=meeting.kind, group=meeting.group, on=meeting.date)}
        if person.pk not in expected:
            raise ValidationError("您不在本次会议的应到名单中")
        row = Attendance(meeting=meeting, person=person, voting=person.standing == Standing.FULL)
    if row.status == AttendanceStatus.PRESENT and row.signed_in_at:
        return row  # already signed in: nothing changes
    old = row.status
    row.status = AttendanceStatus.PRESENT
    row.leave_reason = ""
    row.signed_in_at = clock.now()
    row.source = SignInSource.SELF
    row.save()
    MakeUpTask.objects.filter(meeting=meeting, person=person, done_on__isnull=True).delete()
    _recompute_motions(meeting)
    audit.record(actor=actor, action="sign_in", obj=meeting, organisation=meeting.branch,
                 changes={person.name: [old, AttendanceStatus.PRESENT]})
    return row


@transaction.atomic
def complete_makeup(*, actor, task: MakeUpTask, done_on: dt.date, note: str = "") -> MakeUpTask:
    task = MakeUpTask.objects.select_for_update().get(pk=task.pk)
    if done_on > clock.today():
        raise ValidationError({"done_on": "完成日期不能晚于今天"})
    if done_on < task.meeting.date:
        raise ValidationError({"done_on": "完成日期不能早于会议日期"})
    before = audit.snapshot(task, ["done_on", "note"])
    task.done_on, task.note = done_on, note
    task.save(update_fields=["done_on", "note"])
    audit.record(actor=actor, action="makeup_done", obj=task, organisation=task.branch,
                 changes=audit.diff(before, audit.snapshot(task, ["done_on", "note"])))
    return task


# --- votes --------------------------------------------------------------------------------------


@transaction.atomic
def add_motion(*, actor, meeting: Meeting, title: str, votes_for: int, votes_against: int, votes_abstain: int) -> Motion:
    """A vote at a 党员大会: the result (quorum, pass) computed by rules.motion_result on the
    attendance as recorded, stored with the reason in words."""
    if meeting.kind != MeetingKind.PARTY_CONGRESS:
        raise ValidationError("只有党员大会进行表决")
    counts = attendance_counts(meeting.attendances.all())
    if counts["voting_should"] == 0:
        raise ValidationError("应到会有表决权党员为0,请先登记出勤")
    motion = Motion(meeting=meeting, title=title.strip(), votes_for=votes_for, votes_against=votes_against,
                    votes_abstain=votes_abstain)
    _apply_result(motion, counts)
    motion.save()
    audit.record(actor=actor, action="vote", obj=motion, organisation=meeting.branch,
                 changes=audit.diff({}, audit.snapshot(motion, ["title", "votes_for", "votes_against", "votes_abstain",
                                                                 "should_attend", "present", "passed", "reason"])))
    return motion


# --- attachments --------------------------------------------------------------------------------

_MAGIC = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",), "application/pdf": (b"%PDF-",)}


def check_upload(upload) -> str:
    """The content type of an allowed upload (jpg/png/pdf, size ≤ UPLOAD_MAX_BYTES, the content
    matching its extension) or ValidationError."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError("只能上传 jpg、png 或 pdf 文件")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"文件过大(上限 {limit // (1024 * 1024) or 1}MB)")
    if upload.size == 0:
        raise ValidationError("文件为空")
    content_type = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[content_type]):
        raise ValidationError("文件内容与扩展名不符")
    return content_type


@transaction.atomic
def add_attachment(*, actor, meeting: Meeting, upload) -> Attachment:
    content_type = check_upload(upload)
    name = (getattr(upload, "name", "") or "附件").replace("/", "_").replace("\\", "_")[-150:]
    att = Attachment(meeting=meeting, name=name, content_type=content_type, size=upload.size,
                     uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    att.file.save(name, upload, save=False)
    stored = att.file
    try:
        att.save()
        audit.record(actor=actor, action="attach", obj=att, organisation=meeting.branch,
                     changes={"meeting": meeting.pk, "name": name, "size": upload.size})
    except Exception:
        stored.delete(save=False)
        raise
    return att


@transaction.atomic
def delete_attachment(*, actor, attachment: Attachment) -> None:
    meeting = attachment.meeting
    audit.record(actor=actor, action="detach", obj=attachment, organisation=meeting.branch,
                 changes={"meeting": meeting.pk, "name": attachment.name})
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- 谈心谈话 and settings ------------------------------------------------------------------------


@transaction.atomic
def record_heart_talk(*, actor, branch: Organisation, person_a: Person, person_b: Person, date: dt.date,
                      note: str = "") -> HeartTalk:
    if person_a.pk == person_b.pk:
        raise ValidationError("谈心谈话须为两个人")
    if person_a.branch_id != branch.pk or person_b.branch_id != branch.pk:
        raise ValidationError("只能登记本支部人员之间的谈心谈话")
    if date > clock.today():
        raise ValidationError({"date": "日期不能晚于今天"})
    a, b = sorted((person_a, person_b), key=lambda p: p.pk)
    talk = HeartTalk.objects.create(branch=branch, person_a=a, person_b=b, date=date, note=note)
    audit.record(actor=actor, action="create", obj=talk, organisation=branch,
                 changes={"pair": [a.name, b.name], "date": date.isoformat()})
    return talk


@transaction.atomic
def set_config(*, actor, branch: Organisation, frequencies: dict[str, str], signin_before_minutes: int = 30,
               signin_after_minutes: int = 0) -> BranchObligationConfig:
    """Frequencies only where rules.with_frequencies allows it (local practice); defaults are not stored."""
    try:
        obligations = rules.with_frequencies(frequencies)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    defaults = {o.kind: o.frequency for o in rules.DEFAULT_OBLIGATIONS}
    stored = {o.kind: o.frequency for o in obligations if o.frequency != defaults[o.kind]}
    config, _ = BranchObligationConfig.objects.select_for_update().get_or_create(branch=branch)
    before = audit.snapshot(config, ["frequencies", "signin_before_minutes", "signin_after_minutes"])
    config.frequencies = stored
    config.signin_before_minutes = signin_before_minutes
    config.signin_after_minutes = signin_after_minutes
    config.full_clean()
    config.save()
    changes = audit.diff(before, audit.snapshot(config, ["frequencies", "signin_before_minutes", "signin_after_minutes"]))
    if changes:
        audit.record(actor=actor, action="update", obj=config, organisation=branch, changes=changes)
    return config
