"""Check a parsed plan's calendar against the branch's obligations: pure Python, no ORM.

    check_plan(plan, obligations=DEFAULT_OBLIGATIONS) -> list[Gap]
    gaps_to_json(gaps) -> {"gaps": [{"kind", "rule", "missing_months", "source"}, ...]}

Choices (spec: shared/spec/plan-import.md, `check --json`):

* Covered months = the union of the months of all calendar items.  A plan for 下半年 or for
  八月份–十二月份 is checked only over those months; a plan without a calendar covers no month and
  has no gaps (there is nothing to check).
* Obligations a plan cannot show (per_pair, i.e. 谈心谈话 between each pair of people) are skipped.
* monthly: every covered month needs an item of that kind; missing_months = covered months with none.
  An item spanning several months (七、八月份) counts for each of them.
* quarterly / half_yearly / yearly: calendar periods (Jan–Mar …, Jan–Jun / Jul–Dec, the year) of
  `period_months(frequency)` months.  A period that overlaps the covered months is met when any item
  of that kind falls in the period; for each unmet period, missing_months lists its covered months.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhibu.orglife.rules import DEFAULT_OBLIGATIONS, MONTHLY, Obligation, period_months
from zhibu.plans.parser import Plan


@dataclass(frozen=True)
class Gap:
    kind: str
    rule: str  # the obligation's frequency: monthly, quarterly, half_yearly, yearly
    missing_months: list[int]
    source: str
    label: str = ""  # Chinese name of the obligation, for display (not in the JSON)


def covered_months(plan: Plan) -> list[int]:
    return sorted({m for item in plan.calendar for m in item.months if 1 <= m <= 12})


def check_plan(plan: Plan, obligations: tuple[Obligation, ...] | list[Obligation] = DEFAULT_OBLIGATIONS) -> list[Gap]:
    covered = covered_months(plan)
    if not covered:
        return []
    gaps: list[Gap] = []
    for ob in obligations:
        if ob.per_pair:
            continue
        months_with = {m for item in plan.calendar if ob.kind in item.kinds for m in item.months}
        if ob.frequency == MONTHLY:
            missing = [m for m in covered if m not in months_with]
        else:
            length = period_months(ob.frequency)
            missing = []
            for start in range(1, 13, length):
                period = set(range(start, start + length))
                in_cover = [m for m in covered if m in period]
                if in_cover and not (months_with & period):
                    missing.extend(in_cover)
        if missing:
            gaps.append(Gap(ob.kind, ob.frequency, missing, ob.source, ob.label))
    return gaps


def gaps_to_json(gaps: list[Gap]) -> dict:
    return {
        "gaps": [
            {"kind": g.kind, "rule": g.rule, "missing_months": list(g.missing_months), "source": g.source} for g in gaps
        ]
    }
