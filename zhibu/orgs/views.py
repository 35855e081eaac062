"""Thin views: fetch through zhibu.core.access, write through services, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.core import access, clock, panels
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.core.imports import ImportOutcome, run_import
from zhibu.orgs import roster, selectors, services
from zhibu.orgs.forms import (
    AccountForm,
    AppointForm,
    OrganisationForm,
    PersonForm,
    RosterImportForm,
    TransferInForm,
    TransferOutForm,
)
from zhibu.orgs.models import OrgKind, Person, Transfer


@login_required
def org_home(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id)
    scope = access.get_scope(request)
    if org.kind == OrgKind.GROUP:
        return redirect("orgs:home", org_id=org.parent_id)
    if org.kind == OrgKind.BRANCH:
        home = selectors.branch_home(org, clock.today())
        return render(request, "orgs/branch_home.html", {
            "org": org, "home": home, "can_manage": scope.can(org, access.MANAGE),
            "full_view": scope.sees_sensitive_lists(org), "can_audit": scope.can(org, access.AUDIT),
            "can_reveal": scope.can(org, access.REVEAL), "panels": panels.render(request, org, "branch"),
        })
    rows = selectors.subtree_branches(org)
    flagged = sorted(rows, key=lambda r: (-len(r.flags), r.branch.name))
    return render(request, "orgs/district_home.html", {
        "org": org, "rows": flagged, "can_admin": scope.can(org, access.ADMIN),
        "panels": panels.render(request, org, "district"),
    })


@login_required
def org_create(request: HttpRequest, org_id: int) -> HttpResponse:
    parent = access.get_org(request, org_id, access.ADMIN)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_organisation(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已创建:{child.name}")
            return redirect("orgs:home", org_id=parent.pk)
    return render(request, "orgs/form.html", {"org": parent, "form": form, "title": "新建下级组织"})


@login_required
def person_detail(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id)
    person = access.get_object(request, Person.objects.select_related("group", "user"), person_id, org=org)
    scope = access.get_scope(request)
    own = person.user_id == request.user.pk
    if not scope.sees_sensitive_lists(org) and not own:
        raise access.PermissionDenied("只能查看本人信息")
    return render(request, "orgs/person_detail.html", {
        "org": org, "person": person, "can_manage": scope.can(org, access.MANAGE),
        "can_reveal": scope.can(org, access.REVEAL),
        "positions": person.positions.all(), "transfers": person.transfers.all(),
    })


@login_required
def person_create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    form = PersonForm(request.POST or None, branch=org)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=request.user, branch=org, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已添加:{person.name}")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": "添加人员"})


@login_required
def person_edit(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    person = access.get_object(request, Person.objects.all(), person_id, org=org)
    # Committee members without reveal rights edit everything but the sensitive values.
    sensitive = access.get_scope(request).can(org, access.REVEAL)
    form = PersonForm(request.POST or None, instance=person, branch=org, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=request.user, person=person, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"编辑:{person.name}"})


@login_required
def person_account(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    """The secretary opens a sign-in account for a person of the branch (member self-service,
    meeting sign-in, the mailbox)."""
    org = access.get_org(request, org_id, access.REVEAL)
    person = access.get_object(request, Person.objects.select_related("user"), person_id, org=org)
    form = AccountForm(request.POST or None, initial={"role": "member"})
    if person.user_id:
        messages.info(request, f"{person.name} 已有账号:{person.user.username}")
        return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_account(actor=request.user, person=person, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已为 {person.name} 开通账号,请将登录名和初始密码告知本人")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"开通账号:{person.name}"})


@login_required
@require_POST
def person_reveal(request: HttpRequest, org_id: int, person_id: int, field: str) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    person = access.get_object(request, Person.objects.all(), person_id, org=org)
    if field not in ("id_number", "phone"):
        raise access.Http404()
    value = services.reveal(actor=request.user, person=person, field=field)
    return HttpResponse(f'<span class="revealed">{value or "(未填写)"}</span>')


@login_required
def transfer_out(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    person = access.get_object(request, Person.objects.all(), person_id, org=org)
    form = TransferOutForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_out(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{person.name} 已转出,历史记录保留")
            return redirect("orgs:transfers", org_id=org.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"组织关系转出:{person.name}"})


@login_required
def transfer_in(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    form = TransferInForm(request.POST or None, branch=org, initial={"date": clock.today(), "standing": "full"})
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_in(actor=request.user, branch=org, **form.transfer_values(), **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已办理转入")
            return redirect("orgs:transfers", org_id=org.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": "组织关系转入"})


@login_required
def transfers(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    rows = Transfer.objects.filter(branch=org).select_related("person")
    return render(request, "orgs/transfers.html", {"org": org, "rows": rows,
                                                   "can_manage": access.get_scope(request).can(org, access.MANAGE)})


@login_required
def positions(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    form = AppointForm(request.POST or None, branch=org, initial={"term_start": clock.today(), "term_years": 3})
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已任命")
            return redirect("orgs:positions", org_id=org.pk)
    history = org.positions.select_related("person").order_by("-term_start")
    return render(request, "orgs/positions.html", {"org": org, "form": form, "history": history, "today": clock.today()})


@login_required
def roster_template(request: HttpRequest, org_id: int) -> HttpResponse:
    access.get_org(request, org_id, access.MANAGE)
    return xlsx_response(roster.template_bytes(), "花名册模板.xlsx")


@login_required
def roster_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    people = list(selectors.current_people(org))
    services.record_export(actor=request.user, branch=org, what="花名册导出", count=len(people))
    return xlsx_response(roster.export_bytes(people), f"{org.name}-花名册.xlsx")


@login_required
def roster_import(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    outcome = ImportOutcome()
    if request.method == "POST" and form.is_valid():
        def validate(rows):
            groups = dict(selectors.groups_of(org).values_list("name", "id"))
            existing = {d: (pid, bid) for d, pid, bid in Person.objects.filter(id_number_digest__isnull=False)
                        .values_list("id_number_digest", "id", "branch_id")}
            return roster.validate(rows, branch_id=org.pk, groups=groups, existing=existing)

        outcome = run_import(form.cleaned_data["file"], read=roster.read_rows, validate=validate,
                             write=lambda clean: services.import_roster(actor=request.user, branch=org, rows=clean))
    return render(request, "orgs/roster_import.html", {"org": org, "form": form, **outcome.context()},
                  status=400 if outcome.failed else 200)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """One's own records, in every branch one belongs to."""
    people = Person.objects.filter(user=request.user).select_related("branch", "group")
    return render(request, "orgs/me.html", {"people": people})
