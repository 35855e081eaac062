"""Thin views of 廉政与师德: fetch through zhibu.orgs.access (and `access_*` below), write through
services, render. Lists are read by the branch managers and the district (AUDIT), written by the
managers (MANAGE); a list or commitment is confirmed only by its own person; the year-end check is
for the branch managers and the district admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.integrity import exports, rules, selectors, services
from zhibu.integrity.forms import (
    CheckForm,
    DecisionForm,
    DutyEditForm,
    DutyForm,
    IssueForm,
    ViolationForm,
    WithdrawForm,
)
from zhibu.integrity.models import Commitment, DutyList, Violation
from zhibu.orgs import access


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def _own_or(request: HttpRequest, org, person, need: str = access.AUDIT) -> None:
    if person.user_id != request.user.pk and not access.get_scope(request).can(org, need):
        raise PermissionDenied("只能查看本人的记录")


def access_duty(request: HttpRequest, org, pk: int) -> DutyList:
    duty = access.get_object(request, DutyList.objects.select_related("person", "branch"), pk, org=org)
    assert isinstance(duty, DutyList)
    _own_or(request, org, duty.person)
    return duty


def access_commitment(request: HttpRequest, org, pk: int) -> Commitment:
    c = access.get_object(request, Commitment.objects.select_related("person", "branch"), pk, org=org)
    assert isinstance(c, Commitment)
    _own_or(request, org, c.person)
    return c


def can_check(request: HttpRequest, org) -> bool:
    scope = access.get_scope(request)
    return scope.can(org, access.MANAGE) or scope.can(org, access.ADMIN)


def _year(request: HttpRequest) -> tuple[int, str]:
    year, _month, message = PeriodQueryForm.period(request.GET)
    return year, message


def _errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


@login_required
@never_cache
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    if not access.get_scope(request).can(org, access.AUDIT):
        return redirect("integrity:mine", org.pk)
    year, message = _year(request)
    duties = selectors.duty_lists(org, year)
    commitments = selectors.commitments(org, year)
    return render(
        request,
        "integrity/index.html",
        {
            "org": org,
            "year": year,
            "query_error": message,
            "duties": duties,
            "commitments": commitments,
            "signed": sum(1 for c in commitments if c.signed_at),
            "violations": selectors.violations(org, year),
            "decisions": selectors.decisions(org, year),
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
            "check_labels": rules.CHECK_LABELS,
            "category_labels": rules.CATEGORY_LABELS,
        },
    )


@login_required
@never_cache
def mine(request: HttpRequest, org_id: int) -> HttpResponse:
    """My 廉政责任清单 and 师德承诺书: read and confirm on a phone."""
    org = _branch(request, org_id, access.VIEW)
    return render(request, "integrity/mine.html", {"org": org, "mine": selectors.mine(org, request.user)})


@login_required
def duty_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = DutyForm(request.POST or None, branch=org, initial={"year": clock.today().year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                duty = services.create_duty_list(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "廉政责任清单已登记，请责任人本人登录后确认。")
                return redirect("integrity:duty", org.pk, duty.pk)
        status = 400
    return render(request, "integrity/form.html", {"org": org, "form": form, "title": "登记廉政责任清单"}, status=status)


@login_required
@never_cache
def duty(request: HttpRequest, org_id: int, duty_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    d = access_duty(request, org, duty_id)
    today = clock.today()
    return render(
        request,
        "integrity/duty.html",
        {
            "org": org,
            "duty": d,
            "own": d.person.user_id == request.user.pk,
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
            "can_check": can_check(request, org) and rules.can_check(d.year, today) and bool(d.signed_at),
            "check_from": f"{d.year}年12月1日",
            "check_form": CheckForm(),
            "check_label": rules.CHECK_LABELS.get(d.check_result, ""),
        },
    )


@login_required
def duty_edit(request: HttpRequest, org_id: int, duty_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    d = access_duty(request, org, duty_id)
    form = DutyEditForm(request.POST or None, initial={"role_title": d.role_title, "duties": d.duties})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_duty_list(actor=request.user, duty=d, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存；内容有改动的，须由责任人重新确认。")
                return redirect("integrity:duty", org.pk, d.pk)
        status = 400
    return render(
        request, "integrity/form.html", {"org": org, "form": form, "title": f"修改：{d}"}, status=status
    )


def _act(request, fn, success: str, back) -> HttpResponse:
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, success)
    return back


@login_required
@require_POST
def duty_sign(request: HttpRequest, org_id: int, duty_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    d = access_duty(request, org, duty_id)
    if d.person.user_id != request.user.pk:
        raise PermissionDenied("只能由责任人本人确认")
    return _act(request, lambda: services.sign_duty_list(actor=request.user, duty=d), "已确认。",
                redirect("integrity:duty", org.pk, d.pk))


@login_required
@require_POST
def duty_check(request: HttpRequest, org_id: int, duty_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    if not can_check(request, org):
        raise PermissionDenied("年终检查由支部委员会或上级党组织进行")
    d = access_duty(request, org, duty_id)
    form = CheckForm(request.POST)
    back = redirect("integrity:duty", org.pk, d.pk)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    return _act(request, lambda: services.check_duty_list(actor=request.user, duty=d, **form.cleaned_data),
                "年终检查已登记。", back)


@login_required
def commitments_issue(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = IssueForm(request.POST or None, initial={"year": clock.today().year, "text": rules.DEFAULT_COMMITMENT})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.issue_commitments(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已向{n}名教职工发放师德承诺书，请本人登录后签署。")
                return redirect(f"{_index_url(org)}?year={form.cleaned_data['year']}")
        status = 400
    return render(request, "integrity/form.html", {"org": org, "form": form, "title": "发放师德承诺书",
                                                   "hint": "为本支部全部在册教职工（含非党员）生成本年度承诺书；已有承诺书的不重复生成。"},
                  status=status)


def _index_url(org) -> str:
    from django.urls import reverse

    return reverse("integrity:index", args=[org.pk])


@login_required
@never_cache
def commitment(request: HttpRequest, org_id: int, commitment_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    c = access_commitment(request, org, commitment_id)
    return render(request, "integrity/commitment.html",
                  {"org": org, "c": c, "own": c.person.user_id == request.user.pk})


@login_required
@require_POST
def commitment_sign(request: HttpRequest, org_id: int, commitment_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    c = access_commitment(request, org, commitment_id)
    if c.person.user_id != request.user.pk:
        raise PermissionDenied("只能由本人签署")
    return _act(request, lambda: services.sign_commitment(actor=request.user, commitment=c), "承诺书已签署。",
                redirect("integrity:commitment", org.pk, c.pk))


@login_required
def violation_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = ViolationForm(request.POST or None, branch=org, initial={"veto": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                v = services.record_violation(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已登记。")
                return redirect(f"{_index_url(org)}?year={v.year}")
        status = 400
    return render(request, "integrity/form.html", {"org": org, "form": form, "title": "登记师德失范行为",
                                                   "hint": rules.VETO_SOURCE + "：勾选后，当事人当年不能被推荐评优。"},
                  status=status)


@login_required
@require_POST
def violation_withdraw(request: HttpRequest, org_id: int, violation_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    v = access.get_object(request, Violation.objects.select_related("person"), violation_id, org=org)
    assert isinstance(v, Violation)
    form = WithdrawForm(request.POST)
    back = redirect(f"{_index_url(org)}?year={v.year}")
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    return _act(request, lambda: services.withdraw_violation(actor=request.user, violation=v,
                                                             reason=form.cleaned_data["reason"]), "已撤销。", back)


@login_required
def decision_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    year, _message = _year(request)
    today = clock.today()
    meetings = selectors.decision_meetings(org, year, today)
    if year != today.year:
        meetings += selectors.decision_meetings(org, today.year, today)
    form = DecisionForm(request.POST or None, meetings=meetings)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                d = services.record_decision(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已登记：{d.reason}。")
                return redirect(f"{_index_url(org)}?year={d.date.year}")
        status = 400
    return render(request, "integrity/form.html", {
        "org": org, "form": form, "title": "登记“三重一大”决策",
        "hint": "应到、实到人数取自该会议在“组织生活”中登记的出勤；党员大会按支部工作条例第11条计票（预备党员没有表决权），"
                "支委会须半数以上委员到会、赞成票超过应到会委员半数。"}, status=status)


@login_required
def ledger(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year, _message = _year(request)
    return xlsx_response(exports.ledger(org, year), f"{org.name}{year}年廉政与师德台账.xlsx")


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind == "branch":
        return redirect("integrity:index", org.pk)
    year, message = _year(request)
    return render(request, "integrity/district.html",
                  {"org": org, "year": year, "query_error": message, "rows": selectors.district_rows(org, year)})
