"""Reads of the district assessment, each in a fixed number of queries whatever the number of
branches: the rubric (1) and its items (1), the branches (1), every measure the items use (each a
constant number of aggregates, see zhibu.assessment.hooks), the manual scores (1), the 述职 (1).

Derived scores are computed, never stored: they always equal what the records show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from zhibu.assessment import rules
from zhibu.assessment.hooks import KNOWN, KNOWN_LABELS, MISSING, Measure, as_of, measures
from zhibu.assessment.models import ManualScore, Report, Rubric, RubricItem
from zhibu.orgs.models import Organisation, OrgKind


def rubric_for(org: Organisation, year: int) -> Rubric | None:
    """The rubric that applies to `org` in `year`: its own (a district), else the nearest ancestor's. 1 query."""
    ids = org.ancestor_ids() or [org.pk]
    found = {r.district_id: r for r in Rubric.objects.filter(district_id__in=ids, year=year).select_related("district")}
    for org_id in reversed(ids):
        if org_id in found:
            return found[org_id]
    return None


def items_of(rubric: Rubric) -> list[RubricItem]:
    return list(RubricItem.objects.filter(rubric=rubric).order_by("order", "id"))


def groups_of(items: list[RubricItem]) -> list[tuple[str, Decimal, list[RubricItem]]]:
    """The items grouped in order of first appearance: (group, its points, its items)."""
    out: dict[str, list[RubricItem]] = {}
    for item in items:
        out.setdefault(item.group, []).append(item)
    return [(g, sum((i.points for i in its), Decimal(0)), its) for g, its in out.items()]


def branches_below(org: Organisation) -> list[tuple[int, str]]:
    if org.kind == OrgKind.BRANCH:
        return [(org.pk, org.name)]
    return list(
        Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH)
        .order_by("path", "id")
        .values_list("id", "name")
    )


def _graded_branches(org: Organisation, year: int) -> list[tuple[int, str, str]]:
    """(id, name, 述职 grade) of the branches below `org` (or `org`, a branch): 1 query."""
    grade = Report.objects.filter(branch_id=OuterRef("pk"), year=year).values("grade")[:1]
    qs = (
        Organisation.objects.filter(pk=org.pk)
        if org.kind == OrgKind.BRANCH
        else Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH)
    )
    return [
        (b, name, g or "")
        for b, name, g in qs.annotate(grade=Subquery(grade)).order_by("path", "id").values_list("id", "name", "grade")
    ]


def _rubric_with_items(org: Organisation, year: int) -> tuple[Rubric | None, list[RubricItem]]:
    """The rubric that applies and its items in 1 query (2 when no rubric above has items: a rubric
    just emptied by its district, or none). A nearer rubric left without items gives way to the
    next one up that has some."""
    ids = org.ancestor_ids() or [org.pk]
    items = list(
        RubricItem.objects.filter(rubric__district_id__in=ids, rubric__year=year)
        .select_related("rubric__district")
        .order_by("order", "id")
    )
    if not items:
        return rubric_for(org, year), []
    nearest = max((i.rubric for i in items), key=lambda r: ids.index(r.district_id))
    return nearest, [i for i in items if i.rubric_id == nearest.pk]


@dataclass
class ItemScore:
    item: RubricItem
    points: Decimal
    value: float | None = None  # the measure's fraction (derived items)
    available: bool = True  # False: no installed app offers the measure (数据来源未启用)
    note: str = ""
    url: str = ""
    manual: ManualScore | None = None
    formula: str = ""

    @property
    def percent(self) -> str:
        return "" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass
class BranchScore:
    id: int
    name: str
    items: list[ItemScore]
    score: Decimal
    tier: str
    grade: str = ""  # the 述职 grade

    @property
    def tier_label(self) -> str:
        return rules.TIER_LABELS[self.tier]

    @property
    def grade_label(self) -> str:
        return rules.GRADE_LABELS.get(self.grade, "")


@dataclass
class Assessment:
    org: Organisation
    year: int
    rubric: Rubric | None
    items: list[RubricItem]
    measures: dict[str, Measure]
    rows: list[BranchScore]
    total: Decimal = Decimal(0)
    tiers: dict[str, int] = field(default_factory=dict)

    @property
    def groups(self):
        return groups_of(self.items)

    def measure_of(self, item: RubricItem) -> Measure | None:
        return self.measures.get(item.measure) if item.measure else None


def compute_values(keys, branch_ids: list[int], year: int, found: dict[str, Measure]) -> dict[str, dict[int, float]]:
    """Each available measure computed once for all the branches."""
    return {key: found[key].compute(branch_ids, year) for key in dict.fromkeys(keys) if key in found}


def assess(org: Organisation, year: int, *, values: dict[str, dict[int, float]] | None = None) -> Assessment:
    """Every branch below `org` (or `org` itself, a branch) scored against the rubric that applies.
    Queries: the rubric with its items (1), the branches with their 述职 grade (1), each measure the
    items use (see zhibu.assessment.hooks; not again when `values` already holds it), the manual scores (1)."""
    rubric, items = _rubric_with_items(org, year)
    found = measures()
    if rubric is None:
        return Assessment(org, year, None, [], found, [])
    branches = _graded_branches(org, year)
    ids = [b for b, _n, _g in branches]
    known = values or {}
    values = {
        **known,
        **compute_values((i.measure for i in items if i.measure and i.measure not in known), ids, year, found),
    }
    manual = {(s.item_id, s.branch_id): s for s in ManualScore.objects.filter(item__rubric=rubric, branch_id__in=ids)}
    total = sum((i.points for i in items), Decimal(0))
    rows = []
    for branch_id, name, grade in branches:
        scores = []
        for item in items:
            if item.measure:
                m = found.get(item.measure)
                if m is None:
                    scores.append(ItemScore(item, Decimal("0.0"), None, False, f"{MISSING}，暂计0分"))
                    continue
                value = values[item.measure].get(branch_id, 0.0)
                scores.append(
                    ItemScore(
                        item, rules.points_for(item.points, value), value, url=m.url(branch_id, year), formula=m.formula
                    )
                )
            else:
                s = manual.get((item.pk, branch_id))
                scores.append(
                    ItemScore(item, s.points if s else Decimal("0.0"), None, note="" if s else "尚未评分", manual=s)
                )
        score = sum((s.points for s in scores), Decimal("0.0"))
        rows.append(
            BranchScore(
                branch_id,
                name,
                scores,
                score,
                rules.tier(score, total, rubric.advanced, rubric.backward),
                grade,
            )
        )
    tiers = Counter(r.tier for r in rows)
    return Assessment(
        org, year, rubric, items, found, rows, total, {code: tiers.get(code, 0) for code, _l in rules.TIERS}
    )


# --- the dashboard -------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    label: str
    measure: Measure


@dataclass
class Dashboard:
    year: int
    columns: list[Column]
    rows: list[tuple[int, str, list[tuple[float | None, str]]]]  # branch, name, (value, url) per column
    monthly: list[tuple[int, int, int]]
    assessment: Assessment
    averages: list[float | None]


def dashboard(org: Organisation, year: int) -> Dashboard:
    """Branches × the figures of every installed app (a column only when its app offers the measure),
    the district's monthly meetings held vs required and the tiers. Queries: branches (1), each
    measure (constant), the monthly series (2), the assessment (constant)."""
    found = measures()
    branches = branches_below(org)
    ids = [b for b, _n in branches]
    columns = [Column(key, found[key].column or label, found[key]) for key, label in KNOWN if key in found]
    columns += [Column(k, m.column or m.label, m) for k, m in found.items() if k not in KNOWN_LABELS]
    values = compute_values([c.key for c in columns], ids, year, found)
    rows = [(b, name, [(values[c.key].get(b), c.measure.url(b, year)) for c in columns]) for b, name in branches]
    averages: list[float | None] = []
    for c in columns:
        vals = [values[c.key].get(b, 0.0) for b in ids]
        averages.append(sum(vals) / len(vals) if vals else None)
    monthly: list[tuple[int, int, int]] = []
    for m in found.values():
        if m.series is not None:
            monthly = m.series(ids, year)
            break
    return Dashboard(year, columns, rows, monthly, assess(org, year, values=values), averages)


def as_of_date(year: int):
    return as_of(year)
