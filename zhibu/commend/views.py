"""Thin views of 评优 and 积分: fetch through zhibu.orgs.access (and the `access_*` below), write
through services, render.

Who: a district (ADMIN on the round's organisation) opens rounds, decides and publicises; branch
managers (MANAGE) nominate; everyone in the branch sees the publicised results; a person's record
(awards by year) is for the person and those who see the branch's lists; 积分 only for the person
themself and the branch committee — one person at a time, never a list ordered by points."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhibu.commend import documents, rules, selectors, services
from zhibu.commend.forms import (
    ActiveForm,
    DecideForm,
    EntryForm,
    NominateForm,
    PubliciseForm,
    RoundForm,
    RuleForm,
    SchemeForm,
)
from zhibu.commend.models import Nomination, PointsEntry, PointsRule, Round
from zhibu.core import clock
from zhibu.core.documents.web import refused
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import docx_response
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind, Person
from zhibu.workdays.selectors import get_calendar


def access_round(request: HttpRequest, org, pk: int, need: str = access.VIEW) -> Round:
    """A round opened by `org` or an organisation above it; ADMIN means the round's own district."""
    rnd = selectors.rounds_for(org).filter(pk=pk).first()
    if rnd is None:
        raise Http404("未找到")
    if need == access.ADMIN and not access.get_scope(request).can(rnd.org, access.ADMIN):
        raise PermissionDenied("只有发起评优的上级党组织可以办理")
    return rnd


def access_nomination(request: HttpRequest, org, pk: int, need: str) -> Nomination:
    """A nomination of a branch at or below `org`, in a round at or above it. MANAGE: the branch's
    managers; ADMIN: the round's district."""
    n = (
        Nomination.objects.select_related("round__org", "branch", "person")
        .filter(pk=pk, round__org_id__in=org.ancestor_ids(), branch__path__startswith=org.path)
        .first()
    )
    if n is None:
        raise Http404("未找到")
    scope = access.get_scope(request)
    if need == access.ADMIN and not scope.can(n.round.org, access.ADMIN):
        raise PermissionDenied("只有发起评优的上级党组织可以审定")
    if need == access.MANAGE and not scope.can(n.branch, access.MANAGE):
        raise PermissionDenied("没有权限")
    return n


def _errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


def _district_only(org) -> None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise Http404("此功能在上级党组织办理")


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW, follow_group=True)
    scope = access.get_scope(request)
    today = clock.today()
    me = Person.objects.filter(branch=org, user=request.user).first()
    return render(request, "commend/index.html", {
        "org": org, "today": today, "rounds": list(selectors.rounds_for(org).order_by("-year", "-opens_on", "-id")[:50]),
        "awards": selectors.branch_awards(org, today), "me": me,
        "can_manage": scope.can(org, access.MANAGE), "labels": rules.AWARD_LABELS,
    })


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        return redirect("commend:index", org.pk)
    counts = selectors.district_counts(org)
    rounds = selectors.rounds_of(org)
    for r in rounds:
        r.n_nominations = counts.get(r.pk, 0)
    scheme = selectors.scheme_for(org)
    return render(request, "commend/district.html", {
        "org": org, "rounds": rounds, "today": clock.today(), "can_admin": access.get_scope(request).can(org, access.ADMIN),
        "scheme": scheme if scheme is not None and scheme.org_id == org.pk else None,
    })


@login_required
def round_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.ADMIN)
    _district_only(org)
    today = clock.today()
    form = RoundForm(request.POST or None, initial={
        "year": today.year, "title": f"{today.year}年度“两优一先”评选表彰", "opens_on": today, "closes_on": today,
        "publicity_days": rules.DEFAULT_PUBLICITY_WORKDAYS})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rnd = services.open_round(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已发起，各党支部可在推荐时间内推荐。")
                return redirect("commend:round", org.pk, rnd.pk)
        status = 400
    return render(request, "commend/form.html", {"org": org, "form": form, "title": "发起评优表彰",
                                                 "hint": rules.SOURCE}, status=status)


@login_required
@never_cache
def round_page(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.VIEW)
    rnd = access_round(request, org, round_id)
    scope = access.get_scope(request)
    today = clock.today()
    state = rules.publicity_state(rnd.publicity_start, rnd.publicity_end, today)
    ctx = {"org": org, "round": rnd, "today": today, "state": state, "labels": rules.AWARD_LABELS,
           "status_labels": rules.STATUS_LABELS, "can_admin": scope.can(rnd.org, access.ADMIN),
           "nominations": None, "lines": [], "vetoed": [], "form": None, "decide_form": None, "can_manage": False}
    if org.kind == OrgKind.BRANCH:
        manage = scope.can(org, access.MANAGE)
        ctx["can_manage"] = manage
        if manage or scope.can(org, access.AUDIT):
            vetoed = selectors.vetoes(org, rnd.year)
            grades = selectors.review_grades(org, rnd.year)
            noms = selectors.nominations(rnd, branch=org)
            for n in noms:
                n.grade = grades.get(n.person_id or 0, "")
            people = {p.pk: p.name for p in selectors.people_of(org)}
            ctx.update(
                nominations=noms, lines=selectors.quota_lines(rnd, branch=org),
                vetoed=[(people.get(pid, ""), reason) for pid, reason in vetoed.items() if pid in people],
                grades=grades, open=rules.in_window(rnd.opens_on, rnd.closes_on, today) and not rnd.publicised,
                form=NominateForm(branch=org, offered=rnd.quotas.offered()) if manage else None,
            )
    elif scope.can(org, access.AUDIT):
        noms = selectors.nominations(rnd)
        grades_by_branch: dict[int, dict[int, str]] = {}
        for n in noms:
            if n.person_id:
                if n.branch_id not in grades_by_branch:
                    grades_by_branch[n.branch_id] = selectors.review_grades(n.branch, rnd.year)
                n.grade = grades_by_branch[n.branch_id].get(n.person_id, "")
        ctx.update(nominations=noms, lines=selectors.quota_lines(rnd), decide_form=DecideForm(),
                   pending=sum(1 for n in noms if n.status == rules.NOMINATED))
    ctx["awarded"] = selectors.awarded(rnd) if state in ("open", "done") or ctx["can_admin"] else []
    return render(request, "commend/round.html", ctx)


@login_required
@require_POST
def nominate(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE, follow_group=True)
    rnd = access_round(request, org, round_id)
    form = NominateForm(request.POST, branch=org, offered=rnd.quotas.offered())
    back = redirect("commend:round", org.pk, rnd.pk)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    try:
        services.nominate(actor=request.user, round=rnd, branch=org, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已推荐。")
    return back


@login_required
@require_POST
def withdraw(request: HttpRequest, org_id: int, nomination_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE, follow_group=True)
    n = access_nomination(request, org, nomination_id, access.MANAGE)
    try:
        services.withdraw(actor=request.user, nomination=n)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤回。")
    return redirect("commend:round", org.pk, n.round_id)


@login_required
@require_POST
def decide(request: HttpRequest, org_id: int, nomination_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.VIEW)
    n = access_nomination(request, org, nomination_id, access.ADMIN)
    form = DecideForm(request.POST)
    back = redirect("commend:round", org.pk, n.round_id)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    try:
        services.decide(actor=request.user, nomination=n, award=form.cleaned_data["result"] == "award",
                        note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已审定：{n.nominee}。")
    return back


@login_required
def publicise(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.VIEW)
    rnd = access_round(request, org, round_id, access.ADMIN)
    form = PubliciseForm(request.POST or None, initial={"start": clock.today(), "days": rnd.publicity_days})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            calendar = get_calendar(request)
            try:
                services.publicise(actor=request.user, round=rnd, start=form.cleaned_data["start"],
                                   days=form.cleaned_data["days"],
                                   add_workdays=lambda d, n: calendar.add_workdays(d, n).date)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已公示，可下载公示文件。")
                return redirect("commend:round", org.pk, rnd.pk)
        status = 400
    return render(request, "commend/form.html", {
        "org": org, "form": form, "title": f"公示：{rnd.title}",
        "hint": "公示期按工作日计算，首尾两日计入；公示后审定结果不再修改。"}, status=status)


@login_required
def publicity_docx(request: HttpRequest, org_id: int, round_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.VIEW)
    rnd = access_round(request, org, round_id)
    back = reverse("commend:round", args=[org.pk, rnd.pk])
    today = clock.today()
    if not rnd.publicised:
        return refused(request, heading="尚未公示", reasons=["审定全部推荐后，由上级党组织开始公示，才能生成公示文件。"],
                       back_url=back)
    if rnd.publicity_start > today and not access.get_scope(request).can(rnd.org, access.ADMIN):
        return refused(request, heading="公示尚未开始", reasons=[f"公示从{rnd.publicity_start:%Y-%m-%d}开始。"], back_url=back)
    content = documents.build_publicity(rnd, selectors.awarded(rnd))
    return docx_response(content, f"{documents.publicity_title(rnd)}.docx")


@login_required
@never_cache
def people(request: HttpRequest, org_id: int) -> HttpResponse:
    """The branch's people in name order, each linking to their record. No points here: 积分 are
    never listed side by side (rules2.md §5)."""
    org = access.get_branch(request, org_id, access.MANAGE, follow_group=True)
    return render(request, "commend/people.html", {"org": org, "people": selectors.people_of(org)})


def _year(request: HttpRequest) -> tuple[int, str]:
    year, _month, message = PeriodQueryForm.period(request.GET)
    return year, message


@login_required
@never_cache
def person(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    """A member's record: awards by year; 积分 for the person themself and the committee only."""
    org = access.get_branch(request, org_id, access.VIEW, follow_group=True)
    p = access.access_person(request, org, person_id, access.VIEW, qs=Person.objects.select_related("branch"))
    scope = access.get_scope(request)
    today = clock.today()
    year, message = _year(request)
    own = p.user_id == request.user.pk
    manage = scope.can(org, access.MANAGE)
    points = selectors.points_for(p, year, today) if (own or manage) else None
    entry_form = None
    if manage and points is not None:
        entry_form = EntryForm(rules_qs=PointsRule.objects.filter(
            pk__in=[r.pk for r in selectors.scheme_rules(selectors.scheme_for(org)) if r.source == rules.MANUAL]),
            initial={"date": today})
    return render(request, "commend/person.html", {
        "org": org, "person": p, "awards": selectors.awards_of(p, today), "points": points, "year": year,
        "query_error": message, "own": own, "can_manage": manage, "entry_form": entry_form,
        "source_labels": rules.POINT_SOURCE_LABELS,
    })


@login_required
@require_POST
def points_entry(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE, follow_group=True)
    p = access.access_person(request, org, person_id, access.MANAGE)
    scheme = selectors.scheme_for(org)
    form = EntryForm(request.POST, rules_qs=PointsRule.objects.filter(scheme=scheme, active=True, source=rules.MANUAL)
                     if scheme is not None else PointsRule.objects.none())
    back = redirect("commend:person", org.pk, p.pk)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    try:
        services.add_points_entry(actor=request.user, person=p, branch=org, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已登记。")
    return back


@login_required
@require_POST
def points_entry_remove(request: HttpRequest, org_id: int, entry_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE, follow_group=True)
    e = access.get_object(request, PointsEntry.objects.select_related("person"), entry_id, org=org)
    assert isinstance(e, PointsEntry)
    services.remove_points_entry(actor=request.user, entry=e)
    messages.success(request, "已删除。")
    return redirect("commend:person", org.pk, e.person_id)


@login_required
def points_settings(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.ADMIN)
    _district_only(org)
    scheme = selectors.scheme_for(org)
    own = scheme if scheme is not None and scheme.org_id == org.pk else None
    form = SchemeForm(request.POST or None, initial={"enabled": own.enabled if own else False,
                                                      "base": own.base if own else 60})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_points_scheme(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("commend:points_settings", org.pk)
        status = 400
    return render(request, "commend/points_settings.html", {
        "org": org, "form": form, "scheme": own, "rules": selectors.scheme_rules(own, active_only=False),
        "rule_form": RuleForm(), "source_labels": rules.POINT_SOURCE_LABELS}, status=status)


@login_required
@require_POST
def points_rule_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.ADMIN)
    _district_only(org)
    form = RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        try:
            services.add_points_rule(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已添加积分项目。")
    return redirect("commend:points_settings", org.pk)


@login_required
@require_POST
def points_rule_toggle(request: HttpRequest, org_id: int, rule_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.ADMIN)
    rule = PointsRule.objects.filter(pk=rule_id, scheme__org=org).first()
    if rule is None:
        raise Http404("未找到")
    form = ActiveForm(request.POST)
    active = form.is_valid() and form.cleaned_data["active"]
    services.set_rule_active(actor=request.user, rule=rule, active=active)
    messages.success(request, "已启用。" if active else "已停用。")
    return redirect("commend:points_settings", org.pk)
