"""Thin views: fetch through zhibu.orgs.access, write through services, render."""
from __future__ import annotations

import secrets

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.core.forms import apply_validation_error
from zhibu.core.documents import web as documents_web
from zhibu.core.documents.dates import signing_date
from zhibu.core.http import ICS, docx_response
from zhibu.orglife.rules import FREQUENCY_LABELS
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.plans import document, forms, ical, parser, selectors, services, vocabulary
from zhibu.plans.models import Half, ItemStatus, Plan, PlanItem, PlanKind


def _branch(request: HttpRequest, org_id: int, need: str = access.VIEW):
    # a 党小组 works with its branch's plan
    return access.get_branch(request, org_id, need, follow_group=True)


def _plan(request: HttpRequest, org, plan_id: int) -> Plan:
    plan = access.get_object(request, Plan.objects.select_related("branch"), plan_id, org=org)
    return plan


def _item(request: HttpRequest, plan: Plan, item_id: int) -> PlanItem:
    item = PlanItem.objects.select_related("plan__branch").filter(pk=item_id, plan=plan).first()
    if item is None:
        raise Http404("未找到该事项")
    return item


def _detail(plan: Plan) -> HttpResponse:
    return redirect("plans:detail", org_id=plan.branch_id, plan_id=plan.pk)


# ---------------------------------------------------------------------------------------------
# The branch's plans and creating one


@login_required
@require_GET
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    plans = list(selectors.branch_plans(org))
    year = clock.today().year
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    token = org.settings.get(services.FEED_SETTING) if can_manage else None
    feed = request.build_absolute_uri(reverse("plans:branch_ical", kwargs={"org_id": org.pk, "token": token})) if token else None
    return render(request, "plans/index.html", {
        "org": org, "plans": plans, "can_manage": can_manage,
        "has_last_year": any(p.year == year - 1 for p in plans), "year": year, "branch_feed_url": feed,
        "branch_webcal_url": feed.replace("https://", "webcal://").replace("http://", "webcal://") if feed else None,
    })


@login_required
@require_POST
def branch_feed_regenerate(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    services.regenerate_branch_feed(actor=request.user, branch=org)
    messages.success(request, "已生成支部行事历订阅地址；如曾订阅旧地址，请在手机上重新订阅")
    return redirect("plans:index", org_id=org.pk)


@require_GET
def branch_ical(request: HttpRequest, org_id: int, token: str) -> HttpResponse:
    """The branch's secret feed of all its plans: one subscription that stays valid from year to
    year until regenerated. No login (calendar apps cannot log in); a wrong or old token is 404."""
    if not (16 <= len(token) <= 64):
        raise Http404("未找到")
    branch = Organisation.objects.filter(pk=org_id, kind="branch").first()
    if branch is None or not secrets.compare_digest(branch.settings.get(services.FEED_SETTING, ""), token):
        raise Http404("未找到")
    plans = list(Plan.objects.filter(branch=branch).select_related("branch")
                 .prefetch_related(Prefetch("items", queryset=PlanItem.objects.select_related("owner").order_by("order", "id"))))
    body = ical.build_branch_ics(branch, [(p, list(p.items.all())) for p in plans],
                                 host=request.get_host().split(":")[0] or "zhibu")
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="branch.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def create(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = forms.PlanForm(request.POST or None, initial={"year": clock.today().year, "half": Half.FULL})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, branch=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已新建：{plan}")
            return _detail(plan)
    return render(request, "plans/form.html", {"org": org, "form": form, "title": "新建空白计划",
                                                "submit": "新建"}, status=400 if form.errors else 200)


@login_required
def copy(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plans = Plan.objects.filter(branch=org).order_by("-year", "half", "id")
    year = clock.today().year
    source = plans.filter(year=year - 1).first() or plans.first()
    initial = {"source": source, "year": (source.year + 1) if source else year, "half": source.half if source else Half.FULL}
    form = forms.CopyForm(request.POST or None, plans=plans, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.copy_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已复制为：{plan}")
            return _detail(plan)
    return render(request, "plans/form.html", {
        "org": org, "form": form, "title": "复制往年计划", "submit": "复制", "empty": source is None,
        "intro": "复制全部章节和行事历事项：状态重置为“计划中”，仍在本支部的负责人保留。",
    }, status=400 if form.errors else 200)


def _guess_half(title: str | None) -> str:
    if title and "上半年" in title:
        return Half.FIRST
    if title and "下半年" in title:
        return Half.SECOND
    return Half.FULL


CAMPAIGN_WORDS = ("方案", "主题教育", "学习教育", "专项")


def _guess_kind(title: str | None) -> str:
    """A pasted 实施方案 of a 主题教育 or 专项 is a campaign plan; a 工作计划 is the annual plan."""
    if title and "计划" not in title and any(w in title for w in CAMPAIGN_WORDS):
        return PlanKind.CAMPAIGN
    return PlanKind.ANNUAL


def _render_import(request, org, form, error=None, status=200) -> HttpResponse:
    return render(request, "plans/import.html", {"org": org, "form": form, "error": error}, status=status)


def _kinds_for(org, kinds: list[str]) -> list[str]:
    """A 党支部's plan: its 民主生活会 is the 组织生活会 (rules2.md §2)."""
    return vocabulary.for_branch(kinds) if org.kind == OrgKind.BRANCH else list(kinds)


def _render_preview(request, org, header, formset, parsed, status=200) -> HttpResponse:
    return render(request, "plans/preview.html", {
        "org": org, "header": header, "formset": formset, "parsed": parsed,
        "kind_labels": parser.KIND_LABELS, "rows": list(zip(formset.forms, parsed.calendar))
        if len(formset.forms) == len(parsed.calendar) else [(f, None) for f in formset.forms],
    }, status=status)


@login_required
def import_plan(request: HttpRequest, org_id: int) -> HttpResponse:
    """Paste or upload → preview (nothing saved) → confirm (saved). One URL, the POST's `step`
    says which: "preview" (from the paste form), "save" or "edit" (from the preview)."""
    org = _branch(request, org_id, access.MANAGE)
    if request.method != "POST":
        return _render_import(request, org, forms.ImportForm())
    step = request.POST.get("step", "preview")

    if step == "edit":  # back from the preview to the text, unchanged
        return _render_import(request, org, forms.ImportForm(initial={"text": request.POST.get("plan-source_text", "")}))

    if step == "save":
        header = forms.PreviewHeaderForm(request.POST, prefix="plan")
        formset = forms.PreviewItemFormSet(request.POST, prefix="items")
        source_text = request.POST.get("plan-source_text", "")
        parsed = parser.parse_text(source_text)
        if header.is_valid() and formset.is_valid():
            items = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            sections = document.section_bodies(source_text, parsed.sections, parsed.title)
            try:
                plan = services.create_from_parsed(
                    actor=request.user, branch=org, year=header.cleaned_data["year"], half=header.cleaned_data["half"],
                    kind=header.cleaned_data["kind"], label=header.cleaned_data["label"],
                    title=header.cleaned_data["title"] or parsed.title or "", source_text=source_text,
                    sections=sections, items=items)
            except ValidationError as exc:
                apply_validation_error(header, exc)
            else:
                messages.success(request, f"已保存：{plan}，共 {len(items)} 项")
                return _detail(plan)
        return _render_preview(request, org, header, formset, parsed, status=400)

    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_import(request, org, form, status=400)
    text = form.cleaned_data.get("text") or ""
    upload = form.cleaned_data.get("file")
    try:
        if upload is not None:
            text = parser.read_file(upload.read(), upload.name)
        parsed = parser.parse_text(text)
        if not parser.is_plan(parsed):
            raise parser.PlanInputError("未能识别为工作计划：没有找到“一、二、……”章节、行事历（如“三月份：”）或工作目标。"
                                        "请检查粘贴的是否为计划全文。")
    except parser.PlanInputError as exc:
        return _render_import(request, org, form, error=exc.chinese, status=400)
    year = parsed.year or clock.today().year
    year = year if 2000 <= year <= 2100 else clock.today().year
    header = forms.PreviewHeaderForm(prefix="plan", initial={
        "year": year, "half": _guess_half(parsed.title), "title": (parsed.title or "")[:200], "source_text": text,
        "kind": _guess_kind(parsed.title)})
    formset = forms.PreviewItemFormSet(prefix="items", initial=[
        {"months": c.months, "text": c.text, "kinds": _kinds_for(org, c.kinds), "theme": c.theme or ""}
        for c in parsed.calendar])
    return _render_preview(request, org, header, formset, parsed)


# ---------------------------------------------------------------------------------------------
# The calendar page


@login_required
@require_GET
def detail(request: HttpRequest, org_id: int, plan_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    plan = _plan(request, org, plan_id)
    items = list(selectors.plan_items(plan))
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    gaps = [] if plan.is_campaign else selectors.plan_gaps(plan, items)  # a campaign need not cover 三会一课
    feed = None
    if can_manage:
        path = reverse("plans:ical", kwargs={"org_id": org.pk, "token": plan.ical_token})
        feed = request.build_absolute_uri(path)
    return render(request, "plans/detail.html", {
        "org": org, "plan": plan, "items": items, "months": selectors.calendar(plan, items, clock.today()),
        "gaps": gaps, "can_manage": can_manage, "people": list(selectors.branch_people(org)) if can_manage else [],
        "month_choices": forms.MONTH_CHOICES, "feed_url": feed,
        "webcal_url": feed.replace("https://", "webcal://").replace("http://", "webcal://") if feed else None,
        "kind_labels": parser.KIND_LABELS, "rule_labels": FREQUENCY_LABELS, "done": sum(1 for i in items if i.status == ItemStatus.DONE),
    })


@login_required
@require_GET
def year(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
    """The year's calendar across the annual plan and every 专项/主题教育方案, each item labelled
    with the plan it belongs to."""
    org = _branch(request, org_id)
    if not 2000 <= year <= 2100:
        raise Http404("年度须在2000–2100之间")
    plans = selectors.year_plans(org, year)
    return render(request, "plans/year.html", {
        "org": org, "year": year, "plans": plans, "months": selectors.year_calendar(org, year, clock.today()),
        "kind_labels": parser.KIND_LABELS,
    })


@login_required
@require_POST
def item_action(request: HttpRequest, org_id: int, plan_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    item = _item(request, plan, item_id)
    form = forms.ItemActionForm(request.POST, people=selectors.branch_people(org))
    if not form.is_valid():
        messages.error(request, ";".join(e for errs in form.errors.values() for e in errs))
        return _detail(plan)
    action = form.cleaned_data["action"]
    try:
        if action == "done":
            services.update_item(actor=request.user, item=item, status=ItemStatus.DONE)
        elif action == "cancel":
            services.update_item(actor=request.user, item=item, status=ItemStatus.CANCELLED)
        elif action == "planned":
            services.update_item(actor=request.user, item=item, status=ItemStatus.PLANNED)
        elif action == "move":
            services.update_item(actor=request.user, item=item, status=ItemStatus.MOVED,
                                 moved_to_month=form.cleaned_data["month"])
        elif action == "owner":
            services.update_item(actor=request.user, item=item, owner=form.cleaned_data["owner"])
    except ValidationError as exc:
        messages.error(request, ";".join(exc.messages))
    return _detail(plan)


@login_required
def item_add(request: HttpRequest, org_id: int, plan_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    form = forms.ItemForm(request.POST or None, people=selectors.branch_people(org))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_item(actor=request.user, plan=plan, months=data["months"], text=data["text"],
                              kinds=data["kinds"] or None, owner=data["owner"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已添加事项")
            return _detail(plan)
    return render(request, "plans/item_form.html", {"org": org, "plan": plan, "form": form, "title": "添加事项"},
                  status=400 if form.errors else 200)


# Records an item can be linked to by type and number, with their Chinese names. Only models that
# exist and belong to a branch (a `branch` foreign key) are offered.
LINKABLE = (
    ("orglife.meeting", "会议记录"),
    ("orglife.hearttalk", "谈心谈话记录"),
    ("orgs.transfer", "组织关系接转记录"),
    ("development.candidate", "发展党员档案"),
    ("dues.remittance", "党费上缴记录"),
)


def _linkable_types() -> list[tuple[str, str]]:
    out = []
    for label, name in LINKABLE:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if any(f.name == "branch" and f.is_relation for f in model._meta.concrete_fields):
            out.append((label, name))
    return out


def _link_hooks():
    from zhibu.core.hooks import app_modules

    return app_modules("plan_links")


def _link_filters(request: HttpRequest, item: PlanItem) -> dict:
    """The month and kind the list of records is filtered by: the item's own by default."""
    month_text, kind = request.GET.get("link_month", ""), request.GET.get("link_kind", "")
    months = item.effective_months
    if month_text == "all":
        months = []
    elif month_text.isdigit() and 1 <= int(month_text) <= 12:
        months = [int(month_text)]
    else:
        month_text = ""
    kinds = list(item.kinds or [])
    if kind == "all":
        kinds, only = [], False
    elif kind and kind in _kind_labels():
        kinds, only = [kind], True
    else:
        kind, only = "", bool(kinds)
    return {"month": month_text, "kind": kind, "months": months, "kinds": kinds, "only_kinds": only}


def _kind_labels() -> dict[str, str]:
    return dict(forms.KIND_CHOICES)


def _link_candidates(org, item: PlanItem, f: dict) -> list[tuple[str, str]]:
    out = []
    for module in _link_hooks():
        try:
            rows = module.candidates(org, item.plan.year, f["months"], f["kinds"], only_kinds=f["only_kinds"])
        except TypeError:  # a hook without the kind filter
            rows = module.candidates(org, item.plan.year, f["months"], f["kinds"])
        out += [(f"{type_label}:{pk}", label) for type_label, pk, label in rows]
    return out


def _describe(record):
    """What the record's own app says it is (date, kinds, held, url), or None."""
    for module in _link_hooks():
        describe = getattr(module, "describe", None)
        info = describe(record) if describe else None
        if info is not None:
            return info
    return None


def _mismatch(item: PlanItem, info) -> list[str]:
    """Why a record does not match the item (month, kind), in words; empty when it matches."""
    out = []
    if info.date.year != item.plan.year or info.date.month not in item.effective_months:
        out.append(f"记录在{info.date.year}年{info.date.month}月，事项安排在{item.months_label}")
    labels = _kind_labels()
    if item.kinds and not set(info.kinds) & set(item.kinds):
        out.append(f"记录是{'、'.join(labels.get(k, k) for k in info.kinds)}，事项的类别是"
                   f"{'、'.join(labels.get(k, k) for k in item.kinds)}")
    return out


@login_required
def item_edit(request: HttpRequest, org_id: int, plan_id: int, item_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    item = _item(request, plan, item_id)
    form = forms.ItemForm(request.POST or None, people=selectors.branch_people(org), initial={
        "months": item.months, "text": item.text, "kinds": item.kinds, "owner": item.owner_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_item(actor=request.user, item=item, months=data["months"], text=data["text"],
                                 kinds=data["kinds"], owner=data["owner"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return _detail(plan)
    linked = item.fulfilled_by if item.content_type_id else None
    info = _describe(linked) if linked is not None else None
    filters = _link_filters(request, item)
    confirm = request.GET.get("confirm", "")
    return render(request, "plans/item_form.html", {
        "org": org, "plan": plan, "item": item, "form": form, "title": "修改事项",
        "linked": linked, "linked_info": info, "linked_mismatch": _mismatch(item, info) if info else [],
        "candidates": _link_candidates(org, item, filters), "filters": filters,
        "month_choices": range(1, 13), "kind_choices": list(_kind_labels().items()),
        "confirm": confirm if ":" in confirm else "",
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def item_link(request: HttpRequest, org_id: int, plan_id: int, item_id: int) -> HttpResponse:
    """Link the record picked from the list (or remove the link). A record whose date has not come
    is refused; one that does not match the item's month or kind asks for confirmation first."""
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    item = _item(request, plan, item_id)
    type_label, record_id_text = request.POST.get("record_type", ""), request.POST.get("record_id", "")
    if request.POST.get("candidate"):  # "app.model:id" picked from the list of the branch's records
        type_label, _sep, record_id_text = request.POST["candidate"].partition(":")
    record = None
    edit = reverse("plans:item_edit", args=[org.pk, plan.pk, item.pk])
    if type_label:
        if type_label not in dict(_linkable_types()):
            raise Http404("未知的记录类型")
        app_label, model = type_label.split(".", 1)
        model_class = ContentType.objects.get_by_natural_key(app_label, model).model_class()
        try:
            record_id = int(record_id_text)
        except ValueError:
            record_id = None
        # Only records of this branch: anything else is as good as absent.
        record = model_class._default_manager.filter(pk=record_id, branch=org).first() if record_id else None
        if record is None:
            messages.error(request, "未找到本支部的该记录")
            return redirect(edit)
        info = _describe(record)
        if info is not None and not info.held:
            messages.error(request, f"该记录定于{info.date.month}月{info.date.day}日，尚未召开，不能据此标记事项完成")
            return redirect(edit)
        mismatch = _mismatch(item, info) if info is not None else []
        if mismatch and request.POST.get("confirm") != "1":
            messages.warning(request, "所选记录与事项不一致：" + "；".join(mismatch) + "。确认无误请点“仍然关联”。")
            return redirect(f"{edit}?confirm={type_label}:{record.pk}#link")
    try:
        services.link_record(actor=request.user, item=item, record=record)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已关联记录，事项标记为已完成" if record else "已取消关联")
    return _detail(plan)


@login_required
@require_POST
def add_missing(request: HttpRequest, org_id: int, plan_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    kind = request.POST.get("kind") or None
    created = services.add_missing_items(actor=request.user, plan=plan, kind=kind)
    messages.success(request, f"已补充 {len(created)} 项" if created else "没有需要补充的事项")
    return _detail(plan)


# ---------------------------------------------------------------------------------------------
# Exports


@login_required
@require_GET
def export_docx(request: HttpRequest, org_id: int, plan_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    plan = _plan(request, org, plan_id)
    signed_on, error = signing_date(request.GET, document.signing_default(plan))
    if error:
        return documents_web.refused(request, heading="工作计划暂不能导出", reasons=[error], status=400,
                                     back_url=reverse("plans:detail", args=[org.pk, plan.pk]), back_label="返回计划")
    items = list(plan.items.select_related("owner").order_by("order", "id"))
    content = document.build_docx(plan, items, branch_name=org.name, signed_on=signed_on)
    return docx_response(content, f"{plan}.docx")


@login_required
@require_POST
def regenerate_token(request: HttpRequest, org_id: int, plan_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    plan = _plan(request, org, plan_id)
    services.regenerate_token(actor=request.user, plan=plan)
    messages.success(request, "已生成新的订阅地址，旧地址已失效；请在手机上重新订阅")
    return _detail(plan)


@require_GET
def ical_feed(request: HttpRequest, org_id: int, token: str) -> HttpResponse:
    """The secret feed: no login (calendar apps cannot log in); the token is the key. A wrong or
    old token, or a token of another branch, is 404."""
    if not (16 <= len(token) <= 64):
        raise Http404("未找到")
    plan = Plan.objects.select_related("branch").filter(ical_token=token, branch_id=org_id).first()
    if plan is None:
        raise Http404("未找到")
    items = list(plan.items.select_related("owner").order_by("order", "id"))
    response = HttpResponse(ical.build_ics(plan, items, host=request.get_host().split(":")[0] or "zhibu"),
                            content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="plan.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
