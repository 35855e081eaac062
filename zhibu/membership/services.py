"""Every write of 组织关系: keyword-only, durable at the entry points views call, audited in the same
transaction. Refusals are `ValidationError`s with a Chinese message and a `code`; nothing is written
then. Who may call what is checked by the views through `zhibu.orgs.access`.

Within the district a transfer waits for the district's approval (zhibu.approvals, kind
"membership.transfer"); `complete_within_step` runs inside the approval's transaction and moves the
person through `zhibu.orgs.services.move_person_step`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max

from zhibu.core import audit, clock
from zhibu.membership import rules
from zhibu.membership.audit_actions import Action
from zhibu.membership.models import (
    OPEN_STATES,
    CaseKind,
    CaseState,
    Merit,
    MeritKind,
    RequestState,
    StatusEvent,
    StatusKind,
    TransferCase,
    TransferRequest,
)
from zhibu.orgs import services as orgs_services
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person

TRANSFER_KIND = "membership.transfer"


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    if field:
        return ValidationError({field: [ValidationError(message, code=code)]})
    return ValidationError(message, code=code)


def _text(value: str | None, limit: int = 200) -> str:
    return (value or "").strip()[:limit]


def _branch_only(branch: Organisation) -> None:
    if branch.kind != OrgKind.BRANCH or branch.parent_id is None:
        raise _error("此项工作在党支部办理。", "not_branch")


def _own(person: Person | None, branch: Organisation, field: str = "person") -> Person:
    if person is None or person.branch_id != branch.pk or not person.active:
        raise _error("不是本支部在册人员。", "person_elsewhere", field)
    if person.standing not in MEMBER_STANDINGS:
        raise _error(f"{person.name}不是党员。", "not_member", field)
    return person


def _not_future(day: dt.date, field: str, what: str) -> None:
    if day > clock.today():
        raise _error(f"{what}不能晚于今天。", "in_future", field)


def _month(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day else None


def _next_seq(district: Organisation, year: int) -> int:
    top = TransferCase.objects.filter(district=district, letter_year=year).aggregate(m=Max("letter_seq"))["m"]
    return (top or 0) + 1


# --- starting a transfer ---------------------------------------------------------------------------


@transaction.atomic(durable=True)
def start_case(
    *,
    actor,
    branch: Organisation,
    person: Person,
    kind: str,
    reason: str,
    to_branch: Organisation | None = None,
    to_org: str = "",
    dues_paid_to: dt.date | None = None,
    valid_days: int | None = None,
    on: dt.date | None = None,
    request: TransferRequest | None = None,
) -> TransferCase:
    """A branch starts a 转接 (within the district: waits for approval; out of it: the 介绍信 is
    issued now and the person leaves the register, the 回执 tracked) or a 临时介绍信 (短期外出)."""
    _branch_only(branch)
    person = _own(person, branch)
    on = on or clock.today()
    _not_future(on, "on", "发起日期")
    reason = _text(reason)
    if not reason:
        raise _error("请填写转接原因。", "reason_required", "reason")
    if kind not in CaseKind.values:
        raise _error("未知的转接类别。", "unknown_kind", "kind")
    dues_paid_to = _month(dues_paid_to)
    if kind != CaseKind.TEMPORARY:
        if dues_paid_to is None:
            raise _error("请填写党费交至哪个月。", "dues_required", "dues_paid_to")
        if dues_paid_to > on.replace(day=1).replace(year=on.year + 1):
            raise _error("党费交至月份不合理（最多预交一年）。", "dues_too_far", "dues_paid_to")
    district = branch.parent
    if district is None:
        raise _error("此项工作在党支部办理。", "not_branch")
    case = TransferCase(
        branch=branch,
        district=district,
        person=person,
        kind=kind,
        reason=reason,
        dues_paid_to=dues_paid_to,
        started_on=on,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if kind == CaseKind.WITHIN:
        if to_branch is None or to_branch.kind != OrgKind.BRANCH or to_branch.parent_id != branch.parent_id:
            raise _error("请选择同一上级党组织下的党支部。", "to_branch_elsewhere", "to_branch")
        if to_branch.pk == branch.pk:
            raise _error("转往支部不能是本支部。", "same_branch", "to_branch")
        case.to_branch, case.state = to_branch, CaseState.PENDING
    else:
        to_org = _text(to_org, 100)
        if not to_org:
            raise _error("请填写转往的党组织（或外出去处）。", "to_org_required", "to_org")
        days = valid_days or rules.letter_days(district.settings)
        low, high = rules.LETTER_DAYS_RANGE
        if not low <= days <= high:
            raise _error(f"有效期应在{low}至{high}天之间。", "valid_days", "valid_days")
        case.to_org, case.state, case.valid_days, case.issued_on = to_org, CaseState.ISSUED, days, on
        case.letter_year, case.letter_seq = on.year, _next_seq(district, on.year)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        raise _error(f"{person.name}已有未完成的组织关系转接。", "case_open", "person") from None
    if kind == CaseKind.OUT:
        orgs_services.leave_register_step(
            actor=actor,
            person=person,
            on=on,
            reason=f"组织关系转出：{to_org}",
            transfer={
                "other_org": to_org,
                "letter_number": case.letter_number,
                "dues_paid_to": dues_paid_to,
                "note": reason,
            },
        )
    if kind == CaseKind.WITHIN:
        _submit(actor=actor, case=case)
    if request is not None:
        _answer(actor=actor, request=request, state=RequestState.STARTED, answer="", case=case)
    audit.record(
        actor=actor,
        action=Action.START,
        obj=case,
        organisation=branch,
        changes=audit.diff(
            {}, audit.snapshot(case, ("kind", "state", "to_org", "dues_paid_to", "reason", "letter_seq", "valid_days"))
        ),
    )
    return case


def _submit(*, actor, case: TransferCase):
    if case.to_branch is None:
        raise _error("请选择转往支部。", "to_branch_required", "to_branch")
    """报上级党委 (zhibu.approvals, kind "membership.transfer"), in the caller's transaction."""
    from zhibu.approvals import services as approvals_services

    return approvals_services.submit_inside(
        actor=actor,
        branch=case.branch,
        kind=TRANSFER_KIND,
        subject=case,
        title=f"组织关系转接：{case.person.name}（{case.branch.name} → {case.to_branch.name}）",
        submitted_on=clock.today(),
        payload={
            "person": case.person.name,
            "to_branch": case.to_branch.name,
            "reason": case.reason,
            "dues_paid_to": case.dues_paid_to.isoformat() if case.dues_paid_to else None,
        },
    )


def _open_approval(case: TransferCase):
    from zhibu.approvals import selectors as approvals_selectors

    approval = approvals_selectors.for_subject(case, TRANSFER_KIND)
    return approval if approval is not None and approval.state in ("pending", "returned") else None


@transaction.atomic(durable=True)
def resubmit(*, actor, case: TransferCase):
    """Send a within-district transfer to the district again (after a 打回 or a withdrawal)."""
    case = (
        TransferCase.objects.select_for_update(of=("self",))
        .select_related("person", "branch", "to_branch")
        .get(pk=case.pk)
    )
    if case.kind != CaseKind.WITHIN or case.state != CaseState.PENDING:
        raise _error("此转接无需报批。", "not_pending")
    return _submit(actor=actor, case=case)


def complete_within_step(*, actor, case: TransferCase, on: dt.date) -> TransferCase:
    """The district approved (zhibu.approvals calls this inside its transaction): the person moves."""
    case = (
        TransferCase.objects.select_for_update(of=("self",))
        .select_related("person", "branch", "to_branch")
        .get(pk=case.pk)
    )
    if case.state != CaseState.PENDING or case.to_branch is None:
        raise _error("此转接已办结或已撤销。", "not_pending")
    orgs_services.move_person_step(
        actor=actor,
        person=case.person,
        to_branch=case.to_branch,
        on=on,
        dues_paid_to=case.dues_paid_to,
        note=case.reason,
    )
    case.state, case.completed_on = CaseState.DONE, on
    case.save(update_fields=["state", "completed_on"])
    audit.record(
        actor=actor,
        action=Action.MOVE,
        obj=case,
        organisation=case.branch,
        changes={"state": [CaseState.PENDING, CaseState.DONE], "completed_on": [None, on.isoformat()]},
    )
    return case


@transaction.atomic(durable=True)
def record_receipt(*, actor, case: TransferCase, on: dt.date) -> TransferCase:
    """回执 received (转出本区), or the member is back (临时介绍信): the case is complete."""
    case = TransferCase.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.ISSUED:
        raise _error("此介绍信不在待回执状态。", "not_issued")
    _not_future(on, "on", "回执日期")
    if case.issued_on and on < case.issued_on:
        raise _error("回执日期不能早于开具日期。", "before_issue", "on")
    audit.update_audited(
        case,
        {"receipt_on": on, "completed_on": on, "state": CaseState.DONE},
        actor=actor,
        fields=("receipt_on", "completed_on", "state"),
        action=Action.RECEIPT,
        organisation=case.branch,
        full_clean=False,
    )
    return case


@transaction.atomic(durable=True)
def cancel_case(*, actor, case: TransferCase, reason: str) -> TransferCase:
    """Withdraw a transfer not yet approved (the approval itself is withdrawn on the 报批 page), or a
    临时介绍信 not used. An issued 转出 letter is not cancelled here: the person already left."""
    case = TransferCase.objects.select_for_update().get(pk=case.pk)
    reason = _text(reason)
    if not reason:
        raise _error("请填写撤销原因。", "reason_required", "reason")
    if case.state not in OPEN_STATES or case.kind == CaseKind.OUT:
        raise _error("此转接不能撤销。", "not_cancellable")
    if case.kind == CaseKind.WITHIN and _open_approval(case) is not None:
        raise _error("此转接已报上级党委：请先在“报批”中撤回。", "approval_open")
    audit.update_audited(
        case,
        {"state": CaseState.CANCELLED, "note": reason},
        actor=actor,
        fields=("state", "note"),
        action=Action.CANCEL,
        organisation=case.branch,
        full_clean=False,
    )
    return case


# --- a member's request -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def ask_transfer(*, actor, person: Person, destination: str, reason: str) -> TransferRequest:
    """A member asks for a transfer from their own page; it lands with the branch managers."""
    if not person.active:
        raise _error("已不在册。", "not_active")
    destination, reason = _text(destination, 100), _text(reason)
    if not destination:
        raise _error("请填写拟转往的单位或党组织。", "destination_required", "destination")
    if not reason:
        raise _error("请填写原因。", "reason_required", "reason")
    try:
        with transaction.atomic():
            req = TransferRequest.objects.create(
                branch=person.branch, person=person, destination=destination, reason=reason, asked_on=clock.today()
            )
    except IntegrityError:
        raise _error("已有一份申请在等待支部办理。", "request_open") from None
    audit.record(
        actor=actor,
        action=Action.ASK,
        obj=req,
        organisation=person.branch,
        changes={"destination": [None, destination], "reason": [None, reason]},
    )
    return req


def _answer(*, actor, request: TransferRequest, state: str, answer: str, case: TransferCase | None = None) -> None:
    req = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if req.state != RequestState.OPEN:
        raise _error("此申请已办理。", "request_done")
    audit.update_audited(
        req,
        {"state": state, "answer": answer, "case": case},
        actor=actor,
        fields=("state", "answer", "case_id"),
        action=Action.ANSWER,
        organisation=req.branch,
        full_clean=False,
    )


@transaction.atomic(durable=True)
def decline_request(*, actor, request: TransferRequest, answer: str) -> None:
    answer = _text(answer)
    if not answer:
        raise _error("请填写答复（为什么暂不办理）。", "answer_required", "answer")
    _answer(actor=actor, request=request, state=RequestState.DECLINED, answer=answer)


# --- the status register ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_status(*, actor, branch: Organisation, person: Person, kind: str, on: dt.date, reason: str) -> StatusEvent:
    """出党 (退党/除名/开除党籍), 停止党籍, death (the person leaves the register), 失联 or 恢复联系."""
    _branch_only(branch)
    if kind not in StatusKind.values:
        raise _error("未知的类别。", "unknown_kind", "kind")
    if person.branch_id != branch.pk:
        raise _error("不是本支部人员。", "person_elsewhere", "person")
    reason = _text(reason, 300)
    if not reason:
        raise _error("请填写原因或依据（如支部大会决议、上级批复）。", "reason_required", "reason")
    _not_future(on, "on", "日期")
    lost = (
        StatusEvent.objects.filter(person=person, kind__in=[StatusKind.LOST, StatusKind.FOUND])
        .order_by("-on", "-id")
        .first()
    )
    is_lost = lost is not None and lost.kind == StatusKind.LOST
    if kind == StatusKind.FOUND and not is_lost:
        raise _error(f"{person.name}未登记失联。", "not_lost", "kind")
    if kind == StatusKind.LOST and lost is not None and is_lost:
        raise _error(f"{person.name}已登记失联（{lost.on:%Y-%m-%d}）。", "already_lost", "kind")
    if (
        kind in (StatusKind.LOST, StatusKind.FOUND, *rules.LEAVING)
        and kind != StatusKind.DIED
        and person.standing not in MEMBER_STANDINGS
    ):
        raise _error(f"{person.name}不是党员。", "not_member", "person")
    if kind != StatusKind.FOUND and not person.active:
        raise _error(f"{person.name}已不在册。", "not_active", "person")
    if lost is not None and on < lost.on:
        raise _error("日期不能早于上一次失联登记。", "before_lost", "on")
    try:
        with transaction.atomic():
            event = StatusEvent.objects.create(
                branch=branch,
                person=person,
                kind=kind,
                on=on,
                reason=reason,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise _error("该登记已存在。", "duplicate") from None
    if kind in rules.LEAVING:
        orgs_services.leave_register_step(
            actor=actor, person=person, on=on, reason=f"{StatusKind(kind).label}：{reason}"
        )
    audit.record(
        actor=actor,
        action=Action.STATUS,
        obj=event,
        organisation=branch,
        changes={"kind": [None, kind], "on": [None, on.isoformat()], "reason": [None, reason]},
    )
    return event


# --- 党内奖励/处分 -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_merit(
    *,
    actor,
    branch: Organisation,
    person: Person,
    kind: str,
    title: str,
    decided_on: dt.date,
    decided_by: str,
    reason: str,
    ends_on: dt.date | None = None,
) -> Merit:
    _branch_only(branch)
    if person.branch_id != branch.pk:
        raise _error("不是本支部人员。", "person_elsewhere", "person")
    if person.standing not in MEMBER_STANDINGS:
        raise _error(f"{person.name}不是党员。", "not_member", "person")
    if kind not in MeritKind.values:
        raise _error("未知的类别。", "unknown_kind", "kind")
    title, decided_by, reason = _text(title, 100), _text(decided_by, 100), _text(reason, 300)
    if not title:
        raise _error("请填写奖励名称或处分种类。", "title_required", "title")
    if not decided_by:
        raise _error("请填写作出决定的党组织。", "decided_by_required", "decided_by")
    if not reason:
        raise _error("请填写事由。", "reason_required", "reason")
    _not_future(decided_on, "decided_on", "决定日期")
    if kind == MeritKind.PENALTY:
        try:
            rules.check_penalty(title, decided_on, ends_on)
        except rules.RuleError as exc:
            raise _error(
                exc.message, exc.code, "ends_on" if "probation" in exc.code or "ends" in exc.code else "title"
            ) from None
    elif ends_on is not None:
        raise _error("奖励没有期满日期。", "ends_only_probation", "ends_on")
    try:
        with transaction.atomic():
            merit = Merit.objects.create(
                branch=branch,
                person=person,
                kind=kind,
                title=title,
                decided_on=decided_on,
                decided_by=decided_by,
                reason=reason,
                ends_on=ends_on,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise _error("该记录已登记。", "duplicate") from None
    audit.record(
        actor=actor,
        action=Action.MERIT,
        obj=merit,
        organisation=branch,
        changes=audit.diff(
            {}, audit.snapshot(merit, ("kind", "title", "decided_on", "decided_by", "reason", "ends_on"))
        ),
    )
    return merit
