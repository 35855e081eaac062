"""Thin views of 学习教育: fetch through zhibu.orgs.access, write through services, render.

Levels: the branch's lists and tables are read by its managers and the district admin/auditor above
(AUDIT) and written by the managers (MANAGE); every member (and staff member with an account) keeps
their own study on “我的学习” and sees only their own hours; the district sees counts per branch."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.documents import web
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import docx_response, xlsx_response
from zhibu.core.imports import run_import
from zhibu.orgs import access
from zhibu.orgs.models import Person
from zhibu.study import documents, imports, rules, selectors, services
from zhibu.study.forms import (
    AdoptForm,
    DecideForm,
    ExemptForm,
    ImportForm,
    ObligationForm,
    PlanForm,
    QuarterForm,
    QuotaForm,
    ReadingForm,
    ReflectionForm,
    SessionForm,
    TrainingForm,
)
from zhibu.study.models import Audience, Obligation, Reflection, Session, Training


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def _year(request: HttpRequest) -> int:
    year, _month, _error = PeriodQueryForm.period(request.GET, default_year=clock.today().year)
    return year


def _me(request: HttpRequest, org) -> Person | None:
    return Person.objects.filter(user=request.user, branch=org, active=True).first()


def _can(request, org, need) -> bool:
    return access.get_scope(request).can(org, need)


def access_session(request: HttpRequest, org, pk: int) -> Session:
    return access.get_object(request, Session.objects.select_related("branch", "category", "group"), pk, org=org)


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """集中学习: the year's sessions and the 党课/主题党日 of 组织生活 that count as study."""
    org = _branch(request, org_id, access.VIEW)
    if not _can(request, org, access.AUDIT):
        return redirect("study:me", org_id=org.pk)
    year, today = _year(request), clock.today()
    return render(
        request,
        "study/index.html",
        {
            "org": org,
            "year": year,
            "sessions": selectors.sessions_of(org, year),
            "orglife": selectors.orglife_sessions(org, year, today),
            "obligations": selectors.obligations(org, year),
            "can_manage": _can(request, org, access.MANAGE),
            "quarters": (1, 2, 3, 4),
        },
    )


@login_required
def session_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    today = clock.today()
    audience = request.GET.get("audience") if request.GET.get("audience") in Audience.values else Audience.MEMBERS
    initial = {"date": today, "audience": audience, "attendees": services.audience_ids(org, audience, None, today)}
    form = SessionForm(request.POST or None, request.FILES or None, branch=org, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                session = services.create_session(
                    actor=request.user,
                    branch=org,
                    date=d["date"],
                    length=d["length"],
                    hours=d["hours"],
                    form=d["form"],
                    category=d["category"],
                    topic=d["topic"],
                    speaker=d["speaker"],
                    audience=d["audience"],
                    group=d["group"],
                    summary=d["summary"],
                    links=d["links"],
                    attendee_ids=[p.pk for p in d["attendees"]],
                    uploads=d["materials"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记学习“{session.topic}”，{session.attendance.count()}人参学，"
                    f"每人计{session.credited:g}学时。",
                )
                return redirect("study:session", org_id=org.pk, session_id=session.pk)
        status = 400
    return render(
        request,
        "study/session_form.html",
        {"org": org, "form": form, "audience": audience, "audiences": Audience.choices, "rule": rules.COUNTING_SOURCE},
        status=status,
    )


@login_required
def session(request: HttpRequest, org_id: int, session_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    s = access_session(request, org, session_id)
    return render(
        request,
        "study/session.html",
        {"org": org, **selectors.session_detail(s), "can_manage": _can(request, org, access.MANAGE)},
    )


@login_required
@require_POST
def session_delete(request: HttpRequest, org_id: int, session_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    s = access_session(request, org, session_id)
    services.delete_session(actor=request.user, session=s)
    messages.success(request, "已删除该学习记录。")
    return redirect("study:index", org_id=org.pk)


@login_required
def study_file(request: HttpRequest, org_id: int, file_id: int) -> HttpResponseBase:
    """A material, photo, certificate or 心得 file: managers and above, or the owner of their own file."""
    org = _branch(request, org_id, access.VIEW)
    f = selectors.file_of(org, file_id)
    if f is None:
        raise Http404("未找到")
    if not _can(request, org, access.AUDIT):
        me = _me(request, org)
        own = me is not None and (
            Reflection.objects.filter(file=f, person=me).exists()
            or Training.objects.filter(certificate=f, person=me).exists()
        )
        if not own:
            raise PermissionDenied("只能查看本人的文件")
    try:
        handle = f.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=f.content_type, as_attachment=not f.is_image, filename=f.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- hours ----------------------------------------------------------------------------------------


@login_required
def hours(request: HttpRequest, org_id: int) -> HttpResponse:
    """The branch's 学时 table (who is short and by how much; by name, never a ranking)."""
    org = _branch(request, org_id, access.VIEW)
    if not _can(request, org, access.AUDIT):
        return redirect("study:me", org_id=org.pk)
    year, today = _year(request), clock.today()
    rows = selectors.branch_hours(org, year, min(today, dt.date(year, 12, 31)))
    cfg = selectors.config(org)
    return render(
        request,
        "study/hours.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "cfg": cfg,
            "below": sum(1 for r in rows if r.standing.below),
            "pending": selectors.pending_trainings(org),
            "can_manage": _can(request, org, access.MANAGE),
            "exempt_form": ExemptForm(),
            "sources": (rules.HOURS_SOURCE, rules.LEADER_SOURCE, rules.COUNTING_SOURCE, rules.FRAIL_SOURCE),
            "no_ranking": rules.NO_RANKING,
        },
    )


@login_required
def hours_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year, today = _year(request), clock.today()
    rows = selectors.branch_hours(org, year, min(today, dt.date(year, 12, 31)))
    return xlsx_response(documents.hours_xlsx(org, year, rows), f"{org.name}{year}年度党员学时登记表.xlsx")


@login_required
@require_POST
def exempt(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    person = access.access_person(request, org, person_id, access.MANAGE)
    form = ExemptForm(request.POST)
    year = _year(request)
    if form.is_valid():
        try:
            services.set_exemption(
                actor=request.user, branch=org, person=person, year=year, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已更新{person.name}的学时考核设置。")
    else:
        messages.error(request, "请选择原因。")
    return redirect(f"{reverse('study:hours', args=[org.pk])}?year={year}")


@login_required
def training_new(request: HttpRequest, org_id: int) -> HttpResponse:
    """External training: a member records their own (approved by the branch), a manager anyone's."""
    org = _branch(request, org_id, access.VIEW)
    manager = _can(request, org, access.MANAGE)
    me = None if manager else _me(request, org)
    if not manager and me is None:
        raise PermissionDenied("只有本支部人员可以登记")
    form = TrainingForm(
        request.POST or None, request.FILES or None, branch=org, person=me, initial={"date": clock.today()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.add_training(
                    actor=request.user,
                    branch=org,
                    person=d["person"],
                    date=d["date"],
                    title=d["title"],
                    provider=d["provider"],
                    hours=d["hours"],
                    upload=d.get("certificate"),
                    approved=manager,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已登记培训学时。" if manager else "已提交，支部认定后计入学时。")
                return redirect("study:hours" if manager else "study:me", org_id=org.pk)
        status = 400
    return render(
        request,
        "study/simple_form.html",
        {"org": org, "form": form, "title": "登记外出培训学时", "multipart": True},
        status=status,
    )


@login_required
@require_POST
def training_decide(request: HttpRequest, org_id: int, training_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    t = access.get_object(request, Training.objects.select_related("branch"), training_id, org=org)
    form = DecideForm(request.POST)
    if form.is_valid():
        services.decide_training(actor=request.user, training=t, approve=form.cleaned_data["approve"] == "1")
        messages.success(request, "已审核。")
    return redirect("study:hours", org_id=org.pk)


# --- targets, obligations, quotas ---------------------------------------------------------------------


@login_required
def targets(request: HttpRequest, org_id: int) -> HttpResponse:
    """The plan's study targets (one click each: an obligation or a quota), the obligations and quotas
    set, and who is short of a quota (by name)."""
    org = _branch(request, org_id, access.AUDIT)
    year = _year(request)
    found = selectors.plan_targets(org, year)
    manager = _can(request, org, access.MANAGE)
    status = 200
    ob_form, quota_form = ObligationForm(prefix="ob"), QuotaForm(prefix="q")
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("没有权限")
        try:
            if "adopt" in request.POST:
                form = AdoptForm(request.POST)
                if not form.is_valid() or form.cleaned_data["index"] >= len(found):
                    raise ValidationError("未找到这项工作目标，请刷新页面。", code="target")
                services.adopt_target(
                    actor=request.user, branch=org, year=year, target=found[form.cleaned_data["index"]]
                )
            elif "delete" in request.POST:
                form = AdoptForm(request.POST)
                ob = (
                    Obligation.objects.filter(branch=org, pk=request.POST.get("delete", "")).first()
                    if str(request.POST.get("delete", "")).isdigit()
                    else None
                )
                if ob is None:
                    raise ValidationError("未找到这项学习制度。", code="missing")
                services.delete_obligation(actor=request.user, obligation=ob)
            elif "ob-label" in request.POST:
                ob_form = ObligationForm(request.POST, prefix="ob")
                if not ob_form.is_valid():
                    raise ValidationError("请检查学习制度的填写。", code="form")
                services.set_obligation(actor=request.user, branch=org, year=year, **ob_form.cleaned_data)
            else:
                quota_form = QuotaForm(request.POST, prefix="q")
                if not quota_form.is_valid():
                    raise ValidationError("请检查学习要求的填写。", code="form")
                services.set_quota(actor=request.user, branch=org, year=year, **quota_form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            status = 400
        else:
            messages.success(request, "已保存。")
            return redirect(f"{reverse('study:targets', args=[org.pk])}?year={year}")
    obligations = selectors.obligations(org, year)
    quotas = selectors.quotas(org, year)
    adopted = {o.text for o in obligations} | {q.text for q in quotas}
    return render(
        request,
        "study/targets.html",
        {
            "org": org,
            "year": year,
            "targets": [(i, t, t["text"] in adopted) for i, t in enumerate(found)],
            "obligations": obligations,
            "quotas": quotas,
            "short": selectors.who_is_short(org, year),
            "can_manage": manager,
            "ob_form": ob_form,
            "quota_form": quota_form,
            "xuexi": selectors.xuexi_totals(org, year),
        },
        status=status,
    )


# --- personal study -----------------------------------------------------------------------------------


@login_required
def me(request: HttpRequest, org_id: int) -> HttpResponse:
    """我的学习: own hours, 学习计划, reading, 心得 (type or upload, on a phone too), quotas, 学习强国."""
    org = _branch(request, org_id, access.VIEW)
    person = _me(request, org)
    year, today = _year(request), clock.today()
    if person is None:
        return render(request, "study/me.html", {"org": org, "person": None, "year": year})
    forms = {
        "plan": PlanForm(prefix="plan"),
        "reading": ReadingForm(prefix="reading", initial={"date": today}),
        "reflection": ReflectionForm(prefix="refl", initial={"date": today}),
    }
    status = 200
    if request.method == "POST":
        which = request.POST.get("which", "")
        try:
            if which == "plan":
                forms["plan"] = f = PlanForm(request.POST, prefix="plan")
                if f.is_valid():
                    services.save_plan(actor=request.user, person=person, year=year, text=f.cleaned_data["text"])
            elif which == "reading":
                forms["reading"] = f = ReadingForm(request.POST, prefix="reading")
                if f.is_valid():
                    services.add_reading(actor=request.user, person=person, **f.cleaned_data)
            elif which == "reflection":
                forms["reflection"] = f = ReflectionForm(request.POST, request.FILES, prefix="refl")
                if f.is_valid():
                    d = f.cleaned_data
                    services.add_reflection(
                        actor=request.user,
                        person=person,
                        date=d["date"],
                        title=d["title"],
                        text=d["text"],
                        upload=d.get("file"),
                        share=d["share"],
                    )
            elif which == "share":
                r = (
                    Reflection.objects.filter(person=person, pk=request.POST.get("reflection", "0")).first()
                    if str(request.POST.get("reflection", "")).isdigit()
                    else None
                )
                if r is None:
                    raise ValidationError("未找到这篇心得。", code="missing")
                services.share_reflection(actor=request.user, reflection=r, share=r.shared_at is None)
                f = None
            else:
                raise ValidationError("请从页面上提交。", code="which")
        except ValidationError as exc:
            if which in forms:
                apply_validation_error(forms[which], exc)
            else:
                messages.error(request, "；".join(exc.messages))
            status = 400
        else:
            if f is None or not f.errors:
                messages.success(request, "已保存。")
                return redirect(f"{reverse('study:me', args=[org.pk])}?year={year}")
            status = 400
    rows = selectors.branch_hours(org, year, min(today, dt.date(year, 12, 31)), person=person)
    data = selectors.personal(person, year)
    if data["plan"] and not forms["plan"].is_bound:
        forms["plan"] = PlanForm(prefix="plan", initial={"text": data["plan"].text})
    return render(
        request,
        "study/me.html",
        {
            "org": org,
            "person": person,
            "year": year,
            "row": rows[0] if rows else None,
            "forms": forms,
            **data,
            "no_ranking": rules.NO_RANKING,
        },
        status=status,
    )


# --- 学习强国 ------------------------------------------------------------------------------------------


@login_required
def xuexi_import(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            today = clock.today()
            outcome = run_import(
                form.cleaned_data["file"],
                read=imports.read_rows,
                validate=lambda rows: imports.validate(rows, branch=org, today=today),
                write=lambda rows: services.import_xuexi(actor=request.user, branch=org, rows=rows),
            )
            if not outcome.failed:
                messages.success(request, f"已导入{outcome.result}行学习强国积分，按人按月汇总。")
                return redirect("study:targets", org_id=org.pk)
        status = 400
    return render(request, "study/import.html", {"org": org, "form": form, "outcome": outcome}, status=status)


# --- documents ------------------------------------------------------------------------------------------


@login_required
def yearbook(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year = _year(request)
    sessions = documents.year_sessions(org, year)
    if not sessions:
        return web.refused(
            request,
            heading="无法生成学习记录本",
            reasons=[f"{year}年没有登记集中学习。"],
            back_url=reverse("study:index", args=[org.pk]),
        )
    return docx_response(documents.yearbook_docx(org, year, sessions), f"{org.name}{year}年度学习记录本.docx")


@login_required
def bulletin(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    form = QuarterForm(request.GET)
    year, quarter = today.year, (today.month - 1) // 3 + 1
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        quarter = form.cleaned_data["quarter"] or quarter
    start, end = documents.quarter_range(year, quarter)
    sessions = selectors.sessions_between(org, start, end)
    reflections = selectors.shared_reflections(org, start, end)
    if not sessions and not reflections:
        return web.refused(
            request,
            heading="无法生成学习简报",
            reasons=[f"{year}年第{quarter}季度没有集中学习和分享的心得。"],
            back_url=reverse("study:index", args=[org.pk]),
        )
    return docx_response(
        documents.bulletin_docx(org, year, quarter, sessions, reflections),
        f"{org.name}学习简报{year}年第{quarter}季度.docx",
    )


# --- district ---------------------------------------------------------------------------------------


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Per branch: members, how many below their target, how many exempt — counts, never names."""
    org = access.get_org(request, org_id, access.AUDIT)
    year, today = _year(request), clock.today()
    rows = selectors.district_rows(org, year, min(today, dt.date(year, 12, 31)))
    return render(
        request,
        "study/district.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "cfg": selectors.config(org),
            "total_below": sum(r.below for r in rows),
            "no_ranking": rules.NO_RANKING,
        },
    )
