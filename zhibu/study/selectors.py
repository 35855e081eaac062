"""Reads of 学习教育, each in a fixed number of queries. Other apps' data through their selectors:
orglife's 党课 and 主题党日 (`orglife.selectors.study_meetings`, `study_presence`), the plan's targets
(`plans.selectors`/the parser over the stored plan text).

Hours of a person for a year = 学时 of the sessions attended + the 党课 and 主题党日 of 组织生活
attended (per hour, to the half hour) + approved external training. Compared with 32 (members) or 56
(secretary and committee; both per district: rules.config). Frail members exempt (rules2.md §11)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from zhibu.core.hooks import app_modules
from zhibu.orglife import selectors as orglife
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, OrgKind, Person
from zhibu.study import rules
from zhibu.study.models import (
    Attendee,
    Category,
    Exemption,
    Obligation,
    PersonalPlan,
    Quota,
    Reading,
    Reflection,
    Session,
    StudyFile,
    Training,
    TrainingStatus,
    XuexiMonth,
)


def settings_chain(branch: Organisation) -> list[dict]:
    """Settings of the organisation and its ancestors, nearest first (1 query)."""
    ids = [int(p) for p in (branch.path or "").strip("/").split("/") if p.isdigit()]
    by_id = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "settings")) if ids else {}
    return [branch.settings or {}, *[by_id.get(i) or {} for i in reversed(ids)]]


def config(org: Organisation) -> dict[str, int]:
    return rules.config(settings_chain(org))


def categories() -> list[Category]:
    return list(Category.objects.filter(active=True))


def roster(branch: Organisation) -> list[Person]:
    """Everyone on the branch's roster (members and non-member staff), by name."""
    return list(Person.objects.filter(branch=branch, active=True).order_by("name", "id"))


def leaders(branch_q: Q, as_of: dt.date) -> set[int]:
    """Current secretary and committee members (书记 and 班子成员 → the 56-hour target)."""
    return set(
        CommitteePosition.objects.filter(branch_q, ended_on__isnull=True, term_start__lte=as_of).values_list(
            "person_id", flat=True
        )
    )


def sessions_of(branch: Organisation, year: int) -> QuerySet[Session]:
    return (
        Session.objects.filter(branch=branch, date__year=year)
        .select_related("category", "group")
        .annotate(n=Count("attendance"))
        .order_by("-date", "-id")
    )


def session_detail(session: Session) -> dict:
    people = list(Person.objects.filter(study_attendance__session=session).order_by("name", "id"))
    return {
        "session": session,
        "people": people,
        "members": [p for p in people if p.standing in MEMBER_STANDINGS],
        "others": [p for p in people if p.standing not in MEMBER_STANDINGS],
        "files": list(session.files.all()),
    }


def orglife_sessions(branch: Organisation, year: int, as_of: dt.date) -> list:
    """党课 and 主题党日 of 组织生活 (one record, shown here and there)."""
    return list(orglife.study_meetings(branch, year, as_of))


@dataclass
class HoursRow:
    person: Person
    sessions: Decimal
    orglife: Decimal
    training: Decimal
    standing: rules.Standing
    leader: bool
    exempt_reason: str = ""

    @property
    def total(self) -> Decimal:
        return self.standing.hours


def _hours_maps(prefix: str, year: int, as_of: dt.date, cfg, person_ids=None):
    sq = Attendee.objects.filter(
        session__branch__path__startswith=prefix, session__date__year=year, session__date__lte=as_of
    )
    tq = Training.objects.filter(branch__path__startswith=prefix, date__year=year, status=TrainingStatus.APPROVED)
    if person_ids is not None:
        sq, tq = sq.filter(person_id__in=person_ids), tq.filter(person_id__in=person_ids)
    sessions = dict(
        sq.values("person_id").order_by().annotate(h=Sum("session__credited")).values_list("person_id", "h")
    )
    training = dict(tq.values("person_id").order_by().annotate(h=Sum("hours")).values_list("person_id", "h"))
    seconds = orglife.study_presence(prefix, year, as_of, person_ids)
    meetings = {pid: rules.credited_for_duration(s, {**cfg, "study_full_day": 10_000}) for pid, s in seconds.items()}
    return sessions, meetings, training


def branch_hours(branch: Organisation, year: int, as_of: dt.date, *, person: Person | None = None) -> list[HoursRow]:
    """Every member's (or one person's) hours for the year against the target, by name — never a
    ranking (rules2.md §5). Non-members attend too; the table lists Party members (the 学时 rule is
    theirs) plus any staff member with hours."""
    cfg = config(branch)
    people = [person] if person is not None else roster(branch)
    ids = [p.pk for p in people]
    sessions, meetings, training = _hours_maps(branch.path, year, as_of, cfg, ids)
    lead = leaders(Q(branch=branch), as_of)
    exempt = dict(Exemption.objects.filter(person_id__in=ids, year=year).values_list("person_id", "reason"))
    for module in app_modules("exemptions"):  # care's 失能/年老体弱 flags (rules2.md §11)
        for pid, reason in module.exempt_people(branch, as_of).items():
            exempt.setdefault(pid, reason)
    rows = []
    for p in people:
        s, m, t = (Decimal(x.get(p.pk) or 0) for x in (sessions, meetings, training))
        if person is None and p.standing not in MEMBER_STANDINGS and not (s or m or t):
            continue
        target = rules.target_hours(leader=p.pk in lead, cfg=cfg)
        rows.append(
            HoursRow(p, s, m, t, rules.Standing(s + m + t, target, p.pk in exempt), p.pk in lead, exempt.get(p.pk, ""))
        )
    return rows


@dataclass
class DistrictRow:
    branch_id: int
    name: str
    members: int
    below: int
    exempt: int


def district_rows(org: Organisation, year: int, as_of: dt.date) -> list[DistrictRow]:
    """Per branch under `org`: members, how many are below their target, how many exempt — counts
    only, no names, branches by name (8 queries whatever the size)."""
    prefix = org.path
    cfg = config(org)
    branches = list(
        Organisation.objects.filter(path__startswith=prefix, kind=OrgKind.BRANCH)
        .order_by("name", "id")
        .values_list("id", "name")
    )
    members = list(
        Person.objects.filter(branch__path__startswith=prefix, active=True, standing__in=MEMBER_STANDINGS).values_list(
            "id", "branch_id"
        )
    )
    sessions, meetings, training = _hours_maps(prefix, year, as_of, cfg)
    lead = leaders(Q(branch__path__startswith=prefix), as_of)
    exempt = set(
        Exemption.objects.filter(branch__path__startswith=prefix, year=year).values_list("person_id", flat=True)
    )
    count: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pid, branch_id in members:
        c = count[branch_id]
        c[0] += 1
        if pid in exempt:
            c[2] += 1
            continue
        hours = sum((Decimal(x.get(pid) or 0) for x in (sessions, meetings, training)), Decimal(0))
        if hours < rules.target_hours(leader=pid in lead, cfg=cfg):
            c[1] += 1
    return [DistrictRow(bid, name, *count.get(bid, (0, 0, 0))) for bid, name in branches]


# --- obligations and quotas ----------------------------------------------------------------------


def obligations(branch: Organisation, year: int) -> list[Obligation]:
    return list(Obligation.objects.filter(branch=branch, year=year))


def quotas(branch: Organisation, year: int) -> list[Quota]:
    return list(Quota.objects.filter(branch=branch, year=year))


def plan_targets(branch: Organisation, year: int) -> list[dict]:
    """The study targets of the branch's plans for `year`, parsed from the stored plan text (the
    parser of plans; the plan keeps its text), each with what it becomes on adoption."""
    from zhibu.plans import parser
    from zhibu.plans import selectors as plans

    out, seen = [], set()
    for plan_id, text in plans.branch_plans(branch).filter(year=year).values_list("id", "source_text"):
        if not text:
            continue
        for t in parser.parse_text(text).targets:
            data = t.to_json()
            becomes = rules.adoptable(data)
            if becomes and data["text"] not in seen:
                seen.add(data["text"])
                out.append({**data, "becomes": becomes, "plan_id": plan_id})
    return out


@dataclass
class QuotaProgress:
    quota: Quota
    done: int
    rows: list[tuple[Person, int]] = field(default_factory=list)  # (person, left) for those short

    @property
    def left(self) -> int:
        return max(self.quota.value - self.done, 0)


def personal_counts(person_ids: list[int], year: int) -> dict[str, dict[int, int]]:
    """Per quota kind, person id → what they have done this year (4 queries)."""
    refl = Reflection.objects.filter(person_id__in=person_ids, date__year=year)
    return {
        "reflections": dict(refl.values("person_id").order_by().annotate(n=Count("id")).values_list("person_id", "n")),
        "chars": dict(refl.values("person_id").order_by().annotate(n=Sum("chars")).values_list("person_id", "n")),
        "books": dict(
            Reading.objects.filter(person_id__in=person_ids, date__year=year)
            .values("person_id")
            .order_by()
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        ),
        "xuexi_daily": {},  # a daily figure: shown as monthly totals, never counted against people
        "hours": {},
    }


def my_quotas(person: Person, year: int) -> list[QuotaProgress]:
    counts = personal_counts([person.pk], year)
    return [
        QuotaProgress(q, counts.get(q.kind, {}).get(person.pk) or 0)
        for q in quotas(person.branch, year)
        if q.kind in ("reflections", "chars", "books")
    ]


def who_is_short(branch: Organisation, year: int) -> list[QuotaProgress]:
    """For each countable quota, the people (members and staff with an account) still short, by name."""
    qs = [q for q in quotas(branch, year) if q.kind in ("reflections", "chars", "books")]
    if not qs:
        return []
    people = [p for p in roster(branch) if p.standing in MEMBER_STANDINGS or p.user_id]
    counts = personal_counts([p.pk for p in people], year)
    out = []
    for q in qs:
        done = counts.get(q.kind, {})
        rows = [(p, q.value - (done.get(p.pk) or 0)) for p in people if (done.get(p.pk) or 0) < q.value]
        out.append(QuotaProgress(q, len(people) - len(rows), rows))
    return out


# --- personal study ------------------------------------------------------------------------------


def personal(person: Person, year: int) -> dict:
    return {
        "plan": PersonalPlan.objects.filter(person=person, year=year).first(),
        "readings": list(Reading.objects.filter(person=person, date__year=year)),
        "reflections": list(Reflection.objects.filter(person=person, date__year=year).select_related("file")),
        "trainings": list(Training.objects.filter(person=person, date__year=year).select_related("certificate")),
        "xuexi": list(XuexiMonth.objects.filter(person=person, month__year=year)),
        "quotas": my_quotas(person, year),
    }


def pending_trainings(branch: Organisation) -> list[Training]:
    return list(
        Training.objects.filter(branch=branch, status=TrainingStatus.PENDING).select_related("person", "certificate")
    )


def xuexi_totals(branch: Organisation, year: int) -> list[tuple[dt.date, int, int]]:
    """Branch totals per month: (month, people with points, points) — no names, no ranking."""
    return list(
        XuexiMonth.objects.filter(branch=branch, month__year=year)
        .values("month")
        .order_by("month")
        .annotate(n=Count("person", distinct=True), total=Sum("points"))
        .values_list("month", "n", "total")
    )


def shared_reflections(branch: Organisation, start: dt.date, end: dt.date) -> list[Reflection]:
    return list(
        Reflection.objects.filter(branch=branch, shared_at__isnull=False, date__gte=start, date__lte=end)
        .select_related("person")
        .order_by("date", "id")
    )


def sessions_between(branch: Organisation, start: dt.date, end: dt.date) -> list[Session]:
    return list(
        Session.objects.filter(branch=branch, date__gte=start, date__lte=end)
        .select_related("category")
        .prefetch_related("files", "attendance__person")
        .order_by("date", "id")
    )


def file_of(branch: Organisation, file_id: int) -> StudyFile | None:
    return StudyFile.objects.filter(pk=file_id, branch=branch).first()
