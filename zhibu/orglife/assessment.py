"""Assessment measures of 组织生活 (the hook is described in zhibu/assessment/hooks.py): the meetings
held against the branch's 三会一课 obligations, and the district's month-by-month series of the same
periods for the dashboard chart. Reads only; 2 queries whatever the number of branches."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count
from django.urls import reverse

from zhibu.orglife import rules
from zhibu.orglife.models import BranchObligationConfig, Meeting
from zhibu.orglife.selectors import EVALUATION, obligations_of

FORMULA = (
    "已完成期次 ÷（已完成期次 + 逾期未开展期次）× 100%。按本支部党员大会、支委会、党小组会、党课、主题党日、"
    "组织生活会、民主评议党员的频次逐期计算，截至评估日已召开的会议才计入；尚未到期的期次不计；"
    "谈心谈话按人次另行统计，不在此项。"
)


def _periods(branch_ids: Sequence[int], year: int) -> dict[int, list[tuple[str, int, str]]]:
    """branch id -> [(kind, period end month, status)] for every meeting obligation of `year`."""
    from zhibu.assessment.hooks import as_of as as_of_for

    as_of = as_of_for(year)
    ids = list(branch_ids)
    configs = dict(
        BranchObligationConfig.objects.filter(branch_id__in=ids)
        .exclude(frequencies={})
        .values_list("branch_id", "frequencies")
    )
    held: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    start = dt.date(year, 1, 1)
    if as_of >= start:
        rows = (
            Meeting.objects.filter(branch_id__in=ids, date__gte=start, date__lte=as_of)
            .values_list("branch_id", "kind", "month", "with_evaluation")
            .annotate(n=Count("id"))
            .order_by()
        )
        for branch_id, kind, month, with_evaluation, _n in rows:
            held[branch_id][kind].add(month)
            if with_evaluation:
                held[branch_id][EVALUATION].add(month)
    plans: dict[str, list[tuple[int, str]]] = {}
    out: dict[int, list[tuple[str, int, str]]] = {}
    for branch_id in ids:
        kinds = held.get(branch_id, {})
        rows_out = []
        for ob in obligations_of(configs.get(branch_id)):
            if ob.per_pair:
                continue
            if ob.frequency not in plans:
                plans[ob.frequency] = rules.period_plan(frequency=ob.frequency, year=year, as_of=as_of)
            plan = plans[ob.frequency]
            statuses = rules.period_statuses(frequency=ob.frequency, held_months=kinds.get(ob.kind, ()), plan=plan)
            length = rules.period_months(ob.frequency)
            for (index, _timing), status in zip(plan, statuses, strict=True):
                rows_out.append((ob.kind, index * length, status))
        out[branch_id] = rows_out
    return out


def obligations_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import fraction

    out = {}
    for branch_id, rows in _periods(branch_ids, year).items():
        met = sum(1 for _k, _m, s in rows if s == rules.MET)
        overdue = sum(1 for _k, _m, s in rows if s == rules.OVERDUE)
        out[branch_id] = fraction(met, met + overdue, empty=1.0)
    return out


def monthly_series(branch_ids: Sequence[int], year: int) -> list[tuple[int, int, int]]:
    """(month, periods required, periods met) across the branches, a period counted in the month it
    ends once it has ended or been met: the dashboard's "meetings held vs required" chart."""
    required = [0] * 13
    met = [0] * 13
    for rows in _periods(branch_ids, year).values():
        for _kind, month, status in rows:
            if status in (rules.MET, rules.OVERDUE):
                required[month] += 1
                met[month] += status == rules.MET
    return [(m, required[m], met[m]) for m in range(1, 13)]


def _url(branch_id: int, year: int) -> str:
    return reverse("orglife:index", kwargs={"org_id": branch_id}) + f"?year={year}"


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="orglife_obligations",
            label="三会一课按期开展",
            formula=FORMULA,
            compute=obligations_rate,
            url=_url,
            column="三会一课",
            series=monthly_series,
        )
    ]
