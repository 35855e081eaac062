"""Reads of 民主评议党员: the district's settings (nearest organisation wins), the review's member rows,
the checks of review.md on them (rules.check, the same function as `zhibu review check`), the poll's
counts and tally (only once it is closed), other apps' eligibility vetoes and the district grid."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q, QuerySet

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.orgs.models import MEMBER_STANDINGS, OrgKind, Organisation, Person, Standing
from zhibu.review import rules
from zhibu.review.models import (
    MASSES,
    MEMBER,
    Ballot,
    BallotCode,
    CodeUse,
    Exclusion,
    FollowUp,
    Grade,
    Poll,
    Review,
    SelfAssessment,
    Step,
)

# --- settings ---------------------------------------------------------------------------------


def settings_chain(branch: Organisation) -> list[dict]:
    """The branch's settings, then its ancestors' (nearest first) — one query."""
    ids = [i for i in branch.ancestor_ids() if i != branch.pk]
    by_id = {o.pk: o.settings or {} for o in Organisation.objects.filter(pk__in=ids).only("id", "settings")}
    return [branch.settings or {}] + [by_id.get(i, {}) for i in reversed(ids)]


@dataclass(frozen=True)
class Defaults:
    ratio: str  # "" = no cap
    rounding: str
    deadline_md: str
    negatives: tuple[str, ...]

    @property
    def fraction(self) -> Fraction | None:
        try:
            return rules.parse_ratio(self.ratio or None)
        except rules.RatioError:
            return rules.parse_ratio(rules.DEFAULT_RATIO)

    def deadline(self, year: int) -> dt.date:
        try:
            month, day = (int(x) for x in str(self.deadline_md).split("-"))
            return dt.date(year, month, day)
        except (ValueError, TypeError):
            return dt.date(year, 12, 31)


def defaults_from_chain(chain: list[dict]) -> Defaults:
    ratio = rules.nearest_setting(chain, rules.SETTING_RATIO, rules.DEFAULT_RATIO)
    rounding = rules.nearest_setting(chain, rules.SETTING_ROUNDING, rules.DEFAULT_ROUNDING)
    negatives = rules.nearest_setting(chain, rules.SETTING_NEGATIVES, rules.DEFAULT_NEGATIVES)
    if not isinstance(negatives, (list, tuple)) or not all(isinstance(n, str) for n in negatives):
        negatives = rules.DEFAULT_NEGATIVES
    return Defaults(
        ratio="" if ratio in ("none", "无") else str(ratio),
        rounding=rounding if rounding in rules.ROUNDINGS else rules.DEFAULT_ROUNDING,
        deadline_md=str(rules.nearest_setting(chain, rules.SETTING_DEADLINE, rules.DEFAULT_DEADLINE)),
        negatives=tuple(negatives),
    )


def upper_defaults(branch: Organisation) -> Defaults:
    """The district's (nearest ancestor's) settings — what a branch may only make stricter."""
    return defaults_from_chain(settings_chain(branch)[1:])


def defaults_for(branch: Organisation) -> Defaults:
    return defaults_from_chain(settings_chain(branch))


# --- reviews -----------------------------------------------------------------------------------


def reviews_of(branch: Organisation) -> QuerySet[Review]:
    return Review.objects.filter(branch=branch).select_related("poll")


def vetoes(branch: Organisation, year: int) -> dict[int, str]:
    """People barred from 评优 that year by any other app's `eligibility.vetoes` (reasons joined)."""
    out: dict[int, list[str]] = defaultdict(list)
    for module in app_modules("eligibility", exclude=("review",)):
        fn = getattr(module, "vetoes", None)
        if fn is None:
            continue
        for pid, reason in (fn(branch, year) or {}).items():
            out[int(pid)].append(str(reason))
    return {pid: "；".join(reasons) for pid, reasons in out.items()}


@dataclass
class Row:
    person: Person
    status: str  # rules.FULL / PROBATIONARY
    exclusion: Exclusion | None
    grade: str | None
    veto: str = ""

    @property
    def excluded(self) -> bool:
        return self.exclusion is not None

    @property
    def gradable(self) -> bool:
        return self.status == rules.FULL and not self.excluded

    def member(self) -> rules.Member:
        return rules.Member(id=self.person.pk, status=self.status, excluded=self.excluded, grade=self.grade)


def members_of(review: Review) -> list[Person]:
    """Current members of the branch (正式 and 预备), plus anyone graded earlier (1 query)."""
    graded = Grade.objects.filter(review=review).values("person_id")
    return list(
        Person.objects.filter(
            Q(branch_id=review.branch_id, active=True, standing__in=MEMBER_STANDINGS) | Q(pk__in=graded)
        )
        .select_related("group")
        .order_by("group__name", "name", "id")
    )


def rows_of(review: Review, *, with_vetoes: bool = False) -> list[Row]:
    people = members_of(review)
    exclusions = {e.person_id: e for e in Exclusion.objects.filter(review=review)}
    grades = dict(Grade.objects.filter(review=review).values_list("person_id", "grade"))
    vetoed = vetoes(review.branch, review.year) if with_vetoes else {}
    return [
        Row(
            person=p,
            status=rules.PROBATIONARY if p.standing == Standing.PROBATIONARY else rules.FULL,
            exclusion=exclusions.get(p.pk),
            grade=grades.get(p.pk),
            veto=vetoed.get(p.pk, ""),
        )
        for p in people
    ]


@dataclass
class PollState:
    poll: Poll | None
    issued: int = 0
    returned: int = 0
    masses_issued: int = 0
    masses_returned: int = 0
    unused_void: int = 0

    @property
    def open(self) -> bool:
        return self.poll is not None and not self.poll.closed

    @property
    def closed(self) -> bool:
        return self.poll is not None and self.poll.closed


def poll_state(review: Review) -> PollState:
    poll = Poll.objects.filter(review=review).first()
    if poll is None:
        return PollState(poll=None)
    codes = BallotCode.objects.filter(poll=poll).aggregate(
        issued=Count("pk", filter=Q(kind=MEMBER)),
        masses_issued=Count("pk", filter=Q(kind=MASSES)),
        void=Count("pk", filter=Q(void=True)),
    )
    ballots = {"returned": 0, "masses_returned": 0}  # never counted while the poll is open
    if poll.closed:
        ballots = Ballot.objects.filter(poll=poll, filled=True).aggregate(
            returned=Count("pk", filter=Q(kind=MEMBER)), masses_returned=Count("pk", filter=Q(kind=MASSES))
        )
    return PollState(
        poll=poll,
        issued=codes["issued"],
        masses_issued=codes["masses_issued"],
        returned=ballots["returned"],
        masses_returned=ballots["masses_returned"],
        unused_void=codes["void"],
    )


def used_codes(poll: Poll) -> int:
    return CodeUse.objects.filter(code__poll=poll).count()


def ballots_of(poll: Poll, kind: str = MEMBER) -> list[dict]:
    """The filled ballots' grade maps (only ever read after the poll is closed)."""
    return list(Ballot.objects.filter(poll=poll, kind=kind, filled=True).order_by("pk").values_list("grades", flat=True))


@dataclass
class Summary:
    rows: list[Row]
    result: rules.Result
    poll: PollState
    masses_tally: dict = field(default_factory=dict)

    @property
    def by_person(self) -> dict[int, Row]:
        return {r.person.pk: r for r in self.rows}

    def counts(self) -> dict[str, int]:
        c = Counter(r.grade for r in self.rows if r.gradable and r.grade)
        return {g: c.get(g, 0) for g in rules.GRADES}


def summary(review: Review, *, with_vetoes: bool = False) -> Summary:
    """The rows and review.md's result on them; the tally only once the poll is closed."""
    rows = rows_of(review, with_vetoes=with_vetoes)
    state = poll_state(review)
    members = [r.member() for r in rows]
    poll = None
    masses: dict = {}
    if state.closed:
        poll = rules.Poll(issued=state.issued, returned=state.returned, ballots=ballots_of(state.poll, MEMBER))
        if state.masses_issued:
            masses, _ = rules.tally(members, ballots_of(state.poll, MASSES))
    try:
        ratio = review.ratio
    except rules.RatioError:
        ratio = None
    result = rules.check(members, ratio, review.rounding, poll)
    return Summary(rows=rows, result=result, poll=state, masses_tally=masses)


def steps_of(review: Review) -> list[Step]:
    order = {code: i for i, code in enumerate(rules.STEP_CODES)}
    return sorted(Step.objects.filter(review=review), key=lambda s: order.get(s.code, 99))


def self_assessments(review: Review) -> dict[int, SelfAssessment]:
    return {s.person_id: s for s in SelfAssessment.objects.filter(review=review)}


def followups_of(review: Review) -> dict[int, FollowUp]:
    return {
        f.person_id: f
        for f in FollowUp.objects.filter(review=review).select_related("person", "motion", "motion__meeting")
    }


def orglife_cycles(branch: Organisation, year: int):
    from zhibu.orglifemeeting import selectors as olm

    return [c for c in olm.cycles_of(branch) if c.year == year]


def opinion_meetings(branch: Organisation, year: int):
    """支委会 or 党员大会 records of the year that may give the 评定意见."""
    from zhibu.orglife import selectors as ol
    from zhibu.orglife.models import MeetingKind

    kinds = (MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_CONGRESS, MeetingKind.MEMBER_EVALUATION,
             MeetingKind.ORG_LIFE_MEETING)
    return [m for m in ol.meetings_of(branch, year) if m.kind in kinds]


def congress_motions(branch: Organisation, year: int):
    """The votes of the branch's 党员大会 (orglife) a 劝退/除名 proposal may be linked to."""
    from zhibu.orglife.models import MeetingKind, Motion

    return list(
        Motion.objects.filter(
            meeting__branch=branch, meeting__kind=MeetingKind.PARTY_CONGRESS, meeting__date__year__gte=year
        ).select_related("meeting").order_by("-meeting__date", "-id")
    )


# --- status and the district grid ------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, FINALISED, OVERDUE = "not_started", "in_progress", "finalised", "overdue"
STATUS_LABELS = {NOT_STARTED: "未开始", IN_PROGRESS: "进行中", FINALISED: "已定稿", OVERDUE: "已逾期"}


def status_of(review: Review | None, deadline: dt.date, today: dt.date) -> str:
    if review is not None and review.finalised_at is not None:
        return FINALISED
    if today > deadline:
        return OVERDUE
    return NOT_STARTED if review is None else IN_PROGRESS


@dataclass
class GridRow:
    branch_id: int
    name: str
    status: str
    deadline: dt.date
    steps_done: int
    counts: dict[str, int]
    review_id: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Grid:
    year: int
    rows: list[GridRow]
    totals: dict[str, int]
    by_status: dict[str, int]


def district_grid(org: Organisation, *, year: int, today: dt.date | None = None) -> Grid:
    """Every branch below `org` × its review status for the year and its grade counts (fixed number of
    queries at any size: branches, the settings chain, reviews, steps done, grades)."""
    today = today or clock.today()
    branches = list(
        Organisation.objects.filter(kind=OrgKind.BRANCH, path__startswith=org.path)
        .only("id", "name", "path", "settings", "parent_id")
        .order_by("path")
    )
    ancestor_ids = {i for b in branches for i in b.ancestor_ids()} - {b.pk for b in branches}
    ancestors = {
        o.pk: o.settings or {} for o in Organisation.objects.filter(pk__in=ancestor_ids).only("id", "settings")
    }
    reviews = {
        r.branch_id: r
        for r in Review.objects.filter(branch__kind=OrgKind.BRANCH, branch__path__startswith=org.path, year=year).only(
            "id", "branch_id", "deadline", "finalised_at", "year"
        )
    }
    done = dict(
        Step.objects.filter(review__in=[r.pk for r in reviews.values()], done_on__isnull=False)
        .values("review_id")
        .annotate(n=Count("pk"))
        .values_list("review_id", "n")
    ) if reviews else {}
    grade_counts: dict[int, Counter] = defaultdict(Counter)
    if reviews:
        for review_id, grade, n in (
            Grade.objects.filter(review__in=[r.pk for r in reviews.values()], review__finalised_at__isnull=False)
            .values("review_id", "grade")
            .annotate(n=Count("pk"))
            .values_list("review_id", "grade", "n")
        ):
            grade_counts[review_id][grade] += n
    rows = []
    totals: Counter = Counter()
    by_status: Counter = Counter()
    for b in branches:
        review = reviews.get(b.pk)
        if review is not None and review.deadline:
            deadline = review.deadline
        else:
            chain = [b.settings or {}] + [ancestors.get(i, {}) for i in reversed(b.ancestor_ids()) if i != b.pk]
            deadline = defaults_from_chain(chain).deadline(year)
        status = status_of(review, deadline, today)
        counts = {g: grade_counts[review.pk][g] if review else 0 for g in rules.GRADES}
        totals.update(counts)
        by_status[status] += 1
        rows.append(
            GridRow(
                branch_id=b.pk,
                name=b.name,
                status=status,
                deadline=deadline,
                steps_done=done.get(review.pk, 0) if review else 0,
                counts=counts,
                review_id=review.pk if review else None,
            )
        )
    order = {OVERDUE: 0, NOT_STARTED: 1, IN_PROGRESS: 2, FINALISED: 3}
    rows.sort(key=lambda r: (order[r.status], r.name))
    return Grid(
        year=year,
        rows=rows,
        totals={g: totals.get(g, 0) for g in rules.GRADES},
        by_status={s: by_status.get(s, 0) for s in STATUS_LABELS},
    )
