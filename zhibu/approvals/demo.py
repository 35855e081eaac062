"""Demo requests. The subjects belong to other apps whose demo runs after this one (hooks run in
INSTALLED_APPS order, approvals right after workdays), so `generate` makes nothing itself: each app
that declares kinds calls `bulk_requests` for its own demo rows (development: 预审 waiting, some 打回,
an extension waiting, the history of 发展对象 同意). Bulk inserts only; due dates from the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from zhibu.approvals import kinds
from zhibu.approvals.models import Approval, ApprovalEvent, EventAction, State
from zhibu.core import clock
from zhibu.workdays.selectors import get_calendar


@dataclass
class DemoRequest:
    kind: str
    branch: Any  # Organisation
    subject: Any  # any saved model instance
    title: str
    submitted_on: dt.date
    state: str = State.PENDING
    decided_on: dt.date | None = None
    reason: str = ""
    payload: dict = field(default_factory=dict)


def generate(ctx) -> None:
    """Nothing of its own (see the module's docstring)."""


def bulk_requests(ctx, requests: list[DemoRequest]) -> int:
    if not requests:
        return 0
    calendar = get_calendar()
    admin = ctx.accounts.get("district")
    now = clock.now()
    due_cache: dict[tuple[str, dt.date], dt.date | None] = {}
    types: dict[type, ContentType] = {}
    rows = []
    for r in requests:
        spec = kinds.get(r.kind)
        key = (r.kind, r.submitted_on)
        if key not in due_cache:
            days = spec.deadline_workdays
            due_cache[key] = calendar.add_workdays(r.submitted_on, days).date if days is not None else None
        model = type(r.subject)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        rows.append(
            Approval(
                kind=r.kind,
                branch=r.branch,
                approver_id=r.branch.parent_id or ctx.district.pk,
                subject_type=types[model],
                subject_id=r.subject.pk,
                title=r.title[:200],
                state=r.state,
                submitted_on=r.submitted_on,
                due_on=due_cache[key],
                decided_on=r.decided_on,
                decided_by=admin if r.state in (State.APPROVED, State.RETURNED) else None,
                reason=r.reason,
                payload=r.payload,
                created_at=now,
            )
        )
    Approval.objects.bulk_create(rows, batch_size=2000)
    events = []
    for a in rows:
        events.append(ApprovalEvent(approval=a, action=EventAction.SUBMIT, on=a.submitted_on, at=now))
        if a.state == State.RETURNED:
            events.append(
                ApprovalEvent(
                    approval=a, action=EventAction.RETURN, actor=admin, on=a.submitted_on, reason=a.reason, at=now
                )
            )
        elif a.state == State.APPROVED:
            events.append(
                ApprovalEvent(
                    approval=a, action=EventAction.APPROVE, actor=admin, on=a.decided_on or a.submitted_on, at=now
                )
            )
    ApprovalEvent.objects.bulk_create(events, batch_size=2000)
    return len(rows)
