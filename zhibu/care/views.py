"""Thin views of 关怀与共建: fetch through zhibu.orgs.access, write through services, render.

Levels: care flags, visits, pairs, hours and the 台账 are read by the branch's managers and the
district above (AUDIT: health and hardship are personal) and written by the managers (MANAGE);
a member (VIEW) sees the 示范岗, the 共建 partners and their own hours, pairs and posts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.care import documents, exports, rules, selectors, services
from zhibu.care.forms import (
    ActivityForm,
    CampaignForm,
    ContactForm,
    EndForm,
    FlagForm,
    HoursForm,
    JointForm,
    PairForm,
    PartnerForm,
    PostForm,
    PostReviewForm,
    VisitForm,
    today_initial,
)
from zhibu.care.models import Campaign, CareFlag, ModelPost, Pair, Partner, Person, VolunteerActivity
from zhibu.core import clock
from zhibu.core.forms import PeriodQueryForm, apply_validation_error
from zhibu.core.http import docx_response, xlsx_response
from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_STANDINGS

LEDGERS = {
    "visits": ("走访慰问台账", exports.visits_sheet),
    "pairs": ("结对台账", exports.pairs_sheet),
    "volunteer": ("志愿服务台账", exports.volunteer_sheet),
}


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def _can_manage(request, org) -> bool:
    return access.get_scope(request).can(org, access.MANAGE)


def _year(request) -> tuple[int, str]:
    year, _month, message = PeriodQueryForm.period(request.GET)
    return year, message


def _form_errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


def _form_page(request, org, form, *, title: str, back: str, intro: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "care/form.html",
        {"org": org, "form": form, "title": title, "back": back, "intro": intro},
        status=status,
    )


def _save(request, org, form, write, *, title: str, back: str, success: str, intro: str = "") -> HttpResponse:
    """GET: the form; POST: validate, write through the service, redirect to `back` (or the form
    again with the errors, 400)."""
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


def _act(request, back: str, fn) -> HttpResponse:
    try:
        fn()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


# --- access per object kind -----------------------------------------------------------------------


def access_flag(request, org, pk) -> CareFlag:
    return access.get_object(request, CareFlag.objects.select_related("person"), pk, org=org)


def access_campaign(request, org, pk) -> Campaign:
    return access.get_object(request, Campaign.objects.all(), pk, org=org)


def access_pair(request, org, pk) -> Pair:
    return access.get_object(request, Pair.objects.select_related("kind", "member", "partner"), pk, org=org)


def access_activity(request, org, pk) -> VolunteerActivity:
    return access.get_object(request, VolunteerActivity.objects.all(), pk, org=org)


def access_post(request, org, pk) -> ModelPost:
    return access.get_object(request, ModelPost.objects.select_related("holder"), pk, org=org)


def access_partner(request, org, pk) -> Partner:
    return access.get_object(request, Partner.objects.all(), pk, org=org)


# --- overview -------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """Managers: this month's 政治生日, open campaigns, pairs and the links; everyone: their own hours,
    pairs and posts."""
    org = _branch(request, org_id, access.VIEW)
    today = clock.today()
    scope = access.get_scope(request)
    me = Person.objects.filter(user=request.user, branch=org, active=True).first()
    context = {
        "org": org,
        "today": today,
        "me": me,
        "audit": scope.can(org, access.AUDIT),
        "can_manage": scope.can(org, access.MANAGE),
    }
    if me is not None:
        rows, total = selectors.person_hours(me, today.year)
        context.update(
            my_hours=rows,
            my_total=total,
            my_pairs=list(Pair.objects.filter(member=me, ended_on__isnull=True).select_related("kind", "partner")),
            my_posts=list(ModelPost.objects.filter(holder=me, year=today.year)),
        )
    if context["audit"]:
        context.update(
            birthdays=selectors.birthdays(org, today.year, today.month), open_campaigns=selectors.open_campaigns(org)
        )
    return render(request, "care/index.html", context)


# --- flags ----------------------------------------------------------------------------------------


@login_required
def flags(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    return render(
        request,
        "care/flags.html",
        {
            "org": org,
            "rows": selectors.flag_board(org, today),
            "today": today,
            "can_manage": _can_manage(request, org),
            "labels": rules.FLAG_LABELS,
            "source": rules.SOURCE_FRAIL,
        },
    )


@login_required
def flag_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    initial = today_initial("since")
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        initial["person"] = int(person_id)
    if request.GET.get("kind") in rules.FLAG_LABELS:
        initial["kind"] = request.GET["kind"]
    form = FlagForm(request.POST or None, branch=org, initial=initial)
    return _save(
        request,
        org,
        form,
        lambda d: services.set_flag(actor=request.user, branch=org, **d) and None,
        title="登记关怀标记",
        back=reverse("care:flags", args=[org.pk]),
        success="已登记。",
        intro="“失能/年老体弱”的党员不计入组织生活应到人数（党员教育管理工作条例第23条），由支部送学上门、走访看望。",
    )


@login_required
@require_POST
def flag_end(request: HttpRequest, org_id: int, flag_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    flag = access_flag(request, org, flag_id)
    form = EndForm(request.POST)
    back = reverse("care:flags", args=[org.pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    return _act(
        request, back, lambda: services.end_flag(actor=request.user, flag=flag, until=form.cleaned_data["date"])
    )


# --- campaigns ----------------------------------------------------------------------------------


@login_required
def campaigns(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    return render(
        request,
        "care/campaigns.html",
        {
            "org": org,
            "campaigns": selectors.campaigns_of(org),
            "can_manage": _can_manage(request, org),
            "source": rules.SOURCE_VISITS,
        },
    )


@login_required
def campaign_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    today = clock.today()
    # a 元旦春节 campaign in the winter is for the coming Spring Festival
    year = today.year + 1 if today.month >= 11 else today.year
    form = CampaignForm(request.POST or None, initial={"year": year, "kind": rules.SPRING})

    def write(d):
        c = services.start_campaign(
            actor=request.user,
            branch=org,
            kind=d["kind"],
            year=d["year"],
            title=d["title"],
            due=d["due"],
            flags=d["flags"],
        )
        return reverse("care:campaign", args=[org.pk, c.pk])

    return _save(
        request,
        org,
        form,
        write,
        title="发起走访慰问",
        back=reverse("care:campaigns", args=[org.pk]),
        success="已发起，走访名单按关怀标记生成。",
        intro="元旦春节走访慰问在春节前完成，对象为生活困难党员、老党员（含建国前入党的党员）等。",
    )


@login_required
def campaign(request: HttpRequest, org_id: int, campaign_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    c = access_campaign(request, org, campaign_id)
    view = selectors.campaign_view(c)
    return render(
        request,
        "care/campaign.html",
        {
            "org": org,
            "c": c,
            "view": view,
            "today": clock.today(),
            "can_manage": _can_manage(request, org),
            "flag_labels": [rules.FLAG_LABELS.get(k, k) for k in c.flags],
        },
    )


@login_required
def visit_new(request: HttpRequest, org_id: int, campaign_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = access_campaign(request, org, campaign_id)
    back = reverse("care:campaign", args=[org.pk, c.pk])
    if c.closed_on is not None and request.method != "POST":
        messages.info(request, "本次走访慰问已全部完成。")
        return redirect(back)
    queryset = (
        Person.objects.filter(pk__in=c.targets.values("person_id"))
        .exclude(pk__in=c.visits.values("person_id"))
        .only("id", "name")
        .order_by("name", "id")
    )
    initial = today_initial("visited_on")
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = VisitForm(request.POST or None, queryset=queryset, initial=initial)
    return _save(
        request,
        org,
        form,
        lambda d: services.record_visit(actor=request.user, campaign=c, **d) and None,
        title=f"登记走访：{c.title}",
        back=back,
        success="走访已登记。",
    )


@login_required
@require_POST
def campaign_refresh(request: HttpRequest, org_id: int, campaign_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = access_campaign(request, org, campaign_id)
    back = reverse("care:campaign", args=[org.pk, c.pk])

    def run():
        added = services.refresh_targets(actor=request.user, campaign=c)
        messages.success(request, f"已加入：{'、'.join(added)}。" if added else "名单没有变化。")

    return _act(request, back, run)


# --- 光荣在党50年, 政治生日 -------------------------------------------------------------------------


@login_required
def fifty(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year, message = _year(request)
    return render(
        request,
        "care/fifty.html",
        {
            "org": org,
            "year": year,
            "message": message,
            "rows": selectors.fifty_years(org, year),
            "source": rules.SOURCE_FIFTY,
        },
    )


@login_required
def birthdays(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    year, month, message = PeriodQueryForm.period(request.GET, default_month=today.month)
    month = month or today.month
    first = dt.date(year, month, 1)
    prev = (first - dt.timedelta(days=1)).replace(day=1)
    nxt = (first + dt.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "care/birthdays.html",
        {
            "org": org,
            "year": year,
            "month": month,
            "message": message,
            "prev": prev,
            "next": nxt,
            "rows": selectors.birthdays(org, year, month),
            "source": rules.SOURCE_BIRTHDAY,
            "theme_days": selectors.theme_days(org, year, month),
        },
    )


@login_required
def card(request: HttpRequest, org_id: int, person_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    person = access.get_object(
        request, Person.objects.filter(standing__in=MEMBER_STANDINGS, active=True), person_id, org=org
    )
    year, _message = _year(request)
    if person.admitted_on is None or person.admitted_on.year >= year:
        raise Http404("没有入党日期，不能生成贺卡")
    content = documents.birthday_card(person, org.name, year)
    return docx_response(content, f"{person.name}-政治生日贺卡-{year}.docx")


# --- 结对 ----------------------------------------------------------------------------------------


@login_required
def pairs(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year = clock.today().year
    lo, hi, where = selectors.pair_range(org, year)
    rows = selectors.pair_board(org, lo, hi)
    return render(
        request,
        "care/pairs.html",
        {
            "org": org,
            "rows": rows,
            "lo": lo,
            "hi": hi,
            "where": where,
            "year": year,
            "unpaired": [r for r in rows if r.state == "none"],
            "can_manage": _can_manage(request, org),
        },
    )


@login_required
def pair_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    initial = today_initial("started_on")
    if request.GET.get("member", "").isdigit():
        initial["member"] = int(request.GET["member"])
    form = PairForm(request.POST or None, branch=org, initial=initial)
    return _save(
        request,
        org,
        form,
        lambda d: services.add_pair(actor=request.user, branch=org, **d) and None,
        title="登记结对",
        back=reverse("care:pairs", args=[org.pk]),
        success="结对已登记。",
        intro="教职工、入党积极分子从本支部人员中选择；幼儿（学生）家庭填写名称。",
    )


@login_required
def pair(request: HttpRequest, org_id: int, pair_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    p = access_pair(request, org, pair_id)
    return render(
        request,
        "care/pair.html",
        {
            "org": org,
            "p": p,
            "contacts": list(p.contacts.all()),
            "form": ContactForm(initial=today_initial("date")),
            "can_manage": _can_manage(request, org),
        },
    )


@login_required
def pair_contact(request: HttpRequest, org_id: int, pair_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    p = access_pair(request, org, pair_id)
    form = ContactForm(request.POST or None, initial=today_initial("date"))
    return _save(
        request,
        org,
        form,
        lambda d: services.add_contact(actor=request.user, pair=p, **d) and None,
        title=f"登记结对联系：{p}",
        back=reverse("care:pair", args=[org.pk, p.pk]),
        success="已登记。",
    )


@login_required
@require_POST
def pair_end(request: HttpRequest, org_id: int, pair_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    p = access_pair(request, org, pair_id)
    form = EndForm(request.POST)
    back = reverse("care:pairs", args=[org.pk])
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(back)
    return _act(
        request, back, lambda: services.end_pair(actor=request.user, pair=p, ended_on=form.cleaned_data["date"])
    )


# --- 志愿服务 -------------------------------------------------------------------------------------


@login_required
def volunteer(request: HttpRequest, org_id: int) -> HttpResponse:
    """The committee's table of yearly hours per person (by name, never a ranking) and the activities."""
    org = _branch(request, org_id, access.AUDIT)
    year, message = _year(request)
    return render(
        request,
        "care/volunteer.html",
        {
            "org": org,
            "year": year,
            "message": message,
            "hours": selectors.hours_table(org, year),
            "activities": selectors.activities_of(org, year),
            "can_manage": _can_manage(request, org),
            "source": rules.SOURCE_NO_RANKING,
        },
    )


@login_required
def activity_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = ActivityForm(request.POST or None, branch=org, initial=today_initial("date"))

    def write(d):
        a = services.create_activity(
            actor=request.user,
            branch=org,
            title=d["title"],
            date=d["date"],
            place=d["place"],
            content=d["content"],
            hours=dict.fromkeys(d["people"], d["hours"]),
        )
        return reverse("care:activity", args=[org.pk, a.pk])

    return _save(
        request,
        org,
        form,
        write,
        title="登记志愿服务",
        back=reverse("care:volunteer", args=[org.pk]),
        success="已登记。",
    )


@login_required
def activity(request: HttpRequest, org_id: int, activity_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    a = access_activity(request, org, activity_id)
    return render(
        request,
        "care/activity.html",
        {
            "org": org,
            "a": a,
            "rows": list(
                a.participants.select_related("person").only("id", "hours", "activity_id", "person__id", "person__name")
            ),
            "form": HoursForm(branch=org),
            "can_manage": _can_manage(request, org),
        },
    )


@login_required
def activity_hours(request: HttpRequest, org_id: int, activity_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    a = access_activity(request, org, activity_id)
    form = HoursForm(request.POST or None, branch=org)
    return _save(
        request,
        org,
        form,
        lambda d: services.set_hours(actor=request.user, activity=a, **d) and None,
        title=f"登记服务时长：{a.title}",
        back=reverse("care:activity", args=[org.pk, a.pk]),
        success="已登记。",
    )


# --- 示范岗 ---------------------------------------------------------------------------------------


@login_required
def posts(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    year, message = _year(request)
    return render(
        request,
        "care/posts.html",
        {
            "org": org,
            "year": year,
            "message": message,
            "posts": selectors.posts_of(org, year),
            "can_manage": _can_manage(request, org),
        },
    )


@login_required
def post_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = PostForm(request.POST or None, branch=org, initial={"year": clock.today().year})
    return _save(
        request,
        org,
        form,
        lambda d: services.create_post(actor=request.user, branch=org, **d) and None,
        title="设立党员示范岗/先锋岗",
        back=reverse("care:posts", args=[org.pk]),
        success="已设立。",
    )


@login_required
def post_review(request: HttpRequest, org_id: int, post_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    p = access_post(request, org, post_id)
    form = PostReviewForm(
        request.POST or None,
        initial={"review": p.review, "result": p.result or "pass", "reviewed_on": p.reviewed_on or clock.today()},
    )
    return _save(
        request,
        org,
        form,
        lambda d: services.review_post(actor=request.user, post=p, **d) and None,
        title=f"年终评议：{p.name}（{p.holder.name}）",
        back=reverse("care:posts", args=[org.pk]) + f"?year={p.year}",
        success="已评议。",
        intro=f"承诺：{p.commitment}",
    )


# --- 共建 ----------------------------------------------------------------------------------------


@login_required
def partners(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    return render(
        request,
        "care/partners.html",
        {"org": org, "partners": selectors.partners_of(org), "can_manage": _can_manage(request, org)},
    )


@login_required
def partner_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = PartnerForm(request.POST or None, initial=today_initial("since"))
    return _save(
        request,
        org,
        form,
        lambda d: services.add_partner(actor=request.user, branch=org, **d) and None,
        title="登记共建单位",
        back=reverse("care:partners", args=[org.pk]),
        success="已登记。",
    )


@login_required
def joint_new(request: HttpRequest, org_id: int, partner_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    p = access_partner(request, org, partner_id)
    form = JointForm(request.POST or None, initial=today_initial("date"))
    return _save(
        request,
        org,
        form,
        lambda d: services.add_joint_activity(actor=request.user, partner=p, **d) and None,
        title=f"登记共建活动：{p.name}",
        back=reverse("care:partners", args=[org.pk]),
        success="已登记。",
    )


# --- 台账, district -------------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest, org_id: int, which: str) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    if which not in LEDGERS:
        raise Http404("没有这种台账")
    year, _message = _year(request)
    title, build = LEDGERS[which]
    return xlsx_response(build(org, year), f"{org.name}-{year}年{title}.xlsx")


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Per branch: flagged people, visited (this year's campaigns), members without a pair."""
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    year, message = _year(request)
    rows = selectors.district_view(org, year, today)
    totals = {k: sum(getattr(r, k) for r in rows) for k in ("members", "flagged", "to_visit", "visited", "unpaired")}
    return render(
        request, "care/district.html", {"org": org, "rows": rows, "year": year, "message": message, "totals": totals}
    )
