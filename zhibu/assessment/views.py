"""Thin views of the district assessment: fetch through zhibu.orgs.access, write through services,
render. Levels: results and the dashboard are read by the district admin and auditor (AUDIT) and,
for its own branch, by the branch's managers; the rubric, manual scores, grades and findings are the
district admin's (ADMIN on the district, or on the branch below it); the 述职 report is uploaded by
the branch's managers (MANAGE)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.assessment import charts, exports, rules, selectors, services
from zhibu.assessment.forms import (
    CreateRubricForm,
    FindingForm,
    GradeForm,
    ItemForm,
    ManualScoreForm,
    ReportForm,
    ThresholdsForm,
)
from zhibu.assessment.models import ManualScore, Report, RubricItem
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import xlsx_response
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def _year(request: HttpRequest) -> int:
    return PeriodQueryForm.period(request.GET)[0]


def _district(request: HttpRequest, org_id: int, need: str):
    """A district (any organisation above the branches) the user may `need`."""
    org = access.get_org(request, org_id, need)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise Http404("此功能在上级党组织办理")
    return org


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def _with_year(url: str, year: int) -> str:
    return f"{url}?year={year}"


def access_item(request: HttpRequest, branch, item_id: int) -> RubricItem:
    """A rubric item of the rubric that applies to `branch` (another district's item is 404)."""
    item = RubricItem.objects.select_related("rubric__district").filter(pk=item_id).first()
    if item is None or not branch.path.startswith(item.rubric.district.path):
        raise Http404("未找到该评分项目")
    return item


def _errors_to_messages(request, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


# --- the district's pages ---------------------------------------------------------------------------


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """The year's results: every branch's score and tier (a branch's own people see their branch)."""
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        return redirect(_with_year(reverse("assessment:branch", args=[org.pk]), _year(request)))
    year, _m, problem = PeriodQueryForm.period(request.GET)
    if problem:
        messages.warning(request, problem)
    result = selectors.assess(org, year)
    scope = access.get_scope(request)
    rows = sorted(result.rows, key=lambda r: (-r.score, r.name))
    return render(
        request,
        "assessment/index.html",
        {
            "org": org,
            "year": year,
            "result": result,
            "rows": rows,
            "can_admin": scope.can(org, access.ADMIN),
            "create_form": CreateRubricForm(initial={"year": year, "default": True}),
            "tiers": [(rules.TIER_LABELS[c], result.tiers.get(c, 0)) for c, _l in rules.TIERS],
        },
    )


@login_required
def rubric(request: HttpRequest, org_id: int) -> HttpResponse:
    """The rubric as data: groups, items, points, each derived item's formula; thresholds (a branch
    sees the rubric that applies to it, read-only)."""
    org = access.get_org(request, org_id, access.AUDIT)
    year = _year(request)
    found = selectors.rubric_for(org, year)
    own = found if found is not None and found.district_id == org.pk else None
    items = selectors.items_of(found) if found else []
    from zhibu.assessment.hooks import measures

    available = measures()
    lines = []
    for item in items:
        m = available.get(item.measure) if item.measure else None
        lines.append((item, m))
    return render(
        request,
        "assessment/rubric.html",
        {
            "org": org,
            "year": year,
            "rubric": found,
            "own": own,
            "lines": lines,
            "groups": selectors.groups_of(items),
            "group_names": rules.GROUPS,
            "total": sum(i.points for i in items),
            "can_admin": access.get_scope(request).can(org, access.ADMIN) and own is not None and not org.is_branch,
            "item_form": ItemForm(),
            "thresholds_form": ThresholdsForm(initial={"advanced": own.advanced, "backward": own.backward})
            if own
            else None,
            "create_form": CreateRubricForm(initial={"year": year, "default": True}),
            "can_create": access.get_scope(request).can(org, access.ADMIN) and own is None and not org.is_branch,
            "missing": "数据来源未启用",
        },
    )


@login_required
@require_POST
def rubric_create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _district(request, org_id, access.ADMIN)
    form = CreateRubricForm(request.POST)
    year = _year(request)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.create_rubric(actor=request.user, district=org, year=year, default=form.cleaned_data["default"])
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, f"{year}年度考核评分细则已制定。")
    else:
        _errors_to_messages(request, form)
    return redirect(_with_year(reverse("assessment:rubric", args=[org.pk]), year))


def _own_rubric(request, org, year):
    found = selectors.rubric_for(org, year)
    if found is None or found.district_id != org.pk:
        raise Http404("本级尚未制定该年度的考核评分细则")
    return found


@login_required
@require_POST
def thresholds(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _district(request, org_id, access.ADMIN)
    year = _year(request)
    found = _own_rubric(request, org, year)
    form = ThresholdsForm(request.POST)
    if form.is_valid():
        try:
            services.set_thresholds(actor=request.user, rubric=found, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "分档线已保存。")
    else:
        _errors_to_messages(request, form)
    return redirect(_with_year(reverse("assessment:rubric", args=[org.pk]), year))


@login_required
@require_POST
def item_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _district(request, org_id, access.ADMIN)
    year = _year(request)
    found = _own_rubric(request, org, year)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(actor=request.user, rubric=found, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            _errors_to_messages(request, form)
        else:
            messages.success(request, "评分项目已增加。")
    else:
        _errors_to_messages(request, form)
    return redirect(_with_year(reverse("assessment:rubric", args=[org.pk]), year))


@login_required
@require_POST
def item_delete(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    org = _district(request, org_id, access.ADMIN)
    item = RubricItem.objects.select_related("rubric__district").filter(pk=item_id, rubric__district=org).first()
    if item is None:
        raise Http404("未找到该评分项目")
    year = item.rubric.year
    services.delete_item(actor=request.user, item=item)
    messages.success(request, "评分项目已删除。")
    return redirect(_with_year(reverse("assessment:rubric", args=[org.pk]), year))


@login_required
def export(request: HttpRequest, org_id: int) -> HttpResponseBase:
    org = access.get_org(request, org_id, access.AUDIT)
    year = _year(request)
    result = selectors.assess(org, year)
    if result.rubric is None:
        messages.error(request, "尚未制定该年度的考核评分细则，没有可导出的结果。")
        return redirect(_with_year(reverse("assessment:index", args=[org.pk]), year))
    return xlsx_response(exports.results_xlsx(result), f"{org.name}{year}年度党支部考核结果.xlsx")


@login_required
def dashboard(request: HttpRequest, org_id: int) -> HttpResponse:
    """The district's year at a glance: branches × each app's figure, and two charts."""
    org = access.get_org(request, org_id, access.AUDIT)
    year, _m, problem = PeriodQueryForm.period(request.GET)
    if problem:
        messages.warning(request, problem)
    board = selectors.dashboard(org, year)
    tiers = [(rules.TIER_LABELS[c], board.assessment.tiers.get(c, 0)) for c, _l in rules.TIERS]
    scores = {r.id: r for r in board.assessment.rows}
    return render(
        request,
        "assessment/dashboard.html",
        {
            "org": org,
            "year": year,
            "board": board,
            "rows": [(b, name, cells, scores.get(b)) for b, name, cells in board.rows],
            "monthly_svg": charts.monthly_chart(board.monthly) if board.monthly else "",
            "tiers_svg": charts.tiers_chart(tiers) if board.assessment.rubric else "",
        },
    )


# --- a branch's pages ---------------------------------------------------------------------------------


@login_required
def branch(request: HttpRequest, org_id: int) -> HttpResponse:
    """A branch's score, item by item, each derived item linking to the records behind it."""
    org = _branch(request, org_id, access.AUDIT)
    year, _m, problem = PeriodQueryForm.period(request.GET)
    if problem:
        messages.warning(request, problem)
    result = selectors.assess(org, year)
    row = result.rows[0] if result.rows else None
    scope = access.get_scope(request)
    groups = []
    if row is not None:
        by_item = {s.item.pk: s for s in row.items}
        for group, points, items in result.groups:
            scores = [by_item[i.pk] for i in items]
            groups.append((group, points, sum(s.points for s in scores), scores))
    report = services.report_for(org, year)
    return render(
        request,
        "assessment/branch.html",
        {
            "org": org,
            "year": year,
            "result": result,
            "row": row,
            "groups": groups,
            "report": report,
            "grade_label": rules.GRADE_LABELS.get(report.grade, "") if report else "",
            "can_admin": scope.can(org, access.ADMIN),
            "can_manage": scope.can(org, access.MANAGE),
            "report_form": ReportForm(),
            "grade_form": GradeForm(initial={"grade": report.grade, "comment": report.comment} if report else None),
            "finding_form": FindingForm(),
        },
    )


@login_required
def manual(request: HttpRequest, org_id: int, item_id: int) -> HttpResponse:
    """The district scores a manual item for the branch (evidence optional)."""
    org = _branch(request, org_id, access.ADMIN)
    item = access_item(request, org, item_id)
    year = item.rubric.year
    back = _with_year(reverse("assessment:branch", args=[org.pk]), year)
    if item.measure:
        messages.error(request, "该项目按记录自动计算，不需要手工评分。")
        return redirect(back)
    existing = ManualScore.objects.filter(item=item, branch=org).first()
    initial = {"points": existing.points, "note": existing.note} if existing else None
    form = ManualScoreForm(request.POST or None, request.FILES or None, maximum=item.points, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_manual_score(
                    actor=request.user,
                    item=item,
                    branch=org,
                    points=form.cleaned_data["points"],
                    note=form.cleaned_data["note"],
                    upload=form.cleaned_data["upload"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"“{item.label}”评分已保存。")
                return redirect(back)
        status = 400
    return render(
        request,
        "assessment/manual.html",
        {"org": org, "item": item, "form": form, "existing": existing, "year": year, "back": back},
        status=status,
    )


def _serve(field_file, name: str, content_type: str) -> FileResponse:
    if not field_file:
        raise Http404("没有这个文件")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不存在") from None
    return FileResponse(handle, as_attachment=True, filename=name or "材料", content_type=content_type)


@login_required
def evidence(request: HttpRequest, org_id: int, score_id: int) -> FileResponse:
    org = _branch(request, org_id, access.AUDIT)
    score = access.get_object(request, ManualScore.objects.all(), score_id, org=org)
    assert isinstance(score, ManualScore)
    return _serve(score.file, score.file_name, score.content_type)


@login_required
def report(request: HttpRequest, org_id: int) -> HttpResponse:
    """书记抓党建述职: the branch's managers upload the report (GET shows the branch page)."""
    year = _year(request)
    back = _with_year(reverse("assessment:branch", args=[org_id]), year)
    if request.method != "POST":
        _branch(request, org_id, access.AUDIT)
        return redirect(back)
    org = _branch(request, org_id, access.MANAGE)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_report(actor=request.user, branch=org, year=year, upload=form.cleaned_data["upload"])
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "述职报告已上传。")
    else:
        _errors_to_messages(request, form)
    return redirect(back)


@login_required
def report_file(request: HttpRequest, org_id: int) -> FileResponse:
    org = _branch(request, org_id, access.AUDIT)
    found = Report.objects.filter(branch=org, year=_year(request)).first()
    if found is None:
        raise Http404("尚未上传述职报告")
    return _serve(found.file, found.file_name, found.content_type)


@login_required
@require_POST
def grade(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.ADMIN)
    year = _year(request)
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.grade_report(actor=request.user, branch=org, year=year, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "述职评议等次已保存。")
    else:
        _errors_to_messages(request, form)
    return redirect(_with_year(reverse("assessment:branch", args=[org.pk]), year))


@login_required
@require_POST
def finding(request: HttpRequest, org_id: int) -> HttpResponse:
    """A finding of the assessment becomes a 整改 item of the branch (source 述职评议)."""
    org = _branch(request, org_id, access.ADMIN)
    year = _year(request)
    form = FindingForm(request.POST)
    district = org.parent
    found = selectors.rubric_for(org, year)
    if found is not None:
        district = found.district
    if form.is_valid():
        try:
            services.raise_finding(actor=request.user, district=district, branch=org, year=year, **form.cleaned_data)
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(request, "已转为整改事项，列入该支部的整改台账。")
    else:
        _errors_to_messages(request, form)
    return redirect(_with_year(reverse("assessment:branch", args=[org.pk]), year))
