"""Reads for plans: querysets with their joins, the 12-month calendar and the plan check."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet

from zhibu.orglife.rules import Obligation
from zhibu.orgs.models import Organisation, Person
from zhibu.plans import check as plan_check
from zhibu.plans import parser
from zhibu.plans.models import ItemStatus, Plan, PlanItem

MONTH_NAMES = ["一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"]

# Never loaded (nor decrypted) for a calendar: the owner's name is all it shows.
OWNER_SENSITIVE = ("owner__id_number", "owner__phone", "owner__id_number_digest")


def branch_plans(branch: Organisation) -> QuerySet[Plan]:
    return Plan.objects.filter(branch=branch).annotate(item_count=Count("items")).order_by("-year", "half", "id")


def plan_items(plan: Plan) -> QuerySet[PlanItem]:
    return (plan.items.select_related("owner", "content_type").defer(*OWNER_SENSITIVE)
            .prefetch_related("fulfilled_by").order_by("order", "id"))


def branch_people(branch: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(branch=branch, active=True).only("id", "name", "branch_id").order_by("name", "id")


def branch_obligations(branch: Organisation) -> tuple[Obligation, ...]:
    """The branch's configured obligations: orglife's BranchObligationConfig frequencies through
    orglife's own validation (defaults where nothing, or nothing valid, is set). One query."""
    from zhibu.orglife.models import BranchObligationConfig
    from zhibu.orglife.selectors import obligations_of

    frequencies = BranchObligationConfig.objects.filter(branch=branch).values_list("frequencies", flat=True).first()
    return obligations_of(frequencies if isinstance(frequencies, dict) else None)


def as_parsed(plan: Plan, items) -> parser.Plan:
    """The plan's calendar as the parser's Plan, for check.check_plan: cancelled items left out,
    moved items in their new month, and an empty item spanning the plan's period so the check
    covers the whole year (or half year) even when the calendar does not mention every month."""
    calendar = [parser.CalendarItem(list(plan.period_months), "", [], None)]
    for item in items:
        if item.status == ItemStatus.CANCELLED:
            continue
        calendar.append(parser.CalendarItem(item.effective_months, item.text, list(item.kinds), item.theme or None))
    return parser.Plan(plan.title, plan.year, [], calendar)


def plan_gaps(plan: Plan, items, obligations=None) -> list[plan_check.Gap]:
    if obligations is None:
        obligations = branch_obligations(plan.branch)
    return plan_check.check_plan(as_parsed(plan, items), tuple(obligations))


@dataclass
class Entry:
    item: PlanItem
    moved_away: bool = False  # shown greyed in its original month, "已调至N月"
    moved_here: bool = False  # shown in its new month, "由N月调整"


@dataclass
class Month:
    number: int
    name: str
    entries: list[Entry] = field(default_factory=list)
    current: bool = False


def calendar(plan: Plan, items, today=None) -> list[Month]:
    """One Month per month of the plan's period; a multi-month item is listed under each month."""
    return _calendar(plan.year, plan.period_months, items, today)


def year_plans(branch: Organisation, year: int) -> list[Plan]:
    """The branch's plans of a year: the annual plan (or halves) first, then its campaign plans."""
    return list(Plan.objects.filter(branch=branch, year=year).annotate(item_count=Count("items"))
                .order_by("kind", "half", "id"))


def year_calendar(branch: Organisation, year: int, today=None) -> list[Month]:
    """The year's calendar across all the branch's plans (annual and 专项/主题教育方案): each entry's
    item carries its plan, whose short label the page shows. Two queries."""
    items = list(PlanItem.objects.filter(plan__branch=branch, plan__year=year).select_related("owner", "plan")
                 .defer(*OWNER_SENSITIVE).order_by("plan__kind", "plan__half", "plan_id", "order", "id"))
    return _calendar(year, list(range(1, 13)), items, today)


def _calendar(year: int, period_months, items, today=None) -> list[Month]:
    months = {m: Month(m, MONTH_NAMES[m - 1], current=bool(today and today.year == year and today.month == m))
              for m in period_months}
    extra: dict[int, Month] = {}

    def month(m: int) -> Month:
        if m in months:
            return months[m]
        return extra.setdefault(m, Month(m, MONTH_NAMES[m - 1]))

    for item in items:
        moved = item.status == ItemStatus.MOVED and item.moved_to_month
        for m in item.months:
            if 1 <= m <= 12:
                month(m).entries.append(Entry(item, moved_away=bool(moved) and m != item.moved_to_month))
        if moved and item.moved_to_month not in item.months:
            month(item.moved_to_month).entries.append(Entry(item, moved_here=True))
    return sorted([*months.values(), *extra.values()], key=lambda mo: mo.number)


def month_items(branch: Organisation, year: int, month: int) -> list[PlanItem]:
    """The branch's plan items falling in a month (moved items in their new month), not cancelled:
    one query."""
    bit = 1 << (month - 1)
    return list(
        PlanItem.objects.filter(plan__branch=branch, plan__year=year)
        .exclude(status=ItemStatus.CANCELLED)
        .annotate(hit=F("month_mask").bitand(bit))
        .filter(hit__gt=0)
        .select_related("owner", "plan")
        .order_by("plan__half", "order", "id")
    )


def link_candidates(branch, item) -> list[tuple[str, str]]:
    """(value "app.model:id", label) of records that could fulfil `item`, from every app that offers
    them through `zhibu.<app>.plan_links.candidates(branch, year, months, kinds)` (discovered)."""
    from zhibu.core.hooks import app_modules

    out = []
    for module in app_modules("plan_links"):
        for type_label, pk, label in module.candidates(branch, item.plan.year, item.effective_months, item.kinds or []):
            out.append((f"{type_label}:{pk}", label))
    return out
