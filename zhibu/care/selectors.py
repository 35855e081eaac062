"""Reads of 关怀与共建, each in a fixed number of queries. Services import these; nothing here
imports services."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from zhibu.care import rules
from zhibu.care.models import (
    Campaign,
    CampaignPerson,
    CareFlag,
    ModelPost,
    Pair,
    Participation,
    Partner,
    Visit,
    VolunteerActivity,
)
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person

LIST_LIMIT = 500
PERSON_FIELDS = ("id", "name", "branch_id", "standing", "admitted_on", "full_on", "employment", "active")


def _members(branch: Organisation):
    return Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS).only(*PERSON_FIELDS)


def _active_flags(on: dt.date):
    return CareFlag.objects.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on, person__active=True)


# --- flags and exemptions -----------------------------------------------------------------------


def exempt_people(branch: Organisation, on_date: dt.date) -> dict[int, str]:
    """person id → reason, for the people exempt from attendance obligations on that date
    (失能/年老体弱, 教育管理条例 第23条). 1 query. orglife learns it through the `exemptions` hook."""
    ids = _active_flags(on_date).filter(branch=branch, kind__in=rules.EXEMPT_FLAGS).values_list("person_id", flat=True)
    return dict.fromkeys(ids, rules.EXEMPT_REASON)


def flagged_people(branch: Organisation, kinds, on: dt.date) -> dict[int, tuple[str, list[str]]]:
    """person id → (name, their flags among `kinds`) for the branch's people flagged on `on`. 1 query."""
    out: dict[int, tuple[str, list[str]]] = {}
    rows = (
        _active_flags(on)
        .filter(branch=branch, kind__in=list(kinds))
        .order_by("person__name", "person_id", "kind")
        .values_list("person_id", "person__name", "kind")
    )
    for pid, name, kind in rows:
        out.setdefault(pid, (name, []))[1].append(kind)
    return out


@dataclass
class FlagRow:
    person: Person
    flags: list[CareFlag] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)

    @property
    def exempt(self) -> bool:
        return rules.is_exempt(f.kind for f in self.flags)

    @property
    def suggested_labels(self) -> list[str]:
        return [rules.FLAG_LABELS[k] for k in self.suggested]


def flag_board(branch: Organisation, on: dt.date) -> list[FlagRow]:
    """The branch's people with their flags in force, and flags the records suggest for members
    not yet flagged (建国前入党, 老党员 at 50 years of standing). 2 queries."""
    flags = defaultdict(list)
    for f in _active_flags(on).filter(branch=branch).order_by("kind", "id"):
        flags[f.person_id].append(f)
    rows = []
    for p in Person.objects.filter(branch=branch, active=True).only(*PERSON_FIELDS).order_by("name", "id"):
        have = {f.kind for f in flags.get(p.pk, [])}
        suggested = (
            [k for k in rules.suggested_flags(p.admitted_on, p.full_on, on) if k not in have]
            if p.standing in MEMBER_STANDINGS
            else []
        )
        if flags.get(p.pk) or suggested:
            rows.append(FlagRow(p, flags.get(p.pk, []), suggested))
    return rows


# --- campaigns ------------------------------------------------------------------------------------


def campaigns_of(branch: Organisation) -> list[Campaign]:
    """With the counts of targets and visits. 1 query."""
    return list(
        Campaign.objects.filter(branch=branch)
        .annotate(n_targets=Count("targets", distinct=True), n_visits=Count("visits", distinct=True))
        .order_by("-year", "kind", "-id")[:LIST_LIMIT]
    )


@dataclass
class TargetRow:
    target: CampaignPerson
    visit: Visit | None


@dataclass
class CampaignView:
    campaign: Campaign
    rows: list[TargetRow]

    @property
    def visited(self) -> int:
        return sum(1 for r in self.rows if r.visit)

    @property
    def remaining(self) -> list[TargetRow]:
        return [r for r in self.rows if r.visit is None]

    @property
    def total_amount(self) -> Decimal:
        return sum((r.visit.amount or Decimal(0) for r in self.rows if r.visit), Decimal(0))


def campaign_view(campaign: Campaign) -> CampaignView:
    """Everyone on the list with their visit (the unvisited first). 2 queries."""
    visits = {v.person_id: v for v in Visit.objects.filter(campaign=campaign)}
    targets = (
        CampaignPerson.objects.filter(campaign=campaign)
        .select_related("person")
        .only("id", "reason", "campaign_id", "person__id", "person__name", "person__branch_id")
    )
    rows = [TargetRow(t, visits.get(t.person_id)) for t in targets]
    rows.sort(key=lambda r: (r.visit is not None, r.target.person.name, r.target.person_id))
    return CampaignView(campaign, rows)


def open_campaigns(branch: Organisation) -> list[Campaign]:
    return list(
        Campaign.objects.filter(branch=branch, closed_on__isnull=True)
        .annotate(n_targets=Count("targets", distinct=True), n_visits=Count("visits", distinct=True))
        .order_by("due", "id")
    )


def visits_of(branch: Organisation, year: int) -> list[Visit]:
    """The year's visits (the 走访慰问台账), campaign visits by the campaign's year. 1 query."""
    return list(
        Visit.objects.filter(branch=branch)
        .filter(Q(campaign__year=year) | Q(campaign__isnull=True, visited_on__year=year))
        .select_related("campaign", "person")
        .defer(*_sensitive("person"))
        .order_by("visited_on", "id")
    )


def _sensitive(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{f}" for f in ("id_number", "phone", "id_number_digest"))


# --- standing: 光荣在党50年, 政治生日 ----------------------------------------------------------------


@dataclass
class StandingRow:
    person: Person
    date: dt.date | None
    estimated: bool = False  # no 转正 date recorded: one year after admission


def fifty_years(branch: Organisation, year: int) -> list[StandingRow]:
    """光荣在党50年: members whose 50 years of standing fall in `year`. 1 query."""
    out = []
    for p in _members(branch).filter(admitted_on__isnull=False).order_by("name", "id"):
        if rules.reaches_fifty(p.admitted_on, p.full_on, year):
            out.append(StandingRow(p, rules.fifty_date(p.admitted_on, p.full_on), p.full_on is None))
    out.sort(key=lambda r: (r.date, r.person.name))
    return out


@dataclass
class BirthdayRow:
    person: Person
    date: dt.date
    years: int


def birthdays(branch: Organisation, year: int, month: int) -> list[BirthdayRow]:
    """政治生日 in that month: the members admitted in that month of an earlier year, by day. 1 query."""
    rows = []
    for p in _members(branch).filter(admitted_on__month=month, admitted_on__year__lt=year):
        day = rules.political_birthday(p.admitted_on, year)
        rows.append(BirthdayRow(p, day, year - p.admitted_on.year))
    rows.sort(key=lambda r: (r.date, r.person.name, r.person.pk))
    return rows


def theme_days(branch: Organisation, year: int, month: int) -> list:
    """That month's 主题党日 (held or scheduled) from orglife, where the 政治生日 are marked. 1 query."""
    from zhibu.orglife.selectors import meetings_of

    return list(meetings_of(branch, year, "theme_day").filter(date__month=month).order_by("starts_at", "id"))


# --- 结对 ---------------------------------------------------------------------------------------


def pair_range(branch: Organisation, year: int) -> tuple[int, int, str]:
    """(lower, upper, where from): the branch's annual plan's 结对 target when it has one ("每名党员
    结对1—2名"), else the default 1–2. 1 query (plus the parse of that plan's text)."""
    from zhibu.plans import parser
    from zhibu.plans.selectors import branch_plans

    text = (
        branch_plans(branch)
        .filter(year=year, kind="annual")
        .exclude(source_text="")
        .values_list("source_text", flat=True)
        .first()
    )
    if text:
        try:
            found = rules.pair_range(t.to_json() for t in parser.parse_text(text).targets)
        except Exception:  # a plan the parser cannot read sets no target  # noqa: BLE001
            found = None
        if found:
            return found[0], found[1], f"{year}年工作计划"
    lo, hi = rules.DEFAULT_PAIRS
    return lo, hi, "默认"


@dataclass
class PairRow:
    member: Person
    pairs: list[Pair]
    state: str

    @property
    def state_label(self) -> str:
        return rules.PAIR_STATE_LABELS[self.state]


def pair_board(branch: Organisation, lo: int, hi: int) -> list[PairRow]:
    """Every member with their current pairs (and contacts). 3 queries."""
    pairs = defaultdict(list)
    current = (
        Pair.objects.filter(branch=branch, ended_on__isnull=True)
        .select_related("kind", "partner")
        .defer(*_sensitive("partner"))
        .prefetch_related("contacts")
        .order_by("started_on", "id")
    )
    for pair in current:
        pairs[pair.member_id].append(pair)
    return [
        PairRow(m, pairs.get(m.pk, []), rules.pair_state(len(pairs.get(m.pk, [])), lo, hi))
        for m in _members(branch).order_by("name", "id")
    ]


def pairs_of(branch: Organisation) -> list[Pair]:
    """Every pair, ended ones too (the 结对台账). 2 queries."""
    return list(
        Pair.objects.filter(branch=branch)
        .select_related("kind", "partner", "member")
        .defer(*_sensitive("partner"), *_sensitive("member"))
        .prefetch_related("contacts")
        .order_by("member__name", "started_on", "id")[: LIST_LIMIT * 4]
    )


# --- 志愿服务 ------------------------------------------------------------------------------------


def activities_of(branch: Organisation, year: int) -> list[VolunteerActivity]:
    """The year's activities with their participants. 2 queries."""
    return list(
        VolunteerActivity.objects.filter(branch=branch, date__year=year)
        .prefetch_related(
            Prefetch(
                "participants",
                Participation.objects.select_related("person").only(
                    "id", "hours", "activity_id", "person__id", "person__name"
                ),
            )
        )
        .order_by("-date", "-id")[:LIST_LIMIT]
    )


@dataclass
class HoursRow:
    person_id: int
    name: str
    activities: int
    hours: Decimal


def hours_table(branch: Organisation, year: int) -> list[HoursRow]:
    """Per person yearly hours, ordered by name (never a ranking, rules2.md §5). 1 query."""
    rows = (
        Participation.objects.filter(activity__branch=branch, activity__date__year=year)
        .values("person_id", "person__name")
        .annotate(n=Count("id"), total=Sum("hours"))
        .order_by("person__name", "person_id")
    )
    return [HoursRow(r["person_id"], r["person__name"], r["n"], r["total"] or Decimal(0)) for r in rows]


def person_hours(person: Person, year: int) -> tuple[list[Participation], Decimal]:
    rows = list(
        Participation.objects.filter(person=person, activity__date__year=year)
        .select_related("activity")
        .order_by("activity__date", "id")
    )
    return rows, sum((r.hours for r in rows), Decimal(0))


# --- 示范岗, 共建 ---------------------------------------------------------------------------------


def posts_of(branch: Organisation, year: int) -> list[ModelPost]:
    return list(
        ModelPost.objects.filter(branch=branch, year=year)
        .select_related("holder")
        .defer(*_sensitive("holder"))
        .order_by("name", "id")
    )


def partners_of(branch: Organisation) -> list[Partner]:
    return list(Partner.objects.filter(branch=branch).prefetch_related("activities").order_by("name", "id"))


# --- the district -------------------------------------------------------------------------------


@dataclass
class BranchRow:
    id: int
    name: str
    members: int = 0
    flagged: int = 0
    to_visit: int = 0
    visited: int = 0
    unpaired: int = 0
    open_campaigns: int = 0


def district_view(district: Organisation, year: int, on: dt.date) -> list[BranchRow]:
    """Per branch: members, flagged people, people on this year's campaign lists and those visited,
    members without a pair, open campaigns. Branch-level counts only (rules2.md §5). 6 queries."""
    branches = list(
        Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH)
        .order_by("path")
        .values_list("id", "name")
    )
    rows = {bid: BranchRow(bid, name) for bid, name in branches}
    under = Q(branch__path__startswith=district.path)
    members = Person.objects.filter(under, active=True, standing__in=MEMBER_STANDINGS)
    for r in members.values("branch_id").annotate(n=Count("id")):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].members = r["n"]
    for r in _active_flags(on).filter(under).values("branch_id").annotate(n=Count("person_id", distinct=True)):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].flagged = r["n"]
    campaigns = Campaign.objects.filter(under, year=year)
    for r in campaigns.values("branch_id").annotate(
        n=Count("targets", distinct=True), open=Count("id", filter=Q(closed_on__isnull=True), distinct=True)
    ):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].to_visit, rows[r["branch_id"]].open_campaigns = r["n"], r["open"]
    for r in Visit.objects.filter(under, campaign__year=year).values("branch_id").annotate(n=Count("id")):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].visited = r["n"]
    paired = Pair.objects.filter(ended_on__isnull=True).values("member_id")
    for r in members.exclude(pk__in=paired).values("branch_id").annotate(n=Count("id")):
        if r["branch_id"] in rows:
            rows[r["branch_id"]].unpaired = r["n"]
    return list(rows.values())
