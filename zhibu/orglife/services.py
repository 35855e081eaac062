"""Every write about organisational life: keyword-only, atomic, audited.

Errors are ValidationErrors with a `code` (tests assert the codes; the Chinese wording may change).
A meeting whose date has not come is 已安排: it takes a 会议通知 and leave requests, not attendance,
sign-in or votes. A vote is a fact of the meeting: its counts are stored when it is taken, and a
later attendance correction warns and is audited instead of recomputing it."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from zhibu.core import audit, clock, notify
from zhibu.orglife import rules
from zhibu.orglife.audit_actions import Action
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
from zhibu.orglife.selectors import (
    attendance_counts,
    exemptions,
    expected_people,
    get_config,
    signin_state,
    signin_window,
    stale_motions,
)
from zhibu.orgs.models import Organisation, OrgKind, Person, Standing

# Reads that lived here once; documents.py and older callers import them from services.
__all__ = ["attendance_counts", "expected_people", "get_config", "signin_state", "signin_window"]

MEETING_FIELDS = ("kind", "group_id", "starts_at", "ends_at", "place", "topic", "agenda", "host_id", "recorder_id",
                  "minutes", "resolutions", "with_evaluation")
MOTION_FIELDS = ["title", "votes_for", "votes_against", "votes_abstain", "written_votes", "should_attend", "present",
                 "passed", "reason"]
# Meetings are dated within this many years of the current one (a plausibility check, issue 10).
YEAR_SPAN = 1


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    err = ValidationError(message, code=code)
    return ValidationError({field_name: err}) if field_name else err


# --- meetings ------------------------------------------------------------------------------------


def _validate_meeting(meeting: Meeting) -> None:
    branch = meeting.branch
    if not branch.is_branch:
        raise _error("组织生活记录须属于党支部", "not_branch")
    if meeting.kind == MeetingKind.GROUP_MEETING:
        if meeting.group is None:
            raise _error("党小组会须选择党小组", "group_required", "group")
        if meeting.group.parent_id != branch.pk or meeting.group.kind != OrgKind.GROUP:
            raise _error("只能选择本支部的党小组", "group_foreign", "group")
    else:
        meeting.group = None
    for name in ("host", "recorder"):
        person = getattr(meeting, name)
        if person is not None and person.branch_id != branch.pk:
            raise _error("只能选择本支部人员", "person_foreign", name)
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        raise _error("结束时间须晚于开始时间", "ends_before_start", "ends_at")
    if meeting.with_evaluation and meeting.kind not in (MeetingKind.ORG_LIFE_MEETING, MeetingKind.PARTY_CONGRESS):
        meeting.with_evaluation = False
    meeting.set_date()
    year = clock.today().year
    if not year - YEAR_SPAN <= meeting.date.year <= year + YEAR_SPAN:
        raise _error(f"会议日期须在{year - YEAR_SPAN}年至{year + YEAR_SPAN}年之间，请检查年份", "date_implausible", "starts_at")
    if meeting.is_scheduled() and (meeting.minutes.strip() or meeting.resolutions.strip()):
        raise _error(f"会议定于{meeting.date.month}月{meeting.date.day}日召开，尚未召开，不能填写会议内容和决议",
                     "not_held_yet", "minutes")


def _suspended_voters(branch: Organisation, on: dt.date) -> dict[int, str]:
    """{person id: reason} without a vote on `on` (留党察看, 党章 第四十条), from the discovered hook
    `zhibu.<app>.voting.suspended(branch, on)` (zhibu.membership)."""
    from zhibu.core.hooks import app_modules

    out: dict[int, str] = {}
    for module in app_modules("voting"):
        out.update(module.suspended(branch, on))
    return out


def _sync_attendance(meeting: Meeting) -> None:
    """Rows for everyone who should attend (absent until signed in or recorded); rows of people no
    longer expected are dropped unless something was recorded for them."""
    people = expected_people(branch=meeting.branch, kind=meeting.kind, group=meeting.group, on=meeting.date)
    rows = {a.person_id: a for a in meeting.attendances.all()}
    expected_ids = {p.pk for p in people}
    exempt = exemptions(meeting.branch, meeting.date) if expected_ids - set(rows) else {}
    suspended = _suspended_voters(meeting.branch, meeting.date) if expected_ids - set(rows) else {}
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, person=p, voting=p.standing == Standing.FULL and p.pk not in suspended,
                   excluded=p.pk in exempt,
                   excluded_reason=exempt.get(p.pk, "")[:100])
        for p in people if p.pk not in rows
    ])
    stale = [a.pk for pid, a in rows.items() if pid not in expected_ids and a.status == AttendanceStatus.ABSENT
             and a.signed_in_at is None and not a.excluded]
    if stale:
        Attendance.objects.filter(pk__in=stale).delete()


def _notice_key(meeting: Meeting) -> str:
    what = "|".join([meeting.starts_at.isoformat(), meeting.ends_at.isoformat(), meeting.place, meeting.topic,
                     meeting.agenda])
    return f"orglife:notice:meeting={meeting.pk}:{hashlib.sha256(what.encode()).hexdigest()[:16]}"


def notice_text(meeting: Meeting) -> tuple[str, str]:
    """The 会议通知's title and body: time, place and agenda."""
    start = meeting.starts_at.astimezone(clock.TZ)
    end = meeting.ends_at.astimezone(clock.TZ)
    title = f"会议通知：{start.month}月{start.day}日 {meeting.get_kind_display()}"
    agenda = meeting.agenda.strip() or meeting.topic
    body = (f"时间：{start.year}年{start.month}月{start.day}日 {start:%H:%M}—{end:%H:%M}\n"
            f"地点：{meeting.place or '另行通知'}\n议程：{agenda}\n不能参加的，请打开通知请假。")
    return title, body


def _send_notice(meeting: Meeting) -> int:
    """A 会议通知 to everyone who should attend and has an account, once per time/place/agenda.
    Returns how many were notified (0 when the same notice went out before)."""
    users = [a.person.user for a in meeting.attendances.select_related("person__user")
             if a.person.user_id is not None and not a.excluded]
    if not users:
        return 0
    title, body = notice_text(meeting)
    url = reverse("orglife:leave", args=[meeting.branch_id, meeting.pk])
    sent = notify.send_once(notify.Reminder(key=_notice_key(meeting), users=tuple(users), title=title, body=body, url=url,
                                            organisation=meeting.branch))
    return len(users) if sent else 0


@dataclass
class MeetingResult:
    meeting: Meeting
    notified: int = 0  # people sent a 会议通知 now


@transaction.atomic(durable=True)
def create_meeting(*, actor, branch: Organisation, kind: str, starts_at: dt.datetime, ends_at: dt.datetime, topic: str,
                   place: str = "", group: Organisation | None = None, host: Person | None = None,
                   recorder: Person | None = None, minutes: str = "", resolutions: str = "", agenda: str = "",
                   with_evaluation: bool = False) -> Meeting:
    """A meeting held or scheduled. One not yet started gets a 会议通知 (see schedule_notice)."""
    return _create_meeting(actor=actor, branch=branch, kind=kind, starts_at=starts_at, ends_at=ends_at, topic=topic,
                           place=place, group=group, host=host, recorder=recorder, minutes=minutes,
                           resolutions=resolutions, agenda=agenda, with_evaluation=with_evaluation).meeting


@transaction.atomic(durable=True)
def create_meeting_with_notice(**kwargs) -> MeetingResult:
    """create_meeting, telling how many were sent the 会议通知 (for the page's message)."""
    return _create_meeting(**kwargs)


def _create_meeting(*, actor, branch, kind, starts_at, ends_at, topic, place="", group=None, host=None, recorder=None,
                    minutes="", resolutions="", agenda="", with_evaluation=False) -> MeetingResult:
    meeting = Meeting(branch=branch, kind=kind, group=group, starts_at=starts_at, ends_at=ends_at, topic=topic,
                      place=place, host=host, recorder=recorder, minutes=minutes, resolutions=resolutions,
                      agenda=agenda, with_evaluation=with_evaluation)
    _validate_meeting(meeting)
    meeting.full_clean(exclude=["signin_token"])
    meeting.save()
    _sync_attendance(meeting)
    audit.record(actor=actor, action="create", obj=meeting, organisation=branch,
                 changes=audit.diff({}, audit.snapshot(meeting, MEETING_FIELDS)))
    notified = _send_notice(meeting) if meeting.starts_at > clock.now() else 0
    return MeetingResult(meeting, notified)


def _locked(meeting: Meeting) -> None:
    if meeting.finalised_at is not None:
        raise _error("会议记录已定稿，不能再修改", "finalised")


@transaction.atomic(durable=True)
def update_meeting(*, actor, meeting: Meeting, **values) -> Meeting:
    return _update_meeting(actor=actor, meeting=meeting, **values).meeting


@transaction.atomic(durable=True)
def update_meeting_with_notice(*, actor, meeting: Meeting, **values) -> MeetingResult:
    """update_meeting, telling how many were sent a new 会议通知 (for the page's message)."""
    return _update_meeting(actor=actor, meeting=meeting, **values)


def _update_meeting(*, actor, meeting: Meeting, **values) -> MeetingResult:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    _locked(meeting)
    with audit.updating(meeting, actor=actor, fields=MEETING_FIELDS, organisation=meeting.branch) as update:
        for key, value in values.items():
            if key not in {f.replace("_id", "") for f in MEETING_FIELDS}:
                raise TypeError(f"unknown field {key}")
            setattr(meeting, key, value)
        _validate_meeting(meeting)
        meeting.full_clean(exclude=["signin_token"])
        pending = update.pending()
        has_motions = meeting.motions.exists()
        if has_motions and ("kind" in pending or "group_id" in pending):
            raise _error("本次会议已有表决，不能更改会议类别或党小组；如确需更改，请先删除表决", "has_motions", "kind")
        if meeting.is_scheduled() and (has_motions or meeting.attendance_recorded_at is not None):
            raise _error("本次会议已登记出勤或表决，不能改到今天以后", "records_need_held", "starts_at")
    changes = update.changes
    if "kind" in changes or "group_id" in changes:
        _sync_attendance(meeting)
        _sync_makeups(meeting)
    notified = 0
    if meeting.starts_at > clock.now() and changes.keys() & {"starts_at", "ends_at", "place", "topic", "agenda", "kind",
                                                            "group_id"}:
        notified = _send_notice(meeting)
    return MeetingResult(meeting, notified)


@transaction.atomic(durable=True)
def delete_meeting(*, actor, meeting: Meeting) -> None:
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch").get(pk=meeting.pk)
    _locked(meeting)
    branch = meeting.branch
    snapshot = audit.snapshot(meeting, MEETING_FIELDS)
    files = [a.file for a in meeting.attachments.all()]
    audit.record(actor=actor, action="delete", obj=meeting, organisation=branch, changes=audit.diff(snapshot, {}))
    meeting.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


@transaction.atomic(durable=True)
def finalise_meeting(*, actor, meeting: Meeting) -> Meeting:
    """定稿: the minutes are final; motions can no longer be added, edited or deleted, nor the meeting
    edited or deleted. Only a meeting held, with its attendance recorded."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch").get(pk=meeting.pk)
    if meeting.finalised_at is not None:
        raise _error("会议记录已定稿", "already_finalised")
    if meeting.is_scheduled():
        raise _error("会议尚未召开，不能定稿", "not_held_yet")
    if meeting.attendance_recorded_at is None:
        raise _error("请先登记出勤再定稿", "no_attendance")
    meeting.finalised_at = clock.now()
    meeting.finalised_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.save(update_fields=["finalised_at", "finalised_by"])
    audit.record(actor=actor, action=Action.FINALISE, obj=meeting, organisation=meeting.branch,
                 changes={"finalised_at": [None, meeting.finalised_at.isoformat()]})
    return meeting


# --- leave requests --------------------------------------------------------------------------------


def _own_person(actor, meeting: Meeting) -> Person:
    person = Person.objects.filter(user=actor, branch=meeting.branch_id, active=True).first() if actor else None
    if person is None:
        raise _error("您不是本支部在册人员", "not_member")
    return person


def _row_for(meeting: Meeting, person: Person) -> Attendance:
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        expected = {p.pk for p in expected_people(branch=meeting.branch, kind=meeting.kind, group=meeting.group, on=meeting.date)}
        if person.pk not in expected:
            raise _error("您不在本次会议的应到名单中", "not_on_list")
        row = Attendance(meeting=meeting, person=person, voting=person.standing == Standing.FULL)
    return row


@transaction.atomic(durable=True)
def request_leave(*, actor, meeting: Meeting, reason: str) -> Attendance:
    """A member asks for leave from the 会议通知, before the meeting starts. Recorded as 请假 with the
    reason (the committee sees the request on the meeting and may correct it)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    reason = (reason or "").strip()
    if not reason:
        raise _error("请填写请假原因", "leave_reason_required", "reason")
    if clock.now() >= meeting.starts_at:
        raise _error("会议已经开始，请直接联系主持人请假", "leave_too_late")
    person = _own_person(actor, meeting)
    row = _row_for(meeting, person)
    old = [row.status, row.leave_reason]
    row.status, row.leave_reason = AttendanceStatus.LEAVE, reason[:100]
    row.source, row.signed_in_at, row.leave_requested_at = SignInSource.REQUEST, None, clock.now()
    row.save()
    audit.record(actor=actor, action=Action.LEAVE_REQUEST, obj=meeting, organisation=meeting.branch,
                 changes={person.name: [old, [row.status, row.leave_reason]]})
    return row


# --- attendance, sign-in and 补课 -------------------------------------------------------------------


def _held(meeting: Meeting, what: str) -> None:
    if meeting.is_scheduled():
        raise _error(f"会议定于{meeting.date.month}月{meeting.date.day}日召开，尚未召开，不能{what}", "not_held_yet")


def _sync_makeups(meeting: Meeting) -> None:
    """补课 for every absentee (absent or on leave, not excluded) of a 党课 or 主题党日; tasks not yet
    done are dropped for people now recorded present (or for other kinds)."""
    rows = list(meeting.attendances.all())
    owing = set()
    if meeting.kind in MAKE_UP_KINDS and meeting.attendance_recorded_at is not None:
        owing = {a.person_id for a in rows if not a.excluded and a.status != AttendanceStatus.PRESENT}
    existing = set(meeting.makeup_tasks.values_list("person_id", flat=True))
    MakeUpTask.objects.bulk_create([
        MakeUpTask(meeting=meeting, person_id=pid, branch_id=meeting.branch_id, created_on=clock.today())
        for pid in sorted(owing - existing)
    ])
    gone = existing - owing
    if gone:
        MakeUpTask.objects.filter(meeting=meeting, person_id__in=gone, done_on__isnull=True).delete()


def _note_votes_after_correction(*, actor, meeting: Meeting, counts: dict[str, int]) -> list[Motion]:
    """Votes already taken keep their stored counts. When attendance now says otherwise, the
    correction is recorded in the audit (once per change) and the motions are returned for a warning."""
    stale = stale_motions(meeting.motions.all(), counts)
    if stale:
        audit.record(actor=actor, action=Action.ATTENDANCE_AFTER_VOTE, obj=meeting, organisation=meeting.branch,
                     changes={m.title: {"表决时应到/实到": [m.should_attend, m.present],
                                        "更正后应到/实到": [counts["voting_should"], counts["voting_present"]]}
                              for m in stale})
    return stale


@dataclass
class AttendanceResult:
    rows: list[Attendance]
    stale_motions: list[Motion] = field(default_factory=list)  # votes taken on counts that now differ


@transaction.atomic(durable=True)
def record_attendance(*, actor, meeting: Meeting, entries: Iterable[dict]) -> list[Attendance]:
    return _record_attendance(actor=actor, meeting=meeting, entries=entries).rows


@transaction.atomic(durable=True)
def record_attendance_checked(*, actor, meeting: Meeting, entries: Iterable[dict]) -> AttendanceResult:
    """record_attendance, with the votes whose counts the correction changed."""
    return _record_attendance(actor=actor, meeting=meeting, entries=entries)


def _record_attendance(*, actor, meeting: Meeting, entries: Iterable[dict]) -> AttendanceResult:
    """The host records or corrects attendance. entries: {"person_id", "status", "leave_reason",
    "excluded", "excluded_reason"}; only people on the meeting's list; only once the meeting's date
    has come. Errors are keyed by the person's form fields (leave_reason_<id>, excluded_reason_<id>).
    Votes already taken are not recomputed (see _note_votes_after_correction)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    _held(meeting, "登记出勤")
    _sync_attendance(meeting)
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    before_counts = attendance_counts(rows.values())
    changes = {}
    errors: dict[str, list[ValidationError]] = {}
    for entry in entries:
        row = rows.get(entry["person_id"])
        if row is None:
            raise _error("该人员不在本次会议的应到名单中", "not_on_list")
        pid = row.person_id
        status = entry.get("status", row.status)
        if status not in AttendanceStatus.values:
            raise _error(f"出勤状态无效：{status}", "invalid_status")
        leave_reason = (entry.get("leave_reason") or "").strip() if status == AttendanceStatus.LEAVE else ""
        excluded = bool(entry.get("excluded"))
        excluded_reason = (entry.get("excluded_reason") or "").strip() if excluded else ""
        if status == AttendanceStatus.LEAVE and not leave_reason:
            errors[f"leave_reason_{pid}"] = [ValidationError(f"{row.person.name}：请假须填写原因", code="leave_reason_required")]
        if excluded and not excluded_reason:
            errors[f"excluded_reason_{pid}"] = [
                ValidationError(f"{row.person.name}：不计入应到须填写经批准的原因", code="excluded_reason_required")]
        new = (status, leave_reason, excluded, excluded_reason)
        old = (row.status, row.leave_reason, row.excluded, row.excluded_reason)
        if new != old:
            changes[row.person.name] = [list(old), list(new)]
            row.status, row.leave_reason, row.excluded, row.excluded_reason = new
            row.source = SignInSource.HOST
            if status != AttendanceStatus.PRESENT:
                row.signed_in_at = None
    if errors:
        raise ValidationError(errors)
    Attendance.objects.bulk_update(list(rows.values()),
                                   ["status", "leave_reason", "excluded", "excluded_reason", "source", "signed_in_at"])
    first_time = meeting.attendance_recorded_at is None
    meeting.attendance_recorded_at = clock.now()
    meeting.save(update_fields=["attendance_recorded_at"])
    _sync_makeups(meeting)
    if changes or first_time:
        audit.record(actor=actor, action=Action.ATTENDANCE, obj=meeting, organisation=meeting.branch, changes=changes)
    stale = []
    counts = attendance_counts(rows.values())
    if counts != before_counts:
        stale = _note_votes_after_correction(actor=actor, meeting=meeting, counts=counts)
    return AttendanceResult(list(rows.values()), stale)


@transaction.atomic(durable=True)
def sign_in(*, actor, meeting: Meeting) -> Attendance:
    """A logged-in member marks themselves present through the meeting link, during the window."""
    config = get_config(meeting.branch)
    state = signin_state(meeting, config)
    if state == "early":
        opens, _ = signin_window(meeting, config)
        opens = max(opens.astimezone(clock.TZ), dt.datetime.combine(meeting.date, dt.time(0, 0), tzinfo=clock.TZ))
        raise _error(f"签到尚未开始，{opens.month}月{opens.day}日 {opens:%H:%M} 起可签到", "signin_early")
    if state == "closed":
        raise _error("会议签到已结束，如需更正请联系主持人", "signin_closed")
    person = _own_person(actor, meeting)
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch", "group").get(pk=meeting.pk)
    row = _row_for(meeting, person)
    if row.status == AttendanceStatus.PRESENT and row.signed_in_at:
        return row  # already signed in: nothing changes
    before_counts = attendance_counts(meeting.attendances.all())
    old = row.status
    row.status = AttendanceStatus.PRESENT
    row.leave_reason = ""
    row.signed_in_at = clock.now()
    row.source = SignInSource.SELF
    row.save()
    MakeUpTask.objects.filter(meeting=meeting, person=person, done_on__isnull=True).delete()
    audit.record(actor=actor, action=Action.SIGN_IN, obj=meeting, organisation=meeting.branch,
                 changes={person.name: [old, AttendanceStatus.PRESENT]})
    counts = attendance_counts(meeting.attendances.all())
    if counts != before_counts:
        _note_votes_after_correction(actor=actor, meeting=meeting, counts=counts)
    return row


@transaction.atomic(durable=True)
def complete_makeup(*, actor, task: MakeUpTask, done_on: dt.date, note: str = "") -> MakeUpTask:
    task = MakeUpTask.objects.select_for_update().select_related("meeting", "branch").get(pk=task.pk)
    if done_on > clock.today():
        raise _error("完成日期不能晚于今天", "date_in_future", "done_on")
    if done_on < task.meeting.date:
        raise _error("完成日期不能早于会议日期", "date_before_meeting", "done_on")
    audit.update_audited(task, {"done_on": done_on, "note": note}, actor=actor, fields=["done_on", "note"],
                         action=Action.MAKEUP_DONE, organisation=task.branch, full_clean=False)
    return task


# --- votes --------------------------------------------------------------------------------------


def _apply_result(motion: Motion, *, should_attend: int, present: int) -> None:
    try:
        result = rules.motion_result(should_attend=should_attend, present=present, votes_for=motion.votes_for,
                                     against=motion.votes_against, abstain=motion.votes_abstain,
                                     written=motion.written_votes)
    except ValueError as exc:
        raise _error(str(exc), "votes_inconsistent") from None
    motion.should_attend = should_attend
    motion.present = present
    motion.quorum_met = result.quorum_met
    motion.passed = result.passed
    motion.reason = result.reason_zh
    motion.source = result.source


def _votable(meeting: Meeting) -> None:
    if meeting.kind != MeetingKind.PARTY_CONGRESS:
        raise _error("只有党员大会进行表决", "not_congress")
    _held(meeting, "记录表决")
    _locked(meeting)


@transaction.atomic(durable=True)
def add_motion(*, actor, meeting: Meeting, title: str, votes_for: int, votes_against: int, votes_abstain: int,
               written_votes: int = 0) -> Motion:
    """A vote at a 党员大会: the result (quorum, pass) computed by rules.motion_result on the
    attendance as recorded now; the counts are stored with the result and stay (a fact of the meeting)."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("branch").get(pk=meeting.pk)
    _votable(meeting)
    counts = attendance_counts(meeting.attendances.all())
    if meeting.attendance_recorded_at is None or counts["voting_should"] == 0:
        raise _error("请先登记出勤，再记录表决", "no_attendance")
    motion = Motion(meeting=meeting, title=title.strip(), votes_for=votes_for, votes_against=votes_against,
                    votes_abstain=votes_abstain, written_votes=written_votes)
    _apply_result(motion, should_attend=counts["voting_should"], present=counts["voting_present"])
    motion.save()
    audit.record(actor=actor, action=Action.VOTE, obj=motion, organisation=meeting.branch,
                 changes=audit.diff({}, audit.snapshot(motion, MOTION_FIELDS)))
    return motion


@transaction.atomic(durable=True)
def update_motion(*, actor, motion: Motion, title: str, votes_for: int, votes_against: int, votes_abstain: int,
                  written_votes: int = 0, recount: bool = False) -> Motion:
    """Correct a vote until the minutes are finalised. The result is recomputed on the counts stored at
    vote time; `recount=True` takes the attendance as now recorded instead (after a correction)."""
    motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__branch").get(pk=motion.pk)
    meeting = motion.meeting
    _votable(meeting)
    with audit.updating(motion, actor=actor, fields=MOTION_FIELDS, action=Action.MOTION_EDIT,
                        organisation=meeting.branch):
        motion.title, motion.votes_for, motion.votes_against = title.strip(), votes_for, votes_against
        motion.votes_abstain, motion.written_votes = votes_abstain, written_votes
        if recount:
            counts = attendance_counts(meeting.attendances.all())
            should, present = counts["voting_should"], counts["voting_present"]
        else:
            should, present = motion.should_attend, motion.present
        _apply_result(motion, should_attend=should, present=present)
    return motion


@transaction.atomic(durable=True)
def delete_motion(*, actor, motion: Motion) -> None:
    motion = Motion.objects.select_for_update(of=("self",)).select_related("meeting__branch").get(pk=motion.pk)
    meeting = motion.meeting
    if meeting.kind == MeetingKind.PARTY_CONGRESS:
        _locked(meeting)
    audit.record(actor=actor, action=Action.MOTION_DELETE, obj=motion, organisation=meeting.branch,
                 changes=audit.diff(audit.snapshot(motion, MOTION_FIELDS), {}))
    motion.delete()


# --- attachments --------------------------------------------------------------------------------

_MAGIC = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",), "application/pdf": (b"%PDF-",)}


def check_upload(upload) -> str:
    """The content type of an allowed upload (jpg/png/pdf, size ≤ UPLOAD_MAX_BYTES, the content
    matching its extension) or ValidationError."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise _error("只能上传 jpg、png 或 pdf 文件", "upload_type")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise _error(f"文件过大（上限 {limit // (1024 * 1024) or 1}MB）", "upload_too_large")
    if upload.size == 0:
        raise _error("文件为空", "upload_empty")
    content_type = ATTACHMENT_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[content_type]):
        raise _error("文件内容与扩展名不符", "upload_content_mismatch")
    return content_type


@transaction.atomic(durable=True)
def add_attachment(*, actor, meeting: Meeting, upload) -> Attachment:
    content_type = check_upload(upload)
    name = (getattr(upload, "name", "") or "附件").replace("/", "_").replace("\\", "_")[-150:]
    att = Attachment(meeting=meeting, name=name, content_type=content_type, size=upload.size,
                     uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
    att.file.save(name, upload, save=False)
    stored = att.file
    try:
        att.save()
        audit.record(actor=actor, action=Action.ATTACH, obj=att, organisation=meeting.branch,
                     changes={"meeting": meeting.pk, "name": name, "size": upload.size})
    except Exception:
        stored.delete(save=False)
        raise
    return att


@transaction.atomic(durable=True)
def delete_attachment(*, actor, attachment: Attachment) -> None:
    meeting = attachment.meeting
    audit.record(actor=actor, action=Action.DETACH, obj=attachment, organisation=meeting.branch,
                 changes={"meeting": meeting.pk, "name": attachment.name})
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- 谈心谈话 and settings ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_heart_talk(*, actor, branch: Organisation, person_a: Person, person_b: Person, date: dt.date,
                      note: str = "") -> HeartTalk:
    if person_a.pk == person_b.pk:
        raise _error("谈心谈话须为两个人", "talk_same_person")
    if person_a.branch_id != branch.pk or person_b.branch_id != branch.pk:
        raise _error("只能登记本支部人员之间的谈心谈话", "person_foreign")
    if date > clock.today():
        raise _error("日期不能晚于今天", "date_in_future", "date")
    a, b = sorted((person_a, person_b), key=lambda p: p.pk)
    talk = HeartTalk.objects.create(branch=branch, person_a=a, person_b=b, date=date, note=note)
    audit.record(actor=actor, action="create", obj=talk, organisation=branch,
                 changes={"pair": [a.name, b.name], "date": date.isoformat()})
    return talk


@transaction.atomic(durable=True)
def set_config(*, actor, branch: Organisation, frequencies: dict[str, str], signin_before_minutes: int = 30,
               signin_after_minutes: int = 0) -> BranchObligationConfig:
    """Frequencies only where rules.with_frequencies allows it (local practice); defaults are not stored."""
    try:
        obligations = rules.with_frequencies(frequencies)
    except ValueError as exc:
        raise _error(str(exc), "frequency_not_allowed") from None
    defaults = {o.kind: o.frequency for o in rules.DEFAULT_OBLIGATIONS}
    stored = {o.kind: o.frequency for o in obligations if o.frequency != defaults[o.kind]}
    config, _ = BranchObligationConfig.objects.select_for_update().get_or_create(branch=branch)
    audit.update_audited(config, {"frequencies": stored, "signin_before_minutes": signin_before_minutes,
                                  "signin_after_minutes": signin_after_minutes},
                         actor=actor, fields=["frequencies", "signin_before_minutes", "signin_after_minutes"],
                         organisation=branch)
    return config
