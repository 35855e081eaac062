"""民主评议党员 rules — pure, no ORM. Sources: ../shared/spec/rules2.md §1 (and §5), and the command
contract ../shared/spec/review.md (copied as the docstring of `check`). The web app and
`zhibu review check` call the same functions: `parse_ratio`, `excellent_max`, `tally`, `check`.

| rule | value | source |
|---|---|---|
| frequency | once a year; may be held with the 组织生活会 | 教育管理条例 18; 支部条例 18 (N A) |
| procedure | 个人自评 → 党员互评 → 民主测评; 评定意见 by 支委会 or 党员大会 | 教育管理条例 18 (N A) |
| large branches | 自评 and 互评 may be held within each 党小组 | 支部条例 18 (N B) |
| grades | 优秀 / 合格 / 基本合格 / 不合格 | 中组部 guidance (N A) |
| 优秀 cap | 一般不超过党员总数的 1/3; base = 正式党员 of this branch | 中组部 guidance (N A) |
| cap variants | 10% (seed plans), 5%, none — configurable | local (L) |
| 预备党员 | take part, rate others, **no grade**, not in the cap base (不定等次) | local Q&A (N B) |
| not counted in 应到会 | illness, abroad ≥6 months, sentence, bedridden, away ≥6 months | local citing 中组部 (N B) |
| 组织处置 | 批评教育 (29); 限期改正 ≤ 1 year with help plan (30); 劝退/除名 (31) by 党员大会 vote | 教育管理条例 29–31 (N A) |
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

SOURCE = "rules2.md §1"

EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED = "优秀", "合格", "基本合格", "不合格"
GRADES = (EXCELLENT, QUALIFIED, BASIC, UNQUALIFIED)
BLANK = "blank"
UNGRADED_LABEL = "不定等次"  # 预备党员 on the 测评表 (rules2.md §1, N B)
FULL, PROBATIONARY = "full", "probationary"
STATUSES = (FULL, PROBATIONARY)

FLOOR, ROUND, CEIL = "floor", "round", "ceil"
ROUNDINGS = (FLOOR, ROUND, CEIL)
ROUNDING_LABELS = {FLOOR: "向下取整", ROUND: "四舍五入", CEIL: "向上取整"}
DEFAULT_RATIO = "1/3"  # 中组部 guidance: 一般不超过党员总数的1/3 (N A)
DEFAULT_ROUNDING = FLOOR

# Rule identifiers in the order they are reported (review.md's table).
EXCELLENT_CAP = "excellent_cap"
PROBATIONARY_GRADED = "probationary_graded"
EXCLUDED_GRADED = "excluded_graded"
MISSING_GRADE = "missing_grade"
BALLOTS_EXCEED_ISSUED = "ballots_exceed_issued"
UNKNOWN_GRADE = "unknown_grade"
RULES = (EXCELLENT_CAP, PROBATIONARY_GRADED, EXCLUDED_GRADED, MISSING_GRADE, BALLOTS_EXCEED_ISSUED, UNKNOWN_GRADE)

# Not counted in 应到会 (rules2.md §1: with higher approval and a 支部大会 decision).
EXCLUSION_REASONS = (
    ("illness", "因病不能表达意愿"),
    ("abroad", "自费出国（境）半年以上"),
    ("sentence", "正在服刑"),
    ("bedridden", "年老体弱卧床不起"),
    ("away", "外出半年以上未转组织关系"),
)
EXCLUSION_LABELS = dict(EXCLUSION_REASONS)

# Treatment by grade (rules2.md §1, 中组部 guidance, N B).
TREATMENT = {
    EXCELLENT: "通报表扬",
    QUALIFIED: "肯定鼓励",
    BASIC: "指出差距、帮助改进",
    UNQUALIFIED: "教育转化、组织处置",
}

# 组织处置 (教育管理条例 29–31, N A).
FOLLOWUP_CRITICISM, FOLLOWUP_CORRECT, FOLLOWUP_PERSUADE, FOLLOWUP_EXPEL = "criticism", "correct", "persuade", "expel"
FOLLOWUPS = (
    (FOLLOWUP_CRITICISM, "批评教育"),
    (FOLLOWUP_CORRECT, "限期改正"),
    (FOLLOWUP_PERSUADE, "劝退"),
    (FOLLOWUP_EXPEL, "除名"),
)
FOLLOWUP_LABELS = dict(FOLLOWUPS)
VOTE_FOLLOWUPS = frozenset({FOLLOWUP_PERSUADE, FOLLOWUP_EXPEL})  # a 党员大会 decision
CORRECT_MAX_MONTHS = 12  # 教育管理条例 30: 限期改正 不超过1年

# A default 负面情形 checklist; a district replaces it in its settings (`review_negatives`): data, not code.
DEFAULT_NEGATIVES = (
    "理想信念动摇，政治立场不坚定",
    "无正当理由连续6个月不参加党的组织生活",
    "无正当理由连续6个月不交纳党费",
    "不做党组织分配的工作",
    "违反师德师风，造成不良影响",
    "工作消极应付，群众意见较大",
)

# The checklist of the cycle (issue 15; the older five stages of rules2.md §1 end in 表彰和处理).
STEPS = (
    ("study", "学习教育"),
    ("self", "个人自评"),
    ("mutual", "党员互评"),
    ("poll", "民主测评"),
    ("opinion", "评定意见"),
    ("feedback", "反馈本人"),
    ("report", "报上级党组织"),
    ("outcome", "表彰和处置"),
)
STEP_CODES = tuple(code for code, _ in STEPS)
STEP_LABELS = dict(STEPS)

# Settings keys on Organisation.settings (the nearest organisation that sets one wins).
SETTING_RATIO, SETTING_ROUNDING = "review_cap", "review_rounding"
SETTING_DEADLINE, SETTING_NEGATIVES = "review_deadline", "review_negatives"
DEFAULT_DEADLINE = "12-31"  # month-day of the year by which the review should be finalised (L)


class RatioError(ValueError):
    pass


_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*%")
_DECIMAL = re.compile(r"(\d+(?:\.\d+)?|\.\d+)")


def parse_ratio(value: Any) -> Fraction | None:
    """"1/3", "10%", "0.15" (also full-width, and a JSON number) → an exact Fraction in [0, 1]; None → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise RatioError("比例须写作“1/3”“10%”或“0.15”")
    if isinstance(value, int):
        ratio = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise RatioError("比例须写作“1/3”“10%”或“0.15”")
        ratio = Fraction(str(value))
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if m := _FRACTION.fullmatch(text):
            if int(m.group(2)) == 0:
                raise RatioError("比例的分母不能为0")
            ratio = Fraction(int(m.group(1)), int(m.group(2)))
        elif m := _PERCENT.fullmatch(text):
            ratio = Fraction(m.group(1)) / 100
        elif m := _DECIMAL.fullmatch(text):
            ratio = Fraction(m.group(1))
        else:
            raise RatioError("比例须写作“1/3”“10%”或“0.15”")
    else:
        raise RatioError("比例须写作“1/3”“10%”或“0.15”")
    if not 0 <= ratio <= 1:
        raise RatioError("比例须在0到1之间")
    return ratio


def round_to_int(value: Fraction, rounding: str = DEFAULT_ROUNDING) -> int:
    """floor; round = half up; ceil — exact, on a Fraction (no float error: 9 × 1/3 is 3)."""
    if rounding == FLOOR:
        return math.floor(value)
    if rounding == CEIL:
        return math.ceil(value)
    if rounding == ROUND:
        return math.floor(value + Fraction(1, 2))
    raise RatioError("取整方式须为 floor、round 或 ceil")


def excellent_max(base: int, ratio: Fraction | None, rounding: str = DEFAULT_ROUNDING) -> int | None:
    """The 优秀 cap: rounding(base × ratio); None without a cap (rules2.md §1: 一般不超过1/3)."""
    if ratio is None:
        return None
    return round_to_int(base * ratio, rounding)


def ratio_label(text: str | None) -> str:
    return "不设比例" if text in (None, "") else str(text)


@dataclass(frozen=True)
class Member:
    id: Any
    status: str = FULL
    excluded: bool = False
    grade: str | None = None

    @property
    def key(self) -> str:
        return str(self.id)

    @property
    def in_base(self) -> bool:
        """Counted in the cap base and graded: 正式党员 not excluded from 应到会."""
        return self.status == FULL and not self.excluded


@dataclass(frozen=True)
class Poll:
    issued: int
    returned: int
    ballots: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    members: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"rule": self.rule, "message": self.message, "members": list(self.members)}


@dataclass(frozen=True)
class Result:
    base: int
    excellent_max: int | None
    excellent: int
    tally: dict
    violations: list[Violation]

    def to_json(self) -> dict:
        return {
            "base": self.base,
            "excellent_max": self.excellent_max,
            "excellent": self.excellent,
            "tally": self.tally,
            "violations": [v.to_json() for v in self.violations],
        }

    def failed(self, rule: str) -> Violation | None:
        return next((v for v in self.violations if v.rule == rule), None)


def base_of(members: Iterable[Member]) -> int:
    """review.md: base = full members, not excluded."""
    return sum(1 for m in members if m.in_base)


def count_excellent(members: Iterable[Member]) -> int:
    return sum(1 for m in members if m.in_base and m.grade == EXCELLENT)


def is_grade(value: Any) -> bool:
    return isinstance(value, str) and value in GRADES


def empty_counts() -> dict[str, int]:
    return {EXCELLENT: 0, QUALIFIED: 0, BASIC: 0, UNQUALIFIED: 0, BLANK: 0}


def tally(members: Sequence[Member], ballots: Iterable[Mapping[str, Any]]) -> tuple[dict, list[str]]:
    """Counts per full, not excluded member (input order) and grade, with blanks.

    A member a ballot leaves out (or gives null) counts as blank; grades given to other members are not
    counted; a grade that is not one of the four is counted nowhere and returned (second value) as the
    keys of the members it was given to, in order of first appearance."""
    counts = {m.key: empty_counts() for m in members if m.in_base}
    unknown: list[str] = []
    seen_unknown: set[str] = set()
    for ballot in ballots:
        for key in counts:
            grade = ballot.get(key)
            if grade is None:
                counts[key][BLANK] += 1
            elif is_grade(grade):
                counts[key][grade] += 1
        for key, grade in ballot.items():
            if grade is not None and not is_grade(grade) and key not in seen_unknown:
                seen_unknown.add(key)
                unknown.append(key)
    return counts, unknown


def check(
    members: Sequence[Member], ratio: Fraction | None, rounding: str = DEFAULT_ROUNDING, poll: Poll | None = None
) -> Result:
    """review.md: the tally and every check of a year's 民主评议党员."""
    base = base_of(members)
    cap = excellent_max(base, ratio, rounding)
    excellent = count_excellent(members)
    violations: list[Violation] = []
    if cap is not None and excellent > cap:
        violations.append(
            Violation(EXCELLENT_CAP, f"评为优秀的党员{excellent}名，超过了上限{cap}名（{base}名正式党员的比例）")
        )
    graded_prob = [m.id for m in members if m.status == PROBATIONARY and m.grade is not None]
    if graded_prob:
        violations.append(Violation(PROBATIONARY_GRADED, "预备党员参加评议但不确定等次", graded_prob))
    graded_excl = [m.id for m in members if m.excluded and m.grade is not None]
    if graded_excl:
        violations.append(Violation(EXCLUDED_GRADED, "不计入应到会人数的党员不确定等次", graded_excl))
    missing = [m.id for m in members if m.in_base and m.grade is None]
    if missing:
        violations.append(Violation(MISSING_GRADE, "还有正式党员没有评定等次", missing))
    counts: dict = {}
    ballot_unknown: list[str] = []
    if poll is not None:
        counts, ballot_unknown = tally(members, poll.ballots)
        if poll.returned > poll.issued or len(poll.ballots) != poll.returned:
            violations.append(
                Violation(
                    BALLOTS_EXCEED_ISSUED,
                    f"测评票数不符：发出{poll.issued}张，收回{poll.returned}张，有效票{len(poll.ballots)}张"
                    "（收回数不能超过发出数，票数须与收回数一致）",
                )
            )
    unknown_keys = {m.key for m in members if m.grade is not None and not is_grade(m.grade)}
    unknown_keys.update(ballot_unknown)
    if unknown_keys:
        listed = [m.id for m in members if m.key in unknown_keys]
        known = {m.key for m in members}
        listed += [key for key in ballot_unknown if key not in known]
        violations.append(
            Violation(UNKNOWN_GRADE, "等次只能是优秀、合格、基本合格、不合格（预备党员不定等次）", listed)
        )
    return Result(base=base, excellent_max=cap, excellent=excellent, tally=counts, violations=violations)


class InputError(ValueError):
    """An invalid check input: `field` names where (e.g. members[2].status)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_input(data: Any) -> tuple[list[Member], Fraction | None, str, Poll | None]:
    """Validate review.md's input; raise InputError naming the field when it is not valid."""
    if not isinstance(data, dict):
        raise InputError("FILE", "须为一个 JSON 对象")
    cap = data.get("cap")
    ratio: Fraction | None = None
    rounding = DEFAULT_ROUNDING
    if cap is not None:
        if not isinstance(cap, dict):
            raise InputError("cap", "须为对象，如 {\"ratio\": \"1/3\", \"rounding\": \"floor\"}")
        try:
            ratio = parse_ratio(cap.get("ratio"))
        except RatioError as exc:
            raise InputError("cap.ratio", str(exc)) from None
        rounding = cap.get("rounding")
        if rounding is None:
            rounding = DEFAULT_ROUNDING
        elif rounding not in ROUNDINGS:
            raise InputError("cap.rounding", "取整方式须为 floor、round 或 ceil")
    raw_members = data.get("members")
    if not isinstance(raw_members, list):
        raise InputError("members", "须为党员列表")
    members: list[Member] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_members):
        where = f"members[{i}]"
        if not isinstance(raw, dict):
            raise InputError(where, "须为对象")
        ident = raw.get("id")
        if not (isinstance(ident, str) and ident.strip()) and not _is_int(ident):
            raise InputError(f"{where}.id", "缺少党员编号")
        if str(ident) in seen:
            raise InputError(f"{where}.id", f"党员编号“{ident}”重复")
        seen.add(str(ident))
        status = raw.get("status")
        if status not in STATUSES:
            raise InputError(f"{where}.status", "须为 full（正式党员）或 probationary（预备党员）")
        excluded = raw.get("excluded", False)
        if excluded is None:
            excluded = False
        if not isinstance(excluded, bool):
            raise InputError(f"{where}.excluded", "须为 true 或 false")
        grade = raw.get("grade")  # anything but null and the four is an unknown grade (exit 0)
        members.append(Member(id=ident, status=status, excluded=excluded, grade=grade))
    poll = None
    raw_poll = data.get("poll")
    if raw_poll is not None:
        if not isinstance(raw_poll, dict):
            raise InputError("poll", "须为对象")
        for name in ("issued", "returned"):
            if not _is_int(raw_poll.get(name)) or raw_poll[name] < 0:
                raise InputError(f"poll.{name}", "须为非负整数")
        ballots = raw_poll.get("ballots")
        if not isinstance(ballots, list):
            raise InputError("poll.ballots", "须为测评票列表")
        for j, ballot in enumerate(ballots):
            if not isinstance(ballot, dict):
                raise InputError(f"poll.ballots[{j}]", "每张测评票须为对象（党员编号 → 等次）")
        poll = Poll(issued=raw_poll["issued"], returned=raw_poll["returned"], ballots=ballots)
    return members, ratio, rounding, poll


def check_input(data: Any) -> Result:
    members, ratio, rounding, poll = parse_input(data)
    return check(members, ratio, rounding, poll)


def months_between(start, end) -> float:
    """Whole-and-part months from start to end (for the ≤ 12 months of 限期改正)."""
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


def correct_deadline_ok(start, deadline) -> bool:
    """教育管理条例 30: 限期改正 不超过1年 — the deadline after the start, at most 12 months on."""
    if deadline <= start:
        return False
    try:
        limit = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + 1, day=28)
    return deadline <= limit


def nearest_setting(chain: Sequence[Mapping[str, Any]], key: str, default: Any) -> Any:
    """The nearest organisation's setting (chain: the branch first, then its ancestors upwards)."""
    for settings in chain:
        if isinstance(settings, Mapping) and settings.get(key) not in (None, ""):
            return settings[key]
    return default
