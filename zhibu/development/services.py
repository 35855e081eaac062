"""Every write of 发展党员 records: keyword-only, atomic, audited (zhibu.core.audit.record).

Permission checks are the caller's (views): MANAGE for records, the branch secretary for overrides.
A step is checked against the rules before it is written (`timeline.blocking`): when a violation
blocks it, `StepBlocked` carries the violations (message and source) unless the secretary gives an
override reason, which is stored (Override) and audited.

The functions views call are durable transactions (style.md #1); steps they share are plain `_helpers`
(`_record_step`), and a person's standing changes through orgs' non-durable `update_person_step`.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.core import audit, clock
from zhibu.development import rules, timeline
from zhibu.development.audit_actions import Action
from zhibu.development.models import (
    GENERATED_KINDS,
    LINK_LIMITS,
    RECORDED_STEPS,
    AnnualQuota,
    Assessment,
    Candidate,
    DocTemplate,
    Document,
    Link,
    LinkRole,
    Override,
    StepRecord,
    ThoughtReport,
)
from zhibu.orgs.models import Organisation, Person, Standing
from zhibu.workdays.calendar import WorkdayCalendar
from zhibu.workdays.selectors import get_calendar

THOUGHT_REPORT_SETTING = "development_thought_report_months"
DEFAULT_THOUGHT_REPORT_MONTHS = 3  # 思想汇报: customarily quarterly (rules.md §2) — configurable per branch

STEP_FIELDS = ("step", "date", "end_date", "actor", "notes", "should_attend", "present", "votes_for", "against",
               "abstain", "secret_ballot", "training_days", "training_hours", "months", "approved_on")
MEETING_FIELDS = ("should_attend", "present", "votes_for", "against", "abstain", "secret_ballot")
LINK_STEPS = {"contacts": LinkRole.CONTACT, "sponsors": LinkRole.SPONSOR}
# The person's standing after a step (only ever moved forward).
STANDING_AFTER = {
    "application": Standing.APPLICANT,
    "activist": Standing.ACTIVIST,
    "candidate": Standing.CANDIDATE,
    "approval": Standing.PROBATIONARY,
    "full_approval": Standing.FULL,
}
STANDING_ORDER = [Standing.MASSES, Standing.APPLICANT, Standing.ACTIVIST, Standing.CANDIDATE,
                  Standing.PROBATIONARY, Standing.FULL]


class StepBlocked(ValidationError):
    """The step breaks a rule (or an earlier, unresolved violation blocks it)."""

    def __init__(self, violations: Sequence[rules.Violation]) -> None:
        self.violations = list(violations)
        super().__init__([f"{v.message}（依据：{v.source}）" for v in self.violations])
        self.code = "step_blocked"


def thought_report_months(branch: Organisation) -> int:
    value = (branch.settings or {}).get(THOUGHT_REPORT_SETTING)
    return int(value) if value else DEFAULT_THOUGHT_REPORT_MONTHS


def _eligible_link(candidate: Candidate, person: Person, role: str) -> None:
    """培养联系人 and 入党介绍人 are 正式党员 of the branch (细则 第9条、第14条)."""
    label = LinkRole(role).label
    if person.pk == candidate.person_id:
        raise ValidationError(f"{label}不能是本人", code="link_self")
    if person.branch_id != candidate.branch_id or not person.active:
        raise ValidationError(f"{person.name} 不是本支部在册人员，不能作{label}", code="link_not_in_branch")
    if person.standing != Standing.FULL:
        raise ValidationError(f"{label}应为正式党员，{person.name} 是{person.get_standing_display()}"
                              f"（依据：发展党员工作细则 {'第9条' if role == LinkRole.CONTACT else '第14条'}）",
                              code="link_not_full_member")


def _check_link_count(role: str, people: Sequence[Person]) -> None:
    n = len(people)
    if role == LinkRole.CONTACT and not 1 <= n <= LINK_LIMITS[role]:
        raise ValidationError(f"培养联系人应为一至两名正式党员，选择了 {n} 名（依据：发展党员工作细则 第9条）",
                              code="contacts_1_to_2")
    if role == LinkRole.SPONSOR and n != LINK_LIMITS[role]:
        raise ValidationError(f"入党介绍人应为两名正式党员，选择了 {n} 名（依据：发展党员工作细则 第14条）",
                              code="sponsors_2")


def _validate_record(record: StepRecord) -> None:
    if record.step not in RECORDED_STEPS:
        raise ValidationError(f"未知步骤：{record.step}", code="unknown_step")
    if record.date is None:
        raise ValidationError("请填写日期", code="date_required")
    if record.step in timeline.SPANS and record.end_date is None:
        raise ValidationError("请填写结束日期", code="end_date_required")
    if record.end_date is not None and record.end_date < record.date:
        raise ValidationError(f"结束日期 {record.end_date} 早于开始日期 {record.date}", code="end_before_start")
    if record.step in timeline.MEETINGS:
        counts = {f: getattr(record, f) for f in MEETING_FIELDS}
        missing = [StepRecord._meta.get_field(f).verbose_name for f, v in counts.items() if v is None]
        if missing:
            raise ValidationError(f"请填写计票结果：{'、'.join(missing)}", code="tally_required")
        if record.present > record.should_attend:
            raise ValidationError("实到人数不能超过应到人数", code="present_above_should")
        if record.votes_for + record.against + record.abstain > record.present:
            raise ValidationError("赞成、反对、弃权票数之和不能超过实到人数", code="votes_above_present")
    if record.step == "training" and record.training_days is None and record.training_hours is None:
        raise ValidationError("请填写培训天数或学时", code="training_amount_required")


def _override(*, actor, candidate: Candidate, violations: Sequence[rules.Violation], reason: str) -> list[Override]:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("记录例外须填写理由", code="override_reason_required")
    made = []
    for v in violations:
        o, _ = Override.objects.update_or_create(
            candidate=candidate, rule=v.rule, step=v.step,
            defaults={"reason": reason, "message": v.message, "created_by": actor if getattr(actor, "pk", None) else None,
                      "created_at": clock.now()},
        )
        audit.record(actor=actor, action="development.override", obj=o, object_repr=f"{candidate.person.name} {v.rule}",
                     organisation=candidate.branch,
                     changes={"rule": [None, v.rule], "step": [None, v.step], "reason": [None, reason],
                              "source": [None, v.source], "message": [None, v.message]})
        made.append(o)
    return made


@transaction.atomic(durable=True)
def add_override(*, actor, candidate: Candidate, rule: str, step: str, reason: str, message: str = "",
                 source: str = "") -> Override:
    """The secretary's override of one violation (rule at step), with a reason."""
    if rule not in rules.RULE_IDS:
        raise ValidationError(f"未知规则：{rule}", code="unknown_rule")
    return _override(actor=actor, candidate=candidate, violations=[rules.Violation(rule, step, message, source)],
                     reason=reason)[0]


def _advance_standing(*, actor, candidate: Candidate, step: str, status: timeline.Status) -> None:
    from zhibu.orgs import services as org_services

    person = Person.objects.get(pk=candidate.person_id)
    if step == rules.CANCELLATION:
        # 取消预备党员资格 (细则 第34条): approved by the 上级党委, the person is no longer a member.
        if status.cancelled and person.standing == Standing.PROBATIONARY:
            org_services.update_person_step(actor=actor, person=person, standing=Standing.MASSES, admitted_on=None)
        return
    target = STANDING_AFTER.get(step)
    if target is None:
        return
    if STANDING_ORDER.index(person.standing) >= STANDING_ORDER.index(target):
        return
    values: dict[str, Any] = {"standing": target}
    if target in (Standing.PROBATIONARY, Standing.FULL):
        meeting = candidate.steps.filter(step="admission_meeting").values_list("date", flat=True).first()
        if meeting:  # 党籍 starts the day the 支部大会 passes the admission (细则 第28条)
            values["admitted_on"] = meeting
            if target == Standing.FULL and status.probation_end:
                values["full_on"] = status.probation_end  # 党龄 from the end of 预备期, extended or not (第33条)
    org_services.update_person_step(actor=actor, person=person, **values)  # in this transaction


def refresh(candidate: Candidate, *, calendar: WorkdayCalendar | None = None,
            as_of: dt.date | None = None) -> timeline.Status:
    """Store the derived status (stage, next step and due date, open violations): `timeline.derive`."""
    calendar = calendar or get_calendar()
    as_of = as_of or clock.today()
    status = timeline.derive(
        candidate, calendar=calendar, as_of=as_of, steps=list(StepRecord.objects.filter(candidate=candidate)),
        links=list(Link.objects.filter(candidate=candidate)),
        assessments=list(Assessment.objects.filter(candidate=candidate)),
        overrides=list(Override.objects.filter(candidate=candidate)))
    values = status.stored()
    Candidate.objects.filter(pk=candidate.pk).update(**values)
    for k, v in values.items():
        setattr(candidate, k, v)
    return status


def _refuse(message: str, code: str) -> None:
    raise ValidationError(message, code=code)


def _check_sequence(candidate: Candidate, record: StepRecord, by_step: dict[str, StepRecord], as_of: dt.date) -> None:
    """What the rules require before a step can be recorded at all (not overridable): the event has
    happened; a vote has the steps before it; nothing follows a vote that failed."""
    step = record.step
    name = rules.step_name(step)
    if record.date > as_of:
        _refuse(f"{name}的日期 {record.date} 晚于今天（{as_of}），尚未发生的事项不能登记", "future_date")
    if record.approved_on is not None and record.approved_on > as_of:
        _refuse(f"上级党委批准日期 {record.approved_on} 晚于今天（{as_of}）", "future_date")
    if record.approved_on is not None and record.approved_on < record.date:
        _refuse(f"上级党委批准日期 {record.approved_on} 早于支部大会（{record.date}）", "approval_before_meeting")
    if step == "admission_meeting":
        missing = [k for k in timeline.BEFORE_ADMISSION if k not in by_step]
        if missing:
            _refuse(f"尚未完成{'、'.join(rules.step_name(k) for k in missing)}，不能召开支部大会讨论接收预备党员"
                    f"（依据：发展党员工作细则 第16、18、19条）", "missing_prerequisites")
    for meeting, after in timeline.AFTER_MEETING.items():
        if step in after and meeting in by_step and timeline.passed(by_step[meeting]) is False:
            _refuse(f"{rules.step_name(meeting)}未通过，不能登记{name}", "meeting_failed")
    if step in (rules.EXTENSION, "full_meeting", rules.CANCELLATION):
        missing = [k for k in timeline.AFTER_ADMISSION if k not in by_step]
        if missing:
            _refuse(f"尚未完成{'、'.join(rules.step_name(k) for k in missing)}，不能{name}", "missing_prerequisites")
        decided = [k for k in (rules.EXTENSION, "full_meeting", rules.CANCELLATION)
                   if k != step and k in by_step and timeline.passed(by_step[k])]
        if step == rules.EXTENSION and decided:
            _refuse(f"已{rules.step_name(decided[0])}，不能再延长预备期（预备期只能延长一次，延长后只能转正或取消资格）",
                    "extension_not_allowed")
        final = [k for k in decided if k != rules.EXTENSION]
        if step != rules.EXTENSION and final:
            _refuse(f"已{rules.step_name(final[0])}，不能再{name}", "probation_decided")
    if step == rules.EXTENSION:
        end = rules.add_years(by_step["admission_meeting"].date, 1)
        if record.date < end:
            _refuse(f"预备期至 {end} 期满，讨论延长预备期的支部大会应在预备期满时召开（依据：发展党员工作细则 第31—32条）",
                    "probation_not_ended")
        if record.months is None:
            _refuse("请填写延长月数", "months_required")
        if not rules.extension_months_valid(record.months):
            _refuse(f"延长预备期应为 6—12 个月，填写了 {record.months} 个月（依据：中国共产党章程 第七条）",
                    "extension_6_to_12_months")


def _from_motion(motion, candidate: Candidate) -> dict[str, Any]:
    """A vote already recorded on a 党员大会 in orglife: its date and tally (read only)."""
    from zhibu.orglife.models import MeetingKind

    meeting = motion.meeting
    if meeting.branch_id != candidate.branch_id or meeting.kind != MeetingKind.PARTY_CONGRESS:
        _refuse("只能引用本支部党员大会的表决", "motion_foreign")
    return {"date": meeting.date, "should_attend": motion.should_attend, "present": motion.present,
            "votes_for": motion.votes_for, "against": motion.votes_against, "abstain": motion.votes_abstain}


@transaction.atomic(durable=True)
def record_step(*, actor, candidate: Candidate, step: str, **values: Any) -> StepRecord:
    """Record (or correct) one step, as its own transaction: `_record_step` (its arguments and refusals)."""
    return _record_step(actor=actor, candidate=candidate, step=step, **values)


def _record_step(
    *,
    actor,
    candidate: Candidate,
    step: str,
    date: dt.date,
    end_date: dt.date | None = None,
    actor_name: str = "",
    notes: str = "",
    should_attend: int | None = None,
    present: int | None = None,
    votes_for: int | None = None,
    against: int | None = None,
    abstain: int | None = None,
    secret_ballot: bool | None = None,
    training_days: Decimal | float | None = None,
    training_hours: Decimal | float | None = None,
    months: int | None = None,
    approved_on: dt.date | None = None,
    motion=None,
    people: Sequence[Person] | None = None,
    override_reason: str = "",
    calendar: WorkdayCalendar | None = None,
    as_of: dt.date | None = None,
) -> StepRecord:
    """Record (or correct) one step. Raises StepBlocked with the violations (message and source) when a
    rule blocks it, unless `override_reason` is given (the secretary's; stored and audited).
    For contacts/sponsors, `people` are the 正式党员 chosen (replacing earlier ones). For a 支部大会,
    `motion` (an orglife Motion of this branch's 党员大会, read through development.selectors) gives the
    date and tally instead of typing them again.

    Refused outright (ValidationError codes): a date after today (future_date); the admission vote
    before 政治审查, 支委会审查, 预审 and 志愿书 (missing_prerequisites); any step after a vote that
    failed (meeting_failed); an extension other than once, 6–12 months, at the end of 预备期."""
    calendar = calendar or get_calendar()
    as_of = as_of or clock.today()
    candidate = Candidate.objects.select_for_update().select_related("person", "branch").get(pk=candidate.pk)
    if motion is not None:
        if step not in timeline.MEETINGS:
            _refuse("只有支部大会步骤可以引用党员大会的表决", "not_a_meeting")
        taken = _from_motion(motion, candidate)
        date, should_attend, present = taken["date"], taken["should_attend"], taken["present"]
        votes_for, against, abstain = taken["votes_for"], taken["against"], taken["abstain"]
        source = f"表决取自 {motion.meeting.date} 党员大会：{motion.title}"
        notes = f"{source}\n{notes}".strip() if source not in (notes or "") else notes
    by_step = {s.step: s for s in StepRecord.objects.filter(candidate=candidate)}
    existing = by_step.get(step)
    role = LINK_STEPS.get(step)
    fields = STEP_FIELDS + ("people",) if role is not None else STEP_FIELDS
    if existing is not None:
        record = existing
    else:  # a new record: every value is logged as new (from None), as for any creation
        record = StepRecord(candidate=candidate)
        for name in STEP_FIELDS:
            setattr(record, name, None)
    # The people chosen (contacts/sponsors) are logged with the step's fields, as one change.
    old_people = (sorted(Link.objects.filter(candidate=candidate, role=role).values_list("person_id", flat=True))
                  if role is not None else [])
    record.people = old_people  # type: ignore[attr-defined]  # not a column: only what the log compares
    with audit.updating(record, actor=actor, fields=fields, action=Action.RECORD_STEP,
                        organisation=candidate.branch,
                        object_repr=f"{candidate.person.name} {rules.step_name(step)} {date}"):
        record.step = step
        record.date, record.end_date = date, end_date
        record.actor, record.notes = (actor_name or "").strip(), notes or ""
        for name, value in (("should_attend", should_attend), ("present", present), ("votes_for", votes_for),
                            ("against", against), ("abstain", abstain), ("secret_ballot", secret_ballot)):
            setattr(record, name, value if step in timeline.MEETINGS else None)
        record.training_days = (Decimal(str(training_days)) if step == "training" and training_days is not None
                                else None)
        record.training_hours = (Decimal(str(training_hours)) if step == "training" and training_hours is not None
                                 else None)
        record.months = months if step == rules.EXTENSION else None
        record.approved_on = approved_on if step in (rules.EXTENSION, rules.CANCELLATION) else None
        record.recorded_by = actor if getattr(actor, "pk", None) else None
        _validate_record(record)
        _check_sequence(candidate, record, by_step, as_of)

        link_counts = {}
        if role is not None:
            people = list(people or [])
            if len({p.pk for p in people}) != len(people):
                raise ValidationError("同一人不能重复选择", code="duplicate_person")
            for p in people:
                _eligible_link(candidate, p, role)
            _check_link_count(role, people)
            link_counts[step] = len(people)
            record.people = sorted(p.pk for p in people)  # type: ignore[attr-defined]

        result = timeline.check(candidate, calendar=calendar, as_of=as_of, replace={step: record},
                                link_counts=link_counts)
        blocked = timeline.blocking(result, step, Override.objects.filter(candidate=candidate))
        if blocked:
            if not (override_reason or "").strip():
                raise StepBlocked(blocked)
            _override(actor=actor, candidate=candidate, violations=blocked, reason=override_reason)

    if role is not None:
        new_people = sorted(p.pk for p in people)
        if old_people != new_people:
            Link.objects.filter(candidate=candidate, role=role).exclude(person_id__in=new_people).delete()
            Link.objects.bulk_create([Link(candidate=candidate, person=p, role=role, since=date)
                                      for p in people if p.pk not in old_people])
        Link.objects.filter(candidate=candidate, role=role).update(since=date)
    status = refresh(candidate, calendar=calendar, as_of=as_of)
    if timeline.passed(record) is not False:  # a failed vote makes nobody a 预备党员 or 正式党员
        _advance_standing(actor=actor, candidate=candidate, step=step, status=status)
    return record


# --- Steps the 上级党委 decides (zhibu.approvals; development/approvals.py) -----------------------------

STEP_RECORD_VALUES = ("date", "end_date", "should_attend", "present", "votes_for", "against", "abstain",
                      "secret_ballot", "training_days", "training_hours", "months")


@transaction.atomic(durable=True)
def request_approval(*, actor, candidate: Candidate, step: str, submitted_on: dt.date, notes: str = "",
                     documents: Sequence[Document] = (), override_reason: str = "",
                     calendar: WorkdayCalendar | None = None):
    """报上级党委: send a step the 上级党委 decides (development/approvals.py), with notes and the
    file's documents as materials. Checked as `record_step` checks a step dated the day it is sent
    (refused outright: future_date, missing_prerequisites, meeting_failed; rule violations: StepBlocked
    unless the secretary's `override_reason`). A 打回 request is sent again (the same request)."""
    from zhibu.approvals import services as approval_services
    from zhibu.development.approvals import APPROVED_ON, STEP_KINDS

    calendar = calendar or get_calendar()
    as_of = clock.today()
    candidate = Candidate.objects.select_for_update().select_related("person", "branch").get(pk=candidate.pk)
    if step not in STEP_KINDS:
        _refuse(f"{rules.step_name(step)}不需报上级党委", "not_approved_step")
    name = rules.step_name(step)
    by_step = {s.step: s for s in StepRecord.objects.filter(candidate=candidate)}
    if submitted_on > as_of:
        _refuse(f"报送日期 {submitted_on} 晚于今天（{as_of}），尚未发生的事项不能登记", "future_date")
    if step in APPROVED_ON:
        meeting = by_step.get(step)
        if meeting is None:
            _refuse(f"请先登记支部大会讨论{name}的表决结果，再报上级党委批准", "meeting_first")
        if meeting.approved_on is not None:
            _refuse(f"{name}已于 {meeting.approved_on} 经上级党委批准", "already_approved")
        if timeline.passed(meeting) is False:
            _refuse(f"支部大会讨论{name}未通过，无需报上级党委批准", "meeting_failed")
        if submitted_on < meeting.date:
            _refuse(f"报送日期 {submitted_on} 早于支部大会（{meeting.date}）", "submitted_before_meeting")
    else:
        if step in by_step:
            _refuse(f"{name}已记录（{by_step[step].date}）", "already_recorded")
        proposed = StepRecord(candidate=candidate, step=step, date=submitted_on)
        _validate_record(proposed)
        _check_sequence(candidate, proposed, by_step, as_of)
        result = timeline.check(candidate, calendar=calendar, as_of=as_of, replace={step: proposed})
        blocked = timeline.blocking(result, step, Override.objects.filter(candidate=candidate))
        if blocked:
            if not (override_reason or "").strip():
                raise StepBlocked(blocked)
            _override(actor=actor, candidate=candidate, violations=blocked, reason=override_reason)
    chosen = [d for d in documents if d.candidate_id == candidate.pk]
    payload = {"step": step, "notes": (notes or "").strip(), "materials": [d.name for d in chosen],
               "documents": [d.pk for d in chosen]}
    return approval_services.submit_inside(
        actor=actor, branch=candidate.branch, kind=STEP_KINDS[step], subject=candidate,
        title=candidate.person.name, submitted_on=submitted_on, payload=payload, calendar=calendar)


def apply_approval(approval) -> StepRecord:
    """The 上级党委 approved `approval` (a kind of development/approvals.py): record the step dated by the
    approval date (for an extension or cancellation, set the 支部大会 record's `approved_on`). Runs in the
    approving transaction (zhibu.approvals.services.approve); audited as any recorded step. A rule the
    approval date breaks (e.g. decided after three months) does not stop the decision being recorded: it
    is kept as an exception naming the approval."""
    from zhibu.development.approvals import APPROVED_ON, KIND_STEPS

    step = KIND_STEPS[approval.kind]
    candidate = Candidate.objects.select_related("person", "branch").get(pk=approval.subject_id)
    on, actor = approval.decided_on, approval.decided_by
    if step in APPROVED_ON:
        meeting = StepRecord.objects.filter(candidate=candidate, step=step).first()
        if meeting is None:
            _refuse(f"{candidate.person.name}的档案中没有支部大会讨论{rules.step_name(step)}的记录", "meeting_first")
        values: dict[str, Any] = {f: getattr(meeting, f) for f in STEP_RECORD_VALUES}
        values.update(actor_name=meeting.actor, notes=meeting.notes, approved_on=on)
    else:
        note = f"报送：{approval.submitted_on}；批准：{on}" + (f"；意见：{approval.note}" if approval.note else "")
        values = {"date": on, "actor_name": approval.approver.name[:100], "notes": note}
    try:
        return _record_step(actor=actor, candidate=candidate, step=step, **values)
    except StepBlocked:
        reason = f"上级党委于 {on} 批准（{approval.approver.name}），以批准日期为准"
        return _record_step(actor=actor, candidate=candidate, step=step, override_reason=reason, **values)


@transaction.atomic(durable=True)
def open_file(*, actor, branch: Organisation, person: Person, application_date: dt.date, notes: str = "",
              override_reason: str = "", calendar: WorkdayCalendar | None = None) -> Candidate:
    """Open a candidate's file with the 入党申请书 (step 1)."""
    if person.branch_id != branch.pk or not person.active:
        raise ValidationError(f"{person.name} 不是本支部在册人员", code="not_in_branch")
    if person.standing in (Standing.PROBATIONARY, Standing.FULL):
        raise ValidationError(f"{person.name} 已是党员", code="already_member")
    if Candidate.objects.filter(person=person).exists():
        raise ValidationError(f"{person.name} 已有发展党员档案", code="file_exists")
    candidate = Candidate.objects.create(branch=branch, person=person)
    audit.record(actor=actor, action="development.open_file", obj=candidate, organisation=branch,
                 changes={"person": [None, person.pk], "application": [None, application_date.isoformat()]})
    _record_step(actor=actor, candidate=candidate, step="application", date=application_date, notes=notes,
                 override_reason=override_reason, calendar=calendar)
    candidate.refresh_from_db()
    return candidate


@transaction.atomic(durable=True)
def enter_tally(*, actor, candidate: Candidate, meeting: str, date: dt.date, should_attend: int, present: int,
                votes_for: int, against: int, abstain: int, secret_ballot: bool = True, notes: str = "",
                actor_name: str = "", override_reason: str = "",
                calendar: WorkdayCalendar | None = None) -> dict[str, Any]:
    """Enter the 支部大会 ballot tally; the result (通过/未通过) is computed by the rules (quorum,
    vote_pass: 支部工作条例 第11条, 细则 第20条)."""
    if meeting not in timeline.MEETINGS:
        raise ValidationError(f"不是支部大会步骤：{meeting}", code="not_a_meeting")
    calendar = calendar or get_calendar()
    record = _record_step(actor=actor, candidate=candidate, step=meeting, date=date, should_attend=should_attend,
                          present=present, votes_for=votes_for, against=against, abstain=abstain,
                          secret_ballot=secret_ballot, notes=notes, actor_name=actor_name,
                          override_reason=override_reason, calendar=calendar)
    result = timeline.check(candidate, calendar=calendar, as_of=clock.today())
    return timeline.meeting_outcome(result, meeting, record)


@transaction.atomic(durable=True)
def record_thought_report(*, actor, candidate: Candidate, received_on: dt.date, notes: str = "") -> ThoughtReport:
    if received_on > clock.today():
        _refuse(f"收到日期 {received_on} 晚于今天，尚未发生的事项不能登记", "future_date")
    if ThoughtReport.objects.filter(candidate=candidate, received_on=received_on).exists():
        raise ValidationError(f"{received_on} 已登记过思想汇报", code="duplicate")
    report = ThoughtReport.objects.create(candidate=candidate, received_on=received_on, notes=(notes or "")[:200])
    audit.record(actor=actor, action="development.thought_report", obj=report,
                 object_repr=f"{candidate.person.name} 思想汇报 {received_on}", organisation=candidate.branch,
                 changes={"received_on": [None, received_on.isoformat()]})
    return report


@transaction.atomic(durable=True)
def record_assessment(*, actor, candidate: Candidate, date: dt.date, assessor: str = "", summary: str = "",
                      calendar: WorkdayCalendar | None = None) -> Assessment:
    """A half-yearly 培养教育考察 (细则 第11条)."""
    if date > clock.today():
        _refuse(f"考察日期 {date} 晚于今天，尚未发生的事项不能登记", "future_date")
    if Assessment.objects.filter(candidate=candidate, date=date).exists():
        raise ValidationError(f"{date} 已登记过考察", code="duplicate")
    a = Assessment.objects.create(candidate=candidate, date=date, assessor=(assessor or "")[:100], summary=summary or "")
    audit.record(actor=actor, action="development.assessment", obj=a,
                 object_repr=f"{candidate.person.name} 培养考察 {date}", organisation=candidate.branch,
                 changes={"date": [None, date.isoformat()], "assessor": [None, a.assessor]})
    refresh(candidate, calendar=calendar)
    return a


@transaction.atomic(durable=True)
def set_quota(*, actor, branch: Organisation, year: int, planned: int) -> AnnualQuota:
    if not 2000 <= year <= 2100:
        raise ValidationError("年度不正确", code="year_range")
    if planned < 0 or planned > 100:
        raise ValidationError("计划人数应在 0—100 之间", code="quota_range")
    row = AnnualQuota.objects.select_for_update().filter(branch=branch, year=year).first()
    old = row.planned if row else None
    row = row or AnnualQuota(branch=branch, year=year)
    row.planned = planned
    row.save()
    audit.record(actor=actor, action="development.set_quota", obj=row, organisation=branch,
                 changes={"planned": [old, planned], "year": [None, year]})
    return row


@transaction.atomic(durable=True)
def set_thought_report_months(*, actor, branch: Organisation, months: int) -> int:
    """How often 积极分子 hand in a 思想汇报 in this branch (local practice; default quarterly)."""
    if not 1 <= months <= 12:
        raise ValidationError("思想汇报频次应为 1—12 个月一次", code="frequency_range")
    org = Organisation.objects.select_for_update().get(pk=branch.pk)
    old = thought_report_months(org)
    org.settings = {**(org.settings or {}), THOUGHT_REPORT_SETTING: months}
    org.save(update_fields=["settings"])
    branch.settings = org.settings
    audit.record(actor=actor, action="development.thought_report_frequency", obj=org, organisation=org,
                 changes={THOUGHT_REPORT_SETTING: [old, months]})
    return months


def _check_size(content: bytes) -> None:
    if len(content) > getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024):
        raise ValidationError("文件过大", code="file_too_large")
    if not content:
        raise ValidationError("文件为空", code="file_empty")


@transaction.atomic(durable=True)
def save_document(*, actor, candidate: Candidate, kind: str, name: str, content: bytes, generated: bool,
                  step: str = "") -> Document:
    """Keep an uploaded or generated file in the candidate's file."""
    _check_size(content)
    name = (name or "").strip()[:150] or "材料"
    doc = Document.objects.create(candidate=candidate, kind=kind, step=step, name=name, content=content,
                                  size=len(content), generated=generated,
                                  created_by=actor if getattr(actor, "pk", None) else None, created_at=clock.now())
    audit.record(actor=actor, action="development.generate_document" if generated else "development.upload_document",
                 obj=doc, object_repr=f"{candidate.person.name} {name}", organisation=candidate.branch,
                 changes={"kind": [None, kind], "name": [None, name], "size": [None, len(content)]})
    return doc


@transaction.atomic(durable=True)
def upload_template(*, actor, organisation: Organisation, kind: str, name: str, content: bytes) -> DocTemplate:
    """A branch's or district's own template for one kind (it must open as .docx)."""
    import docx

    if kind not in GENERATED_KINDS:
        raise ValidationError("未知的模板类别", code="unknown_kind")
    _check_size(content)
    try:
        docx.Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - any parse failure means: not a .docx
        raise ValidationError("不是有效的 .docx 文件", code="not_docx") from None
    row = DocTemplate.objects.select_for_update().filter(organisation=organisation, kind=kind).first()
    old = row.name if row else None
    row = row or DocTemplate(organisation=organisation, kind=kind)
    row.name, row.content = (name or f"{kind}.docx")[:150], content
    row.uploaded_by, row.uploaded_at = (actor if getattr(actor, "pk", None) else None), clock.now()
    row.save()
    audit.record(actor=actor, action="development.upload_template", obj=row, object_repr=f"{organisation} {kind}",
                 organisation=organisation, changes={"kind": [None, kind], "name": [old, row.name]})
    return row


@transaction.atomic(durable=True)
def remove_template(*, actor, organisation: Organisation, kind: str) -> bool:
    row = DocTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if row is None:
        return False
    audit.record(actor=actor, action="development.remove_template", obj=row, object_repr=f"{organisation} {kind}",
                 organisation=organisation, changes={"name": [row.name, None]})
    row.delete()
    return True


def move_file_step(*, actor, person: Person, to_branch: Organisation) -> None:
    """组织关系 moved within the district (zhibu.membership's move, through development/moves.py): the
    person's 发展党员 file follows them to the new branch, its steps and dates unchanged."""
    for candidate in Candidate.objects.select_for_update().filter(person=person).exclude(branch=to_branch):
        audit.record(actor=actor, action="update", obj=candidate, organisation=to_branch,
                     changes={"branch": [candidate.branch_id, to_branch.pk]})
        candidate.branch = to_branch
        candidate.save(update_fields=["branch"])
