"""Every write of 廉政与师德: keyword-only, durable at the entry points the views call, audited in
the same transaction. Refusals are `ValidationError`s with a Chinese message and a `code`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.integrity import rules
from zhibu.integrity.audit_actions import Action
from zhibu.integrity.models import Commitment, Decision, DutyList, Violation
from zhibu.orglife import selectors as orglife_selectors
from zhibu.orglife.models import Meeting
from zhibu.orgs.models import Organisation, OrgKind, Person


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except rules.RuleError as exc:
        raise _error(exc.message, exc.code) from None


def _check_branch_person(branch: Organisation, person: Person) -> None:
    if branch.kind != OrgKind.BRANCH:
        raise _error("须在党支部办理。", "not_branch")
    if person.branch_id != branch.pk or not person.active:
        raise _error("此人不是本支部在册人员。", "person_elsewhere")


def _is_self(actor, person: Person) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and person.user_id == actor.pk)


# --- 廉政责任清单 / 一岗双责 ----------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_duty_list(
    *, actor, branch: Organisation, year: int, person: Person, role_title: str, duties: str
) -> DutyList:
    _check_branch_person(branch, person)
    _rule(rules.check_year, year, clock.today())
    _rule(rules.check_duties, duties)
    if DutyList.objects.filter(branch=branch, year=year, person=person).exists():
        raise _error(f"{person.name}{year}年的廉政责任清单已经登记。", "duty_exists")
    duty = DutyList.objects.create(
        branch=branch, year=year, person=person, role_title=role_title.strip(), duties=duties.strip()
    )
    audit.record(
        actor=actor,
        action=Action.DUTY_CREATE,
        obj=duty,
        organisation=branch,
        changes={"year": year, "person": person.name, "duties": len(duty.lines)},
    )
    return duty


@transaction.atomic(durable=True)
def update_duty_list(*, actor, duty: DutyList, role_title: str, duties: str) -> dict:
    """A changed list must be confirmed again by its person; a checked list is closed."""
    duty = DutyList.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=duty.pk)
    if duty.checked_on:
        raise _error("已年终检查的清单不能修改。", "duty_checked")
    _rule(rules.check_duties, duties)
    with audit.updating(
        duty,
        actor=actor,
        fields=["role_title", "duties", "signed_at"],
        action=Action.DUTY_UPDATE,
        organisation=duty.branch,
    ) as update:
        changed = (role_title.strip(), duties.strip()) != (duty.role_title, duty.duties)
        duty.role_title, duty.duties = role_title.strip(), duties.strip()
        if changed:
            duty.signed_at = None
    return update.changes


@transaction.atomic(durable=True)
def sign_duty_list(*, actor, duty: DutyList) -> DutyList:
    duty = DutyList.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=duty.pk)
    if not _is_self(actor, duty.person):
        raise _error("只能由责任人本人确认。", "not_self")
    if duty.signed_at:
        raise _error("已经确认过了。", "already_signed")
    duty.signed_at = clock.now()
    duty.save(update_fields=["signed_at"])
    audit.record(actor=actor, action=Action.DUTY_SIGN, obj=duty, organisation=duty.branch, changes={"year": duty.year})
    return duty


@transaction.atomic(durable=True)
def check_duty_list(*, actor, duty: DutyList, result: str, note: str = "") -> DutyList:
    duty = DutyList.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=duty.pk)
    today = clock.today()
    if result not in rules.CHECK_LABELS:
        raise _error("请选择检查结果。", "bad_result")
    if not rules.can_check(duty.year, today):
        raise _error(f"年终检查从{duty.year}年12月1日起进行。", "too_early")
    if not duty.signed_at:
        raise _error("责任人尚未确认清单，不能检查。", "not_signed")
    old = duty.check_result
    duty.checked_on, duty.check_result, duty.check_note = today, result, (note or "").strip()[:300]
    duty.save(update_fields=["checked_on", "check_result", "check_note"])
    audit.record(
        actor=actor,
        action=Action.DUTY_CHECK,
        obj=duty,
        organisation=duty.branch,
        changes={"check_result": [old, result], "check_note": duty.check_note},
    )
    return duty


# --- 师德承诺 ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def issue_commitments(*, actor, branch: Organisation, year: int, text: str) -> int:
    """A commitment for every active staff member of the branch who has none for the year."""
    if branch.kind != OrgKind.BRANCH:
        raise _error("须在党支部办理。", "not_branch")
    _rule(rules.check_year, year, clock.today())
    text = (text or "").strip()
    if not text:
        raise _error("请填写承诺内容。", "no_text")
    have = set(Commitment.objects.filter(branch=branch, year=year).values_list("person_id", flat=True))
    people = Person.objects.filter(branch=branch, active=True).exclude(pk__in=have).values_list("pk", flat=True)
    made = Commitment.objects.bulk_create(
        [Commitment(branch=branch, year=year, person_id=pk, text=text) for pk in people], ignore_conflicts=True
    )
    audit.record(
        actor=actor,
        action=Action.COMMITMENTS_ISSUE,
        organisation=branch,
        object_type="integrity.Commitment",
        object_repr=f"{branch.name}{year}年师德承诺书",
        changes={"year": year, "count": len(made)},
    )
    return len(made)


@transaction.atomic(durable=True)
def sign_commitment(*, actor, commitment: Commitment) -> Commitment:
    c = Commitment.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=commitment.pk)
    if not _is_self(actor, c.person):
        raise _error("只能由本人签署。", "not_self")
    if c.signed_at:
        raise _error("已经签署过了。", "already_signed")
    c.signed_at = clock.now()
    c.save(update_fields=["signed_at"])
    audit.record(actor=actor, action=Action.COMMITMENT_SIGN, obj=c, organisation=c.branch, changes={"year": c.year})
    return c


# --- 师德失范 -----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_violation(
    *,
    actor,
    branch: Organisation,
    person: Person,
    date: dt.date,
    description: str,
    handling: str = "",
    veto: bool = True,
    year: int | None = None,
) -> Violation:
    if branch.kind != OrgKind.BRANCH:
        raise _error("须在党支部办理。", "not_branch")
    if person.branch_id != branch.pk:
        raise _error("此人不是本支部人员。", "person_elsewhere")
    _rule(rules.check_violation_date, date, clock.today())
    description = (description or "").strip()
    if not description:
        raise _error("请填写失范行为。", "no_description")
    year = year or date.year
    if not date.year <= year <= date.year + 1:
        raise _error("影响评优的年度须为发生当年或次年。", "bad_year")
    v = Violation.objects.create(
        branch=branch,
        person=person,
        date=date,
        year=year,
        description=description,
        handling=(handling or "").strip(),
        veto=veto,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=Action.VIOLATION_RECORD,
        obj=v,
        organisation=branch,
        changes={"person": person.name, "date": date.isoformat(), "year": year, "veto": veto},
    )
    return v


@transaction.atomic(durable=True)
def withdraw_violation(*, actor, violation: Violation, reason: str) -> Violation:
    """A finding overturned (申诉、复核): kept in the register, no longer a veto."""
    v = Violation.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=violation.pk)
    reason = (reason or "").strip()
    if not reason:
        raise _error("撤销须写明原因。", "no_reason")
    if v.withdrawn_reason:
        raise _error("此登记已经撤销。", "already_withdrawn")
    v.withdrawn_reason = reason[:300]
    v.save(update_fields=["withdrawn_reason"])
    audit.record(actor=actor, action=Action.VIOLATION_WITHDRAW, obj=v, organisation=v.branch, changes={"reason": reason[:200]})
    return v


# --- 三重一大 -------------------------------------------------------------------------------------------


def vote_base(meeting: Meeting) -> tuple[int, int]:
    """(应到, 实到) with a vote, from the meeting's recorded attendance (orglife's counts)."""
    counts = orglife_selectors.attendance_counts(orglife_selectors.attendance_rows(meeting))
    if meeting.kind == rules.CONGRESS:
        return counts["voting_should"], counts["voting_present"]
    return counts["should"], counts["present"]


@transaction.atomic(durable=True)
def record_decision(
    *,
    actor,
    branch: Organisation,
    meeting: Meeting,
    category: str,
    item: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    note: str = "",
) -> Decision:
    if meeting.branch_id != branch.pk:
        raise _error("只能选择本支部的会议。", "meeting_elsewhere")
    if meeting.kind not in rules.DECISION_MEETING_KINDS:
        raise _error("“三重一大”事项须由党员大会或支委会集体决策。", "wrong_meeting_kind")
    if meeting.date > clock.today():
        raise _error("会议尚未召开，不能登记决策。", "meeting_not_held")
    if meeting.attendance_recorded_at is None:
        raise _error("该会议尚未登记出勤，请先在“组织生活”中登记出勤。", "no_attendance")
    if category not in rules.CATEGORY_LABELS:
        raise _error("请选择类别。", "bad_category")
    item = (item or "").strip()
    if not item:
        raise _error("请填写决策事项。", "no_item")
    should, present = vote_base(meeting)
    result = _rule(
        rules.decision_result,
        kind=meeting.kind,
        should_attend=should,
        present=present,
        votes_for=votes_for,
        against=votes_against,
        abstain=votes_abstain,
    )
    try:
        with transaction.atomic():
            d = Decision.objects.create(
                branch=branch,
                category=category,
                item=item,
                meeting=meeting,
                date=meeting.date,
                should_attend=should,
                present=present,
                votes_for=votes_for,
                votes_against=votes_against,
                votes_abstain=votes_abstain,
                passed=result.passed,
                reason=result.reason[:300],
                source=result.source[:100],
                note=(note or "").strip()[:300],
            )
    except IntegrityError:
        raise _error("该会议已登记过同一决策事项。", "decision_exists") from None
    audit.record(
        actor=actor,
        action=Action.DECISION_RECORD,
        obj=d,
        organisation=branch,
        changes={"meeting": str(meeting.pk), "passed": result.passed, "reason": result.reason[:200]},
    )
    return d
