"""Thin views of 报批审批: the district's inbox (decide one by one or in bulk), one request with its
log, a branch's requests. Fetch through zhibu.orgs.access; write through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhibu.approvals import kinds, selectors, services
from zhibu.approvals.forms import ApproveForm, BulkApproveForm, FilterForm, ReturnForm
from zhibu.approvals.models import State
from zhibu.core import clock
from zhibu.core.forms import apply_validation_error
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind

PAGE_SIZE = 100


def _is_branch_level(org) -> bool:
    return org.kind in (OrgKind.BRANCH, OrgKind.GROUP)


@login_required
def inbox(request: HttpRequest, org_id: int) -> HttpResponse:
    """The district's one list across every branch below: oldest first, overdue marked."""
    org = access.get_org(request, org_id, access.AUDIT)
    if _is_branch_level(org):
        return redirect("approvals:branch", org_id=org.pk if org.kind == OrgKind.BRANCH else org.parent_id)
    scope = access.get_scope(request)
    can_decide = scope.can(org, access.ADMIN)
    filters = FilterForm(request.GET or None)
    kind, state = filters.values()
    today = clock.today()
    bulk = None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied("只有上级党委管理员可以审批")
        pending = selectors.inbox(org, kind=kind, state=State.PENDING)
        bulk = BulkApproveForm(request.POST, ids=pending.values_list("pk", flat=True))
        if bulk.is_valid():
            chosen = list(pending.filter(pk__in=bulk.cleaned_data["ids"]))
            try:
                result = services.decide_many(
                    actor=request.user, approvals=chosen, on=bulk.cleaned_data["on"], note=bulk.cleaned_data["note"]
                )
            except ValidationError as exc:
                apply_validation_error(bulk, exc)
            else:
                if result.approved:
                    messages.success(request, f"已批准 {len(result.approved)} 件，批准日期 {bulk.cleaned_data['on']}。")
                for a, why in result.refused:
                    messages.error(request, f"未能批准“{a.title}”（{a.branch.name}）：{why}")
                return redirect(request.get_full_path())
    page = Paginator(selectors.inbox(org, kind=kind, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.rows(page.object_list, today)
    if bulk is None:
        bulk = BulkApproveForm(initial={"on": today})
    return render(
        request,
        "approvals/inbox.html",
        {
            "org": org,
            "rows": rows,
            "page": page,
            "filters": filters,
            "bulk": bulk,
            "can_decide": can_decide,
            "state": state,
            "kind": kind,
            "today": today,
            "query": request.GET.urlencode(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request: HttpRequest, org_id: int, approval_id: int) -> HttpResponse:
    """One request: what was asked, the subject, the log; the district decides here (批准 with a
    date, 打回 with a reason), the branch may withdraw one not yet decided."""
    org = access.get_org(request, org_id, access.AUDIT)
    approval = selectors.detail(approval_id, org)
    if approval is None:
        raise Http404("未找到")
    scope = access.get_scope(request)
    can_decide = approval.state == State.PENDING and scope.can(approval.approver, access.ADMIN)
    can_withdraw = approval.is_open and scope.can(approval.branch, access.MANAGE)
    approve_form = ApproveForm(initial={"on": clock.today()})
    return_form = ReturnForm()
    back = reverse("approvals:detail", kwargs={"org_id": org.pk, "approval_id": approval.pk})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "approve":
                if not can_decide:
                    raise PermissionDenied("只有上级党委管理员可以审批待审批的事项")
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    services.approve(actor=request.user, approval=approval, **approve_form.cleaned_data)
                    messages.success(request, f"已批准：{approval.title}（{approve_form.cleaned_data['on']}）")
                    return redirect(back)
            elif action == "return":
                if not can_decide:
                    raise PermissionDenied("只有上级党委管理员可以打回待审批的事项")
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.send_back(actor=request.user, approval=approval, **return_form.cleaned_data)
                    messages.success(request, f"已打回：{approval.title}")
                    return redirect(back)
            elif action == "withdraw":
                if not can_withdraw:
                    raise PermissionDenied("只有报送支部的书记、支委可以撤回未决定的事项")
                services.withdraw(actor=request.user, approval=approval)
                messages.success(request, f"已撤回：{approval.title}")
                return redirect(back)
            elif not (can_decide or can_withdraw):
                raise PermissionDenied("没有权限")
            else:
                messages.error(request, "请选择批准、打回或撤回。")
        except ValidationError as exc:
            form = approve_form if action == "approve" else return_form
            apply_validation_error(form, exc)
            if action == "withdraw":
                messages.error(request, "；".join(exc.messages))
    events = list(approval.events.select_related("actor"))
    return render(
        request,
        "approvals/detail.html",
        {
            "org": org,
            "a": approval,
            "label": kinds.label(approval.kind),
            "subject_url": selectors.subject_url(approval),
            "events": events,
            "can_decide": can_decide,
            "can_withdraw": can_withdraw,
            "approve_form": approve_form,
            "return_form": return_form,
            "overdue": approval.overdue(clock.today()),
            "source": getattr(kinds.registry().get(approval.kind), "source", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def branch(request: HttpRequest, org_id: int) -> HttpResponse:
    """A branch's requests: state, 打回 reasons, where to fix and resubmit."""
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind == OrgKind.GROUP:
        return redirect("approvals:branch", org_id=org.parent_id)
    if not _is_branch_level(org):
        return redirect("approvals:inbox", org_id=org.pk)
    page = Paginator(selectors.branch_requests(org), PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    rows = selectors.rows(page.object_list, today)
    return render(
        request,
        "approvals/branch.html",
        {
            "org": org,
            "rows": rows,
            "page": page,
            "today": today,
            "returned": [r for r in rows if r.approval.state == State.RETURNED],
        },
    )
