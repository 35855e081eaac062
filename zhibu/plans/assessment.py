"""Assessment measure of the annual plan (the hook is described in zhibu/assessment/hooks.py): the
share of the year's plan items done. One aggregate query whatever the number of branches."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse

from zhibu.plans.models import ItemStatus, PlanItem, PlanKind

FORMULA = (
    "已完成事项 ÷（年度工作计划的全部事项 − 已取消事项）× 100%。计本年度的年度（含半年）工作计划，"
    "专项方案不计；没有计划或计划中没有事项的计0。"
)


def done_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import fraction

    rows = (
        PlanItem.objects.filter(plan__branch_id__in=list(branch_ids), plan__year=year, plan__kind=PlanKind.ANNUAL)
        .exclude(status=ItemStatus.CANCELLED)
        .values("plan__branch_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=ItemStatus.DONE)))
        .order_by()
    )
    return {r["plan__branch_id"]: fraction(r["done"], r["total"]) for r in rows}


def _url(branch_id: int, year: int) -> str:
    return reverse("plans:index", kwargs={"org_id": branch_id}) + f"?year={year}"


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(key="plan_done", label="工作计划完成", formula=FORMULA, compute=done_rate, url=_url, column="计划进度")
    ]
