"""Pure rules of a branch committee election (换届选举), no ORM. The web app and `zhibu election check`
use the same functions (election.md is the contract; rules2.md §8 the sources).

Sources (rules2.md §8, rules.md §1):
- term: a school/kindergarten branch committee serves 3 years (基层组织任期意见 2018; 支部条例 第21条);
- reschedule: an earlier or later election needs the upper committee's approval and shifts the term by
  at most one year (选举条例 第3条);
- voters: 正式党员 only — not 预备党员, not members under 留党察看 or whose rights are suspended
  (选举条例 第5条; 党章 第7条); members the upper committee approved as not counted (rules2.md §1)
  reduce 应到会 too;
- candidates: 差额 of at least 20% — candidates ≥ seats + ⌈0.2 × seats⌉ (选举条例 第13条);
- quorum: voters present more than 4/5 of those who should attend, else the election is void (选举条例);
- ballots: returned ≤ issued, else void (选举条例);
- elected: 赞成票 more than half of the voters present; more qualified than seats → most votes win;
  a tie at the last seat → vote again among the tied (再次投票, the more votes win); seats left →
  另行选举 among those not elected (选举条例);
- 书记/副书记: elected by the new committee, approved by the upper committee; members 备案 (支部条例 第21条);
- 请示: to the upper committee about one month before (local practice, rules2.md §8: L B).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

SOURCE_COUNT = "中国共产党基层组织选举工作条例"
SOURCE_TERM = "关于加强基层组织任期管理的意见（2018）；支部工作条例 第21条"
SOURCE_RESCHEDULE = "中国共产党基层组织选举工作条例 第3条"
SOURCE_OFFICERS = "支部工作条例 第21条"

TERM_YEARS = 3  # school and kindergarten branches (基层组织任期意见, 2018)
MAX_SHIFT_MONTHS = 12  # 选举条例 第3条: earlier or later by at most one year
CHECKLIST_MONTHS = 2  # the checklist starts about two months before the term ends (local, L B)
REQUEST_MONTHS = 1  # the 请示 goes up about one month before (local, L B)
DUE_MONTHS = 6  # the district's "due soon" window
MIN_SEATS, MAX_SEATS = 1, 5  # one 书记 (branches under 7 正式党员) up to the five posts Zhibu keeps

# --- the count (election.md) ------------------------------------------------------------------

CANDIDATE_MARGIN, QUORUM, BALLOTS_EXCEED_ISSUED, PRESENT_EXCEEDS_VOTERS = (
    "candidate_margin",
    "quorum",
    "ballots_exceed_issued",
    "present_exceeds_voters",
)
VOIDING = (QUORUM, BALLOTS_EXCEED_ISSUED)  # these make the count invalid (election.md)


class InputError(ValueError):
    """A count input that is not valid; `field` names it (the CLI's exit 2 line)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Candidate:
    name: str
    votes: int


@dataclass(frozen=True)
class Count:
    seats: int
    full: int
    excluded: int
    suspended: int
    present: int
    issued: int
    returned: int
    invalid: int
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


@dataclass
class Result:
    should_attend: int
    min_candidates: int
    valid: bool
    elected: list[str]
    runoff: list[str]
    unfilled: int
    violations: list[Violation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "should_attend": self.should_attend,
            "min_candidates": self.min_candidates,
            "valid": self.valid,
            "elected": list(self.elected),
            "runoff": list(self.runoff),
            "unfilled": self.unfilled,
            "violations": [{"rule": v.rule, "message": v.message} for v in self.violations],
        }

    def rules_failed(self) -> list[str]:
        return [v.rule for v in self.violations]


def should_attend(full: int, excluded: int, suspended: int) -> int:
    """应到会 voters: 正式党员 less those approved as not counted and those whose rights are suspended
    (选举条例 第5条; rules2.md §1). 预备党员 are never counted."""
    return full - excluded - suspended


def min_candidates(seats: int) -> int:
    """差额 ≥ 20%: seats + ⌈0.2 × seats⌉ (选举条例 第13条): 3 → 4, 5 → 6, 7 → 9."""
    return seats + math.ceil(seats / 5)  # exact integer ceil of 0.2 × seats


def has_quorum(present: int, should: int) -> bool:
    """More than 4/5 of 应到会 voters present (exactly 4/5 is not enough)."""
    return 5 * present > 4 * should


def qualifies(votes: int, present: int) -> bool:
    """赞成票 more than half of the voters present (exactly half is not enough)."""
    return 2 * votes > present


def allot(
    seats: int, candidates: Sequence[Candidate], present: int, *, runoff_round: bool = False
) -> tuple[list[str], list[str], int]:
    """(elected, runoff, unfilled) of a valid count. In a runoff among tied qualifiers (再次投票) the
    more votes win without a new majority test (`runoff_round`)."""
    ranked = sorted(
        (c for c in candidates if runoff_round or qualifies(c.votes, present)), key=lambda c: -c.votes
    )  # stable: equal votes keep the input order
    if len(ranked) <= seats:
        elected, runoff = ranked, []
    else:
        cut = ranked[seats - 1].votes
        if ranked[seats].votes == cut:  # tied candidates straddle the last seat(s)
            elected = [c for c in ranked if c.votes > cut]
            runoff = [c for c in ranked if c.votes == cut]
        else:
            elected, runoff = ranked[:seats], []
    unfilled = seats - len(elected) if not runoff else 0
    return [c.name for c in elected], [c.name for c in runoff], unfilled


def count(c: Count, *, runoff_round: bool = False) -> Result:
    """The count of one ballot (election.md): violations, validity, elected, runoff, unfilled."""
    should = should_attend(c.full, c.excluded, c.suspended)
    needed = min_candidates(c.seats)
    violations = []
    if len(c.candidates) < needed and not runoff_round:
        violations.append(
            Violation(
                CANDIDATE_MARGIN,
                f"候选人{len(c.candidates)}人，少于应选{c.seats}名的差额要求（至少{needed}人，多于应选人数20%）",
            )
        )
    if not has_quorum(c.present, should):
        violations.append(
            Violation(
                QUORUM,
                f"到会有选举权的党员{c.present}人，未超过应到会{should}人的五分之四，选举无效",
            )
        )
    if c.returned > c.issued:
        violations.append(
            Violation(
                BALLOTS_EXCEED_ISSUED,
                f"收回选票{c.returned}张，多于发出的{c.issued}张，选举无效",
            )
        )
    if c.present > should:
        violations.append(
            Violation(
                PRESENT_EXCEEDS_VOTERS,
                f"到会{c.present}人，多于应到会有选举权的党员{should}人",
            )
        )
    valid = not any(v.rule in VOIDING for v in violations)
    if valid:
        elected, runoff, unfilled = allot(c.seats, c.candidates, c.present, runoff_round=runoff_round)
    else:
        elected, runoff, unfilled = [], [], c.seats
    return Result(should, needed, valid, elected, runoff, unfilled, violations)


# --- reading the contract's JSON --------------------------------------------------------------


def _int(data: Any, key: str, path: str, *, minimum: int = 0) -> int:
    if not isinstance(data, dict):
        raise InputError(path.rsplit(".", 1)[0] if "." in path else path, "应为对象（JSON object）")
    if key not in data:
        raise InputError(path, "缺少此项")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(path, "应为整数")
    if value < minimum:
        raise InputError(path, f"不能小于{minimum}")
    return value


def parse(data: Any) -> Count:
    """The contract's input as a Count, or InputError naming the field."""
    if not isinstance(data, dict):
        raise InputError("FILE", "应为 JSON 对象")
    seats = _int(data, "seats", "seats", minimum=1)
    voters = data.get("voters")
    if not isinstance(voters, dict):
        raise InputError("voters", "缺少此项或不是对象" if voters is None else "应为对象（JSON object）")
    full = _int(voters, "full", "voters.full")
    excluded = _int(voters, "excluded", "voters.excluded")
    suspended = _int(voters, "suspended", "voters.suspended")
    if excluded + suspended > full:
        raise InputError("voters", "excluded 与 suspended 之和不能多于 full")
    present = _int(data, "present", "present")
    ballots = data.get("ballots")
    if not isinstance(ballots, dict):
        raise InputError("ballots", "缺少此项或不是对象" if ballots is None else "应为对象（JSON object）")
    issued = _int(ballots, "issued", "ballots.issued")
    returned = _int(ballots, "returned", "ballots.returned")
    invalid = _int(ballots, "invalid", "ballots.invalid")
    raw = data.get("candidates")
    if not isinstance(raw, list):
        raise InputError("candidates", "缺少此项或不是数组" if raw is None else "应为数组（JSON array）")
    candidates, seen = [], set()
    for i, item in enumerate(raw):
        where = f"candidates[{i}]"
        if not isinstance(item, dict):
            raise InputError(where, "应为对象（JSON object）")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise InputError(f"{where}.name", "缺少此项或不是非空字符串")
        if name in seen:
            raise InputError(f"{where}.name", f"候选人“{name}”重复")
        seen.add(name)
        candidates.append(Candidate(name, _int(item, "votes", f"{where}.votes")))
    return Count(seats, full, excluded, suspended, present, issued, returned, invalid, tuple(candidates))


def check(data: Any) -> Result:
    """election.md: read the JSON value and count it (InputError when it is not valid)."""
    return count(parse(data))


# --- stroke order of names (姓氏笔画) ------------------------------------------------------------


def stroke_key(name: str) -> tuple:
    """The sort key of 姓氏笔画 order (see strokes.py): character by character, fewer strokes first,
    then the stroke sequence (横竖撇点折)."""
    from zhibu.elections.strokes import char_key

    return tuple(char_key(ch) for ch in name)


def by_strokes(names: Sequence[str]) -> list[str]:
    return sorted(names, key=stroke_key)


# --- terms, checklist and reschedules -----------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def term_end(start: dt.date, years: int = TERM_YEARS) -> dt.date:
    return add_months(start, 12 * years)


def term_state(end: dt.date | None, today: dt.date) -> str:
    """'none' (no committee recorded), 'overdue', 'due' (within DUE_MONTHS), 'ok'."""
    if end is None:
        return "none"
    if end < today:
        return "overdue"
    if end <= add_months(today, DUE_MONTHS):
        return "due"
    return "ok"


TERM_STATES = {"none": "未登记支委", "overdue": "已超期", "due": "半年内到期", "ok": "任期内"}


def checklist_starts(end: dt.date) -> dt.date:
    return add_months(end, -CHECKLIST_MONTHS)


def shift_allowed(regular_end: dt.date, new_end: dt.date) -> bool:
    """A postponement or early election moves the term end by at most 12 months (选举条例 第3条)."""
    return add_months(regular_end, -MAX_SHIFT_MONTHS) <= new_end <= add_months(regular_end, MAX_SHIFT_MONTHS)


# The checklist, in order: (code, label, months before the term end it is due; None = after the meeting).
DECIDE, REQUEST, REPLY, NOMINATE, PRELIMINARY, REVIEW, MEETING, COUNT, OFFICERS, REPORT, APPROVAL, INSTALL = (
    "decide",
    "request",
    "reply",
    "nominate",
    "preliminary",
    "review",
    "meeting",
    "count",
    "officers",
    "report",
    "approval",
    "install",
)
STEPS: tuple[tuple[str, str], ...] = (
    (DECIDE, "支委会研究启动换届"),
    (REQUEST, "向上级党委请示"),
    (REPLY, "登记上级批复"),
    (NOMINATE, "党员推荐候选人"),
    (PRELIMINARY, "支委会确定候选人预备人选"),
    (REVIEW, "上级党委审查候选人预备人选"),
    (MEETING, "召开党员大会（通过选举办法、推选监票人计票人）"),
    (COUNT, "无记名投票和计票"),
    (OFFICERS, "新一届支委会选举书记、副书记和分工"),
    (REPORT, "向上级党委报告选举结果"),
    (APPROVAL, "上级批准书记、副书记，委员备案"),
    (INSTALL, "更新支部委员和任期"),
)
STEP_LABELS = dict(STEPS)
STEP_CODES = tuple(code for code, _ in STEPS)
# Suggested due dates, in days relative to the term end (negative = before it).
DUE_OFFSETS = {
    DECIDE: -60,
    REQUEST: -30,
    REPLY: -20,
    NOMINATE: -15,
    PRELIMINARY: -12,
    REVIEW: -7,
    MEETING: 0,
    COUNT: 0,
    OFFICERS: 0,
    REPORT: 7,
    APPROVAL: 30,
    INSTALL: 30,
}


def step_due(code: str, end: dt.date) -> dt.date:
    if code == DECIDE:
        return checklist_starts(end)
    if code == REQUEST:
        return add_months(end, -REQUEST_MONTHS)
    return end + dt.timedelta(days=DUE_OFFSETS[code])


@dataclass(frozen=True)
class StepState:
    code: str
    label: str
    due: dt.date
    done_on: dt.date | None
    state: str  # done / open / overdue / blocked

    @property
    def done(self) -> bool:
        return self.done_on is not None


def checklist(end: dt.date, done: dict[str, dt.date | None], today: dt.date) -> list[StepState]:
    """Each step's due date and state; a step is 'blocked' until the one before it is done."""
    out: list[StepState] = []
    previous_done = True
    for code, label in STEPS:
        on = done.get(code)
        due = step_due(code, end)
        if on is not None:
            state = "done"
        elif not previous_done:
            state = "blocked"
        else:
            state = "overdue" if due < today else "open"
        out.append(StepState(code, label, due, on, state))
        previous_done = on is not None
    return out


def next_round_kind(rounds: Sequence[tuple[bool, list[str], int]]) -> str:
    """The kind of the next ballot from the earlier ones [(valid, runoff, unfilled)]: 'regular' until a
    valid count, 'runoff' among the tied, 'additional' (另行选举) for the seats left."""
    last_valid = [r for r in rounds if r[0]]
    if not last_valid:
        return "regular"
    _valid, runoff, _unfilled = last_valid[-1]
    return "runoff" if runoff else "additional"


ROUND_KINDS = (("regular", "正式选举"), ("runoff", "再次投票"), ("additional", "另行选举"))
