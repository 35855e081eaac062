"""The check of a timeline against every rule: `check_timeline` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from zhibu.development.rules.parse import Counted, Extension, Meeting, Span, Timeline, Training, parse_timeline
from zhibu.development.rules.result import NextStep, Result, Violation
from zhibu.development.rules.rulesets import RULE_IDS, RULE_SETS, RuleSet, rule_set_on
from zhibu.development.rules.steps import (
    EXTENSION,
    OPTIONAL,
    ORDER_STAGES,
    PUBLICITY,
    SEQ_INDEX,
    SEQUENCE,
    stage_of,
    step_name,
)
from zhibu.workdays.calendar import WorkdayCalendar, add_months, add_years

# rules.md §5's "a period ending on a non-working day rolls to the next working day" is configurable;
# development.md's table states each deadline as plain calendar months, so it is off (see the package
# docstring).
ROLL_DEADLINES = False

_PROVISIONAL_NOTE = "（截止日所在年度的节假日安排尚未录入，按周一至周五暂定）"
_PROVISIONAL_COUNT_NOTE = "（该年度节假日安排尚未录入，按周一至周五暂计）"
_MEETING_NAMES = {
    "admission_meeting": "讨论接收预备党员的支部大会",
    "full_meeting": "讨论转正的支部大会",
    EXTENSION: "讨论延长预备期的支部大会",
}


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
        for earlier in reversed(SEQUENCE[: SEQ_INDEX[key]]):
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
            (SEQ_INDEX[key], RULE_IDS.index(rule_id), Violation(rule_id, key, message, rs.source(rule_id)))
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
                rule_id,
                key,
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
                self.violate(
                    "age_18",
                    "application",
                    f"递交入党申请书时（{app}）未满十八周岁（出生日期 {tl.birth_date}，{adult} 年满十八周岁）",
                )

        self.within("talk_within_1_month", "application_talk", "application", 1, "收到入党申请书")

        contacts = steps.get("contacts")
        if isinstance(contacts, Counted) and contacts.count is not None and not 1 <= contacts.count <= 2:
            self.violate("contacts_1_to_2", "contacts", f"培养联系人应为一至两名正式党员，实际为 {contacts.count} 名")

        activist, candidate = tl.date_of("activist"), tl.date_of("candidate")
        if activist is not None and candidate is not None:
            earliest = add_years(activist, 1)
            if candidate < earliest:
                self.violate(
                    "activist_min_one_year",
                    "candidate",
                    f"确定为发展对象（{candidate}）时培养考察未满一年（{activist} 确定为入党积极分子，"
                    f"{earliest} 起方满一年）",
                )

        publicity = steps.get(PUBLICITY)
        if isinstance(publicity, Span) and publicity.start and publicity.end:
            count = self.cal.count_workdays(publicity.start, publicity.end, inclusive=True)
            if count.count < 5:
                note = _PROVISIONAL_COUNT_NOTE if count.provisional else ""
                self.violate(
                    "publicity_5_workdays",
                    PUBLICITY,
                    f"发展对象公示期（{publicity.start} 至 {publicity.end}）仅 {count.count} 个工作日，"
                    f"应不少于 5 个工作日{note}",
                )
        approved = tl.date_of("candidate_approved")
        if isinstance(publicity, Span) and publicity.end and approved is not None and not publicity.end < approved:
            verb = self.ruleset("candidate_approved").approval_verb
            self.violate(
                "publicity_before_approval",
                "candidate_approved",
                f"公示至 {publicity.end} 结束，但上级党委已于 {approved} {verb}；应在公示结束后报上级党委{verb}",
            )

        sponsors = steps.get("sponsors")
        if isinstance(sponsors, Counted) and sponsors.count is not None and sponsors.count != 2:
            self.violate("sponsors_2", "sponsors", f"入党介绍人应为两名正式党员，实际为 {sponsors.count} 名")

        training = steps.get("training")
        if isinstance(training, Training):
            # days ≥ 3 or hours ≥ 24: broken only when both are given and both short. With one measure
            # missing the rule's inputs are missing (development.md), so it is not reported.
            if (
                training.days is not None
                and training.hours is not None
                and not (training.days >= 3 or training.hours >= 24)
            ):
                self.violate(
                    "training_min",
                    "training",
                    f"集中培训应不少于 3 天或不少于 24 学时，实际为 {_amount(training.days, '天')}、"
                    f"{_amount(training.hours, '学时')}",
                )

        meeting = tl.date_of("admission_meeting")
        if meeting is not None:
            late = [(k, tl.date_of(k)) for k in ("political_review", "pre_review", "application_form")]
            late = [(k, d) for k, d in late if d is not None and not d < meeting]
            if late:
                items = "、".join(f"{step_name(k)}（{d}）" for k, d in late)
                self.violate(
                    "review_before_admission",
                    "admission_meeting",
                    f"{items}应在支部大会讨论接收预备党员（{meeting}）之前完成",
                )

        self.within("admission_within_1_month", "admission_meeting", "pre_review", 1, "上级党委预审")

        for key in ("admission_meeting", EXTENSION, "full_meeting"):
            m = steps.get(key)
            if not isinstance(m, Meeting):
                continue
            name = f"{_MEETING_NAMES[key]}（{m.date}）" if m.date else _MEETING_NAMES[key]
            if m.should_attend is not None and m.present is not None and not 2 * m.present > m.should_attend:
                self.violate(
                    "quorum",
                    key,
                    f"{name}到会有表决权的党员 {m.present} 人，未超过应到会有表决权党员 {m.should_attend} 人的半数",
                )
            if m.should_attend is not None and m.votes_for is not None and not 2 * m.votes_for > m.should_attend:
                self.violate(
                    "vote_pass",
                    key,
                    f"{name}赞成 {m.votes_for} 票，未超过应到会有表决权党员 {m.should_attend} 人的半数，决议不能通过",
                )
            if m.secret_ballot is False:
                self.violate("secret_ballot", key, f"{name}未采取无记名投票方式表决")

        self.within("approval_within_3_months", "approval", "admission_meeting", 3, "支部大会讨论接收预备党员")
        self.within("oath_within_1_month", "oath", "approval", 1, "上级党委审批")

        # 延长预备期 (细则 第31、33条; 党章 第7条): once, ≥ half a year and ≤ one year; approved within 3 months.
        extension = steps.get(EXTENSION)
        if isinstance(extension, Extension):
            if extension.months is not None and not 6 <= extension.months <= 12:
                self.violate(
                    "extension_6_to_12_months",
                    EXTENSION,
                    f"延长预备期 {extension.months} 个月；延长时间不能少于半年（6个月），最长不超过一年（12个月）",
                )
            if (
                extension.date is not None
                and extension.approval is not None
                and self.applies("extension_approval_within_3_months", EXTENSION)
            ):
                due, _provisional = self.deadline(extension.date, 3)
                if extension.approval > due:
                    self.violate(
                        "extension_approval_within_3_months",
                        EXTENSION,
                        f"上级党委审批延长预备期（{extension.approval}）晚于讨论延长预备期的支部大会"
                        f"（{extension.date}）后三个月的期限（截止 {due}）",
                    )

        probation_end = self.probation_end()
        full_meeting = tl.date_of("full_meeting")
        if probation_end is not None and full_meeting is not None and full_meeting < probation_end:
            self.violate(
                "full_meeting_after_probation",
                "full_meeting",
                f"讨论转正的支部大会（{full_meeting}）早于预备期满（{probation_end}）",
            )

        self.within("full_approval_within_3_months", "full_approval", "full_meeting", 3, "支部大会讨论转正")

        self.check_order()

    def check_order(self) -> None:
        """`order` (development.md § "Order of steps"), a partial order: every step of a stage is on or
        after every step of all earlier stages; steps of one stage in any order among themselves.
        Reported once, on the first step (in stage order) dated before a step of an earlier stage; the
        message names that step and the latest step of the earlier stages."""
        latest: tuple[str, dt.date] | None = None  # the latest date of all stages before the current one
        for keys in ORDER_STAGES:
            stage_latest = latest
            for key in keys:
                dates = self.tl.dates_of(key)
                if not dates:
                    continue
                if latest is not None and min(dates) < latest[1]:
                    version = self.ruleset(key).version
                    self.violate(
                        "order",
                        key,
                        f"“{step_name(key, version)}”（{min(dates)}）早于前一阶段的“"
                        f"{step_name(latest[0], version)}”（{latest[1]}）",
                    )
                    return
                if stage_latest is None or max(dates) > stage_latest[1]:
                    stage_latest = (key, max(dates))
            latest = stage_latest

    def earliest_candidate(self) -> dt.date | None:
        """A year after becoming an activist (第13条)."""
        activist = self.tl.date_of("activist")
        return add_years(activist, 1) if activist is not None else None

    def next_assessment(self) -> dt.date | None:
        """Half a year after the latest assessment, or after becoming an activist (第11条)."""
        activist = self.tl.date_of("activist")
        if activist is None:
            return None
        done = self.tl.steps.get("assessments") or ()
        return add_months(max((activist, *done)), 6)

    def probation_end(self) -> dt.date | None:
        """admission_meeting + 1 year (细则 第31条); with an extension, + 12 + extension.months calendar
        months (development.md)."""
        meeting = self.tl.date_of("admission_meeting")
        if meeting is None:
            return None
        extension = self.tl.steps.get(EXTENSION)
        if isinstance(extension, Extension) and extension.months is not None:
            return add_months(meeting, 12 + extension.months)
        return add_years(meeting, 1)

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
            "candidate": lambda: plain(self.earliest_candidate(), "earliest"),
            "admission_meeting": lambda: deadline("pre_review", 1),
            "approval_talk": lambda: deadline("admission_meeting", 3),
            "approval": lambda: deadline("admission_meeting", 3),
            "oath": lambda: deadline("approval", 1),
            "full_application": lambda: plain(self.probation_end(), "at"),
            "full_meeting": lambda: plain(self.probation_end(), "earliest"),
            "full_approval": lambda: deadline("full_meeting", 3),
            EXTENSION: lambda: deadline(EXTENSION, 3),
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
        last = max(SEQ_INDEX[k] for k in present)
        missing = [k for k in SEQUENCE[last + 1 :] if not tl.has(k) and k not in OPTIONAL]
        keys: list[str] = []
        if missing:
            first = missing[0]
            keys.append(first)
            for key in missing[1:]:
                if stage_of(key) == stage_of(first):
                    item = self.due(key)
                    if item is not None and item.kind == "deadline":
                        keys.append(key)
        if tl.date_of("activist") is not None and not tl.has("candidate") and "assessments" not in keys:
            keys.append("assessments")
        extension = tl.steps.get(EXTENSION)
        if (
            isinstance(extension, Extension)
            and extension.date is not None
            and extension.approval is None
            and not tl.has("full_approval")
        ):
            keys.append(EXTENSION)  # the 上级党委's approval of the extension is due
        keys.sort(key=SEQ_INDEX.__getitem__)
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
