"""Thin views of the 整改台账: fetch through zhibu.orgs.access, write through services, render.

Levels: the lists are read by the branch's managers and the district admin/auditor above (AUDIT),
written by the branch managers (MANAGE); 销号 and 回头看 by the closer (`can_close`: the branch
secretary or the district admin, as the district configures — rules.closer_mode)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.approvals import selectors as approval_selectors
from zhibu.core import clock
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.core.imports import ImportOutcome, run_import
from zhibu.orgs import access
from zhibu.rectify import exports, rules, selectors, services
from zhibu.rectify.forms import (
    DistrictItemForm,
    ImportForm,
    ItemForm,
    ListQueryForm,
    NoteForm,
    ReasonForm,
    ReviewForm,
    SubmitForm,
)
from zhibu.rectify.models import EvidenceFile, Item

LISTS = {
    "index": "问题清单",
    "tasks": "任务清单",
    "people": "责任清单",
    "effects": "成效清单",
}


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def access_item(request: HttpRequest, org, pk: int) -> Item:
    """The item of this branch (another branch's item is 404, like everything not visible)."""
    qs = Item.objects.select_related("branch", "source", "responsible", "raised_by_org", "closed_by")
    item = access.get_object(request, qs, pk, org=org)
    assert isinstance(item, Item)
    return item


def can_close(request: HttpRequest, branch) -> bool:
    """销号 and 回头看: the branch secretary or the district admin above, per rules.closer_mode."""
    scope = access.get_scope(request)
    if scope.superuser:
        return True
    if rules.closer_mode(services.settings_chain(branch)) == rules.CLOSER_BRANCH:
        return scope.is_secretary(branch)
    return scope.can(branch, access.ADMIN)


def _list_context(request, org, which: str) -> dict:
    today = clock.today()
    query = ListQueryForm(request.GET or None)
    status = source = ""
    if query.is_valid():
        status, source = query.cleaned_data["status"], query.cleaned_data["source"]
    if which == "effects":
        status = "finished"
    items = selectors.branch_items(org, today, status=status, source=source)
    return {
        "org": org,
        "today": today,
        "items": items,
        "which": which,
        "title": LISTS[which],
        "lists": LISTS,
        "query": query,
        "status": status,
        "sources": selectors.sources(),
        "can_manage": access.get_scope(request).can(org, access.MANAGE),
        "overdue": sum(1 for i in items if i.overdue(today)),
    }


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """问题清单: every problem, overdue first."""
    org = _branch(request, org_id, access.AUDIT)
    return render(request, "rectify/list.html", _list_context(request, org, "index"))


@login_required
def tasks(request: HttpRequest, org_id: int) -> HttpResponse:
    """任务清单: the measures, kind and deadline of each problem."""
    org = _branch(request, org_id, access.AUDIT)
    return render(request, "rectify/list.html", _list_context(request, org, "tasks"))


@login_required
def effects(request: HttpRequest, org_id: int) -> HttpResponse:
    """成效清单: what has been closed, with its evidence."""
    org = _branch(request, org_id, access.AUDIT)
    return render(request, "rectify/list.html", _list_context(request, org, "effects"))


@login_required
def people(request: HttpRequest, org_id: int) -> HttpResponse:
    """责任清单: each responsible person with their open items."""
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    return render(
        request,
        "rectify/people.html",
        {
            "org": org,
            "today": today,
            "lines": selectors.responsibility(org, today),
            "which": "people",
            "lists": LISTS,
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
        },
    )


@login_required
def item_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = ItemForm(request.POST or None, branch=org, initial={"raised_on": clock.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.create_item(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "整改问题已登记。")
                return redirect("rectify:item", org.pk, item.pk)
        status = 400
    return render(request, "rectify/item_form.html", {"org": org, "form": form, "title": "登记整改问题"}, status=status)


@login_required
def item(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    it = access_item(request, org, item_id)
    scope = access.get_scope(request)
    manage = scope.can(org, access.MANAGE)
    closer = can_close(request, org)
    return render(
        request,
        "rectify/item.html",
        {
            "org": org,
            "item": it,
            "today": clock.today(),
            "can_manage": manage,
            "can_close": closer,
            "files": list(it.files.all()),
            "notes": list(it.notes.select_related("author")),
            "note_form": NoteForm(),
            "submit_form": SubmitForm(),
            "reason_form": ReasonForm(),
            "review_form": ReviewForm(),
            "closer_label": "上级党组织"
            if rules.closer_mode(services.settings_chain(org)) == rules.CLOSER_DISTRICT
            or rules.close_via_approvals(services.settings_chain(org))
            else "支部书记",
            "approval": approval_selectors.for_subject(it, kind="rectify.close"),
        },
    )


@login_required
def item_edit(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    it = access_item(request, org, item_id)
    initial = {n: getattr(it, n) for n in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, branch=org, initial=initial)
    status = 200
    if not it.editable:
        messages.error(request, "已销号的问题不能修改；如需继续整改，请在回头看中重新整改。")
        return redirect("rectify:item", org.pk, it.pk)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_item(actor=request.user, item=it, data=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("rectify:item", org.pk, it.pk)
        status = 400
    return render(
        request,
        "rectify/item_form.html",
        {"org": org, "form": form, "item": it, "title": "修改整改问题"},
        status=status,
    )


def _act(request, org, it, fn) -> HttpResponse:
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("rectify:item", org.pk, it.pk)
    return redirect("rectify:item", org.pk, it.pk)


def _form_errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


@login_required
@require_POST
def item_start(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    it = access_item(request, org, item_id)
    return _act(request, org, it, lambda: services.start(actor=request.user, item=it))


@login_required
@require_POST
def item_note(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    it = access_item(request, org, item_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("rectify:item", org.pk, it.pk)
    return _act(
        request, org, it, lambda: services.add_note(actor=request.user, item=it, text=form.cleaned_data["text"])
    )


@login_required
@require_POST
def item_submit(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    it = access_item(request, org, item_id)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("rectify:item", org.pk, it.pk)
    upload = form.cleaned_data.get("file")
    return _act(
        request,
        org,
        it,
        lambda: services.submit(
            actor=request.user, item=it, evidence=form.cleaned_data["evidence"], uploads=[upload] if upload else []
        ),
    )


def _closer(request, org_id: int):
    org = _branch(request, org_id, access.AUDIT)
    if not can_close(request, org):
        raise PermissionDenied("只有负责销号的党组织可以销号或回头看")
    return org


@login_required
@require_POST
def item_close(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _closer(request, org_id)
    it = access_item(request, org, item_id)
    return _act(request, org, it, lambda: services.close(actor=request.user, item=it))


@login_required
@require_POST
def item_send_back(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _closer(request, org_id)
    it = access_item(request, org, item_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("rectify:item", org.pk, it.pk)
    return _act(
        request, org, it, lambda: services.send_back(actor=request.user, item=it, reason=form.cleaned_data["reason"])
    )


@login_required
@require_POST
def item_review(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _closer(request, org_id)
    it = access_item(request, org, item_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("rectify:item", org.pk, it.pk)
    return _act(
        request,
        org,
        it,
        lambda: services.review(
            actor=request.user,
            item=it,
            confirmed=form.cleaned_data["result"] == "confirm",
            note=form.cleaned_data["note"],
        ),
    )


@login_required
def evidence_file(request: HttpRequest, org_id: int, file_id: int) -> HttpResponseBase:
    org = _branch(request, org_id, access.AUDIT)
    ev = EvidenceFile.objects.filter(pk=file_id, item__branch=org).first()
    if ev is None:
        raise Http404("未找到")
    try:
        handle = ev.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(
        handle, content_type=ev.content_type, as_attachment=ev.content_type == "application/pdf", filename=ev.name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    items = selectors.branch_items(org, today)
    return xlsx_response(exports.sheet(org, items, today), f"{org.name}-整改台账-{today:%Y%m%d}.xlsx")


@login_required
def import_items(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = ImportOutcome()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            today = clock.today()
            outcome = run_import(
                form.cleaned_data["file"],
                read=exports.read_rows,
                validate=lambda rows: exports.validate(rows, branch=org, today=today),
                write=lambda clean: services.import_items(actor=request.user, branch=org, rows=clean),
            )
            status = 400 if outcome.failed else 200
        else:
            status = 400
    return render(request, "rectify/import.html", {"org": org, "form": form, **outcome.context()}, status=status)


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Branches × open/overdue/closed (overdue first), the items whose closure this district
    approves, the items it raised itself (巡察/督查 findings) and the 回头看 due."""
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    view = selectors.district_view(org, today)
    return render(
        request,
        "rectify/district.html",
        {
            "org": org,
            "today": today,
            "view": view,
            "can_raise": org.kind != "branch" and access.get_scope(request).can(org, access.ADMIN),
        },
    )


@login_required
def district_raise(request: HttpRequest, org_id: int) -> HttpResponse:
    """The district assigns a finding (巡察, 督查, …) to one of its branches."""
    org = access.get_org(request, org_id, access.ADMIN)
    if org.kind == "branch":
        raise Http404("此功能在上级党组织办理")
    form = DistrictItemForm(request.POST or None, district=org, initial={"raised_on": clock.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            branch = data.pop("branch")
            try:
                services.create_item(actor=request.user, branch=branch, raised_by_org=org, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已交办{branch.name}。")
                return redirect(reverse("rectify:district", args=[org.pk]))
        status = 400
    return render(request, "rectify/item_form.html", {"org": org, "form": form, "title": "交办整改问题"}, status=status)
