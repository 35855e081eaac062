"""Rules of organisational life (三会一课 and the rest): pure data and functions, no ORM.

Every obligation carries its source (regulation + article). Frequencies are defaults: a branch may
adjust those marked `configurable` (local practice), never those fixed by regulation.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import replace as _replace

# Frequencies an obligation can have.
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
FREQUENCIES = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)

TIAOLI = "中国共产党支部工作条例（试行）"
JIAOYU = "党员教育管理工作条例"


@dataclass(frozen=True)
class Obligation:
    kind: str  # the meeting/plan kind vocabulary of spec/plan-import.md
    label: str  # Chinese name shown to users
    frequency: str
    source: str
    configurable: bool = False  # True: local practice, a branch may change the frequency
    per_pair: bool = False  # 谈心谈话: yearly per pair of people, not per branch


DEFAULT_OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation("party_congress", "党员大会", QUARTERLY, f"{TIAOLI} 第11条"),
    Obligation("committee_meeting", "支委会", MONTHLY, f"{TIAOLI} 第12条"),
    Obligation("group_meeting", "党小组会", MONTHLY, f"{TIAOLI} 第13条"),
    # No central frequency for an ordinary branch; quarterly is widespread local practice.
    Obligation("party_lecture", "党课", QUARTERLY, f"{TIAOLI} 第16条（各地通行做法：每季度一次）", configurable=True),
    Obligation("theme_day", "主题党日", MONTHLY, f"{JIAOYU} 第16条"),
    Obligation("org_life_meeting", "组织生活会", YEARLY, f"{TIAOLI} 第17条"),
    Obligation("member_evaluation", "民主评议党员", YEARLY, f"{JIAOYU} 第18条", configurable=True),
    Obligation("heart_talk", "谈心谈话", YEARLY, f"{TIAOLI} 第19条", per_pair=True),
)

OBLIGATIONS_BY_KIND = {o.kind: o for o in DEFAULT_OBLIGATIONS}


def period_months(frequency: str) -> int:
    """Length in months of one period of a frequency."""
    return {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}[frequency]


# ---------------------------------------------------------------------------------------------
# Obligation status per period
#
# Records are plain data, no ORM: a tuple (kind, date) or any object with `.kind` and `.date`.

MET = "met"
DUE = "due"
OVERDUE = "overdue"
UPCOMING = "upcoming"
STATUSES = (MET, DUE, OVERDUE, UPCOMING)

STATUS_LABELS = {MET: "已完成", DUE: "本期待办", OVERDUE: "逾期未开展", UPCOMING: "未到期"}
FREQUENCY_LABELS = {MONTHLY: "每月", QUARTERLY: "每季度", HALF_YEARLY: "每半年", YEARLY: "每年"}


@dataclass(frozen=True)
class MeetingRecord:
    """A convenience record type; plain (kind, date) tuples work as well."""

    kind: str
    date: _dt.date


@dataclass(frozen=True)
class ObligationStatus:
    kind: str
    label: str
    frequency: str
    period: int  # 1-based index of the period within the year (month 1–12, quarter 1–4, half 1–2, 1)
    start: _dt.date
    end: _dt.date  # inclusive
    status: str  # one of STATUSES
    count: int  # records of this kind dated within [start, end]
    source: str
    # per_pair obligations evaluated against pairs: the pairs that have not talked in the year
    missing_pairs: tuple = ()


def _kind_date(record) -> tuple[str, _dt.date]:
    if isinstance(record, tuple):
        kind, date = record[0], record[1]
    else:
        kind, date = record.kind, record.date
    if isinstance(date, _dt.datetime):
        date = date.date()
    if not isinstance(date, _dt.date):
        raise TypeError(f"记录的日期须为 datetime.date，收到 {date!r}")
    return kind, date


def periods(frequency: str, year: int) -> list[tuple[int, _dt.date, _dt.date]]:
    """The periods of `year` for a frequency: (index from 1, first day, last day inclusive)."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"未知的频次 {frequency!r}，可选：{', '.join(FREQUENCIES)}")
    length = period_months(frequency)
    out = []
    for i, first_month in enumerate(range(1, 13, length), start=1):
        start = _dt.date(year, first_month, 1)
        last_month = first_month + length - 1
        end = (_dt.date(year + 1, 1, 1) if last_month == 12 else _dt.date(year, last_month + 1, 1)) - _dt.timedelta(days=1)
        out.append((i, start, end))
    return out


def _pair_key(pair) -> frozenset:
    a, b = pair[0], pair[1]
    return frozenset((a, b))


def missing_talk_pairs(pairs: Iterable, talks: Iterable) -> list:
    """Pairs (委员–委员, 委员–党员, …) with no 谈心谈话 among `talks` (支部工作条例 第19条: each pair
    generally at least once a year). Pairs and talks are unordered: (a, b) matches a talk (b, a).
    A talk is a tuple whose first two items are the two people (e.g. (a, b) or (a, b, date)); pass
    only the talks of the year in question. Returns the missing pairs in input order, without
    duplicates."""
    talked = {_pair_key(t) for t in talks}
    missing, seen = [], set()
    for pair in pairs:
        key = _pair_key(pair)
        if key in seen:
            continue
        seen.add(key)
        if key not in talked:
            missing.append(pair)
    return missing


def _dated_outside(talk, year: int) -> bool:
    date = talk[2] if isinstance(talk, tuple) and len(talk) > 2 else None
    return isinstance(date, _dt.date) and date.year != year


def obligation_status(
    *,
    obligations: Iterable[Obligation],
    records: Iterable,
    year: int,
    as_of: _dt.date,
    months: Iterable[int] | None = None,
    pairs: Iterable | None = None,
    talks: Iterable | None = None,
) -> list[ObligationStatus]:
    """For each obligation and each period of `year` (per its frequency), the status:

    - "met": at least one record of the obligation's kind is dated within the period;
    - otherwise "due" if the period contains `as_of`, "overdue" if it ended before `as_of`,
      "upcoming" if it starts after `as_of`.

    `months` (optional, month numbers 1–12): report only periods overlapping these months, e.g. the
    months a branch existed in a year it was formed. Records outside `year` are ignored.

    A per_pair obligation (谈心谈话): when `pairs` is given, its single yearly period is "met" only if
    every pair has talked (`talks`: (a, b) or (a, b, date) tuples; dated talks outside `year` are
    ignored; see missing_talk_pairs), and `missing_pairs` lists those that have not; `count` is then
    the number of talks in the year. Without `pairs`, it is judged like any
    other obligation, on records of its kind (at least one talk recorded) — a weaker check.

    Output order: obligations in the given order, periods in calendar order.
    """
    if not isinstance(as_of, _dt.date):
        raise TypeError("as_of 须为 datetime.date")
    if isinstance(as_of, _dt.datetime):
        as_of = as_of.date()
    month_filter = None
    if months is not None:
        month_filter = set(months)
        bad = [m for m in month_filter if not (isinstance(m, int) and 1 <= m <= 12)]
        if bad:
            raise ValueError(f"月份须为1至12的整数，收到 {bad}")

    by_kind: dict[str, list[_dt.date]] = {}
    for record in records:
        kind, date = _kind_date(record)
        if date.year == year:
            by_kind.setdefault(kind, []).append(date)

    talk_list = [t for t in (talks or ()) if not _dated_outside(t, year)]
    result: list[ObligationStatus] = []
    for ob in obligations:
        dates = by_kind.get(ob.kind, [])
        for index, start, end in periods(ob.frequency, year):
            if month_filter is not None and not any(start.month <= m <= end.month for m in month_filter):
                continue
            missing: tuple = ()
            if ob.per_pair and pairs is not None:
                missing = tuple(missing_talk_pairs(pairs, talk_list))
                count = len(talk_list)
                met = not missing
            else:
                count = sum(1 for d in dates if start <= d <= end)
                met = count > 0
            if met:
                status = MET
            elif end < as_of:
                status = OVERDUE
            elif start > as_of:
                status = UPCOMING
            else:
                status = DUE
            result.append(
                ObligationStatus(ob.kind, ob.label, ob.frequency, index, start, end, status, count, ob.source, missing)
            )
    return result


def overdue_count(statuses: Iterable[ObligationStatus]) -> int:
    """How many obligation-periods are overdue (for the dashboard)."""
    return sum(1 for s in statuses if s.status == OVERDUE)


def status_counts(statuses: Iterable[ObligationStatus]) -> dict[str, int]:
    """Counts per status, every status present (0 where none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for s in statuses:
        counts[s.status] += 1
    return counts


def with_frequencies(
    overrides: Mapping[str, str], obligations: Iterable[Obligation] = DEFAULT_OBLIGATIONS
) -> tuple[Obligation, ...]:
    """`obligations` with a branch's adjusted frequencies. Only obligations marked `configurable`
    (local practice) may change; setting a fixed one to its own frequency is allowed (no change).
    Raises ValueError (Chinese message) for an unknown kind or frequency or a fixed obligation."""
    obligations = tuple(obligations)
    by_kind = {o.kind: o for o in obligations}
    for kind, frequency in overrides.items():
        if kind not in by_kind:
            raise ValueError(f"未知的组织生活类型 {kind!r}")
        if frequency not in FREQUENCIES:
            raise ValueError(
                f"{by_kind[kind].label}的频次 {frequency!r} 无效，可选：{', '.join(FREQUENCIES)}"
            )
        ob = by_kind[kind]
        if frequency != ob.frequency and not ob.configurable:
            raise ValueError(
                f"{ob.label}的频次由{ob.source}规定为{FREQUENCY_LABELS[ob.frequency]}，不能调整"
            )
    return tuple(_replace(o, frequency=overrides[o.kind]) if o.kind in overrides else o for o in obligations)


# ---------------------------------------------------------------------------------------------
# Quorum and votes

PARTY_CONGRESS_SOURCE = f"{TIAOLI} 第11条；中国共产党章程 第七条（预备党员没有表决权）"
COMMITTEE_SOURCE = f"{TIAOLI} 第12条"


@dataclass(frozen=True)
class MotionResult:
    quorum_met: bool
    passed: bool
    reason_zh: str
    source: str


@dataclass(frozen=True)
class QuorumResult:
    quorum_met: bool
    reason_zh: str
    source: str


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name}须为整数")
    if value < 0:
        raise ValueError(f"{name}不能为负数")
    return value


def voting_base(*, full_members: int, excluded: int = 0) -> int:
    """应到会有表决权党员: 正式党员 minus exclusions approved by the higher organisation (abroad >6
    months, long-term ill, …). 预备党员 have no vote (党章 第七条) and are never counted: pass only
    正式党员 as `full_members`."""
    _count(full_members, "正式党员人数")
    _count(excluded, "经批准不计入应到会的人数")
    if excluded > full_members:
        raise ValueError("经批准不计入应到会的人数不能超过正式党员人数")
    return full_members - excluded


def motion_result(*, should_attend: int, present: int, votes_for: int, against: int, abstain: int,
                  written: int = 0) -> MotionResult:
    """A vote at a 党员大会 (支部工作条例 第11条).

    `should_attend`: 应到会有表决权党员 — 正式党员 minus approved exclusions (see voting_base); never
    预备党员. `present`: 实到 of those. Quorum: present > should_attend / 2. Passed: quorum met and
    votes_for > should_attend / 2 — half of 应到会, NOT of those present.

    Votes cast: at most one per voting member present, plus the `written` opinions of absent voting
    members submitted before the meeting, which count (发展党员工作细则 第二十五条); `written` is at
    most the number of voting members absent. So votes ≤ present + written ≤ should_attend.
    Raises ValueError for inconsistent counts, TypeError for non-integers.
    """
    for name, v in (("应到会人数", should_attend), ("实到人数", present), ("赞成票", votes_for),
                    ("反对票", against), ("弃权票", abstain), ("书面意见票数", written)):
        _count(v, name)
    if should_attend == 0:
        raise ValueError("应到会有表决权党员人数须大于0")
    if present > should_attend:
        raise ValueError(f"实到人数（{present}）不能超过应到会有表决权党员人数（{should_attend}）")
    if written > should_attend - present:
        raise ValueError(f"书面意见票数（{written}）不能超过未到会的有表决权党员人数（{should_attend - present}）")
    total = votes_for + against + abstain
    if total > present + written:
        if written:
            raise ValueError(f"赞成、反对、弃权票合计（{total}）不能超过实到有表决权党员人数（{present}）与书面意见票数（{written}）之和")
        raise ValueError(f"赞成、反对、弃权票合计（{total}）不能超过实到有表决权党员人数（{present}）")
    head = f"应到会有表决权党员{should_attend}人，实到{present}人"
    quorum = present * 2 > should_attend
    if not quorum:
        return MotionResult(False, False, f"{head}，未过半数，不足法定人数，表决无效", PARTY_CONGRESS_SOURCE)
    votes = f"赞成{votes_for}票，反对{against}票，弃权{abstain}票"
    if votes_for * 2 > should_attend:
        reason = f"{head}，超过半数，会议有效；{votes}，赞成票超过应到会有表决权党员的半数，通过"
        return MotionResult(True, True, reason, PARTY_CONGRESS_SOURCE)
    reason = f"{head}，超过半数，会议有效；{votes}，赞成票未超过应到会有表决权党员的半数，未通过"
    return MotionResult(True, False, reason, PARTY_CONGRESS_SOURCE)


def committee_quorum(*, committee_size: int, present: int) -> QuorumResult:
    """支委会: more than half of the committee members present (支部工作条例 第12条)."""
    _count(committee_size, "支委会委员人数")
    _count(present, "实到委员人数")
    if committee_size == 0:
        raise ValueError("支委会委员人数须大于0")
    if present > committee_size:
        raise ValueError(f"实到委员人数（{present}）不能超过委员人数（{committee_size}）")
    head = f"支部委员{committee_size}人，实到{present}人"
    if present * 2 > committee_size:
        return QuorumResult(True, f"{head}，超过半数，可以开会", COMMITTEE_SOURCE)
    return QuorumResult(False, f"{head}，未过半数，不足法定人数", COMMITTEE_SOURCE)


# ---------------------------------------------------------------------------------------------
# Fast per-branch summary for the grids (district: a thousand branches at once)


def _timing(start: _dt.date, end: _dt.date, as_of: _dt.date) -> str:
    if end < as_of:
        return OVERDUE
    if start > as_of:
        return UPCOMING
    return DUE


def period_plan(*, frequency: str, year: int, as_of: _dt.date, months: Iterable[int] | None = None) -> list[tuple[int, str]]:
    """The periods of `year` for a frequency that overlap `months` (all when None), each with the
    status it has when nothing was held: (period index, "overdue" | "due" | "upcoming"). Compute it
    once per frequency and reuse it for every branch (see period_statuses)."""
    wanted = None if months is None else set(months)
    out = []
    for index, start, end in periods(frequency, year):
        if wanted is not None and not any(start.month <= m <= end.month for m in wanted):
            continue
        out.append((index, _timing(start, end, as_of)))
    return out


def period_statuses(*, frequency: str, held_months: Iterable[int], plan: list[tuple[int, str]]) -> list[str]:
    """The status of each planned period (see period_plan) given the months (1–12) in which a record
    of the obligation's kind is dated: the same answer as obligation_status, without the objects.
    "met" when a record falls in the period, else the period's timing against the as-of date."""
    length = period_months(frequency)
    held = {(m - 1) // length + 1 for m in held_months}
    return [MET if index in held else timing for index, timing in plan]


def required_talk_pairs(committee: Iterable, members: Iterable) -> list[tuple]:
    """The pairs that should talk each year (支部工作条例 第19条) as the system checks them: every pair
    of committee members (委员–委员) and every committee member with every other member (委员–党员).
    党员–党员 pairs are left to the branch. Committee members need not appear in `members`."""
    committee = list(dict.fromkeys(committee))
    in_committee = set(committee)
    others = [m for m in dict.fromkeys(members) if m not in in_committee]
    pairs = [(a, b) for i, a in enumerate(committee) for b in committee[i + 1:]]
    pairs += [(c, m) for c in committee for m in others]
    return pairs


def required_talk_pair_count(*, committee: int, members: int) -> int:
    """len(required_talk_pairs(...)) from counts: committee size k (all among the members) and m members."""
    k, m = committee, max(members, committee)
    return k * (k - 1) // 2 + k * (m - k)
