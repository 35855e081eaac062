"""Reads about organisational life, each in a fixed number of queries. Services import these (who
should attend, the attendance counts); nothing here imports services.

The obligation grids count only meetings already held (dated on or before the as-of date): a meeting
scheduled for next week does not meet this month's obligation yet; the branch grid shows it as
已安排 with its date."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, FloatField, Func, OuterRef, Q, QuerySet, Sum

from zhibu.core import clock
from zhibu.orglife import rules
from zhibu.orglife.models import (
    Attendance,
    AttendanceStatus,
    BranchObligationConfig,
    HeartTalk,
    MakeUpTask,
    Meeting,
    MeetingKind,
    Motion,
)
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, OrgKind, Person, Standing
from zhibu.plans.models import PlanItem

EVALUATION = "member_evaluation"


def obligations_of(frequencies: dict | None) -> tuple[rules.Obligation, ...]:
    """The branch's obligations; a stored override the rules no longer allow falls back to the default."""
    try:
        return rules.with_frequencies(frequencies or {})
    except ValueError:
        return rules.DEFAULT_OBLIGATIONS


# --- who should attend, and the counts -------------------------------------------------------------


def expected_people(*, branch: Organisation, kind: str, group: Organisation | None, on: dt.date) -> list[Person]:
    """Who should attend, by kind: a 党小组会 its group's members; a 支委会 the current committee;
    everything else the branch's active members (正式 and 预备党员). 1 query."""
    members = Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS)
    if kind == MeetingKind.GROUP_MEETING:
        return list(members.filter(group=group).order_by("name", "id"))
    if kind == MeetingKind.COMMITTEE_MEETING:
        ids = CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True, term_start__lte=on).values("person_id")
        return list(Person.objects.filter(pk__in=ids, active=True).order_by("name", "id"))
    return list(members.order_by("name", "id"))


def exemptions(branch: Organisation, on: dt.date) -> dict[int, str]:
    """Person id → reason for the people exempt from attendance on `on`, from the discovered hook
    `zhibu.<app>.exemptions.exempt_people(branch, on_date) -> {person id: reason}` (care: members
    flagged 失能/年老体弱, 党员教育管理工作条例 第23条). Their new attendance rows start as 不计入应到
    with that reason; the host may still correct them. 1 query per app with the hook."""
    from zhibu.core.hooks import app_modules

    out: dict[int, str] = {}
    for module in app_modules("exemptions"):
        for person_id, reason in module.exempt_people(branch, on).items():
            out.setdefault(person_id, reason)
    return out


def attendance_counts(rows: Iterable[Attendance]) -> dict[str, int]:
    """应到 (not excluded), 实到, 请假, 缺席, and the same for those with a vote."""
    c = dict.fromkeys(("should", "present", "leave", "absent", "excluded", "voting_should", "voting_present"), 0)
    for a in rows:
        if a.excluded:
            c["excluded"] += 1
            continue
        c["should"] += 1
        c[a.status] += 1
        if a.voting:
            c["voting_should"] += 1
            if a.status == AttendanceStatus.PRESENT:
                c["voting_present"] += 1
    return c


def stale_motions(motions: Iterable[Motion], counts: dict[str, int]) -> list[Motion]:
    """Motions whose stored counts (应到/实到有表决权, at vote time) differ from the attendance now."""
    return [m for m in motions if (m.should_attend, m.present) != (counts["voting_should"], counts["voting_present"])]


# --- sign-in ----------------------------------------------------------------------------------------


def get_config(branch: Organisation) -> BranchObligationConfig:
    """The branch's settings (an unsaved default when it has none). 1 query."""
    config = BranchObligationConfig.objects.filter(branch=branch).first()
    return config or BranchObligationConfig(branch=branch)


def signin_window(meeting: Meeting, config: BranchObligationConfig) -> tuple[dt.datetime, dt.datetime]:
    """From `signin_before_minutes` before the start to `signin_after_minutes` after the end."""
    return (meeting.starts_at - dt.timedelta(minutes=config.signin_before_minutes),
            meeting.ends_at + dt.timedelta(minutes=config.signin_after_minutes))


def signin_state(meeting: Meeting, config: BranchObligationConfig, now: dt.datetime | None = None) -> str:
    """"early", "open" or "closed". Never open before the meeting's date has come."""
    now = now or clock.now()
    opens, closes = signin_window(meeting, config)
    if now < opens or meeting.date > now.astimezone(clock.TZ).date():
        return "early"
    if now > closes:
        return "closed"
    return "open"


# --- meetings -------------------------------------------------------------------------------------


def meetings_of(branch: Organisation, year: int, kind: str | None = None) -> QuerySet[Meeting]:
    """A year's meetings with 应到/实到 and whether a vote failed (1 query)."""
    not_excluded = Q(attendances__excluded=False)
    qs = (
        Meeting.objects.filter(branch=branch, date__year=year)
        .select_related("group", "host")
        .annotate(
            n_should=Count("attendances", filter=not_excluded),
            n_present=Count("attendances", filter=not_excluded & Q(attendances__status=AttendanceStatus.PRESENT)),
            has_failed_vote=Exists(Motion.objects.filter(meeting=OuterRef("pk"), passed=False)),
        )
        .order_by("-starts_at", "-id")
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs


@dataclass
class MeetingDetail:
    meeting: Meeting
    attendances: list[Attendance]
    motions: list[Motion]
    attachments: list
    counts: dict[str, int]
    present: list[Attendance] = field(default_factory=list)
    absent: list[Attendance] = field(default_factory=list)  # absent or on leave, not excluded
    excluded: list[Attendance] = field(default_factory=list)
    leave_requests: list[Attendance] = field(default_factory=list)  # asked for leave from the 会议通知
    stale: list[Motion] = field(default_factory=list)  # votes taken on attendance since corrected


def meeting_detail(meeting: Meeting) -> MeetingDetail:
    rows = list(meeting.attendances.select_related("person").order_by("person__name", "person_id"))
    motions = list(meeting.motions.all())
    counts = attendance_counts(rows)
    return MeetingDetail(
        meeting=meeting,
        attendances=rows,
        motions=motions,
        attachments=list(meeting.attachments.all()),
        counts=counts,
        present=[a for a in rows if not a.excluded and a.status == AttendanceStatus.PRESENT],
        absent=[a for a in rows if not a.excluded and a.status != AttendanceStatus.PRESENT],
        excluded=[a for a in rows if a.excluded],
        leave_requests=[a for a in rows if a.leave_requested_at is not None],
        stale=stale_motions(motions, counts),
    )


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    """The recorded rows plus (unsaved, absent) rows for anyone now expected who has none yet."""
    rows = list(meeting.attendances.select_related("person"))
    have = {a.person_id for a in rows}
    people = expected_people(branch=meeting.branch, kind=meeting.kind, group=meeting.group, on=meeting.date)
    exempt = exemptions(meeting.branch, meeting.date) if len(have) < len(people) else {}
    rows += [Attendance(meeting=meeting, person=p, voting=p.standing == Standing.FULL, excluded=p.pk in exempt,
                        excluded_reason=exempt.get(p.pk, "")[:100]) for p in people if p.pk not in have]
    return sorted(rows, key=lambda a: (a.person.name, a.person_id))


def yearbook_meetings(branch: Organisation, year: int, as_of: dt.date | None = None) -> QuerySet[Meeting]:
    """The meetings of the 会议记录本: those of `year` already held (a scheduled meeting is not a
    record yet), in date order, with what the minutes need (2 more queries when iterated)."""
    as_of = as_of or clock.today()
    return (Meeting.objects.filter(branch=branch, date__year=year, date__lte=as_of)
            .select_related("branch", "group", "host", "recorder")
            .prefetch_related("attendances__person", "motions").order_by("starts_at", "id"))


def plan_items_for(meeting: Meeting) -> list:
    """The plan items this meeting fulfils (the plans app's generic link), 1 query (+1 for the content
    type, cached)."""
    ct = ContentType.objects.get_for_model(Meeting)
    return list(PlanItem.objects.filter(content_type=ct, object_id=meeting.pk).select_related("plan").order_by("plan__year", "id"))


def makeups_of(branch: Organisation, *, person: Person | None = None) -> QuerySet[MakeUpTask]:
    qs = MakeUpTask.objects.filter(branch=branch).select_related("meeting", "person").order_by(
        "done_on", "-meeting__date", "person__name")
    if person is not None:
        qs = qs.filter(person=person)
    return qs


# --- 谈心谈话 -------------------------------------------------------------------------------------


@dataclass
class TalkPairs:
    pairs: list[tuple[int, int]]
    talks: list[tuple[int, int, dt.date]]
    names: dict[int, str]
    missing: list[tuple[int, int]]

    def named(self, pairs) -> list[tuple[str, str]]:
        return [(self.names.get(a, "?"), self.names.get(b, "?")) for a, b in pairs]


def talk_pairs(branch: Organisation, year: int, as_of: dt.date) -> TalkPairs:
    """委员–委员 and 委员–党员 pairs, the year's talks, and the pairs not yet talked (2 queries)."""
    current = CommitteePosition.objects.filter(person=OuterRef("pk"), branch=branch, ended_on__isnull=True, term_start__lte=as_of)
    rows = list(Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS)
                .annotate(on_committee=Exists(current)).order_by("name", "id").values_list("id", "name", "on_committee"))
    members = [(pid, name) for pid, name, _c in rows]
    committee = [(pid, name) for pid, name, on in rows if on]
    names = dict(members) | dict(committee)
    pairs = rules.required_talk_pairs([c for c, _ in committee], [m for m, _ in members])
    talks = list(HeartTalk.objects.filter(branch=branch, date__year=year, date__lte=as_of)
                 .values_list("person_a_id", "person_b_id", "date"))
    return TalkPairs(pairs=pairs, talks=talks, names=names, missing=rules.missing_talk_pairs(pairs, talks))


def talks_of(branch: Organisation, year: int) -> QuerySet[HeartTalk]:
    """The year's 谈心谈话 with both people (1 query)."""
    return HeartTalk.objects.filter(branch=branch, date__year=year).select_related("person_a", "person_b")


# --- obligations of one branch ----------------------------------------------------------------------


@dataclass
class GridRowCell:
    status: rules.ObligationStatus
    colspan: int


@dataclass
class BranchObligations:
    year: int
    as_of: dt.date
    statuses: list[rules.ObligationStatus]
    grid: list[tuple[rules.Obligation, list[GridRowCell]]]
    this_month: list[rules.ObligationStatus]
    talks: TalkPairs
    counts: dict[str, int]
    scheduled: dict[str, dt.date] = field(default_factory=dict)  # kind → first meeting 已安排 in the current period


def _records(meetings) -> list[tuple[str, dt.date]]:
    out = []
    for kind, date, with_evaluation in meetings:
        out.append((kind, date))
        if with_evaluation:
            out.append((EVALUATION, date))
    return out


def extra_obligations(branch: Organisation, year: int) -> list[tuple[rules.Obligation, list[dt.date]]]:
    """Obligations other apps keep, with the dates they were met: the discovered hook
    `zhibu.<app>.obligations.branch_obligations(branch, year) -> [(rules.Obligation, [date, …])]`
    (e.g. study's 每两周一次政治学习). Their kinds carry the app's prefix ("study:3")."""
    from zhibu.core.hooks import app_modules

    out: list[tuple[rules.Obligation, list[dt.date]]] = []
    for module in app_modules("obligations"):
        out.extend(module.branch_obligations(branch, year))
    return out


def branch_obligations(branch: Organisation, year: int, as_of: dt.date, *, extra_apps: bool = True) -> BranchObligations:
    """Status of every obligation per period of `year`, as a 12-month grid, and the meetings already
    scheduled (dated after `as_of`) for the current periods (4 queries, plus one per app adding
    obligations unless `extra_apps` is False: the home page keeps its fixed count and links here)."""
    config = BranchObligationConfig.objects.filter(branch=branch).values_list("frequencies", flat=True).first()
    extra = extra_obligations(branch, year) if extra_apps else []
    obligations = (*obligations_of(config), *(ob for ob, _dates in extra))
    meetings = list(Meeting.objects.filter(branch=branch, date__year=year).values_list("kind", "date", "with_evaluation"))
    meetings += [(ob.kind, d, False) for ob, dates in extra for d in dates]
    talks = talk_pairs(branch, year, as_of)
    statuses = rules.obligation_status(obligations=obligations, records=_records(m for m in meetings if m[1] <= as_of),
                                       year=year, as_of=as_of, pairs=[tuple(p) for p in talks.pairs], talks=talks.talks)
    by_kind = defaultdict(list)
    for s in statuses:
        by_kind[s.kind].append(s)
    grid = [(ob, [GridRowCell(s, rules.period_months(ob.frequency)) for s in by_kind[ob.kind]]) for ob in obligations]
    this_month = [s for s in statuses if s.start <= as_of <= s.end]
    upcoming = sorted((date, kind) for kind, date in _records(m for m in meetings if m[1] > as_of))
    scheduled = {}
    for s in this_month:
        for date, kind in upcoming:
            if kind == s.kind and date <= s.end:
                scheduled[s.kind] = date
                break
    return BranchObligations(year=year, as_of=as_of, statuses=statuses, grid=grid, this_month=this_month, talks=talks,
                             counts=rules.status_counts(statuses), scheduled=scheduled)


# --- the district grid ------------------------------------------------------------------------------


@dataclass
class DistrictCell:
    kind: str
    statuses: list[str]
    frequency: str = rules.MONTHLY
    periods: tuple[int, ...] = ()  # the period index of each status

    @property
    def total(self) -> int:
        return len(self.statuses)

    def n(self, status: str) -> int:
        return self.statuses.count(status)

    @property
    def overdue(self) -> int:
        return self.statuses.count(rules.OVERDUE)

    @property
    def met(self) -> int:
        return self.statuses.count(rules.MET)

    @property
    def worst(self) -> str:
        for s in (rules.OVERDUE, rules.DUE, rules.UPCOMING, rules.MET):
            if s in self.statuses:
                return s
        return ""


@dataclass
class DistrictRow:
    branch_id: int
    name: str
    cells: list[DistrictCell]
    overdue: int
    due: int
    met: int


def months_for(period: str, number: int | None) -> list[int] | None:
    """The months of a chosen period: ("month", 1–12), ("quarter", 1–4) or ("year", None)."""
    if period == "month":
        return [number]
    if period == "quarter":
        return list(range(3 * number - 2, 3 * number + 1))
    return None


def district_grid(org: Organisation | None, *, year: int, as_of: dt.date, months: list[int] | None = None) -> list[DistrictRow]:
    """Branches below `org` × obligations for the chosen months of `year`, most overdue first.

    Six aggregate queries whatever the number of branches: branches, configs, meetings held per
    (branch, kind, month), members per branch, current committee members, the year's talks."""
    prefix = org.path if org is not None else "/"  # None: every branch (reminders)
    branch_q = Q(branch__path__startswith=prefix)
    branches = list(Organisation.objects.filter(path__startswith=prefix, kind=OrgKind.BRANCH)
                    .order_by("name", "id").values_list("id", "name"))
    configs = dict(BranchObligationConfig.objects.filter(branch_q).exclude(frequencies={}).values_list("branch_id", "frequencies"))
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), as_of)
    held: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    if start <= end:
        rows = (Meeting.objects.filter(branch_q, date__gte=start, date__lte=end)
                .values_list("branch_id", "kind", "month", "with_evaluation").annotate(n=Count("id")).order_by())
        for branch_id, kind, month, with_evaluation, _n in rows:
            held[branch_id][kind].add(month)
            if with_evaluation:
                held[branch_id][EVALUATION].add(month)
    member_q = Q(branch__path__startswith=prefix, active=True, standing__in=MEMBER_STANDINGS)
    members = dict(Person.objects.filter(member_q).values("branch_id").annotate(n=Count("id")).order_by()
                   .values_list("branch_id", "n"))
    committee: dict[int, set[int]] = defaultdict(set)
    for branch_id, person_id in CommitteePosition.objects.filter(
            branch_q, ended_on__isnull=True, term_start__lte=as_of, person__active=True,
            person__standing__in=MEMBER_STANDINGS).values_list("branch_id", "person_id"):
        committee[branch_id].add(person_id)
    talked: dict[int, set[tuple[int, int]]] = defaultdict(set)
    if start <= end:
        for branch_id, a, b in HeartTalk.objects.filter(
                branch_q, date__gte=start, date__lte=end, person_a__active=True, person_b__active=True,
                person_a__standing__in=MEMBER_STANDINGS, person_b__standing__in=MEMBER_STANDINGS,
        ).values_list("branch_id", "person_a_id", "person_b_id"):
            c = committee.get(branch_id)
            if c and (a in c or b in c):
                talked[branch_id].add((a, b))  # stored ordered a < b

    plans: dict[tuple[str, str], list] = {}

    def plan(kind: str, frequency: str):
        key = (kind, frequency)
        if key not in plans:
            p = rules.period_plan(frequency=frequency, year=year, as_of=as_of, months=months)
            plans[key] = (p, tuple(i for i, _ in p))
        return plans[key]

    out = []
    for branch_id, name in branches:
        obligations = obligations_of(configs.get(branch_id))
        kinds = held.get(branch_id, {})
        cells = []
        overdue = due = met = 0
        for ob in obligations:
            if ob.per_pair:
                k = len(committee.get(branch_id, ()))
                required = rules.required_talk_pair_count(committee=k, members=members.get(branch_id, 0))
                held_months = [1] if len(talked.get(branch_id, ())) >= required else []
            else:
                held_months = kinds.get(ob.kind, ())
            p, indices = plan(ob.kind, ob.frequency)
            statuses = rules.period_statuses(frequency=ob.frequency, held_months=held_months, plan=p)
            overdue += statuses.count(rules.OVERDUE)
            due += statuses.count(rules.DUE)
            met += statuses.count(rules.MET)
            cells.append(DistrictCell(ob.kind, statuses, ob.frequency, indices))
        out.append(DistrictRow(branch_id, name, cells, overdue, due, met))
    out.sort(key=lambda r: (-r.overdue, -r.due, r.name))
    return out


# --- for other apps: 党课 and 主题党日 count as study (zhibu.study reads these, never enters them twice) ---

STUDY_KINDS = (MeetingKind.PARTY_LECTURE, MeetingKind.THEME_DAY)


def study_meetings(branch: Organisation, year: int, as_of: dt.date) -> QuerySet[Meeting]:
    """The year's 党课 and 主题党日 already held, with the number present (1 query)."""
    return (Meeting.objects.filter(branch=branch, date__year=year, date__lte=as_of, kind__in=STUDY_KINDS)
            .annotate(n_present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)))
            .order_by("-starts_at", "-id"))


def study_presence(prefix: str, year: int, as_of: dt.date, person_ids=None) -> dict[int, float]:
    """Person id → seconds present at the 党课 and 主题党日 held in `year` (up to `as_of`) by the
    branches under `prefix` (1 aggregate query; `person_ids` narrows it to some people)."""
    qs = Attendance.objects.filter(
        meeting__branch__path__startswith=prefix, meeting__date__year=year, meeting__date__lte=as_of,
        meeting__kind__in=STUDY_KINDS, status=AttendanceStatus.PRESENT,
    )
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    rows = (qs.values("person_id").order_by().annotate(total=Sum(_Seconds("meeting__starts_at", "meeting__ends_at")))
            .values_list("person_id", "total"))
    return {pid: float(total) for pid, total in rows if total}


class _Seconds(Func):
    """Seconds between two datetimes in the database's own arithmetic (Django's generic datetime
    subtraction calls a Python function per row on SQLite: seconds over a million rows)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL and the rest
        return self.as_sql_template(compiler, connection, "EXTRACT(EPOCH FROM (%(b)s - %(a)s))")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql_template(compiler, connection, "((julianday(%(b)s) - julianday(%(a)s)) * 86400.0)")

    def as_sql_template(self, compiler, connection, template):
        (a_sql, a_params), (b_sql, b_params) = (compiler.compile(e) for e in self.source_expressions)
        return template % {"a": a_sql, "b": b_sql}, (*a_params, *b_params)


Seconds = _Seconds  # for other apps' aggregates over meeting durations (study's assessment measure)
