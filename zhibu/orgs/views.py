"""Thin views: fetch through zhibu.orgs.access, write through services, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhibu.core import clock, panels
from zhibu.orgs import access
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.core.imports import ImportOutcome, run_import
from zhibu.orgs import roster, selectors, services
from zhibu.orgs.forms import (
    AccountForm,
    AppointForm,
    CorrectAppointmentForm,
    GroupForm,
    OrganisationForm,
    PasswordResetForm,
    PeopleFilterForm,
    PersonForm,
    RosterImportForm,
    TransferInForm,
    TransferOutForm,
)
from zhibu.orgs.middleware import SESSION_FLAG
from zhibu.orgs.models import OrgKind, Person, Transfer
from django.core.paginator import Paginator
from zhibu.core import audit_display
from zhibu.core.models import AuditEntry

# Pages with ID numbers, phones or the branch's lists carry never_cache (Cache-Control: no-store …),
# so neither a shared computer's browser cache nor a proxy keeps a copy.


@login_required
@never_cache
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
            "can_appoint": scope.can(org, access.APPOINT),
            # Members see how many 入党申请人/积极分子/发展对象 there are, not who (the committee does).
            "names_hidden": () if scope.sees_sensitive_lists(org) else selectors.PIPELINE_STANDINGS,
        })
    rows = selectors.subtree_branches(org)
    flagged = sorted(rows, key=lambda r: (-len(r.flags), r.branch.name))
    return render(request, "orgs/district_home.html", {
        "org": org, "rows": flagged, "can_admin": scope.can(org, access.ADMIN),
        "panels": panels.render(request, org, "district"),
    })


@login_required
@never_cache
def home_panel(request: HttpRequest, org_id: int, app: str) -> HttpResponse:
    """One app's home panel, loaded by the home page after it is shown (htmx) or opened as a page."""
    org = access.get_org(request, org_id)
    if org.kind == OrgKind.GROUP:
        raise Http404
    html = panels.render_one(request, org, "branch" if org.kind == OrgKind.BRANCH else "district", app)
    if html is None:
        raise Http404
    if request.headers.get("HX-Request"):
        return HttpResponse(html)
    return render(request, "orgs/panel.html", {"org": org, "html": html})


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
            messages.success(request, f"已创建：{child.name}")
            return redirect("orgs:home", org_id=parent.pk)
    return render(request, "orgs/form.html", {"org": parent, "form": form, "title": "新建下级组织"})


@login_required
@never_cache
def person_detail(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id)
    person = access.access_person(request, org, person_id, access.VIEW, qs=Person.objects.select_related("group", "user"))
    scope = access.get_scope(request)
    return render(request, "orgs/person_detail.html", {
        "org": org, "person": person, "can_manage": scope.can(org, access.MANAGE),
        "can_reveal": scope.can(org, access.REVEAL), "can_appoint": scope.can(org, access.APPOINT),
        "can_open_accounts": scope.can(org, access.OPEN_ACCOUNTS),
        "positions": person.positions.all(), "transfers": person.transfers.all(),
    })


@login_required
def person_create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    # Without the reveal right no ID number or phone is typed here: "already registered" would tell
    # whether a guessed number exists.
    form = PersonForm(request.POST or None, branch=org, sensitive=access.get_scope(request).can(org, access.REVEAL))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(actor=request.user, branch=org, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已添加：{person.name}")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": "添加人员"})


@login_required
@never_cache
def person_edit(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    person = access.access_person(request, org, person_id, access.MANAGE)
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
    return render(request, "orgs/person_edit.html", {"org": org, "form": form, "person": person, "can_reveal": sensitive,
                                                     "title": f"编辑：{person.name}"}, status=400 if form.errors else 200)


@login_required
@never_cache
def person_account(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    """The secretary (or 组织委员, member accounts only) opens a sign-in account for a person of the
    branch (member self-service, meeting sign-in, the mailbox)."""
    org = access.get_org(request, org_id, access.OPEN_ACCOUNTS)
    person = access.access_person(request, org, person_id, access.OPEN_ACCOUNTS, qs=Person.objects.select_related("user"))
    form = AccountForm(request.POST or None, initial={"role": "member"},
                       may_grant_managers=access.get_scope(request).can(org, access.APPOINT))
    if person.user_id:
        messages.info(request, f"{person.name} 已有账号：{person.user.username}")
        return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_account(actor=request.user, person=person, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已为 {person.name} 开通账号，请将登录名和初始密码告知本人")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"开通账号：{person.name}"})


@login_required
@never_cache
@require_POST
def person_reveal(request: HttpRequest, org_id: int, person_id: int, field: str) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    person = access.access_person(request, org, person_id, access.REVEAL)
    if field not in ("id_number", "phone"):
        raise access.Http404()
    value = services.reveal(actor=request.user, person=person, field=field)
    return HttpResponse(f'<span class="revealed">{value or "（未填写）"}</span>')


@login_required
def transfer_out(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    person = access.access_person(request, org, person_id, access.MANAGE)
    form = TransferOutForm(request.POST or None, initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_out(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{person.name} 已转出，历史记录保留")
            return redirect("orgs:transfers", org_id=org.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"组织关系转出：{person.name}"})


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
@never_cache
def positions(request: HttpRequest, org_id: int) -> HttpResponse:
    """The committee and its terms: the committee reads it; the 书记 and the district appoint."""
    org = access.get_org(request, org_id)
    scope = access.get_scope(request)
    can_appoint = scope.can(org, access.APPOINT)
    if not (can_appoint or scope.can(org, access.MANAGE)):
        raise access.PermissionDenied("没有权限")
    if request.method == "POST" and not can_appoint:
        raise access.PermissionDenied("只有书记或上级党委可以任免支部委员")
    form = AppointForm(request.POST or None, branch=org, initial={"term_start": clock.today(), "term_years": 3})
    if request.method == "POST" and form.is_valid():
        try:
            services.appoint(actor=request.user, branch=org, **form.cleaned_data)
        except services.ConfirmReplace as exc:
            form.ask_confirmation(exc.messages[0])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已任命")
            return redirect("orgs:positions", org_id=org.pk)
    history = org.positions.select_related("person").order_by("-term_start", "-id")
    return render(request, "orgs/positions.html", {"org": org, "form": form, "history": history, "today": clock.today(),
                                                   "can_appoint": can_appoint},
                  status=400 if form.errors else 200)


@login_required
def position_edit(request: HttpRequest, org_id: int, position_id: int) -> HttpResponse:
    """Correct an appointment's dates (or record that the holder left)."""
    org = access.get_org(request, org_id, access.APPOINT)
    appointment = access.access_position(request, org, position_id, access.APPOINT)
    form = CorrectAppointmentForm(request.POST or None, initial={
        "term_start": appointment.term_start, "term_end": appointment.term_end, "ended_on": appointment.ended_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_appointment(actor=request.user, appointment=appointment, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已更正")
            return redirect("orgs:positions", org_id=org.pk)
    title = f"更正任命：{appointment.get_position_display()} {appointment.person.name}"
    return render(request, "orgs/position_edit.html", {"org": org, "form": form, "title": title, "appointment": appointment},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def position_remove(request: HttpRequest, org_id: int, position_id: int) -> HttpResponse:
    """Delete an appointment entered by mistake (audited)."""
    org = access.get_org(request, org_id, access.APPOINT)
    appointment = access.access_position(request, org, position_id, access.APPOINT)
    services.remove_appointment(actor=request.user, appointment=appointment)
    messages.success(request, f"已删除任命记录：{appointment.get_position_display()} {appointment.person.name}")
    return redirect("orgs:positions", org_id=org.pk)


@login_required
@never_cache
def people(request: HttpRequest, org_id: int) -> HttpResponse:
    """The branch's people, searchable by name and filtered by standing and 党小组 (phone-friendly)."""
    org = access.get_branch(request, org_id, access.AUDIT)
    form = PeopleFilterForm(request.GET or None, branch=org)
    rows = selectors.people_list(org, **form.filters())
    return render(request, "orgs/people.html", {"org": org, "form": form, "rows": rows,
                                                "can_manage": access.get_scope(request).can(org, access.MANAGE)})


@login_required
def groups(request: HttpRequest, org_id: int) -> HttpResponse:
    """The branch's 党小组: list, create."""
    org = access.get_branch(request, org_id, access.MANAGE)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已新建党小组：{group.name}")
            return redirect("orgs:groups", org_id=org.pk)
    return render(request, "orgs/groups.html", {"org": org, "form": form, "rows": selectors.groups_with_counts(org)},
                  status=400 if form.errors else 200)


@login_required
def group_edit(request: HttpRequest, org_id: int, group_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    group = access.access_group(request, org, group_id, access.MANAGE)
    form = GroupForm(request.POST or None, initial={"name": group.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_group(actor=request.user, group=group, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:groups", org_id=org.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"党小组改名：{group.name}"},
                  status=400 if form.errors else 200)


@login_required
@never_cache
def password_reset(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    """The 书记 (or the district) sets a temporary password; the person changes it at next login."""
    org = access.get_org(request, org_id, access.APPOINT)
    person = access.access_person(request, org, person_id, access.APPOINT, qs=Person.objects.select_related("user"))
    if not person.user_id:
        raise access.Http404("此人尚未开通账号")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(actor=request.user, person=person, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            form.add_error("password1", exc.messages)
        else:
            messages.success(request, f"已重置 {person.name} 的密码；本人下次登录时须修改")
            return redirect("orgs:person", org_id=org.pk, person_id=person.pk)
    return render(request, "orgs/form.html", {"org": org, "form": form, "title": f"重置密码：{person.name}（{person.user.username}）"},
                  status=400 if form.errors else 200)


@login_required
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    """Every user changes their own password (and must, after a reset)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_password(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        request.session.pop(SESSION_FLAG, None)
        messages.success(request, "密码已修改")
        return redirect("orgs:start")
    return render(request, "orgs/password_change.html", {"form": form, "forced": bool(request.session.get(SESSION_FLAG))},
                  status=400 if form.errors else 200)


@login_required
def roster_template(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.MANAGE)
    groups = list(selectors.groups_of(org).values_list("name", flat=True))
    return xlsx_response(roster.template_bytes(groups=groups), "花名册模板.xlsx")


@login_required
@never_cache
def roster_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    people = list(selectors.current_people(org))
    services.record_export(actor=request.user, branch=org, what="花名册导出", count=len(people))
    return xlsx_response(roster.export_bytes(people, branch_name=org.name), f"{org.name}-花名册.xlsx")


@login_required
def roster_import(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.REVEAL)
    form = RosterImportForm(request.POST or None, request.FILES or None)
    outcome = ImportOutcome()
    if request.method == "POST" and form.is_valid():
        def validate(rows):
            groups = dict(selectors.groups_of(org).values_list("name", "id"))
            # Registrations in another district are not named, not even as "another branch".
            district = f"/{org.ancestor_ids()[0]}/"
            existing = {d: (pid, bid if path.startswith(district) else None) for d, pid, bid, path in
                        Person.objects.filter(id_number_digest__isnull=False)
                        .values_list("id_number_digest", "id", "branch_id", "branch__path")}
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


# The start page and the audit log (moved from core: they are organisation-aware).
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Send the user to their organisation; a user with several chooses."""
    orgs = list(access.visible_orgs(request).exclude(kind="group").order_by("path")[:50])
    scope = access.get_scope(request)
    top = [o for o in orgs if any(o.id == org_id for org_id, _p, _r in scope.roles)] or orgs
    if len(top) == 1:
        return redirect("orgs:home", org_id=top[0].pk)
    return render(request, "orgs/start.html", {"orgs": top})


@login_required
def audit_log(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    entries = AuditEntry.objects.filter(organisation=org).select_related("actor").order_by("-at", "-id")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "orgs/audit_log.html", {"org": org, "page": page, "rows": audit_display.describe(page)})
