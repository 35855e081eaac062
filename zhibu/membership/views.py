"""Thin views of 组织关系: fetch through zhibu.orgs.access, write through services, render.

Levels: the branch's managers (MANAGE) start transfers, record 回执, the status register and 奖惩;
the managers and the district above (AUDIT) read them; a member (VIEW) sees their own record and asks
for a transfer from it. The district approves within-district transfers in zhibu.approvals."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import docx_response
from zhibu.membership import documents, rules, selectors, services
from zhibu.membership.forms import AskForm, CancelForm, CaseForm, DeclineForm, MeritForm, ReceiptForm, StatusForm
from zhibu.membership.models import CaseKind, CaseState, TransferCase, TransferRequest
from zhibu.orgs import access
from zhibu.orgs.models import Person, Transfer, TransferDirection

RECENT_DAYS = 365


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def _form_page(request, org, form, *, title: str, back: str, intro: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "membership/form.html",
        {"org": org, "form": form, "title": title, "back": back, "intro": intro},
        status=status,
    )


def _save(request, org, form, write, *, title: str, back: str, success: str, intro: str = "") -> HttpResponse:
    if request.method == "POST":
        if form.is_valid():
            try:
                target = write(form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, success)
                return redirect(target or back)
        return _form_page(request, org, form, title=title, back=back, intro=intro, status=400)
    return _form_page(request, org, form, title=title, back=back, intro=intro)


def access_case(request, org, pk) -> TransferCase:
    """A case of the branch that sent it, or of the branch it is going to (read only there)."""
    case = TransferCase.objects.select_related("person", "branch", "to_branch", "district").filter(pk=pk).first()
    if case is None or org.pk not in (case.branch_id, case.to_branch_id):
        raise Http404("未找到")
    return case


# --- pages ----------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    return render(
        request,
        "membership/index.html",
        {
            "org": org,
            "today": today,
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
            "open_cases": list(selectors.open_cases(org)),
            "recent": list(selectors.recent_cases(org, today - dt.timedelta(days=RECENT_DAYS))),
            "requests": list(selectors.open_requests(org)),
            "register": list(selectors.register(org)[:200]),
            "lost": selectors.lost_rows(org, today),
            "incoming": list(selectors.incoming(org, today - dt.timedelta(days=RECENT_DAYS))),
            "lost_source": rules.LOST_TO_STOP.source,
        },
    )


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    return render(
        request,
        "membership/district.html",
        {
            "org": org,
            "today": today,
            "open_cases": list(selectors.open_cases(org)),
            "register": list(selectors.register(org)[:300]),
            "lost": selectors.lost_rows(org, today),
            "lost_source": rules.LOST_TO_STOP.source,
        },
    )


@login_required
def case_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    req = None
    if request.GET.get("request", "").isdigit():
        req = TransferRequest.objects.filter(pk=int(request.GET["request"]), branch=org, state="open").first()
    initial: dict[str, object] = {"dues_paid_to": clock.today().replace(day=1)}
    if req is not None:
        initial.update(person=req.person_id, to_org=req.destination, reason=req.reason)
    elif request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = CaseForm(request.POST or None, branch=org, initial=initial)

    def write(d):
        case = services.start_case(
            actor=request.user,
            branch=org,
            person=d["person"],
            kind=d["kind"],
            reason=d["reason"],
            to_branch=d["to_branch"],
            to_org=d["to_org"],
            dues_paid_to=d["dues_paid_to"],
            valid_days=d["valid_days"],
            request=req,
        )
        return reverse("membership:case", kwargs={"org_id": org.pk, "case_id": case.pk})

    return _save(
        request,
        org,
        form,
        write,
        title="发起组织关系转接",
        back=reverse("membership:index", args=[org.pk]),
        success="已发起。区内转接已报上级党委审批；转出本区的介绍信可下载打印。",
        intro="区内转接（转往本区其他党支部）经上级党委批准后一步完成，党费、发展档案等记录随人转移；"
        "转出本区开具介绍信，收到回执后办结；临时介绍信用于短期外出。",
    )


@login_required
def case(request: HttpRequest, org_id: int, case_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    c = access_case(request, org, case_id)
    from zhibu.approvals import selectors as approvals_selectors

    approval = approvals_selectors.for_subject(c, services.TRANSFER_KIND) if c.kind == CaseKind.WITHIN else None
    can_manage = access.get_scope(request).can(org, access.MANAGE) and org.pk == c.branch_id
    return render(
        request,
        "membership/case.html",
        {
            "org": org,
            "case": c,
            "approval": approval,
            "can_manage": can_manage,
            "today": clock.today(),
            "receipt_form": ReceiptForm(initial={"on": clock.today()}),
            "cancel_form": CancelForm(),
            "letter": c.kind != CaseKind.WITHIN and c.letter_seq is not None,
            "can_resubmit": can_manage
            and c.state == CaseState.PENDING
            and (approval is None or approval.state in ("withdrawn", "returned")),
        },
    )


@login_required
def letter(request: HttpRequest, org_id: int, case_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = access_case(request, org, case_id)
    if c.branch_id != org.pk or c.letter_seq is None:
        raise PermissionDenied("没有介绍信")
    return docx_response(documents.letter(c), f"{documents.letter_title(c)}.docx")


@login_required
def incoming_receipt(request: HttpRequest, org_id: int, transfer_id: int) -> HttpResponse:
    """The 回执 for a 介绍信 received from outside the district."""
    org = _branch(request, org_id, access.MANAGE)
    transfer = access.get_object(
        request,
        Transfer.objects.select_related("person", "branch").filter(direction=TransferDirection.IN),
        transfer_id,
        org=org,
    )
    return docx_response(documents.incoming_receipt(transfer), f"{documents.incoming_receipt_title(transfer)}.docx")


def _act(request, back: str, fn) -> HttpResponse:
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


def _own_case(request, org_id, case_id):
    org = _branch(request, org_id, access.MANAGE)
    c = access_case(request, org, case_id)
    if c.branch_id != org.pk:
        raise PermissionDenied("由转出支部办理")
    return org, c, reverse("membership:case", kwargs={"org_id": org.pk, "case_id": c.pk})


@login_required
@require_POST
def receipt(request: HttpRequest, org_id: int, case_id: int) -> HttpResponse:
    org, c, back = _own_case(request, org_id, case_id)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写回执收到日期。")
        return redirect(back)
    return _act(request, back, lambda: services.record_receipt(actor=request.user, case=c, on=form.cleaned_data["on"]))


@login_required
@require_POST
def cancel(request: HttpRequest, org_id: int, case_id: int) -> HttpResponse:
    org, c, back = _own_case(request, org_id, case_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写撤销原因。")
        return redirect(back)
    return _act(
        request, back, lambda: services.cancel_case(actor=request.user, case=c, reason=form.cleaned_data["reason"])
    )


@login_required
@require_POST
def resubmit(request: HttpRequest, org_id: int, case_id: int) -> HttpResponse:
    org, c, back = _own_case(request, org_id, case_id)
    return _act(request, back, lambda: services.resubmit(actor=request.user, case=c))


@login_required
def status_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    initial: dict[str, object] = {"on": clock.today()}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = StatusForm(request.POST or None, branch=org, initial=initial)

    def write(d):
        services.record_status(
            actor=request.user, branch=org, person=d["person"], kind=d["kind"], on=d["on"], reason=d["reason"]
        )

    return _save(
        request,
        org,
        form,
        write,
        title="登记党籍状态",
        back=reverse("membership:index", args=[org.pk]),
        success="已登记",
        intro="退党、除名、开除党籍、停止党籍、去世：此人移出在册名单，历史记录保留。"
        f"失联：{rules.LOST_TO_STOP.source}；{rules.STOPPED_TO_LAPSE.source}。",
    )


@login_required
def person(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    p = access.access_person(request, org, person_id, access.VIEW)
    scope = access.get_scope(request)
    is_self = p.user_id == request.user.pk
    return render(
        request,
        "membership/person.html",
        {
            "org": org,
            "person": p,
            "is_self": is_self,
            "can_manage": scope.can(org, access.MANAGE),
            "merits": list(selectors.merits_of(p)),
            "status": list(p.membership_status.order_by("-on", "-id")),
            "cases": list(p.membership_cases.select_related("branch", "to_branch").order_by("-started_on", "-id")),
            "requests": list(p.membership_requests.order_by("-asked_on", "-id")),
            "transfers": list(p.transfers.select_related("branch").order_by("-date", "-id")),
        },
    )


@login_required
def merit_new(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    p = access.access_person(request, org, person_id, access.MANAGE)
    form = MeritForm(request.POST or None, initial={"decided_on": clock.today(), "decided_by": org.name})
    back = reverse("membership:person", kwargs={"org_id": org.pk, "person_id": p.pk})

    def write(d):
        services.record_merit(
            actor=request.user,
            branch=org,
            person=p,
            kind=d["kind"],
            title=d["title"],
            decided_on=d["decided_on"],
            decided_by=d["decided_by"],
            reason=d["reason"],
            ends_on=d["ends_on"],
        )

    return _save(
        request,
        org,
        form,
        write,
        title=f"登记党内奖励/处分：{p.name}",
        back=back,
        success="已登记",
        intro=f"党纪处分五种（{rules.PENALTY_SOURCE}）；{rules.VOTING_SOURCE}。",
    )


@login_required
def ask(request: HttpRequest, org_id: int) -> HttpResponse:
    """A member asks for a transfer from their own page."""
    org = _branch(request, org_id, access.VIEW)
    me = Person.objects.filter(user_id=request.user.pk or 0, branch=org, active=True).first()
    if me is None:
        raise PermissionDenied("只有本支部在册党员可以申请")
    form = AskForm(request.POST or None)
    back = reverse("membership:person", kwargs={"org_id": org.pk, "person_id": me.pk})

    def write(d):
        services.ask_transfer(actor=request.user, person=me, destination=d["destination"], reason=d["reason"])

    return _save(
        request, org, form, write, title="申请组织关系转接", back=back, success="申请已提交，支部书记或支委会为你办理。"
    )


@login_required
def decline(request: HttpRequest, org_id: int, request_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    req = cast(
        TransferRequest,
        access.get_object(request, TransferRequest.objects.select_related("person"), request_id, org=org),
    )
    form = DeclineForm(request.POST or None)

    def write(d):
        services.decline_request(actor=request.user, request=req, answer=d["answer"])

    return _save(
        request,
        org,
        form,
        write,
        title=f"答复转接申请：{req.person.name}",
        back=reverse("membership:index", args=[org.pk]),
        success="已答复",
    )
