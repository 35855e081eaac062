"""Every write of 报批审批: keyword-only, durable at the entry points views call, audited in the same
transaction (zhibu.core.audit). Refusals are `ValidationError`s with a Chinese message and a `code`;
nothing is written then. Who may call what is checked by the views through `access` (the branch's
managers submit and withdraw; the district admin above decides).

A request is approved by `approve`, which runs the kind's `on_approved` in the same transaction: when
the owning app refuses (its rules), nothing is approved. A double click never decides twice: the row
is locked and a decided request is refused (`not_pending`). Apps that submit as part of their own
durable service call the plain helper `submit_inside`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from zhibu.approvals import kinds, rules
from zhibu.approvals.audit_actions import Action
from zhibu.approvals.models import OPEN_STATES, Approval, ApprovalEvent, EventAction, State
from zhibu.core import audit, clock
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.workdays.calendar import WorkdayCalendar
from zhibu.workdays.selectors import get_calendar

FIELDS = ("state", "title", "submitted_on", "due_on", "decided_on", "decided_by_id", "reason", "note", "payload")


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(exc: rules.RuleError) -> ValidationError:
    return _error(exc.message, exc.code)


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def approver_for(branch: Organisation) -> Organisation | None:
    """The organisation that decides a branch's requests: the nearest 党委 above it (基层党委)."""
    ancestors = [pk for pk in branch.ancestor_ids() if pk != branch.pk]
    found = {o.pk: o for o in Organisation.objects.filter(pk__in=ancestors, kind=OrgKind.COMMITTEE)}
    for pk in reversed(ancestors):
        if pk in found:
            return found[pk]
    return None


def due_date(kind: kinds.Kind, submitted_on: dt.date, calendar: WorkdayCalendar | None = None) -> dt.date | None:
    """The deadline: `deadline_workdays` working days after the request reached the committee (the one
    working-day calendar, zhibu.workdays)."""
    if kind.deadline_workdays is None:
        return None
    calendar = calendar or get_calendar()
    return calendar.add_workdays(submitted_on, kind.deadline_workdays).date


def _event(approval: Approval, action: str, *, actor, on: dt.date, reason: str = "") -> ApprovalEvent:
    return ApprovalEvent.objects.create(
        approval=approval, action=action, actor=_user(actor), on=on, reason=reason, at=clock.now()
    )


def _audit(approval: Approval, *, actor, action: str, changes: dict[str, Any]) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=approval,
        organisation=approval.branch,
        object_repr=f"{kinds.label(approval.kind)}：{approval.title}",
        changes=changes,
    )


def submit_inside(
    *,
    actor,
    branch: Organisation,
    kind: str,
    subject: Model,
    title: str,
    submitted_on: dt.date,
    payload: dict | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Approval:
    """`submit` inside the caller's transaction (for an app's own durable service)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submit_inside must be called inside transaction.atomic")
    spec = kinds.get(kind)
    try:
        rules.check_submitted_on(submitted_on, today=clock.today())
    except rules.RuleError as exc:
        raise _rule(exc) from None
    title = (title or "").strip()[: rules.TITLE_MAX]
    if not title:
        raise _error("请填写报批事项。", "title_required")
    if subject is None or subject.pk is None:
        raise _error("报批的记录不存在。", "no_subject")
    approver = approver_for(branch)
    if approver is None:
        raise _error(f"{branch.name}没有上级党委，无需报批。", "no_approver")
    subject_type = ContentType.objects.get_for_model(subject)
    payload = dict(payload or {})
    due_on = due_date(spec, submitted_on, calendar)
    existing = (
        Approval.objects.select_for_update()
        .filter(kind=kind, subject_type=subject_type, subject_id=subject.pk, state__in=OPEN_STATES)
        .first()
    )
    if existing is not None and existing.state == State.PENDING:
        raise _error(
            f"{spec.label}“{existing.title}”已于 {existing.submitted_on} 报上级党委，正在等待审批。", "already_pending"
        )
    if existing is not None:  # returned: fixed and sent again — the same request, a resubmit event
        if existing.branch_id != branch.pk:
            raise _error("该事项由其他组织报送。", "other_branch")
        if submitted_on < existing.submitted_on:
            raise _error(f"重新报送日期不能早于上次报送日期（{existing.submitted_on}）。", "resubmitted_before")
        with audit.updating(existing, actor=actor, fields=FIELDS, action=Action.RESUBMIT, organisation=branch):
            existing.state, existing.title, existing.payload = State.PENDING, title, payload
            existing.submitted_on, existing.due_on = submitted_on, due_on
            existing.submitted_by = _user(actor)
        _event(existing, EventAction.RESUBMIT, actor=actor, on=submitted_on)
        return existing
    approval = Approval(
        kind=kind,
        branch=branch,
        approver=approver,
        subject_type=subject_type,
        subject_id=subject.pk,
        title=title,
        state=State.PENDING,
        submitted_on=submitted_on,
        due_on=due_on,
        payload=payload,
        submitted_by=_user(actor),
        created_at=clock.now(),
    )
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        raise _error(f"{spec.label}“{title}”已报上级党委，正在等待审批。", "already_pending") from None
    _event(approval, EventAction.SUBMIT, actor=actor, on=submitted_on)
    _audit(
        approval,
        actor=actor,
        action=Action.SUBMIT,
        changes={
            "kind": [None, kind],
            "title": [None, title],
            "submitted_on": [None, submitted_on.isoformat()],
            "due_on": [None, due_on.isoformat() if due_on else None],
            "payload": [None, payload],
        },
    )
    return approval


@transaction.atomic(durable=True)
def submit(
    *,
    actor,
    branch: Organisation,
    kind: str,
    subject: Model,
    title: str,
    submitted_on: dt.date,
    payload: dict | None = None,
    calendar: WorkdayCalendar | None = None,
) -> Approval:
    """报上级党委: a new request, or a returned one sent again (same row, a `resubmit` event)."""
    return submit_inside(
        actor=actor,
        branch=branch,
        kind=kind,
        subject=subject,
        title=title,
        submitted_on=submitted_on,
        payload=payload,
        calendar=calendar,
    )


def _locked(approval: Approval) -> Approval:
    return Approval.objects.select_for_update(of=("self",)).select_related("branch", "approver").get(pk=approval.pk)


def _pending(row: Approval) -> None:
    if row.state != State.PENDING:
        raise _error(f"{kinds.label(row.kind)}“{row.title}”{row.get_state_display()}，不能再审批。", "not_pending")


def _approve(*, actor, approval: Approval, on: dt.date, note: str = "") -> Approval:
    row = _locked(approval)
    _pending(row)
    try:
        rules.check_decision_date(on, submitted_on=row.submitted_on, today=clock.today())
    except rules.RuleError as exc:
        raise _rule(exc) from None
    note = (note or "").strip()
    if len(note) > 500:
        raise _error("审批意见不超过 500 字。", "note_too_long")
    spec = kinds.get(row.kind)
    with audit.updating(row, actor=actor, fields=FIELDS, action=Action.APPROVE, organisation=row.branch):
        row.state, row.decided_on, row.decided_by, row.note = State.APPROVED, on, _user(actor), note
    _event(row, EventAction.APPROVE, actor=actor, on=on, reason=note)
    spec.on_approved(row)  # the owning app's records, in this transaction (refused: nothing is approved)
    return row


@transaction.atomic(durable=True)
def approve(*, actor, approval: Approval, on: dt.date, note: str = "") -> Approval:
    """批准, dated `on` (the approval date the subject's records take)."""
    return _approve(actor=actor, approval=approval, on=on, note=note)


@transaction.atomic(durable=True)
def send_back(*, actor, approval: Approval, reason: str) -> Approval:
    """打回 with a reason: the branch fixes and sends it again."""
    try:
        reason = rules.clean_reason(reason)
    except rules.RuleError as exc:
        raise _rule(exc) from None
    row = _locked(approval)
    _pending(row)
    today = clock.today()
    with audit.updating(row, actor=actor, fields=FIELDS, action=Action.RETURN, organisation=row.branch):
        row.state, row.reason, row.decided_by = State.RETURNED, reason, _user(actor)
    _event(row, EventAction.RETURN, actor=actor, on=max(today, row.submitted_on), reason=reason)
    spec = kinds.get(row.kind)
    if spec.on_returned is not None:
        spec.on_returned(row)
    return row


@transaction.atomic(durable=True)
def withdraw(*, actor, approval: Approval) -> Approval:
    """The branch takes back a request not yet decided."""
    row = _locked(approval)
    if row.state not in OPEN_STATES:
        raise _error(f"{kinds.label(row.kind)}“{row.title}”{row.get_state_display()}，不能撤回。", "not_open")
    with audit.updating(row, actor=actor, fields=FIELDS, action=Action.WITHDRAW, organisation=row.branch):
        row.state = State.WITHDRAWN
    _event(row, EventAction.WITHDRAW, actor=actor, on=max(clock.today(), row.submitted_on))
    return row


@dataclass
class BulkResult:
    approved: list[Approval] = field(default_factory=list)
    refused: list[tuple[Approval, str]] = field(default_factory=list)  # (request, why)


@transaction.atomic(durable=True)
def decide_many(*, actor, approvals: Iterable[Approval], on: dt.date, note: str = "") -> BulkResult:
    """Approve several requests with one date. Each is its own savepoint: one the owning app refuses
    (or already decided) is listed with the reason and the others are approved."""
    today = clock.today()
    if on > today:
        raise _error(f"批准日期 {on} 晚于今天（{today}），尚未发生的事项不能登记。", "future_date")
    result = BulkResult()
    for approval in approvals:
        try:
            with transaction.atomic():
                result.approved.append(_approve(actor=actor, approval=approval, on=on, note=note))
        except ValidationError as exc:
            result.refused.append((approval, "；".join(exc.messages)))
    return result
