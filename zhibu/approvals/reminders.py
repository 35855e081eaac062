"""Reminders for `zhibu remind`: the district admins about pending requests past their deadline (one
reminder per committee and day it became overdue: the oldest due date names it); the branch's
secretary and committee about requests sent back (打回) and not yet sent again (per request and 打回
date). Keys name what they remind about, so each goes once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Max
from django.urls import reverse

from zhibu.approvals import kinds
from zhibu.approvals.models import Approval, ApprovalEvent, EventAction, State
from zhibu.core.notify import Reminder
from zhibu.orgs.models import MANAGER_ROLES, Role, RoleKind


def _users(org_ids, roles) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for role in Role.objects.filter(organisation_id__in=set(org_ids), role__in=list(roles)).select_related("user"):
        if role.user not in out[role.organisation_id]:
            out[role.organisation_id].append(role.user)
    return out


def _stamp(at) -> str:
    return at.strftime("%Y%m%dT%H%M%S") if at else ""


def collect(today: dt.date) -> Iterable[Reminder]:
    out: list[Reminder] = []
    overdue = list(
        Approval.objects.filter(state=State.PENDING, due_on__lt=today)
        .select_related("approver")
        .only("id", "due_on", "approver__id", "approver__name")
        .order_by("due_on", "id")
    )
    by_approver: dict[int, list[Approval]] = defaultdict(list)
    for a in overdue:
        by_approver[a.approver_id].append(a)
    admins = _users(by_approver, [RoleKind.DISTRICT_ADMIN])
    for approver_id, items in by_approver.items():
        users = admins.get(approver_id)
        if not users:
            continue
        org = items[0].approver
        out.append(
            Reminder(
                key=f"approvals:overdue:org={approver_id}:{today.isoformat()}",
                users=tuple(users),
                organisation=org,
                url=reverse("approvals:inbox", kwargs={"org_id": approver_id}),
                title=f"报批事项超期未审批 {len(items)} 件",
                body=f"{org.name}：有 {len(items)} 件下级党支部的报批事项已超过审批期限"
                f"（最早的期限为 {items[0].due_on}），请及时审批或打回。",
            )
        )
    returned = list(
        Approval.objects.filter(state=State.RETURNED)
        .select_related("branch")
        .only("id", "kind", "title", "reason", "branch__id", "branch__name")
    )
    managers = _users([a.branch_id for a in returned], MANAGER_ROLES)
    last_return = dict(
        ApprovalEvent.objects.filter(approval_id__in=[a.pk for a in returned], action=EventAction.RETURN)
        .values("approval_id")
        .annotate(last=Max("at"))
        .values_list("approval_id", "last")
    )
    for a in returned:
        users = managers.get(a.branch_id)
        if not users:
            continue
        out.append(
            Reminder(
                key=f"approvals:returned:id={a.pk}:{_stamp(last_return.get(a.pk))}",
                users=tuple(users),
                organisation=a.branch,
                url=reverse("approvals:branch", kwargs={"org_id": a.branch_id}),
                title=f"被打回待重新报送：{kinds.label(a.kind)}：{a.title}",
                body=f"{a.branch.name}：{kinds.label(a.kind)}“{a.title}”被上级党委打回，理由：{a.reason}。"
                "请补正后在原始记录页面重新报送。",
            )
        )
    return out
