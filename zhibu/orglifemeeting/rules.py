"""Pure rules of the 组织生活会 cycle and 谈心谈话 coverage (no ORM).

Rules (rules2.md §2):
- 组织生活会: at least once a year (or per semester where the plan says so), held as 党员大会, 支委会
  or 党小组会 (支部条例 17; 教育管理条例 17).
- steps: topic → study → 谈心谈话 → 听取意见 → 查摆问题 → 批评和自我批评 → 整改措施 (支部条例 17).
- materials: the committee's 对照检查材料, each committee member's, each member's 党性分析/个人问题清单
  (guidance, L B).
- 请示: the plan goes to the upper committee 7–10 days before; default 7, configurable (中组部 notice, L B).
- 谈心谈话: 委员–委员, 委员–党员, 党员–党员, each ≥1 a year; the coverage reading is configurable
  (支部条例 19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_REQUEST_DAYS = 7
SOURCE_MEETING = "支部工作条例 第17条；党员教育管理工作条例 第17条"
SOURCE_TALKS = "支部工作条例 第19条"

# --- checklist ------------------------------------------------------------------------------------

STUDY, OPINIONS, TALKS, COMMITTEE_REVIEW, MEMBER_REVIEWS, SELF_ANALYSIS, REQUEST = (
    "study",
    "opinions",
    "talks",
    "committee_review",
    "member_reviews",
    "self_analysis",
    "request",
)
STEPS: tuple[tuple[str, str], ...] = (
    (STUDY, "会前学习"),
    (OPINIONS, "征求意见"),
    (TALKS, "谈心谈话"),
    (COMMITTEE_REVIEW, "支委会对照检查材料"),
    (MEMBER_REVIEWS, "支委个人对照检查材料"),
    (SELF_ANALYSIS, "党员党性分析/个人问题清单"),
    (REQUEST, "向上级党委请示"),
)
STEP_LABELS = dict(STEPS)
STEP_CODES = tuple(code for code, _ in STEPS)
# Steps whose state comes from the records (talks, materials); the others are marked done by hand.
DERIVED_STEPS = (TALKS, COMMITTEE_REVIEW, MEMBER_REVIEWS, SELF_ANALYSIS)
MANUAL_STEPS = tuple(code for code in STEP_CODES if code not in DERIVED_STEPS)
DEFAULT_REQUIRED = STEP_CODES

# Materials: the committee's (no person), each committee member's, each member's.
MATERIAL_COMMITTEE, MATERIAL_MEMBER_REVIEW, MATERIAL_SELF = "committee", "member_review", "self_analysis"
MATERIAL_KINDS = (
    (MATERIAL_COMMITTEE, "支委会对照检查材料"),
    (MATERIAL_MEMBER_REVIEW, "支委个人对照检查材料"),
    (MATERIAL_SELF, "党性分析/个人问题清单"),
)

FORMATS = (("party_congress", "党员大会"), ("committee_meeting", "支委会"), ("group_meeting", "党小组会"))
TERMS = ((0, "全年"), (1, "上半年"), (2, "下半年"))


def request_due(planned: dt.date, days_before: int) -> dt.date:
    """The last day the 请示 reaches the upper committee: `days_before` days before the meeting."""
    return planned - dt.timedelta(days=days_before)


def check_required(required: Iterable[str]) -> tuple[str, ...]:
    """The required steps in checklist order; ValueError on an unknown step."""
    chosen = set(required)
    unknown = chosen - set(STEP_CODES)
    if unknown:
        raise ValueError(f"未知的准备事项：{'、'.join(sorted(unknown))}")
    return tuple(code for code in STEP_CODES if code in chosen)


@dataclass(frozen=True)
class StepState:
    code: str
    label: str
    done: bool
    required: bool
    progress: str = ""  # e.g. "3/8" for per-person steps

    @property
    def blocking(self) -> bool:
        return self.required and not self.done


def open_required(states: Iterable[StepState]) -> list[StepState]:
    """The required steps still open: the meeting cannot be marked ready while there are any."""
    return [s for s in states if s.blocking]


def per_person(done: Iterable[int], needed: Iterable[int]) -> tuple[bool, str]:
    """A per-person step: done when everyone needed has one; progress "have/need"."""
    need = set(needed)
    have = need & set(done)
    return (len(have) == len(need)), f"{len(have)}/{len(need)}"


# --- 谈心谈话 coverage ------------------------------------------------------------------------------

COMMITTEE_PAIRS, MEMBER_COMMITTEE, MEMBER_MEMBER = "committee_pairs", "member_committee", "member_member"
READINGS = (
    (COMMITTEE_PAIRS, "每两名支委之间"),
    (MEMBER_COMMITTEE, "每名党员至少与一名支委"),
    (MEMBER_MEMBER, "每名党员至少与一名其他党员"),
)
READING_CODES = tuple(code for code, _ in READINGS)
DEFAULT_READINGS = (COMMITTEE_PAIRS, MEMBER_COMMITTEE)


def check_readings(readings: Iterable[str]) -> tuple[str, ...]:
    chosen = set(readings)
    if not chosen:
        raise ValueError("请至少选择一种谈心谈话覆盖要求")
    unknown = chosen - set(READING_CODES)
    if unknown:
        raise ValueError(f"未知的覆盖要求：{'、'.join(sorted(unknown))}")
    return tuple(code for code in READING_CODES if code in chosen)


@dataclass(frozen=True)
class Need:
    """One person must have talked with at least one of `partners` this year (a single partner for a
    committee pair)."""

    reading: str
    person: int
    partners: frozenset[int]

    @property
    def pair(self) -> tuple[int, int] | None:
        if len(self.partners) == 1:
            (other,) = self.partners
            return (min(self.person, other), max(self.person, other))
        return None


def required_needs(committee: Iterable[int], members: Iterable[int], readings: Iterable[str]) -> list[Need]:
    """The year's needs under the chosen readings (支部工作条例 第19条). Committee members count as
    members; a member who is on the committee needs no talk "with a committee member" (the committee
    pairs cover them)."""
    committee = list(dict.fromkeys(committee))
    members = list(dict.fromkeys([*members, *committee]))
    on_committee = set(committee)
    chosen = set(readings)
    needs: list[Need] = []
    if COMMITTEE_PAIRS in chosen:
        for i, a in enumerate(committee):
            for b in committee[i + 1 :]:
                needs.append(Need(COMMITTEE_PAIRS, min(a, b), frozenset({max(a, b)})))
    if MEMBER_COMMITTEE in chosen and committee:
        for m in members:
            if m not in on_committee:
                needs.append(Need(MEMBER_COMMITTEE, m, frozenset(on_committee)))
    if MEMBER_MEMBER in chosen and len(members) > 1:
        for m in members:
            needs.append(Need(MEMBER_MEMBER, m, frozenset(x for x in members if x != m)))
    return needs


def talked_with(talks: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for a, b in talks:
        if a == b:
            continue
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def missing_needs(needs: Iterable[Need], talks: Iterable[tuple[int, int]]) -> list[Need]:
    """The needs no talk of the year meets yet, in order."""
    met = talked_with(talks)
    return [n for n in needs if not (met.get(n.person, set()) & n.partners)]


def coverage_complete(needs: Iterable[Need], talks: Iterable[tuple[int, int]]) -> bool:
    return not missing_needs(needs, talks)


TALKED, MISSING, OPTION = "talked", "missing", "option"


def matrix(people: list[int], needs: Iterable[Need], talks: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Cells of the people × people matrix (both orders): TALKED where the pair talked this year,
    MISSING where an exact required pair has not, OPTION where a talk would meet an open need."""
    met = talked_with(talks)
    cells: dict[tuple[int, int], str] = {}
    for a, others in met.items():
        for b in others:
            cells[(a, b)] = TALKED
    for need in missing_needs(needs, talks):
        state = MISSING if need.pair else OPTION
        for other in need.partners:
            for key in ((need.person, other), (other, need.person)):
                if cells.get(key) not in (TALKED, MISSING):
                    cells[key] = state
    return {k: v for k, v in cells.items() if k[0] in set(people) or k[1] in set(people)}
