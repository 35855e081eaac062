"""The assessment hook: how an app offers the district a figure its records already show.

Report once (rules2.md §5, 减负): a district's rubric item is either *derived* from the records the
branches keep, or *manual*; nothing that the records show is asked of a branch a second time. An app
offers derived figures by having a module `zhibu.<app>.assessment` with

    def measures() -> list[Measure]

where each `Measure` has
    key      a stable identifier a rubric item refers to ("orglife_obligations"); unique over the apps
    label    its Chinese name ("三会一课按期开展")
    formula  the formula in Chinese, shown beside the item ("已完成期次 ÷ 应完成期次 × 100%……")
    compute  compute(branch_ids, year) -> dict[branch_id, value]: value a fraction 0–1 for every
             branch (a branch missing from the dict counts 0). Set-based: a constant number of
             queries whatever the number of branches (aggregates grouped by branch, never a query per
             branch); the as-of date is min(today, 31 December of `year`) through zhibu.core.clock.
    url      url(branch_id, year) -> str: the page listing the records behind the figure (no query)
    column   optional short label for the district dashboard's column ("三会一课")
    series   optional series(branch_ids, year) -> [(month, required, held)]: the dashboard draws it
             as the district's month-by-month chart (orglife: meetings held vs required)

A rubric item worth P points scores P × value (rounded to 0.1). A rubric item whose measure no
installed app offers shows "数据来源未启用" and scores 0 with a note; it never fails.

Keys of this project (the app that writes the module): orglife_obligations (orglife), plan_done
(plans), review_finalised (review), olm_held (orglifemeeting), study_hours (study), dues_on_time
(dues), rectify_closed (rectify), election_on_time (elections), yearend_submitted (yearend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from zhibu.core import clock
from zhibu.core.hooks import app_label, app_modules


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    formula: str
    compute: Callable[[Sequence[int], int], dict[int, float]]
    url: Callable[[int, int], str]
    column: str = ""
    app: str = ""
    series: Callable[[Sequence[int], int], list[tuple[int, int, int]]] | None = None


# The keys the default rubric and the dashboard know, in the dashboard's column order, with the label
# shown when no installed app offers them (an app not built yet, or not installed here).
KNOWN = (
    ("orglife_obligations", "三会一课"),
    ("plan_done", "计划进度"),
    ("review_finalised", "民主评议"),
    ("olm_held", "组织生活会"),
    ("study_hours", "学习"),
    ("dues_on_time", "党费"),
    ("rectify_closed", "整改"),
    ("election_on_time", "换届"),
    ("yearend_submitted", "年终材料"),
)
KNOWN_LABELS = dict(KNOWN)

MISSING = "数据来源未启用"


def as_of(year: int) -> dt.date:
    """The date a year's figures are taken at: today, or the year's last day once it is over."""
    return min(clock.today(), dt.date(year, 12, 31))


def measures() -> dict[str, Measure]:
    """Every measure the installed apps offer, by key, in INSTALLED_APPS order."""
    found: dict[str, Measure] = {}
    for module in app_modules("assessment", exclude=("assessment",)):
        for m in module.measures():
            if m.key not in found:
                found[m.key] = Measure(
                    m.key, m.label, m.formula, m.compute, m.url, m.column or m.label, app_label(module), m.series
                )
    return found


def fraction(numerator: float, denominator: float, *, empty: float = 0.0) -> float:
    """numerator / denominator within 0–1; `empty` when there is nothing to count."""
    if not denominator:
        return empty
    return max(0.0, min(1.0, numerator / denominator))
