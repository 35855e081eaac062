"""发展党员 (admitting new Party members): the 25 steps and the timeline rules, as pure functions.

No ORM and no Django here: the web app and `zhibu develop check` both call `check_timeline` with a
plain dict (the JSON of /work/shared/spec/development.md) and a `WorkdayCalendar`.

    from zhibu.development.rules import check_timeline, TimelineError
    result = check_timeline(timeline_dict, calendar=WorkdayCalendar(), as_of=clock.today())
    result.to_json()   # -> dict in the spec's JSON shape (rules, violations, probation_end, next)

Sources (rules.md §2):

* 《中国共产党发展党员工作细则》(2026 revision), issued and in force 2026-05-11 — article numbers as
  listed in rules.md §2 (confidence B: taken from the spec, not checked against the published text).
* 《中国共产党发展党员工作细则》(2014-06-10) — article numbers from memory; each is marked with a
  confidence letter (A wording seen, B article inferred / paraphrase, C recalled, unconfirmed).
* 《中国共产党支部工作条例（试行）》(2018) 第11条 and 《中国共产党章程》 第7条 for the meeting quorum /
  vote base (voting members who should attend; 预备党员 excluded).
* Calendar months and working days: `zhibu.workdays.calendar` (民法典 第201–203条 by analogy).

Which rule set judges what ("rules": "auto")
    Each rule is judged by the rule set in force on the date of the step it is attached to (the
    "step" of the violation): a step before 2026-05-11 is judged by the 2014 text, a step on or after
    it by the 2026 细则. So a 公示 that started 2026-05-08 is not held to the 5-working-day minimum,
    and a 支部大会 on 2026-05-11 must vote by secret ballot. When that step has no date (e.g.
    contacts without a date) the latest earlier step's date is used, else `as_of`. The top-level
    "rules" of the result is "2014" when every dated step is before 2026-05-11, else "2026" (with no
    dated step: by `as_of`). "rules": "2014" / "2026" forces one set for every step.

Deadlines ("within N months")
    deadline = add_months(base, N), exactly as development.md's table states it ("application_talk ≤
    application + 1 calendar month", …) with its calendar-month arithmetic; it is NOT rolled to the
    next working day. rules.md §5 describes rolling a period that ends on a non-working day as a
    *configurable* convention; development.md, the contract of this check, defines each rule without
    it, so the literal table wins (ROLL_DEADLINES = False; set it to True to apply §5's rolling).
    `next` uses the same deadline, so doing a step on its "due" date never violates its rule.
    A deadline that falls in a year whose holidays neither `chinesecalendar` nor the admin table
    covers (2027 at chinesecalendar 1.11.0) has "provisional": true in `next` (issue 5: "a deadline
    computed from a year that neither covers is marked provisional"); dates that are not deadlines
    (probation_end / full_application, the earliest day for candidate / full_meeting, the next
    half-yearly assessment) are plain calendar arithmetic and never provisional — as in the spec's
    example, where full_application is due 2027-06-30 with "provisional": false.
    Minimum periods (activist ≥ 1 year, probation 1 year) are never rolled.

Missing inputs
    "A rule whose inputs are missing is not reported as violated": a rule is reported only when the
    inputs given already prove it broken. training_min (days ≥ 3 or hours ≥ 24) with one measure
    missing and the other short is therefore not reported — the missing measure could satisfy it;
    review_before_admission is reported when a review that is given does not precede the meeting.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhibu.workdays.calendar import WorkdayCalendar, add_months, add_years

__all__ = [
    "RULES_2026_EFFECTIVE",
    "STAGES",
    "STEPS",
    "STEP_BY_ID",
    "SEQUENCE",
    "RULE_IDS",
    "RULE_DESCRIPTIONS",
    "RULE_SETS",
    "RuleSet",
    "Step",
    "Timeline",
    "TimelineError",
    "Violation",
    "NextStep",
    "Result",
    "parse_timeline",
    "check_timeline",
    "step_name",
]

RULES_2026_EFFECTIVE = dt.date(2026, 5, 11)

# rules.md §5's "a period ending on a non-working day rolls to the next working day" is configurable;
# development.md's table states each deadline as plain calendar months, so it is off (see above).
ROLL_DEADLINES = False


# --------------------------------------------------------------------------------------------------
# The 25 steps (rules.md §2; articles of the 2026 细则)
# --------------------------------------------------------------------------------------------------

STAGES: dict[int, str] = {
    1: "申请入党",
    2: "入党积极分子的确定和培养教育",
    3: "发展对象的确定和考察",
    4: "预备党员的接收",
    5: "预备党员的教育考察和转正",
}


@dataclass(frozen=True)
class Step:
    number: int  # 1..25
    id: str  # stable identifier, also the timeline's input key (except probation_education)
    stage: int  # 1..5
    name: str  # Chinese name (2026 细则)
    article: str  # article(s) of the 2026 细则 (rules.md §2)
    name_2014: str | None = None  # where the 2014 text names the step differently


STEPS: tuple[Step, ...] = (
    Step(1, "application", 1, "递交入党申请书", "第5—6条"),
    Step(2, "application_talk", 1, "党组织派人谈话", "第7条"),
    Step(3, "activist", 2, "确定为入党积极分子", "第8条"),
    Step(4, "activist_filed", 2, "报上级党委备案", "第8条"),
    Step(5, "contacts", 2, "指定培养联系人", "第9条"),
    Step(6, "assessments", 2, "培养教育考察", "第11—12条"),
    Step(7, "candidate", 3, "确定为发展对象", "第13条"),
    Step(8, "candidate_approved", 3, "报上级党委同意", "第13条", name_2014="报上级党委备案"),
    Step(9, "sponsors", 3, "确定入党介绍人", "第14条"),
    Step(10, "political_review", 3, "进行政治审查", "第16条"),
    Step(11, "training", 3, "开展集中培训", "第17条"),
    Step(12, "committee_review", 3, "支部委员会审查", "第18条"),
    Step(13, "pre_review", 3, "上级党委预审", "第18条"),
    Step(14, "application_form", 4, "填写入党志愿书", "第19条"),
    Step(15, "admission_meeting", 4, "支部大会讨论接收预备党员", "第19—20条"),
    Step(16, "approval_talk", 4, "上级党委派人谈话", "第23条"),
    Step(17, "approval", 4, "上级党委审批", "第24—25条"),
    Step(18, "filed", 4, "再上一级党委组织部门备案", "第25条"),
    Step(19, "assigned", 4, "编入党支部和党小组", "第28条"),
    Step(20, "oath", 4, "入党宣誓", "第29条"),
    Step(21, "probation_education", 5, "继续教育考察", "第30条"),
    Step(22, "full_application", 5, "提出转正申请", "第31—32条"),
    Step(23, "full_meeting", 5, "支部大会讨论转正", "第32条"),
    Step(24, "full_approval", 5, "上级党委审批转正", "第33条"),
    Step(25, "archived", 5, "材料归档", "第36条"),
)
STEP_BY_ID: dict[str, Step] = {s.id: s for s in STEPS}

# The 公示 of step 7 has its own input key; it sits between steps 7 and 8.
PUBLICITY = "candidate_publicity"
PUBLICITY_NAME = "发展对象公示"

# Input keys in procedural order, for the `order` rule and for `next` (step 21 has no input).
SEQUENCE: tuple[str, ...] = (
    "application", "application_talk", "activist", "activist_filed", "contacts", "assessments",
    "candidate", PUBLICITY, "candidate_approved", "sponsors", "political_review", "training",
    "committee_review", "pre_review", "application_form", "admission_meeting", "approval_talk",
    "approval", "filed", "assigned", "oath", "full_application", "full_meeting", "full_approval",
    "archived",
)
_SEQ_INDEX = {k: i for i, k in enumerate(SEQUENCE)}


def _stage_of(key: str) -> int:
    return 3 if key == PUBLICITY else STEP_BY_ID[key].stage


def step_name(key: str, version: str = "2026") -> str:
    """Chinese name of a step / input key under rule set `version`."""
    if key == PUBLICITY:
        return PUBLICITY_NAME
    step = STEP_BY_ID[key]
    return step.name_2014 if version == "2014" and step.name_2014 else step.name


# --------------------------------------------------------------------------------------------------
# Rules: identifiers, what they check, and their sources per rule set
# --------------------------------------------------------------------------------------------------

# Stable identifiers (the web app shows the same ones) and when each holds (development.md).
RULE_DESCRIPTIONS: dict[str, str] = {
    "age_18": "递交入党申请书时年满十八周岁",
    "talk_within_1_month": "收到入党申请书后一个月内派人谈话",
    "contacts_1_to_2": "培养联系人为一至两名正式党员",
    "activist_min_one_year": "经过一年以上培养教育和考察方可确定为发展对象",
    "publicity_5_workdays": "发展对象公示不少于5个工作日（含首尾两日）",
    "publicity_before_approval": "公示结束后方可报上级党委同意（备案）",
    "sponsors_2": "有两名正式党员作入党介绍人",
    "training_min": "集中培训不少于3天或不少于24学时",
    "review_before_admission": "政治审查、上级党委预审、填写入党志愿书均在支部大会之前",
    "admission_within_1_month": "预审通过后一个月内召开支部大会讨论",
    "quorum": "到会有表决权的党员超过应到会有表决权党员的半数",
    "vote_pass": "赞成票超过应到会有表决权党员的半数",
    "secret_ballot": "支部大会采取无记名投票方式表决",
    "approval_within_3_months": "上级党委在支部大会后三个月内审批",
    "oath_within_1_month": "上级党委审批后一个月内入党宣誓",
    "full_meeting_after_probation": "预备期满后方可讨论转正",
    "full_approval_within_3_months": "上级党委在支部大会讨论转正后三个月内审批",
    "order": "各步骤按程序先后进行",
}
RULE_IDS: tuple[str, ...] = tuple(RULE_DESCRIPTIONS)


@dataclass(frozen=True)
class RuleSet:
    """One version of the 细则: which rules apply and the article each comes from."""

    version: str  # "2014" / "2026"
    effective: dt.date
    title: str
    articles: Mapping[str, str]  # rule id -> article text, e.g. "第13条"; absent = rule not in this set
    approval_verb: str  # what the higher 党委 does at step 8: 同意 (2026) / 备案 (2014)

    def applies(self, rule_id: str) -> bool:
        return rule_id in self.articles

    def source(self, rule_id: str) -> str:
        return f"{self.title}({self.version}) {self.articles[rule_id]}"


# 2026 细则: article numbers as given in rules.md §2 (confidence B throughout).
_ARTICLES_2026 = {
    "age_18": "第5条",
    "talk_within_1_month": "第7条",
    "contacts_1_to_2": "第9条",
    "activist_min_one_year": "第13条",
    "publicity_5_workdays": "第13条",
    "publicity_before_approval": "第13条",
    "sponsors_2": "第14条",
    "training_min": "第17条",
    "review_before_admission": "第16、18条",
    "admission_within_1_month": "第19条",
    "quorum": "第20条",
    "vote_pass": "第20条",
    "secret_ballot": "第20条",
    "approval_within_3_months": "第24条",
    "oath_within_1_month": "第29条",
    "full_meeting_after_probation": "第31、32条",
    "full_approval_within_3_months": "第33条",
    "order": "第5—36条",
}

# 2014 细则 (中办发 2014-06-10): article numbers from memory, confidence per line.
# publicity_5_workdays and secret_ballot are not in the 2014 text (new in 2026, per rules.md §2).
_ARTICLES_2014 = {
    "age_18": "第5条",  # B: 年满十八岁 … 可以申请加入中国共产党
    "talk_within_1_month": "第7条",  # B: 收到入党申请书后一个月内派人谈话
    "contacts_1_to_2": "第9条",  # B: 指定一至两名正式党员作培养联系人
    "activist_min_one_year": "第13条",  # B: 经过一年以上培养教育和考察
    "publicity_before_approval": "第13条",  # C: 公示 before 备案 is recalled as practice, article unconfirmed
    "sponsors_2": "第14条",  # B: 两名正式党员作入党介绍人
    "training_min": "第17条",  # B: 不少于三天或不少于24个学时
    "review_before_admission": "第16、18条",  # B: 政治审查 16, 支委会审查/预审/志愿书 18
    "admission_within_1_month": "第20条",  # C: no explicit one-month limit recalled in 2014; per spec
    "quorum": "第20条",  # B: 有表决权的到会人数必须超过应到会有表决权人数的半数
    "vote_pass": "第20条",  # B: 赞成人数超过应到会有表决权的正式党员的半数
    "approval_within_3_months": "第24条",  # B: 三个月内审批，特殊情况可延长，不超过六个月
    "oath_within_1_month": "第29条",  # C: 入党宣誓 article; "一个月内" unconfirmed for 2014
    "full_meeting_after_probation": "第31、32条",  # B: 预备期一年，自支部大会通过之日起计算
    "full_approval_within_3_months": "第33条",  # B
    "order": "第5—35条",  # C: the procedure as a whole
}

RULES_2014 = RuleSet("2014", dt.date(2014, 6, 10), "发展党员工作细则", _ARTICLES_2014, "备案")
RULES_2026 = RuleSet("2026", RULES_2026_EFFECTIVE, "发展党员工作细则", _ARTICLES_2026, "同意")
RULE_SETS: dict[str, RuleSet] = {"2014": RULES_2014, "2026": RULES_2026}


def rule_set_on(d: dt.date) -> RuleSet:
    """The rule set in force on `d`."""
    return RULES_2026 if d >= RULES_2026_EFFECTIVE else RULES_2014


# --------------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------------


class TimelineError(ValueError):
    """The timeline is not valid; `field` is the offending key path (e.g. "steps.oath")."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Counted:  # contacts, sponsors
    date: dt.date | None
    count: int | None


@dataclass(frozen=True)
class Span:  # candidate_publicity
    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True)
class Training:
    start: dt.date | None
    end: dt.date | None
    days: float | None
    hours: float | None


@dataclass(frozen=True)
class Meeting:  # admission_meeting, full_meeting
    date: dt.date | None
    should_attend: int | None
    present: int | None
    votes_for: int | None
    against: int | None
    abstain: int | None
    secret_ballot: bool | None


@dataclass(frozen=True)
class Timeline:
    birth_date: dt.date | None
    rules: str  # "auto" / "2014" / "2026"
    as_of: dt.date | None
    steps: Mapping[str, Any]  # key -> date | Counted | Span | Training | Meeting | tuple[date, ...]

    def has(self, key: str) -> bool:
        return self.date_of(key) is not None or (key in self.steps and not isinstance(self.steps[key], tuple))

    def date_of(self, key: str) -> dt.date | None:
        """The date a step happened (start of a span, earliest assessment), or None."""
        value = self.steps.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, tuple):
            return min(value) if value else None
        if isinstance(value, (Span, Training)):
            return value.start
        return value.date


_DATE_STEPS = frozenset({
    "application", "application_talk", "activist", "activist_filed", "candidate", "candidate_approved",
    "political_review", "committee_review", "pre_review", "application_form", "approval_talk",
    "approval", "filed", "assigned", "oath", "full_application", "full_approval", "archived",
})
_COUNTED_STEPS = frozenset({"contacts", "sponsors"})
_MEETING_STEPS = frozenset({"admission_meeting", "full_meeting"})
_MEETING_COUNTS = ("should_attend", "present", "for", "against", "abstain")
_TOP_KEYS = frozenset({"birth_date", "rules", "as_of", "steps"})
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date(value: Any, path: str) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise TimelineError(path, f"日期格式应为 YYYY-MM-DD，实际为 {_show(value)}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TimelineError(path, f"不是有效的日期：{value}") from None


def _int(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TimelineError(path, f"应为非负整数，实际为 {_show(value)}")
    if value < 0:
        raise TimelineError(path, f"不能为负数：{value}")
    return value


def _number(value: Any, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TimelineError(path, f"应为非负数，实际为 {_show(value)}")
    if value < 0:
        raise TimelineError(path, f"不能为负数：{value}")
    return value


def _object(value: Any, path: str, keys: Iterable[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TimelineError(path, f"应为对象（{{…}}），实际为 {_show(value)}")
    allowed = set(keys)
    for key in value:
        if key not in allowed:
            raise TimelineError(f"{path}.{key}", f"未知字段（可用字段：{'、'.join(sorted(allowed))}）")
    return value


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (str, list, dict)) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _span_end_check(start: dt.date | None, end: dt.date | None, path: str) -> None:
    if start is not None and end is not None and end < start:
        raise TimelineError(f"{path}.end", f"结束日期 {end} 早于开始日期 {start}")


def parse_timeline(data: Any) -> Timeline:
    """Validate the JSON timeline of development.md; raise TimelineError naming the first bad field."""
    top = _object(data, "timeline", _TOP_KEYS)
    rules = top.get("rules", "auto")
    if rules is None:
        rules = "auto"
    if rules not in ("auto", "2014", "2026"):
        raise TimelineError("rules", f"应为 \"auto\"、\"2014\" 或 \"2026\"，实际为 {_show(rules)}")
    birth = _date(top.get("birth_date"), "birth_date")
    as_of = _date(top.get("as_of"), "as_of")
    raw_steps = top.get("steps")
    raw_steps = {} if raw_steps is None else _object(raw_steps, "steps", SEQUENCE)
    steps: dict[str, Any] = {}
    for key, value in raw_steps.items():
        path = f"steps.{key}"
        if value is None:
            continue
        if key in _DATE_STEPS:
            steps[key] = _date(value, path)
        elif key in _COUNTED_STEPS:
            obj = _object(value, path, ("date", "count"))
            steps[key] = Counted(_date(obj.get("date"), f"{path}.date"), _int(obj.get("count"), f"{path}.count"))
        elif key == "assessments":
            if not isinstance(value, list):
                raise TimelineError(path, f"应为日期列表（[…]），实际为 {_show(value)}")
            dates = tuple(_date(v, f"{path}[{i}]") for i, v in enumerate(value))
            if any(d is None for d in dates):
                raise TimelineError(f"{path}[{dates.index(None)}]", "不能为空")
            steps[key] = tuple(sorted(dates))  # type: ignore[type-var]
        elif key == PUBLICITY:
            obj = _object(value, path, ("start", "end"))
            span = Span(_date(obj.get("start"), f"{path}.start"), _date(obj.get("end"), f"{path}.end"))
            _span_end_check(span.start, span.end, path)
            steps[key] = span
        elif key == "training":
            obj = _object(value, path, ("start", "end", "days", "hours"))
            training = Training(
                _date(obj.get("start"), f"{path}.start"),
                _date(obj.get("end"), f"{path}.end"),
                _number(obj.get("days"), f"{path}.days"),
                _number(obj.get("hours"), f"{path}.hours"),
            )
            _span_end_check(training.start, training.end, path)
            steps[key] = training
        elif key in _MEETING_STEPS:
            obj = _object(value, path, ("date", *_MEETING_COUNTS, "secret_ballot"))
            ballot = obj.get("secret_ballot")
            if ballot is not None and not isinstance(ballot, bool):
                raise TimelineError(f"{path}.secret_ballot", f"应为 true 或 false，实际为 {_show(ballot)}")
            counts = {k: _int(obj.get(k), f"{path}.{k}") for k in _MEETING_COUNTS}
            steps[key] = Meeting(
                _date(obj.get("date"), f"{path}.date"),
                counts["should_attend"], counts["present"], counts["for"], counts["against"],
                counts["abstain"], ballot,
            )
    return Timeline(birth, rules, as_of, steps)


# --------------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    rule: str
    step: str
    message: str
    source: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "step": self.step, "message": self.message, "source": self.source}


@dataclass(frozen=True)
class NextStep:
    step: str
    due: dt.date | None
    provisional: bool
    # How to read `due` (not part of the JSON): "deadline" (do it by then), "earliest" (not before),
    # "at" (when it becomes due), "periodic" (next regular assessment), None (no date rule).
    kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "due": self.due.isoformat() if self.due else None, "provisional": self.provisional}


@dataclass(frozen=True)
class Result:
    rules: str
    violations: tuple[Violation, ...]
    probation_end: dt.date | None
    next: tuple[NextStep, ...]
    as_of: dt.date = field(compare=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict of development.md's output (json.dumps(..., ensure_ascii=False))."""
        return {
            "rules": self.rules,
            "violations": [v.to_json() for v in self.violations],
            "probation_end": self.probation_end.isoformat() if self.probation_end else None,
            "next": [n.to_json() for n in self.next],
        }


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------

_PROVISIONAL_NOTE = "（截止日所在年度的节假日安排尚未录入，按周一至周五暂定）"
_PROVISIONAL_COUNT_NOTE = "（该年度节假日安排尚未录入，按周一至周五暂计）"
_MEETING_NAMES = {"admission_meeting": "讨论接收预备党员的支部大会", "full_meeting": "讨论转正的支部大会"}


class _Checker:
    def __init__(self, tl: Timeline, calendar: WorkdayCalendar, as_of: dt.date) -> None:
        self.tl = tl
        self.cal = calendar
        self.as_of = as_of
        self.violations: list[tuple[int, int, Violation]] = []

    # -- rule-set selection --

    def anchor(self, key: str) -> dt.date:
        """The date that decides the rule set for a rule attached to `key`."""
        d = self.tl.date_of(key)
        if d is not None:
            return d
        for earlier in reversed(SEQUENCE[: _SEQ_INDEX[key]]):
            d = self.tl.date_of(earlier)
            if d is not None:
                return d
        return self.as_of

    def ruleset(self, key: str) -> RuleSet:
        if self.tl.rules != "auto":
            return RULE_SETS[self.tl.rules]
        return rule_set_on(self.anchor(key))

    def overall(self) -> str:
        if self.tl.rules != "auto":
            return self.tl.rules
        dates = [d for d in (self.tl.date_of(k) for k in SEQUENCE) if d is not None]
        return rule_set_on(max(dates) if dates else self.as_of).version

    def applies(self, rule_id: str, key: str) -> bool:
        return self.ruleset(key).applies(rule_id)

    def violate(self, rule_id: str, key: str, message: str) -> None:
        rs = self.ruleset(key)
        if not rs.applies(rule_id):
            return
        self.violations.append(
            (_SEQ_INDEX[key], RULE_IDS.index(rule_id), Violation(rule_id, key, message, rs.source(rule_id)))
        )

    def deadline(self, base: dt.date, months: int) -> tuple[dt.date, bool]:
        """base + `months` calendar months (development.md), and whether it is provisional: in a year
        the calendar does not cover (or, with ROLL_DEADLINES, when rolling looked at such a day)."""
        due = add_months(base, months)
        if ROLL_DEADLINES:
            rolled = self.cal.roll_forward(due)
            return rolled.date, rolled.provisional or self.cal.is_provisional(due)
        return due, self.cal.is_provisional(due)

    def within(self, rule_id: str, key: str, base_key: str, months: int, label: str) -> None:
        """`key` happened no later than `months` calendar months after `base_key` (deadline rolled)."""
        d, base = self.tl.date_of(key), self.tl.date_of(base_key)
        if d is None or base is None or not self.applies(rule_id, key):
            return
        due, provisional = self.deadline(base, months)
        if d > due:
            # Without rolling the deadline itself is certain; only a rolled one can be a guess.
            note = _PROVISIONAL_NOTE if provisional and ROLL_DEADLINES else ""
            self.violate(
                rule_id, key,
                f"{step_name(key, self.ruleset(key).version)}（{d}）晚于{label}（{base}）后"
                f"{_months_text(months)}的期限（截止 {due}）{note}",
            )

    # -- the rules --

    def run(self) -> None:
        tl, steps = self.tl, self.tl.steps

        # age_18: 18 or older on the application date (birthday counts; 29 Feb → 28 Feb).
        app = tl.date_of("application")
        if tl.birth_date is not None and app is not None:
            adult = add_years(tl.birth_date, 18)
            if app < adult:
                self.violate("age_18", "application",
                             f"递交入党申请书时（{app}）未满十八周岁（出生日期 {tl.birth_date}，{adult} 年满十八周岁）")

        self.within("talk_within_1_month", "application_talk", "application", 1, "收到入党申请书")

        contacts = steps.get("contacts")
        if isinstance(contacts, Counted) and contacts.count is not None and not 1 <= contacts.count <= 2:
            self.violate("contacts_1_to_2", "contacts", f"培养联系人应为一至两名正式党员，实际为 {contacts.count} 名")

        activist, candidate = tl.date_of("activist"), tl.date_of("candidate")
        if activist is not None and candidate is not None:
            earliest = add_years(activist, 1)
            if candidate < earliest:
                self.violate("activist_min_one_year", "candidate",
                             f"确定为发展对象（{candidate}）时培养考察未满一年（{activist} 确定为入党积极分子，"
                             f"{earliest} 起方满一年）")

        publicity = steps.get(PUBLICITY)
        if isinstance(publicity, Span) and publicity.start and publicity.end:
            count = self.cal.count_workdays(publicity.start, publicity.end, inclusive=True)
            if count.count < 5:
                note = _PROVISIONAL_COUNT_NOTE if count.provisional else ""
                self.violate("publicity_5_workdays", PUBLICITY,
                             f"发展对象公示期（{publicity.start} 至 {publicity.end}）仅 {count.count} 个工作日，"
                             f"应不少于 5 个工作日{note}")
        approved = tl.date_of("candidate_approved")
        if isinstance(publicity, Span) and publicity.end and approved is not None and not publicity.end < approved:
            verb = self.ruleset("candidate_approved").approval_verb
            self.violate("publicity_before_approval", "candidate_approved",
                         f"公示至 {publicity.end} 结束，但上级党委已于 {approved} {verb}；应在公示结束后报上级党委{verb}")

        sponsors = steps.get("sponsors")
        if isinstance(sponsors, Counted) and sponsors.count is not None and sponsors.count != 2:
            self.violate("sponsors_2", "sponsors", f"入党介绍人应为两名正式党员，实际为 {sponsors.count} 名")

        training = steps.get("training")
        if isinstance(training, Training):
            # days ≥ 3 or hours ≥ 24: broken only when both are given and both short. With one measure
            # missing the rule's inputs are missing (development.md), so it is not reported.
            if (training.days is not None and training.hours is not None
                    and not (training.days >= 3 or training.hours >= 24)):
                self.violate("training_min", "training",
                             f"集中培训应不少于 3 天或不少于 24 学时，实际为 {_amount(training.days, '天')}、"
                             f"{_amount(training.hours, '学时')}")

        meeting = tl.date_of("admission_meeting")
        if meeting is not None:
            late = [(k, tl.date_of(k)) for k in ("political_review", "pre_review", "application_form")]
            late = [(k, d) for k, d in late if d is not None and not d < meeting]
            if late:
                items = "、".join(f"{step_name(k)}（{d}）" for k, d in late)
                self.violate("review_before_admission", "admission_meeting",
                             f"{items}应在支部大会讨论接收预备党员（{meeting}）之前完成")

        self.within("admission_within_1_month", "admission_meeting", "pre_review", 1, "上级党委预审")

        for key in ("admission_meeting", "full_meeting"):
            m = steps.get(key)
            if not isinstance(m, Meeting):
                continue
            name = f"{_MEETING_NAMES[key]}（{m.date}）" if m.date else _MEETING_NAMES[key]
            if m.should_attend is not None and m.present is not None and not 2 * m.present > m.should_attend:
                self.violate("quorum", key,
                             f"{name}到会有表决权的党员 {m.present} 人，未超过应到会有表决权党员 {m.should_attend} 人的半数")
            if m.should_attend is not None and m.votes_for is not None and not 2 * m.votes_for > m.should_attend:
                self.violate("vote_pass", key,
                             f"{name}赞成 {m.votes_for} 票，未超过应到会有表决权党员 {m.should_attend} 人的半数，决议不能通过")
            if m.secret_ballot is False:
                self.violate("secret_ballot", key, f"{name}未采取无记名投票方式表决")

        self.within("approval_within_3_months", "approval", "admission_meeting", 3, "支部大会讨论接收预备党员")
        self.within("oath_within_1_month", "oath", "approval", 1, "上级党委审批")

        probation_end = self.probation_end()
        full_meeting = tl.date_of("full_meeting")
        if probation_end is not None and full_meeting is not None and full_meeting < probation_end:
            self.violate("full_meeting_after_probation", "full_meeting",
                         f"讨论转正的支部大会（{full_meeting}）早于预备期满（{probation_end}）")

        self.within("full_approval_within_3_months", "full_approval", "full_meeting", 3, "支部大会讨论转正")

        # order: each present step on or after the nearest earlier present step.
        previous: tuple[str, dt.date] | None = None
        for key in SEQUENCE:
            d = tl.date_of(key)
            if d is None:
                continue
            if previous is not None and d < previous[1]:
                version = self.ruleset(key).version
                self.violate("order", key,
                             f"“{step_name(key, version)}”（{d}）早于前一步骤“{step_name(previous[0], version)}”"
                             f"（{previous[1]}）")
            previous = (key, d)

    def next_assessment(self) -> dt.date | None:
        """Half a year after the latest assessment, or after becoming an activist (第11条)."""
        activist = self.tl.date_of("activist")
        if activist is None:
            return None
        done = self.tl.steps.get("assessments") or ()
        return add_months(max((activist, *done)), 6)

    def probation_end(self) -> dt.date | None:
        meeting = self.tl.date_of("admission_meeting")
        return add_years(meeting, 1) if meeting is not None else None

    # -- what is due next --

    def due(self, key: str) -> NextStep | None:
        """Due date of `key` from the steps present, or None when it has no date rule / missing base."""
        tl = self.tl

        def deadline(base_key: str, months: int) -> NextStep | None:
            base = tl.date_of(base_key)
            if base is None:
                return None
            d, provisional = self.deadline(base, months)
            return NextStep(key, d, provisional, "deadline")

        def plain(d: dt.date | None, kind: str) -> NextStep | None:
            return NextStep(key, d, False, kind) if d is not None else None

        rules: dict[str, Callable[[], NextStep | None]] = {
            "application_talk": lambda: deadline("application", 1),
            "assessments": lambda: plain(self.next_assessment(), "periodic"),
            "candidate": lambda: plain(add_years(tl.date_of("activist"), 1) if tl.date_of("activist") else None,
                                       "earliest"),
            "admission_meeting": lambda: deadline("pre_review", 1),
            "approval_talk": lambda: deadline("admission_meeting", 3),
            "approval": lambda: deadline("admission_meeting", 3),
            "oath": lambda: deadline("approval", 1),
            "full_application": lambda: plain(self.probation_end(), "at"),
            "full_meeting": lambda: plain(self.probation_end(), "earliest"),
            "full_approval": lambda: deadline("full_meeting", 3),
        }
        compute = rules.get(key)
        return compute() if compute else None

    def next_steps(self) -> list[NextStep]:
        """The first missing step after the latest present one; plus later missing steps of the same
        stage that already have a deadline; plus the next half-yearly assessment while the applicant
        is an activist (activist present, candidate not yet)."""
        tl = self.tl
        present = [k for k in SEQUENCE if tl.has(k)]
        if not present:
            return [NextStep("application", None, False, None)]
        last = max(_SEQ_INDEX[k] for k in present)
        missing = [k for k in SEQUENCE[last + 1:] if not tl.has(k)]
        keys: list[str] = []
        if missing:
            first = missing[0]
            keys.append(first)
            for key in missing[1:]:
                if _stage_of(key) == _stage_of(first):
                    item = self.due(key)
                    if item is not None and item.kind == "deadline":
                        keys.append(key)
        if tl.date_of("activist") is not None and not tl.has("candidate") and "assessments" not in keys:
            keys.append("assessments")
        keys.sort(key=_SEQ_INDEX.__getitem__)
        return [self.due(k) or NextStep(k, None, False, None) for k in keys]


def _months_text(months: int) -> str:
    return {1: "一个月", 3: "三个月", 6: "六个月", 12: "一年"}.get(months, f"{months}个月")


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return f"未填{unit}数"
    text = f"{value:g}"
    return f"{text} {unit}"


def check_timeline(
    timeline: Mapping[str, Any] | Timeline,
    *,
    calendar: WorkdayCalendar,
    as_of: dt.date | None = None,
) -> Result:
    """Check a timeline (development.md JSON as a dict, or a parsed `Timeline`) against every rule.

    `as_of` is the day "due" is reckoned from; the timeline's own "as_of" wins when present, then this
    argument, then `zhibu.core.clock.today()`. Raises TimelineError for an invalid timeline.
    """
    tl = timeline if isinstance(timeline, Timeline) else parse_timeline(timeline)
    reference = tl.as_of or as_of
    if reference is None:
        from zhibu.core import clock

        reference = clock.today()
    checker = _Checker(tl, calendar, reference)
    checker.run()
    violations = tuple(v for _, _, v in sorted(checker.violations, key=lambda t: (t[0], t[1])))
    return Result(
        rules=checker.overall(),
        violations=violations,
        probation_end=checker.probation_end(),
        next=tuple(checker.next_steps()),
        as_of=reference,
    )
