"""Thin views of 民主评议党员: fetch through zhibu.orgs.access (one `access_review` here), write through
services, render. The public ballot page (`vote`) needs no login, uses no session and no messages,
and its template loads no script (no `_once` token row): a ballot leaves nothing but itself."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.documents.dates import signing_date
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import docx_response, xlsx_response
from zhibu.orgs import access
from zhibu.orgs.models import Person
from zhibu.review import documents, rules, selectors, services
from zhibu.review.forms import CodeForm, ExclusionForm, FollowUpForm, IssueForm, ReviewForm, SelfForm, StepForm
from zhibu.review.models import Exclusion, Poll, Review, SelfAssessment


def access_review(request: HttpRequest, org, review_id: int) -> Review:
    return access.get_object(request, Review.objects.select_related("branch", "orglife_cycle", "opinion_meeting"),
                             review_id, org=org)


def _back(review: Review, anchor: str = ""):
    return redirect(reverse("review:detail", args=[review.branch_id, review.pk]) + anchor)


def _my_person(request: HttpRequest, org) -> Person | None:
    person = getattr(request.user, "person", None)
    return person if person is not None and person.branch_id == org.pk and person.is_member else None


def _year(request: HttpRequest) -> int:
    year, _month, message = PeriodQueryForm.period(request.GET)
    if message:
        messages.warning(request, f"{message}已显示{year}年。")
    return year


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    scope = access.get_scope(request)
    return render(request, "review/index.html", {
        "org": org,
        "reviews": selectors.reviews_of(org),
        "can_manage": scope.can(org, access.MANAGE),
        "me": _my_person(request, org),
        "defaults": selectors.defaults_for(org),
        "source": rules.SOURCE,
    })


def _review_form(request, org, *, year: int, initial: dict, editing: bool = False, review: Review | None = None):
    cycles = selectors.orglife_cycles(org, year) if editing else [
        c for y in (year - 1, year, year + 1) for c in selectors.orglife_cycles(org, y)
    ]
    meetings = selectors.opinion_meetings(org, year) if editing else ()
    return ReviewForm(request.POST or None, initial=initial, cycles=cycles, meetings=meetings, editing=editing)


@login_required
def review_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    today = clock.today()
    defaults = selectors.defaults_for(org)
    initial = {"year": today.year, "held_on": dt.date(today.year, 12, 20), "cap_ratio": defaults.ratio,
               "rounding": defaults.rounding, "deadline": defaults.deadline(today.year)}
    form = _review_form(request, org, year=today.year, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review = services.open_review(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已开始{review}，请按步骤逐项落实")
                return _back(review)
        status = 400
    return render(request, "review/form.html", {
        "org": org, "form": form, "title": "开始民主评议党员", "defaults": defaults,
    }, status=status)


@login_required
def review_edit(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    initial = {
        "held_on": review.held_on, "with_orglife": review.with_orglife,
        "orglife_cycle": review.orglife_cycle_id or "", "per_group": review.per_group,
        "cap_ratio": review.cap_ratio, "rounding": review.rounding, "deadline": review.deadline,
        "opinion_meeting": review.opinion_meeting_id or "",
    }
    form = _review_form(request, org, year=review.year, initial=initial, editing=True, review=review)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(actor=request.user, review=review, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存")
                return _back(review)
        status = 400
    return render(request, "review/form.html", {
        "org": org, "review": review, "form": form, "title": f"{review}设置",
        "defaults": selectors.upper_defaults(org),
    }, status=status)


@login_required
def detail(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    """The branch sees the whole review; a member their own part; the district the steps' status only."""
    org = access.get_branch(request, org_id, access.VIEW)
    review = access_review(request, org, review_id)
    scope = access.get_scope(request)
    can_manage = scope.can(org, access.MANAGE)
    me = _my_person(request, org)
    context = {
        "org": org, "review": review, "steps": selectors.steps_of(review), "today": clock.today(),
        "can_manage": can_manage, "me": me,
    }
    if can_manage:
        summary = selectors.summary(review, with_vetoes=True)
        context.update({
            "summary": summary,
            "selfs": selectors.self_assessments(review),
            "followups": selectors.followups_of(review),
            "negatives_rows": [r for r in summary.rows if r.gradable and r.grade in (rules.BASIC, rules.UNQUALIFIED)],
            "exclusion_labels": rules.EXCLUSION_LABELS,
        })
    elif me is not None and review.finalised_at is not None:
        from zhibu.review.models import Grade

        context["my_grade"] = Grade.objects.filter(review=review, person=me).values_list("grade", flat=True).first()
    return render(request, "review/detail.html", context)


@login_required
def step_edit(request: HttpRequest, org_id: int, review_id: int, code: str) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    if code not in rules.STEP_CODES:
        raise Http404("没有这个步骤")
    step = review.steps.filter(code=code).first()
    initial = {"due": step.due, "done_on": step.done_on, "note": step.note} if step else {}
    form = StepForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_step(actor=request.user, review=review, code=code, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已登记“{rules.STEP_LABELS[code]}”")
                return _back(review, "#steps")
        status = 400
    return render(request, "review/form.html", {
        "org": org, "review": review, "form": form, "title": f"{review}：{rules.STEP_LABELS[code]}",
    }, status=status)


@login_required
def exclusions(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    people = [r.person for r in selectors.rows_of(review)]
    form = ExclusionForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.exclude(actor=request.user, review=review, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已登记")
                return redirect(reverse("review:exclusions", args=[org.pk, review.pk]))
        status = 400
    return render(request, "review/exclusions.html", {
        "org": org, "review": review, "form": form,
        "exclusions": Exclusion.objects.filter(review=review).select_related("person"),
    }, status=status)


@login_required
@require_POST
def unexclude(request: HttpRequest, org_id: int, review_id: int, exclusion_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    exclusion = Exclusion.objects.filter(review=review, pk=exclusion_id).select_related("person", "review").first()
    if exclusion is None:
        raise Http404("未找到")
    try:
        services.unexclude(actor=request.user, exclusion=exclusion)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{exclusion.person.name}已恢复计入应到会")
    return redirect(reverse("review:exclusions", args=[org.pk, review.pk]))


@login_required
def self_assessment(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    """A member writes or uploads their own 自评 (phone); a manager may enter one for anyone (?person=)."""
    org = access.get_branch(request, org_id, access.VIEW)
    review = access_review(request, org, review_id)
    scope = access.get_scope(request)
    can_manage = scope.can(org, access.MANAGE)
    person = _my_person(request, org)
    wanted = request.GET.get("person", "")
    if can_manage and wanted:
        if not wanted.isdigit() or len(wanted) > 12:
            raise Http404("未找到")
        person = access.access_person(request, org, int(wanted), access.MANAGE)
    if person is None:
        raise PermissionDenied("个人自评由党员本人填写")
    item = SelfAssessment.objects.filter(review=review, person=person).first()
    form = SelfForm(request.POST or None, request.FILES or None, initial={"text": item.text if item else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_self_assessment(actor=request.user, review=review, person=person,
                                              text=form.cleaned_data["text"], upload=form.cleaned_data["upload"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "个人自评已保存")
                return redirect(reverse("review:self", args=[org.pk, review.pk])
                                + (f"?person={person.pk}" if wanted else ""))
        status = 400
    return render(request, "review/self.html", {
        "org": org, "review": review, "form": form, "person": person, "item": item,
    }, status=status)


@login_required
def self_file(request: HttpRequest, org_id: int, review_id: int, item_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    review = access_review(request, org, review_id)
    item = SelfAssessment.objects.filter(review=review, pk=item_id).select_related("person").first()
    if item is None or not item.file:
        raise Http404("未找到")
    if item.person.user_id != request.user.pk and not access.get_scope(request).can(org, access.MANAGE):
        raise PermissionDenied("只能查看本人的自评")
    response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file_name or "自评",
                            content_type=item.content_type or "application/octet-stream")
    response["Cache-Control"] = "private, no-store"
    return response


# --- the poll -----------------------------------------------------------------------------------


def vote_link(request: HttpRequest, poll: Poll, code: str = "") -> str:
    path = reverse("review:vote", args=[poll.key]) + (f"?c={code}" if code else "")
    base = (getattr(settings, "ZHIBU_BASE_URL", "") or "").strip().rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


@login_required
def poll(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    summary = selectors.summary(review)
    state = summary.poll
    return render(request, "review/poll.html", {
        "org": org, "review": review, "state": state, "summary": summary,
        "form": IssueForm(initial={"count": sum(1 for r in summary.rows if not r.excluded), "masses_count": 0}),
        "link": vote_link(request, state.poll) if state.poll else "",
        "base_url_set": bool(getattr(settings, "ZHIBU_BASE_URL", "")),
        "tally_rows": [(r, summary.result.tally.get(str(r.person.pk))) for r in summary.rows] if state.closed else [],
        "masses_rows": [(r, summary.masses_tally.get(str(r.person.pk))) for r in summary.rows]
        if state.closed and summary.masses_tally else [],
        "grades": rules.GRADES,
    })


@login_required
@require_POST
def issue(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    """Issue codes and download the slips at once: the codes exist in the clear only in this file."""
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            pairs = services.issue_codes(actor=request.user, review=review, count=form.cleaned_data["count"],
                                         masses_count=form.cleaned_data.get("masses_count") or 0)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            poll_obj = Poll.objects.get(review=review)
            content = documents.slips_docx(review, pairs, lambda code: vote_link(request, poll_obj, code))
            return docx_response(content, f"{review.year}年民主测评票码.docx")
    summary = selectors.summary(review)
    return render(request, "review/poll.html", {
        "org": org, "review": review, "state": summary.poll, "summary": summary, "form": form,
        "link": "", "tally_rows": [], "masses_rows": [], "grades": rules.GRADES,
    }, status=400)


@login_required
@require_POST
def close(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    try:
        services.close_poll(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "民主测评已结束，未使用的票码已作废")
    return redirect(reverse("review:poll", args=[org.pk, review.pk]))


def _closed_summary(request: HttpRequest, review: Review) -> selectors.Summary | None:
    summary = selectors.summary(review)
    if not summary.poll.closed:
        messages.error(request, "民主测评结束后才能下载汇总")
        return None
    return summary


@login_required
def tally_xlsx(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    summary = _closed_summary(request, review)
    if summary is None:
        return redirect(reverse("review:poll", args=[org.pk, review.pk]))
    return xlsx_response(documents.tally_xlsx(review, summary), f"{review.year}年民主测评汇总表.xlsx")


@login_required
def form_blank(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    summary = selectors.summary(review)
    return docx_response(documents.form_docx(review, summary, filled=False), f"{review.year}年民主测评表.docx")


@login_required
def form_filled(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    summary = _closed_summary(request, review)
    if summary is None:
        return redirect(reverse("review:poll", args=[org.pk, review.pk]))
    return docx_response(documents.form_docx(review, summary, filled=True), f"{review.year}年民主测评表（汇总）.docx")


# --- the anonymous ballot (no login) ---------------------------------------------------------------


def _vote_render(request, poll_obj, *, code: str = "", error: str = "", done: bool = False, status: int = 200,
                 chosen: dict | None = None):
    rows = selectors.rows_of(poll_obj.review) if code and not error and not done else []
    return render(request, "review/vote.html", {
        "poll": poll_obj, "review": poll_obj.review, "code": code, "error": error, "done": done,
        "rows": rows, "grades": rules.GRADES, "chosen": chosen or {},
        "code_form": CodeForm(initial={"code": code}),
        "ungraded": rules.UNGRADED_LABEL,
    }, status=status)


@never_cache
def vote(request: HttpRequest, key: str) -> HttpResponse:
    """The public ballot page: a code (from the QR link or typed), then one grade per member."""
    poll_obj = Poll.objects.select_related("review", "review__branch").filter(key=key[:40]).first()
    if poll_obj is None:
        raise Http404("测评不存在")
    if request.method == "POST":
        code = (request.POST.get("code") or "")[:40]
        grades = {k[2:]: v for k, v in request.POST.items() if k.startswith("g_")}
        if "grading" not in request.POST:
            error = services.check_code(poll=poll_obj, code=code)
            return _vote_render(request, poll_obj, code="" if error else services.normalise_code(code), error=error or "",
                                status=400 if error else 200)
        try:
            services.submit_ballot(poll_key=poll_obj.key, code=code, grades=grades)
        except ValidationError as exc:
            message = "；".join(exc.messages)
            still_usable = services.check_code(poll=poll_obj, code=code) is None
            return _vote_render(request, poll_obj, code=services.normalise_code(code) if still_usable else "",
                                error=message, status=400,
                                chosen={int(k): v for k, v in grades.items() if k.isdigit() and len(k) < 12}
                                if still_usable else None)
        return _vote_render(request, poll_obj, done=True)
    code = (request.GET.get("c") or "")[:40]
    if code:
        error = services.check_code(poll=poll_obj, code=code)
        return _vote_render(request, poll_obj, code="" if error else services.normalise_code(code), error=error or "")
    return _vote_render(request, poll_obj, error=services.MSG_EXPIRED if poll_obj.closed else "")


# --- grades and finalising ----------------------------------------------------------------------


@login_required
def grades(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        wanted = {}
        for k, v in request.POST.items():
            if k.startswith("g_") and k[2:].isdigit() and len(k) < 16:
                wanted[int(k[2:])] = v
        try:
            services.save_grades(actor=request.user, review=review, grades=wanted)
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, "等次已保存")
            return redirect(reverse("review:grades", args=[org.pk, review.pk]))
    summary = selectors.summary(review, with_vetoes=True)
    return render(request, "review/grades.html", {
        "org": org, "review": review, "summary": summary, "grades": rules.GRADES, "errors": errors,
        "tally": summary.result.tally, "excellent": rules.EXCELLENT,
        "rows": [(r, summary.result.tally.get(str(r.person.pk))) for r in summary.rows],
    }, status=status)


@login_required
@require_POST
def finalise(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    try:
        services.finalise(actor=request.user, review=review)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, f"不能定稿：{m}")
        return redirect(reverse("review:grades", args=[org.pk, review.pk]))
    messages.success(request, "民主评议已定稿，等次不再修改")
    return _back(review)


@login_required
def followup(request: HttpRequest, org_id: int, review_id: int, person_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    person = access.access_person(request, org, person_id, access.MANAGE)
    item = selectors.followups_of(review).get(person.pk)
    initial = {}
    if item is not None:
        initial = {"negatives": item.negatives, "action": item.action, "deadline": item.deadline,
                   "help_plan": item.help_plan, "motion": item.motion_id or "", "done_on": item.done_on,
                   "note": item.note}
    form = FollowUpForm(request.POST or None, initial=initial,
                        negatives=selectors.defaults_for(org).negatives,
                        motions=selectors.congress_motions(org, review.year))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_followup(actor=request.user, review=review, person=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存")
                return _back(review, "#followups")
        status = 400
    return render(request, "review/form.html", {
        "org": org, "review": review, "form": form, "title": f"{person.name}：评议后续处置",
        "multipart": False,
    }, status=status)


@login_required
def report_docx(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    date, error = signing_date(request.GET, None)
    if error:
        messages.error(request, error)
        return _back(review)
    summary = selectors.summary(review)
    upper = org.parent.name if org.parent_id else ""
    content = documents.report_docx(review, summary, selectors.followups_of(review), upper_name=upper, date=date)
    return docx_response(content, f"{review.year}年度民主评议党员情况报告.docx")


@login_required
def notice_docx(request: HttpRequest, org_id: int, review_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    review = access_review(request, org, review_id)
    if review.finalised_at is None:
        messages.error(request, "民主评议定稿后才能生成优秀党员公示")
        return _back(review)
    date, error = signing_date(request.GET, None)
    if error:
        messages.error(request, error)
        return _back(review)
    return docx_response(documents.notice_docx(review, selectors.summary(review), date=date),
                         f"{review.year}年度优秀党员公示.docx")


# --- district -------------------------------------------------------------------------------------


def _district_org(request: HttpRequest, org_id: int):
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind == "group":
        raise Http404("此页面在上级党组织查看")
    return org


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _district_org(request, org_id)
    year = _year(request)
    grid = selectors.district_grid(org, year=year, today=clock.today())
    return render(request, "review/district.html", {
        "org": org, "grid": grid, "year": year, "grades": rules.GRADES, "labels": selectors.STATUS_LABELS,
    })


@login_required
def district_xlsx(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _district_org(request, org_id)
    year = _year(request)
    grid = selectors.district_grid(org, year=year, today=clock.today())
    return xlsx_response(documents.district_xlsx(org, grid), f"{year}年度民主评议党员情况.xlsx")
