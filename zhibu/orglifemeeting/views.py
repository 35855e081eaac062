"""Thin views: fetch through zhibu.orgs.access, write through services (the talk and the meeting
record through orglife's own services), render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.orgs import access
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import docx_response
from zhibu.orglife import services as orglife_services
from zhibu.orglife.models import MeetingKind
from zhibu.orglifemeeting import documents, rules, selectors, services
from zhibu.orglifemeeting.forms import (
    CycleForm,
    MaterialForm,
    MeetingForm,
    NoteForm,
    OpinionForm,
    ProblemForm,
    StepForm,
    TalkForm,
)
from zhibu.orglifemeeting.models import CriticismNote, Cycle, Material, Problem
from zhibu.orgs.models import Person


def _cycle(request: HttpRequest, org, cycle_id: int) -> Cycle:
    return access.get_object(request, Cycle.objects.select_related("branch", "meeting"), cycle_id, org=org)


def _back(cycle: Cycle, anchor: str = ""):
    return redirect(reverse("orglifemeeting:cycle", args=[cycle.branch_id, cycle.pk]) + anchor)


def _my_person(request: HttpRequest, org) -> Person | None:
    person = getattr(request.user, "person", None)
    return person if person is not None and person.branch_id == org.pk else None


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    scope = access.get_scope(request)
    can_audit = scope.can(org, access.AUDIT)
    return render(
        request,
        "orglifemeeting/index.html",
        {
            "org": org,
            "cycles": selectors.cycles_of(org),
            "can_manage": scope.can(org, access.MANAGE),
            "can_audit": can_audit,
            "source": rules.SOURCE_MEETING,
        },
    )


@login_required
def cycle_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    today = clock.today()
    form = CycleForm(request.POST or None, initial={"year": today.year, "planned_date": dt.date(today.year, 12, 15)})
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.start_cycle(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已建立{cycle}，请逐项落实准备事项")
            return _back(cycle)
    return render(request, "orglifemeeting/form.html", {"org": org, "form": form, "title": "建立组织生活会"})


@login_required
def cycle_edit(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    initial = {name: getattr(cycle, name) for name in services.CYCLE_FIELDS}
    form = CycleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cycle(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return _back(cycle)
    return render(
        request, "orglifemeeting/form.html", {"org": org, "cycle": cycle, "form": form, "title": f"{cycle}设置"}
    )


@login_required
def cycle_detail(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.AUDIT)
    cycle = _cycle(request, org, cycle_id)
    cov = selectors.coverage(cycle)
    steps = selectors.step_states(cycle, cov)
    scope = access.get_scope(request)
    return render(
        request,
        "orglifemeeting/cycle.html",
        {
            "org": org,
            "cycle": cycle,
            "cov": cov,
            "steps": steps,
            "today": clock.today(),
            "open_steps": rules.open_required(r.state for r in steps),
            "materials": selectors.materials_of(cycle),
            "opinions": cycle.opinions.all(),
            "notes": CriticismNote.objects.filter(cycle=cycle).select_related("person"),
            "problems": Problem.objects.filter(cycle=cycle).select_related("responsible", "item"),
            "can_manage": scope.can(org, access.MANAGE),
            "committee_people": [p for p in cov.people if p[0] in cov.committee],
            "material_kinds": rules.MATERIAL_KINDS,
            "study_records": _study_records(cycle),
        },
    )


def _study_records(cycle) -> list:
    """会前学习: the study sessions recorded (by any app offering `study_records`) from the upper
    committee's notice, or 60 days before, up to the meeting date."""
    start = cycle.notice_date or (cycle.planned_date - dt.timedelta(days=60))
    out: list = []
    for module in app_modules("study_records"):
        out.extend(module.between(cycle.branch, start, cycle.planned_date))
    return sorted(out)


@login_required
def step_edit(request: HttpRequest, org_id: int, cycle_id: int, code: str) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    if code not in rules.STEP_CODES:
        raise Http404("没有这个准备事项")
    step = cycle.steps.filter(code=code).first()
    initial = {"owner": step.owner_id, "due": step.due, "done_on": step.done_on, "note": step.note} if step else {}
    form = StepForm(request.POST or None, branch=org, manual=code in rules.MANUAL_STEPS, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_step(actor=request.user, cycle=cycle, code=code, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已更新“{rules.STEP_LABELS[code]}”")
            return _back(cycle, "#checklist")
    return render(
        request,
        "orglifemeeting/form.html",
        {"org": org, "cycle": cycle, "form": form, "title": rules.STEP_LABELS[code]},
    )


@login_required
@require_POST
def ready(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    try:
        services.mark_ready(actor=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "准备工作已就绪")
    return _back(cycle, "#checklist")


@login_required
def talks(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    """谈心谈话 coverage: the matrix, who still has to talk to whom, and a two-click record per line."""
    org = access.get_branch(request, org_id, access.AUDIT)
    cycle = _cycle(request, org, cycle_id)
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    form = TalkForm(request.POST or None, branch=org, initial={"date": clock.today()})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("没有权限")
        if form.is_valid():
            d = form.cleaned_data
            try:
                orglife_services.record_heart_talk(
                    actor=request.user,
                    branch=org,
                    person_a=d["person_a"],
                    person_b=d["person_b"],
                    date=d["date"],
                    note=form.note(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已登记{d['person_a'].name}与{d['person_b'].name}的谈心谈话")
                return redirect("orglifemeeting:talks", org_id=org.pk, cycle_id=cycle.pk)
    cov = selectors.coverage(cycle)
    missing = []
    for need in cov.missing:
        who, whom = cov.describe(need)
        partners = [(pid, name) for pid, name in cov.people if pid in need.partners]
        missing.append({"need": need, "who": who, "whom": whom, "partners": partners})
    return render(
        request,
        "orglifemeeting/talks.html",
        {
            "org": org,
            "cycle": cycle,
            "cov": cov,
            "missing": missing,
            "form": form if can_manage else None,
            "today": clock.today(),
            "readings": [label for code, label in rules.READINGS if code in cov.readings],
            "source": rules.SOURCE_TALKS,
        },
    )


def _material_access(request: HttpRequest, org, kind: str, person: Person | None) -> None:
    """The committee writes any material; a member writes their own."""
    if access.get_scope(request).can(org, access.MANAGE):
        return
    mine = _my_person(request, org)
    if kind == rules.MATERIAL_COMMITTEE or mine is None or person is None or person.pk != mine.pk:
        raise PermissionDenied("只能填写本人的材料")


@login_required
def material(request: HttpRequest, org_id: int, cycle_id: int, kind: str) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    cycle = _cycle(request, org, cycle_id)
    if kind not in dict(rules.MATERIAL_KINDS):
        raise Http404("没有这类材料")
    person = None
    if kind != rules.MATERIAL_COMMITTEE:
        raw = request.GET.get("person") or request.POST.get("person")
        if raw is None:
            person = _my_person(request, org)
        else:
            try:
                person = access.access_person(request, org, int(raw), access.VIEW)
            except (TypeError, ValueError):
                raise Http404("没有这个人") from None
        if person is None:
            raise Http404("没有这个人")
    _material_access(request, org, kind, person)
    existing = Material.objects.filter(cycle=cycle, kind=kind, person=person).first()
    form = MaterialForm(
        request.POST or None, request.FILES or None, initial={"text": existing.text if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_material(
                actor=request.user,
                cycle=cycle,
                kind=kind,
                person=person,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "材料已保存")
            if access.get_scope(request).can(org, access.AUDIT):
                return _back(cycle, "#materials")
            return redirect("orglifemeeting:index", org_id=org.pk)
    return render(
        request,
        "orglifemeeting/material.html",
        {
            "org": org,
            "cycle": cycle,
            "form": form,
            "person": person,
            "existing": existing,
            "label": dict(rules.MATERIAL_KINDS)[kind],
        },
    )


@login_required
def material_file(request: HttpRequest, org_id: int, cycle_id: int, material_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    cycle = _cycle(request, org, cycle_id)
    item = Material.objects.filter(cycle=cycle, pk=material_id).select_related("person").first()
    if item is None or not item.file:
        raise Http404("没有这个文件")
    if not access.get_scope(request).can(org, access.AUDIT):
        mine = _my_person(request, org)
        if mine is None or item.person_id != mine.pk:
            raise Http404("没有这个文件")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在") from None
    return FileResponse(handle, as_attachment=True, filename=item.file_name or "材料", content_type=item.content_type)


@login_required
def opinion(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    """征求意见: a simple form for everyone of the branch, members and non-member staff alike."""
    org = access.get_branch(request, org_id, access.VIEW)
    cycle = _cycle(request, org, cycle_id)
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_opinion(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "感谢您的意见建议，已提交支部委员会")
            return redirect("orglifemeeting:opinion", org_id=org.pk, cycle_id=cycle.pk)
    return render(request, "orglifemeeting/opinion.html", {"org": org, "cycle": cycle, "form": form})


@login_required
def meeting(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    """Record the meeting: an orglife meeting (kind 组织生活会) through orglife's service, then linked."""
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    initial = {
        "date": min(cycle.planned_date, clock.today()),
        "format": cycle.format or "party_congress",
        "secretary_report": cycle.secretary_report,
        "upper_attendee": cycle.upper_attendee,
    }
    form = MeetingForm(request.POST or None, branch=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if cycle.ready_at is None:
                raise ValidationError("准备工作尚未就绪，请先完成准备事项并确认就绪", code="not_ready")
            record = cycle.meeting
            if record is None:
                starts = dt.datetime.combine(d["date"], d["start"], tzinfo=clock.TZ)
                ends = dt.datetime.combine(d["date"], d["end"], tzinfo=clock.TZ)
                record = orglife_services.create_meeting(
                    actor=request.user,
                    branch=org,
                    kind=MeetingKind.ORG_LIFE_MEETING,
                    starts_at=starts,
                    ends_at=ends,
                    topic=cycle.topic,
                    place=d["place"],
                    host=d["host"],
                )
            services.record_meeting(
                actor=request.user,
                cycle=cycle,
                meeting=record,
                format=d["format"],
                secretary_report=d["secretary_report"],
                upper_attendee=d["upper_attendee"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记组织生活会，可登记出勤、批评和自我批评及查摆的问题")
            return _back(cycle, "#meeting")
    return render(
        request, "orglifemeeting/form.html", {"org": org, "cycle": cycle, "form": form, "title": f"登记{cycle}"}
    )


@login_required
def note(request: HttpRequest, org_id: int, cycle_id: int, person_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    person = access.access_person(request, org, person_id, access.VIEW)
    existing = CriticismNote.objects.filter(cycle=cycle, person=person).first()
    initial = {"self_criticism": existing.self_criticism, "criticism": existing.criticism} if existing else {}
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_note(actor=request.user, cycle=cycle, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存{person.name}的批评和自我批评")
            return _back(cycle, "#notes")
    return render(
        request,
        "orglifemeeting/form.html",
        {"org": org, "cycle": cycle, "form": form, "title": f"{person.name}：批评和自我批评"},
    )


@login_required
def problem_new(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    form = ProblemForm(request.POST or None, branch=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_problem(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已登记问题")
            return _back(cycle, "#problems")
    return render(
        request, "orglifemeeting/form.html", {"org": org, "cycle": cycle, "form": form, "title": "登记查摆的问题"}
    )


@login_required
@require_POST
def raise_items(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    cycle = _cycle(request, org, cycle_id)
    try:
        items = services.raise_problems(actor=request.user, cycle=cycle)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已转为{len(items)}项整改事项，列入整改台账")
    return _back(cycle, "#problems")


@login_required
def report_docx(request: HttpRequest, org_id: int, cycle_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.AUDIT)
    cycle = _cycle(request, org, cycle_id)
    problems = list(Problem.objects.filter(cycle=cycle).select_related("responsible"))
    notes = list(CriticismNote.objects.filter(cycle=cycle))
    parent = org.parent.name if org.parent_id else ""
    content = documents.build_report(
        cycle, problems=problems, notes=notes, opinions=cycle.opinions.count(), upper_name=parent
    )
    return docx_response(content, f"{documents.report_title(cycle)}.docx")
