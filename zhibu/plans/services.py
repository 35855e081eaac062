"""Every write about plans: keyword-only, atomic, audited (zhibu.core.audit.record in the same
transaction). Validation errors are django ValidationError with Chinese messages."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from zhibu.core import audit
from zhibu.orglife.rules import Obligation, period_months
from zhibu.orgs.models import Organisation, Person
from zhibu.plans import selectors
from zhibu.plans.models import Half, ItemStatus, Plan, PlanItem, PlanKind, new_token
from zhibu.plans.parser import KINDS

_UNSET: Any = object()

PLAN_FIELDS = ("branch_id", "year", "half", "title", "kind", "label")
ITEM_FIELDS = ("months", "text", "kinds", "theme", "owner_id", "status", "moved_to_month", "content_type_id",
               "object_id", "order")

# The text of an item added for a missed obligation; classify() gives it back its kind.
MISSING_ITEM_TEXT = {
    "party_congress": "召开党员大会",
    "committee_meeting": "召开支委会",
    "group_meeting": "召开党小组会",
    "party_lecture": "讲党课",
    "theme_day": "开展主题党日活动",
    "org_life_meeting": "召开组织生活会",
    "democratic_life_meeting": "召开民主生活会",
    "member_evaluation": "开展民主评议党员",
}


# ---------------------------------------------------------------------------------------------
# Validation helpers


def clean_months(months: Iterable[int]) -> list[int]:
    try:
        out = sorted({int(m) for m in months})
    except (TypeError, ValueError):
        raise ValidationError({"months": "月份须为1–12的整数"}) from None
    if not out:
        raise ValidationError({"months": "请至少填写一个月份"})
    if any(m < 1 or m > 12 for m in out):
        raise ValidationError({"months": "月份须在1–12之间"})
    return out


def clean_kinds(kinds: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(kinds or ()))
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValidationError({"kinds": f"未知的类别：{'、'.join(unknown)}"})
    return [k for k in KINDS if k in kinds]  # vocabulary order


def clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({"text": "工作内容不能为空"})
    if len(text) > 500:
        raise ValidationError({"text": "工作内容过长（上限500字）"})
    return text


def _clean_year_half(year: int, half: str) -> tuple[int, str]:
    if half not in Half.values:
        raise ValidationError({"half": "期间须为全年、上半年或下半年"})
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度须在2000–2100之间"})
    return year, half


def _clean_kind(kind: str, half: str, title: str, label: str) -> tuple[str, str, str]:
    """A campaign plan (专项/主题教育方案) needs its own title, covers the year (its items say which
    months) and is labelled on the calendar by its short name."""
    if kind not in PlanKind.values:
        raise ValidationError({"kind": "计划类型须为年度工作计划或专项/主题教育方案"})
    label = " ".join((label or "").split())[:20]
    if kind == PlanKind.ANNUAL:
        return kind, half, ""
    if not (title or "").strip():
        raise ValidationError({"title": "专项/主题教育方案须填写标题（如“关于开展党纪学习教育的实施方案”）"})
    if half != Half.FULL:
        raise ValidationError({"half": "专项/主题教育方案按全年登记，各事项的月份写在行事历中"})
    return kind, half, label


def _ensure_free(branch: Organisation, year: int, half: str, kind: str = PlanKind.ANNUAL, title: str = "") -> None:
    if not branch.is_branch:
        raise ValidationError("工作计划只能建在党支部")
    if kind == PlanKind.CAMPAIGN:
        if Plan.objects.filter(branch=branch, year=year, kind=kind, title=title.strip()[:200]).exists():
            raise ValidationError({"title": f"本支部{year}年已有同名方案"})
        return
    if Plan.objects.filter(branch=branch, year=year, half=half, kind=PlanKind.ANNUAL).exists():
        label = f"{year}年" + ("" if half == Half.FULL else Half(half).label)
        raise ValidationError({"year": f"本支部{label}的工作计划已存在"})


def _clean_owner(owner: Person | None, branch_id: int) -> Person | None:
    if owner is not None and (owner.branch_id != branch_id or not owner.active):
        raise ValidationError({"owner": "负责人须为本支部在册人员"})
    return owner


def default_title(branch: Organisation, year: int, half: str) -> str:
    period = f"{year}年" if half == Half.FULL else f"{year}年{Half(half).label}"
    return f"{branch.name}{period}工作计划"


def _create(plan: Plan) -> Plan:
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError({"year": "该期间的工作计划已存在"}) from None
    return plan


def _bulk_items(plan: Plan, rows: list[dict[str, Any]], start: int = 0) -> list[PlanItem]:
    items = []
    for i, row in enumerate(rows):
        item = PlanItem(plan=plan, months=clean_months(row["months"]), text=clean_text(row["text"]),
                        kinds=clean_kinds(row.get("kinds") or []), theme=(row.get("theme") or "")[:200],
                        owner=row.get("owner"), order=start + i)
        item.refresh_mask()
        items.append(item)
    return PlanItem.objects.bulk_create(items)


# ---------------------------------------------------------------------------------------------
# Plans


@transaction.atomic(durable=True)
def create_plan(*, actor, branch: Organisation, year: int, half: str = Half.FULL, title: str = "",
                kind: str = PlanKind.ANNUAL, label: str = "") -> Plan:
    """An empty plan; items are added on its calendar page."""
    year, half = _clean_year_half(year, half)
    kind, half, label = _clean_kind(kind, half, title, label)
    _ensure_free(branch, year, half, kind, title)
    plan = _create(Plan(branch=branch, year=year, half=half, kind=kind, label=label,
                        title=(title or "").strip()[:200] or default_title(branch, year, half)))
    audit.record(actor=actor, action="create", obj=plan, organisation=branch,
                 changes=audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)))
    return plan


@transaction.atomic(durable=True)
def copy_plan(*, actor, source: Plan, year: int, half: str | None = None, title: str = "") -> Plan:
    """A new plan with the sections and calendar of `source` (last year's): every item planned
    again, owners kept where they are still in the branch, links to records dropped."""
    branch = source.branch
    half = half or source.half
    year, half = _clean_year_half(year, half)
    if not title:
        title = source.title.replace(str(source.year), str(year)) if str(source.year) in source.title else ""
    if source.kind == PlanKind.CAMPAIGN and not title.strip():
        title = source.title
    kind, half, label = _clean_kind(source.kind, half, title, source.label)
    _ensure_free(branch, year, half, kind, title)
    plan = _create(Plan(branch=branch, year=year, half=half, kind=kind, label=label, title=title.strip()[:200]
                        or default_title(branch, year, half), source_text="", sections=source.sections))
    rows = [{"months": i.months, "text": i.text, "kinds": i.kinds, "theme": i.theme,
             "owner": i.owner if i.owner is not None and i.owner.active and i.owner.branch_id == branch.pk else None}
            for i in source.items.select_related("owner").order_by("order", "id")]
    _bulk_items(plan, rows)
    audit.record(actor=actor, action="copy", obj=plan, organisation=branch,
                 changes={**audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)), "copied_from": source.pk,
                          "items": len(rows)})
    return plan


@transaction.atomic(durable=True)
def create_from_parsed(*, actor, branch: Organisation, year: int, half: str, title: str, source_text: str,
                       sections: list[dict[str, Any]], items: list[dict[str, Any]],
                       kind: str = PlanKind.ANNUAL, label: str = "") -> Plan:
    """Save a plan the user has confirmed on the preview page. `items`: dicts with months, text,
    kinds and theme (as edited in the preview); `sections`: number, heading, level, body. A
    campaign plan (专项/主题教育方案) is read by the same parser and kept beside the annual plan."""
    year, half = _clean_year_half(year, half)
    kind, half, label = _clean_kind(kind, half, title, label)
    _ensure_free(branch, year, half, kind, title)
    plan = _create(Plan(branch=branch, year=year, half=half, kind=kind, label=label,
                        title=(title or "").strip()[:200] or default_title(branch, year, half),
                        source_text=source_text or "", sections=list(sections or [])))
    created = _bulk_items(plan, items)
    audit.record(actor=actor, action="import", obj=plan, organisation=branch,
                 changes={**audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)), "sections": len(plan.sections),
                          "items": len(created)})
    return plan


@transaction.atomic(durable=True)
def regenerate_token(*, actor, plan: Plan) -> Plan:
    """A new secret for the iCalendar feed: the old URL stops working at once."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    plan.ical_token = new_token()
    plan.save(update_fields=["ical_token", "updated_at"])
    # The token itself never goes into the log.
    audit.record(actor=actor, action="regenerate_ical_token", obj=plan, organisation=plan.branch,
                 changes={"ical_token": "regenerated"})
    return plan


# ---------------------------------------------------------------------------------------------
# Items


def _next_order(plan: Plan) -> int:
    top = plan.items.aggregate(m=models.Max("order"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic(durable=True)
def add_item(*, actor, plan: Plan, months: Iterable[int], text: str, kinds: Iterable[str] | None = None,
             theme: str = "", owner: Person | None = None) -> PlanItem:
    """One more calendar item; kinds default to what the parser's classifier finds in the text."""
    from zhibu.plans.parser import classify

    text = clean_text(text)
    owner = _clean_owner(owner, plan.branch_id)
    row = {"months": months, "text": text, "kinds": classify(text) if kinds is None else kinds, "theme": theme,
           "owner": owner}
    (item,) = _bulk_items(plan, [row], start=_next_order(plan))
    audit.record(actor=actor, action="create", obj=item, organisation=plan.branch,
                 changes=audit.diff({}, audit.snapshot(item, ITEM_FIELDS)))
    return item


@transaction.atomic(durable=True)
def update_item(*, actor, item: PlanItem, status: str = _UNSET, moved_to_month: int | None = _UNSET,
                owner: Person | None = _UNSET, kinds: Iterable[str] = _UNSET, months: Iterable[int] = _UNSET,
                text: str = _UNSET, theme: str = _UNSET) -> PlanItem:
    """Change an item: status (planned/done/cancelled/moved, moved needs moved_to_month), owner,
    kinds, months, text. Only the arguments given change."""
    item = PlanItem.objects.select_for_update().select_related("plan__branch").get(pk=item.pk)
    with audit.updating(item, actor=actor, fields=ITEM_FIELDS, organisation=item.plan.branch):
        _change_item(item, status=status, moved_to_month=moved_to_month, owner=owner, kinds=kinds, months=months,
                     text=text, theme=theme)
    return item


def _change_item(item: PlanItem, *, status, moved_to_month, owner, kinds, months, text, theme) -> None:
    if text is not _UNSET:
        item.text = clean_text(text)
    if theme is not _UNSET:
        item.theme = (theme or "")[:200]
    if months is not _UNSET:
        item.months = clean_months(months)
    if kinds is not _UNSET:
        item.kinds = clean_kinds(kinds)
    if owner is not _UNSET:
        item.owner = _clean_owner(owner, item.plan.branch_id)
    if status is not _UNSET:
        if status not in ItemStatus.values:
            raise ValidationError({"status": "未知的状态"})
        item.status = status
        if status != ItemStatus.MOVED:
            item.moved_to_month = None
    if moved_to_month is not _UNSET and moved_to_month is not None:
        if item.status != ItemStatus.MOVED:
            raise ValidationError({"moved_to_month": "只有“已调整”的事项才有调整后的月份"})
    if moved_to_month is not _UNSET and item.status == ItemStatus.MOVED:
        try:
            month = int(moved_to_month)
        except (TypeError, ValueError):
            raise ValidationError({"moved_to_month": "请选择调整到的月份"}) from None
        if not 1 <= month <= 12:
            raise ValidationError({"moved_to_month": "月份须在1–12之间"})
        item.moved_to_month = month
    if item.status == ItemStatus.MOVED and item.moved_to_month is None:
        raise ValidationError({"moved_to_month": "请选择调整到的月份"})


@transaction.atomic(durable=True)
def add_missing_items(*, actor, plan: Plan, kind: str | None = None,
                      obligations: Iterable[Obligation] | None = None) -> list[PlanItem]:
    """Add calendar items for the obligations the plan misses (all of them, or only `kind`).
    A monthly obligation gets one item in every month it misses; a quarterly, half-yearly or yearly
    one gets one item per unmet period, in the period's last missing month (its deadline; the item
    can be moved)."""
    plan = Plan.objects.select_for_update().select_related("branch").get(pk=plan.pk)
    if plan.kind == PlanKind.CAMPAIGN:
        raise ValidationError("专项/主题教育方案不对照三会一课补充事项，请在年度工作计划中补充")
    items = list(plan.items.all())
    if obligations is None:
        obligations = selectors.branch_obligations(plan.branch)
    obligations = tuple(obligations)
    labels = {o.kind: o.label for o in obligations}
    gaps = [g for g in selectors.plan_gaps(plan, items, obligations) if kind is None or g.kind == kind]
    rows = []
    for gap in gaps:
        text = MISSING_ITEM_TEXT.get(gap.kind) or f"开展{labels.get(gap.kind, gap.kind)}"
        if gap.rule == "monthly":
            months = [[m] for m in gap.missing_months]
        else:
            length = period_months(gap.rule)
            months = []
            for start in range(1, 13, length):
                in_period = [m for m in gap.missing_months if start <= m < start + length]
                if in_period:
                    months.append([in_period[-1]])
        rows += [{"months": ms, "text": text, "kinds": [gap.kind], "theme": ""} for ms in months]
    rows.sort(key=lambda r: r["months"][0])
    created = _bulk_items(plan, rows, start=_next_order(plan)) if rows else []
    if created:
        audit.record(actor=actor, action="add_missing_items", obj=plan, organisation=plan.branch,
                     changes={"kinds": sorted({g.kind for g in gaps}), "items": len(created)})
    return created


def describe_record(record: models.Model):
    """What the app that owns `record` says it is (its `plan_links.describe`), or None."""
    from zhibu.core.hooks import app_modules

    for module in app_modules("plan_links"):
        describe = getattr(module, "describe", None)
        info = describe(record) if describe is not None else None
        if info is not None:
            return info
    return None


def _record_branch_id(record: models.Model) -> int | None:
    for name in ("branch_id", "organisation_id"):
        value = getattr(record, name, None)
        if value is not None:
            return value
    return None


@transaction.atomic(durable=True)
def link_record(*, actor, item: PlanItem, record: models.Model | None, mark_done: bool = True) -> PlanItem:
    """Link the record that fulfilled the item (any model instance of the same branch: a meeting
    record of 组织生活, …) and mark the item done; `record=None` removes the link."""
    item = PlanItem.objects.select_for_update().select_related("plan__branch").get(pk=item.pk)
    action = "link_record" if record is not None else "unlink_record"
    with audit.updating(item, actor=actor, fields=ITEM_FIELDS, action=action, organisation=item.plan.branch):
        if record is None:
            item.content_type, item.object_id = None, None
        else:
            if record.pk is None:
                raise ValidationError("记录尚未保存")
            if _record_branch_id(record) != item.plan.branch_id:
                raise ValidationError("只能关联本支部的记录")
            info = describe_record(record)
            if info is not None and not info.held:
                raise ValidationError("该记录的日期尚未到来，还不能算作完成。", code="record_not_held")
            item.content_type = ContentType.objects.get_for_model(record)
            item.object_id = record.pk
            if mark_done:
                item.status, item.moved_to_month = ItemStatus.DONE, None
    return item


FEED_SETTING = "plans_feed_token"  # the branch's iCalendar feed secret, in Organisation.settings


@transaction.atomic(durable=True)
def regenerate_branch_feed(*, actor, branch: Organisation) -> str:
    """A (new) secret for the branch's feed of all its plans: the old URL stops working at once."""
    branch = Organisation.objects.select_for_update().get(pk=branch.pk)
    had = FEED_SETTING in branch.settings
    branch.settings = {**branch.settings, FEED_SETTING: new_token()}
    branch.save(update_fields=["settings"])
    # The token itself never goes into the log.
    audit.record(actor=actor, action="regenerate_branch_feed" if had else "create_branch_feed", obj=branch,
                 organisation=branch, changes={FEED_SETTING: "regenerated" if had else "created"})
    return branch.settings[FEED_SETTING]
