"""Reads of 报批审批: the district's inbox (one list across every branch below, oldest first), a
branch's requests, the latest request about one subject, and the counts for the home panels. Every
list is a fixed number of queries, whatever the number of branches or rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, Q, QuerySet

from zhibu.approvals import kinds
from zhibu.approvals.models import OPEN_STATES, Approval, State


def for_subject(subject: Model, kind: str | None = None) -> Approval | None:
    """The latest request about `subject` (of `kind`, or of any kind)."""
    if subject is None or subject.pk is None:
        return None
    qs = Approval.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.select_related("branch", "decided_by").order_by("-created_at", "-id").first()


def for_subject_by_kind(subject: Model, kinds_: list[str] | None = None) -> dict[str, Approval]:
    """The latest request of each kind about `subject` (one query)."""
    if subject is None or subject.pk is None:
        return {}
    qs = Approval.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    if kinds_ is not None:
        qs = qs.filter(kind__in=kinds_)
    out: dict[str, Approval] = {}
    for a in qs.order_by("created_at", "id"):
        out[a.kind] = a
    return out


def under(org) -> QuerySet[Approval]:
    """Requests decided by `org` or by a committee below it."""
    return Approval.objects.filter(approver__path__startswith=org.path)


def subject_url(approval: Approval) -> str:
    kind = kinds.registry().get(approval.kind)
    if kind is None or kind.subject_url is None:
        return ""
    return kind.subject_url(approval)


@dataclass
class Row:
    approval: Approval
    label: str
    overdue: bool
    url: str


def rows(approvals, today: dt.date) -> list[Row]:
    return [Row(a, kinds.label(a.kind), a.overdue(today), subject_url(a)) for a in approvals]


def inbox(org, *, kind: str = "", state: str = State.PENDING) -> QuerySet[Approval]:
    """The district's list: oldest first (by the date the request reached it)."""
    qs = under(org).select_related("branch")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("submitted_on", "id")


def branch_requests(branch) -> QuerySet[Approval]:
    """A branch's requests: open ones first (打回 before pending), then the decided, newest first."""
    return Approval.objects.filter(branch=branch).select_related("decided_by").order_by("-created_at", "-id")


def detail(approval_id: int, org) -> Approval | None:
    return (
        Approval.objects.filter(pk=approval_id, branch__path__startswith=org.path)
        .select_related("branch", "approver", "decided_by", "submitted_by")
        .first()
    )


def counts_for_district(org, today: dt.date) -> dict[str, int]:
    """待审批 N（超期 M）: one query."""
    return under(org).aggregate(
        pending=Count("id", filter=Q(state=State.PENDING)),
        overdue=Count("id", filter=Q(state=State.PENDING, due_on__lt=today)),
    )


def returned_count(branch) -> int:
    return Approval.objects.filter(branch=branch, state=State.RETURNED).count()


def open_for_branch(branch) -> QuerySet[Approval]:
    return Approval.objects.filter(branch=branch, state__in=OPEN_STATES)
