"""Reads for the year-end pack: the facts the 工作总结 draft is written from — read from the other
apps' selectors and models, each section only when that app is installed and each one on its own
(a section that cannot be read is left out and logged; the pack is still built) — and the
submissions the branch and the district pages show.

Other apps' yearend hooks (`zhibu.<app>.yearend`) may also offer `summary(branch, year) ->
list[tuple[str, list[str]]]` — (heading, paragraphs) for the 工作总结 (elections, review results, …)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Q

from zhibu.core.hooks import app_label, app_modules
from zhibu.orgs.models import Organisation, OrgKind, Person, Standing
from zhibu.yearend import rules
from zhibu.yearend.models import Submission

log = logging.getLogger(__name__)


def installed(app: str) -> bool:
    return apps.is_installed(f"zhibu.{app}")


def _safely(what: str, fn, default=None):
    try:
        return fn()
    except Exception:  # one app's records that cannot be read must not stop the pack
        log.exception("yearend: %s could not be read", what)
        return default


@dataclass
class Facts:
    branch: Organisation
    year: int
    as_of: dt.date
    members: dict[str, int] = field(default_factory=dict)  # standing label → count
    plans: list[str] = field(default_factory=list)
    plan_rows: list[rules.MonthRow] | None = None
    obligations: list[rules.ObligationRow] | None = None
    meetings: dict[str, int] = field(default_factory=dict)  # kind label → held
    development: dict[str, int] | None = None
    dues: dict[str, Any] | None = None
    reviews: list[str] = field(default_factory=list)
    rectify: dict[str, Any] | None = None
    extra: list[tuple[str, list[str]]] = field(default_factory=list)


def _members(branch) -> dict[str, int]:
    rows = dict(Person.objects.filter(branch=branch, active=True).values_list("standing").annotate(n=Count("id")))
    return {label: rows[value] for value, label in reversed(Standing.choices) if rows.get(value)}


def _plan(facts: Facts) -> None:
    from zhibu.plans.models import ItemStatus, Plan, PlanItem

    branch, year = facts.branch, facts.year
    facts.plans = [str(p) for p in Plan.objects.filter(branch=branch, year=year).order_by("half", "id")]
    if not facts.plans:
        return
    planned: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    items = (
        PlanItem.objects.filter(plan__branch=branch, plan__year=year)
        .exclude(status=ItemStatus.CANCELLED)
        .values_list("months", "status", "moved_to_month", "object_id")
    )
    for months, status, moved_to, linked in items:
        effective = [moved_to] if status == ItemStatus.MOVED and moved_to else list(months or [])
        finished = status == ItemStatus.DONE or linked is not None
        for m in effective:
            if isinstance(m, int) and 1 <= m <= 12:
                planned[m] += 1
                done[m] += finished
    last = rules.months_elapsed(year, facts.as_of if facts.as_of.year == year else dt.date(year, 12, 31))
    facts.plan_rows = rules.month_rows(planned, done, max(last, 1))


def _obligations(facts: Facts) -> None:
    from zhibu.orglife import rules as orglife_rules
    from zhibu.orglife import selectors as orglife
    from zhibu.orglife.models import Meeting, MeetingKind

    branch, year, as_of = facts.branch, facts.year, facts.as_of
    held = dict(
        Meeting.objects.filter(branch=branch, date__year=year, date__lte=as_of)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    labels = dict(MeetingKind.choices)
    facts.meetings = {
        str(labels.get(k, k)): n
        for k, n in sorted(held.items(), key=lambda kv: list(labels).index(kv[0]) if kv[0] in labels else 99)
    }
    state = orglife.branch_obligations(branch, year, as_of)
    rows = []
    for obligation, cells in state.grid:
        statuses = [c.status for c in cells if c.status.status != orglife_rules.UPCOMING]
        rows.append(
            rules.ObligationRow(
                label=obligation.label,
                source=obligation.source,
                periods=len(statuses),
                met=sum(1 for s in statuses if s.status == orglife_rules.MET),
                held=held.get(obligation.kind, 0),
            )
        )
    facts.obligations = rows
    evaluations = (
        held.get("member_evaluation", 0)
        + Meeting.objects.filter(branch=branch, date__year=year, date__lte=as_of, with_evaluation=True)
        .exclude(kind="member_evaluation")
        .count()
    )
    if evaluations:
        facts.reviews.append(f"开展民主评议党员{evaluations}次。")
    else:
        facts.reviews.append("本年度尚未登记民主评议党员。")


def _orglifemeeting(facts: Facts) -> None:
    from zhibu.orglifemeeting.models import Cycle, Problem

    for cycle in Cycle.objects.filter(branch=facts.branch, year=facts.year).select_related("meeting").order_by("term"):
        problems = Problem.objects.filter(cycle=cycle).count()
        meeting = cycle.meeting
        if meeting is not None and meeting.date <= facts.as_of:
            facts.reviews.append(
                f"{cycle}于{meeting.date.month}月{meeting.date.day}日召开，"
                f"主题为“{cycle.topic}”，查摆问题{problems}个。"
            )
        else:
            facts.reviews.append(f"{cycle}尚未召开（计划{cycle.planned_date.month}月{cycle.planned_date.day}日）。")


def _development(facts: Facts) -> None:
    from zhibu.development.models import Candidate, StepRecord
    from zhibu.development.timeline import passed

    steps = StepRecord.objects.filter(candidate__branch=facts.branch, date__year=facts.year, date__lte=facts.as_of)
    counts = dict(steps.values_list("step").annotate(n=Count("id")))
    admitted = sum(
        1
        for m in steps.filter(step="admission_meeting").only("should_attend", "present", "votes_for")
        if passed(m) is not False
    )
    facts.development = {
        "files": Candidate.objects.filter(branch=facts.branch, steps__date__year=facts.year).distinct().count(),
        "applications": counts.get("application", 0),
        "activists": counts.get("activist", 0),
        "candidates": counts.get("candidate", 0),
        "admitted": admitted,
        "full": counts.get("full_approval", 0),
    }


def _dues(facts: Facts) -> None:
    from zhibu.dues import selectors as dues

    last = rules.months_elapsed(
        facts.year, facts.as_of if facts.as_of.year == facts.year else dt.date(facts.year, 12, 31)
    )
    if not last:
        return
    months = dues.year_collection(facts.branch, facts.year, last_month=last)
    due = sum((m.due_total for m in months), start=0)
    collected = sum((m.collected for m in months), start=0)
    facts.dues = {
        "months": last,
        "due": due,
        "collected": collected,
        "outstanding": sum((m.outstanding for m in months), start=0),
        "voluntary": sum((m.voluntary for m in months), start=0),
        "rate": rules.percent(float(collected), float(due)),
        "remitted": sum(1 for m in months if m.remittance),
    }


def _rectify(facts: Facts) -> None:
    from zhibu.rectify import rules as rectify_rules
    from zhibu.rectify.models import Item

    items = Item.objects.filter(branch=facts.branch)
    row = items.aggregate(
        raised=Count("id", filter=Q(raised_on__year=facts.year)),
        closed=Count("id", filter=Q(closed_on__year=facts.year)),
        open=Count("id", filter=Q(status__in=rectify_rules.ACTIVE)),
        overdue=Count("id", filter=Q(status__in=rectify_rules.ACTIVE, deadline__lt=facts.as_of)),
    )
    open_items = list(
        items.filter(status__in=rectify_rules.ACTIVE).select_related("responsible").order_by("deadline", "id")[:30]
    )
    facts.rectify = {
        **row,
        "items": [(i.problem, i.deadline, i.responsible.name if i.responsible else "") for i in open_items],
    }


def _extra(facts: Facts) -> None:
    for module in app_modules("yearend"):
        summary = getattr(module, "summary", None)
        if summary is not None:
            facts.extra += _safely(
                f"{app_label(module)} summary", lambda s=summary: list(s(facts.branch, facts.year)), []
            )


SECTIONS = (
    ("plans", _plan),
    ("orglife", _obligations),
    ("orglifemeeting", _orglifemeeting),
    ("development", _development),
    ("dues", _dues),
    ("rectify", _rectify),
)


def facts(branch: Organisation, year: int, today: dt.date) -> Facts:
    out = Facts(branch=branch, year=year, as_of=rules.as_of(year, today))
    out.members = _safely("members", lambda: _members(branch), {})
    for app, read in SECTIONS:
        if installed(app):
            _safely(app, lambda r=read: r(out))
    _extra(out)
    return out


# --- submissions -----------------------------------------------------------------------------------


def submissions(branch: Organisation, year: int) -> list[Submission]:
    return list(Submission.objects.filter(branch=branch, year=year).select_related("submitted_by"))


@dataclass
class DistrictRow:
    branch: Organisation
    latest: Submission | None
    count: int


def district_rows(org: Organisation, year: int) -> list[DistrictRow]:
    """Every branch below `org` with its latest submission for `year`, not yet submitted first
    (2 queries)."""
    branches = list(Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).order_by("name", "id"))
    latest: dict[int, Submission] = {}
    counts: dict[int, int] = defaultdict(int)
    for s in (
        Submission.objects.filter(year=year, branch__path__startswith=org.path)
        .select_related("submitted_by")
        .order_by("submitted_at", "id")
    ):
        latest[s.branch_id] = s
        counts[s.branch_id] += 1
    rows = [DistrictRow(b, latest.get(b.pk), counts.get(b.pk, 0)) for b in branches]
    rows.sort(key=lambda r: (r.latest is not None, r.branch.name))
    return rows
