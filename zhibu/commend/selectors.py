"""Reads of 评优 and 积分 (fixed query counts). Other apps are read through their selectors and hooks:
vetoes from every app's `eligibility.vetoes`, the 民主评议 grade from `zhibu.review` when installed,
attendance from orglife's selectors, dues on time from the dues statement."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q

from zhibu.commend import rules
from zhibu.commend.models import Nomination, PointsEntry, PointsRule, PointsScheme, Round
from zhibu.core.hooks import app_modules
from zhibu.orgs.models import Organisation, OrgKind, Person, Standing


def vetoes(branch: Organisation, year: int) -> dict[int, str]:
    """person id -> reason(s): everyone barred from `year`'s 评优 by any app (师德, 处分, …)."""
    out: dict[int, list[str]] = defaultdict(list)
    for module in app_modules("eligibility"):
        fn = getattr(module, "vetoes", None)
        if fn is None:
            continue
        for pid, reason in (fn(branch, year) or {}).items():
            out[int(pid)].append(str(reason))
    return {pid: "；".join(reasons) for pid, reasons in out.items()}


def review_grades(branch: Organisation, year: int) -> dict[int, str]:
    """person id -> 民主评议 grade of `year`, when the review app is installed and has one (read through
    its selectors; anything unexpected there means no grades shown, never an error here)."""
    if not apps.is_installed("zhibu.review"):
        return {}
    try:
        from zhibu.review import selectors as review

        found = review.reviews_of(branch).filter(year=year).first()
        if found is None:
            return {}
        return {row.person.pk: row.grade for row in review.rows_of(found) if row.grade}
    except Exception:  # noqa: BLE001 - another app's shape is not ours to depend on
        return {}


def rounds_for(org: Organisation):
    """Rounds opened by this organisation or any above it."""
    return Round.objects.filter(org_id__in=org.ancestor_ids()).select_related("org")


def rounds_of(org: Organisation) -> list[Round]:
    return list(Round.objects.filter(org=org).order_by("-year", "-opens_on", "-id")[:200])


def full_members_under(org: Organisation) -> int:
    return Person.objects.filter(branch__path__startswith=org.path, active=True, standing=Standing.FULL).count()


def full_members_of(branch: Organisation) -> int:
    return Person.objects.filter(branch=branch, active=True, standing=Standing.FULL).count()


def live(qs):
    return qs.exclude(status=rules.WITHDRAWN)


def used_by_type(rnd: Round, *, branch: Organisation | None = None, status: str | None = None) -> dict[str, int]:
    qs = live(Nomination.objects.filter(round=rnd))
    if branch is not None:
        qs = qs.filter(branch=branch)
    if status is not None:
        qs = qs.filter(status=status)
    return dict(qs.values("award_type").annotate(n=Count("id")).values_list("award_type", "n"))


def nominations(rnd: Round, *, branch: Organisation | None = None) -> list[Nomination]:
    qs = Nomination.objects.filter(round=rnd).select_related("person", "branch")
    if branch is not None:
        qs = qs.filter(branch=branch)
    return list(qs.order_by("award_type", "branch__path", "id"))


def awarded(rnd: Round) -> list[Nomination]:
    return [n for n in nominations(rnd) if n.status == rules.AWARDED]


@dataclass
class TypeLine:
    award_type: str
    label: str
    quota: int
    used: int
    awarded: int


def quota_lines(rnd: Round, *, branch: Organisation | None = None) -> list[TypeLine]:
    """Per offered type: the quota (the branch's when given, else the round's), used, awarded."""
    q = rnd.quotas
    base = full_members_of(branch) if branch is not None else full_members_under(rnd.org)
    used = used_by_type(rnd, branch=branch)
    won = used_by_type(rnd, branch=branch, status=rules.AWARDED)
    out = []
    for t in q.offered():
        quota = q.branch(t, base) if branch is not None else q.district(t, base)
        out.append(TypeLine(t, rules.AWARD_LABELS[t], quota, used.get(t, 0), won.get(t, 0)))
    return out


@dataclass
class Award:
    year: int
    label: str
    round: Round
    state: str  # rules.publicity_state


def awards_of(person: Person, today: dt.date) -> list[Award]:
    """A person's awards by year: decided and publicised (1 query)."""
    rows = (
        Nomination.objects.filter(person=person, status=rules.AWARDED, round__publicity_start__isnull=False)
        .select_related("round")
        .order_by("-round__year", "award_type")
    )
    return [
        Award(n.round.year, rules.AWARD_LABELS[n.award_type], n.round,
              rules.publicity_state(n.round.publicity_start, n.round.publicity_end, today))
        for n in rows
    ]


def branch_awards(branch: Organisation, today: dt.date) -> list[Nomination]:
    """The branch's publicised awards (its people and itself), newest first."""
    return list(
        Nomination.objects.filter(branch=branch, status=rules.AWARDED, round__publicity_start__isnull=False,
                                  round__publicity_start__lte=today)
        .select_related("round", "person")
        .order_by("-round__year", "award_type", "id")[:200]
    )


def people_of(branch: Organisation) -> list[Person]:
    """The branch's current people in name order (the people list never carries points)."""
    return list(Person.objects.filter(branch=branch, active=True).order_by("name", "id"))


# --- 积分 -------------------------------------------------------------------------------------------


def scheme_for(org: Organisation) -> PointsScheme | None:
    """The nearest 积分 scheme on the path (the branch's own, else its district's), 1 query."""
    ids = org.ancestor_ids()
    found = {s.org_id: s for s in PointsScheme.objects.filter(org_id__in=ids)}
    for i in reversed(ids):
        if i in found:
            return found[i]
    return None


def scheme_rules(scheme: PointsScheme | None, *, active_only: bool = True) -> list[PointsRule]:
    if scheme is None:
        return []
    qs = PointsRule.objects.filter(scheme=scheme)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("id"))


@dataclass
class Points:
    base: int
    lines: list[rules.PointLine]
    entries: list[PointsEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return rules.total_points(self.base, self.lines)


def _attendance(person: Person, year: int, today: dt.date) -> tuple[int, int]:
    from zhibu.orglife import selectors as orglife

    present = absent = 0
    for meeting in orglife.yearbook_meetings(person.branch, year, as_of=today):
        for a in meeting.attendances.all():
            if a.person_id != person.pk or a.excluded:
                continue
            if a.status == "present":
                present += 1
            elif a.status == "absent":
                absent += 1
    return present, absent


def _dues_on_time(person: Person, year: int, today: dt.date) -> int:
    from zhibu.dues import selectors as dues

    n = 0
    for month in dues.statement(person, year, today).months:
        if month.status != "paid" or not month.entries:
            continue
        last = month.month.replace(day=calendar.monthrange(month.month.year, month.month.month)[1])
        if min(e.paid_on for e in month.entries) <= last:
            n += 1
    return n


def points_for(person: Person, year: int, today: dt.date) -> Points | None:
    """The person's 积分 for the year, or None when no scheme above the branch is enabled."""
    scheme = scheme_for(person.branch)
    if scheme is None or not scheme.enabled:
        return None
    lines: list[rules.PointLine] = []
    items = scheme_rules(scheme)
    sources = {r.source for r in items}
    present = absent = on_time = 0
    if sources & {rules.ATTENDANCE, rules.ABSENCE}:
        present, absent = _attendance(person, year, today)
    if rules.DUES_ON_TIME in sources and apps.is_installed("zhibu.dues"):
        on_time = _dues_on_time(person, year, today)
    counts = {rules.ATTENDANCE: present, rules.ABSENCE: absent, rules.DUES_ON_TIME: on_time}
    for r in items:
        if r.source == rules.MANUAL:
            continue
        n = counts.get(r.source, 0)
        lines.append(rules.PointLine(r.name, n, rules.derived_points(per_item=r.points, count=n, cap=r.cap), r.source))
    entries = list(PointsEntry.objects.filter(person=person, year=year).select_related("rule").order_by("date", "id"))
    by_rule: dict[int, list[PointsEntry]] = defaultdict(list)
    for e in entries:
        by_rule[e.rule_id].append(e)
    for rule_id, es in by_rule.items():
        r = es[0].rule
        total = sum(e.points for e in es)
        if r.cap:
            total = max(-r.cap, min(r.cap, total))
        lines.append(rules.PointLine(r.name, len(es), total, rules.MANUAL))
    return Points(scheme.base, lines, entries)


def district_counts(district: Organisation) -> dict[int, int]:
    """round id -> live nominations (the district's list of rounds), 1 query."""
    rows = (
        Nomination.objects.filter(round__org=district)
        .exclude(status=rules.WITHDRAWN)
        .values("round_id")
        .annotate(n=Count("id"))
    )
    return {r["round_id"]: r["n"] for r in rows}


def open_rounds_for(branch: Organisation, today: dt.date) -> list[Round]:
    return list(rounds_for(branch).filter(Q(opens_on__lte=today, closes_on__gte=today)).order_by("closes_on", "id"))


def branches_under(org: Organisation):
    return Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).order_by("path")
