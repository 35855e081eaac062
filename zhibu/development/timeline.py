"""From a candidate's rows to the timeline dict that `rules.check_timeline` takes (development.md), so
the web app and `zhibu develop check` use the same rule functions.

    tl = build(candidate)                       # uses prefetched steps/links/assessments when present
    result = check(candidate, calendar=get_calendar(), as_of=clock.today())
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhibu.development import rules
from zhibu.development.models import Assessment, Candidate, Link, LinkRole, Override, StepRecord
from zhibu.workdays.calendar import add_months, add_years
from zhibu.workdays.calendar import WorkdayCalendar

# Steps recorded through the step form: every input key but the assessments (their own form), and the
# cancellation.
RECORDABLE = tuple(k for k in rules.SEQUENCE if k != "assessments") + (rules.CANCELLATION,)
# Steps decided by a 支部大会 vote (a tally is recorded): the admission, the outcomes at the end of 预备期.
MEETINGS = ("admission_meeting", rules.EXTENSION, "full_meeting", rules.CANCELLATION)
# The steps the rules put before the admission vote (细则 第16、18、19条): it is refused while one is missing.
BEFORE_ADMISSION = ("political_review", "committee_review", "pre_review", "application_form")
# What each outcome at the end of 预备期 needs first: the admission passed and approved.
AFTER_ADMISSION = ("admission_meeting", "approval")
# The steps that follow a vote, refused while the vote failed (a failed vote decides nothing).
AFTER_MEETING = {
    "admission_meeting": ("approval_talk", "approval", "filed", "assigned", "oath", rules.EXTENSION, "full_application",
                          "full_meeting", "full_approval", rules.CANCELLATION, "archived"),
    "full_meeting": ("full_approval",),
}
SPANS = (rules.PUBLICITY, "training")
COUNTED = {"contacts": LinkRole.CONTACT, "sponsors": LinkRole.SPONSOR}
# Outcomes of a 支部大会 rather than faults of the record: they do not stop the meeting being recorded
# (the result is 未通过) and are not counted as open violations; what may not follow a failed vote is
# refused by the services (AFTER_MEETING), not overridable.
RESULT_RULES = frozenset({"quorum", "vote_pass"})


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    f = float(value)
    return int(f) if f.is_integer() else f


def step_value(record: StepRecord, link_count: int | None = None) -> Any:
    """The JSON value of one recorded step."""
    key = record.step
    if key == rules.PUBLICITY:
        return {"start": _iso(record.date), "end": _iso(record.end_date)}
    if key == "training":
        return {"start": _iso(record.date), "end": _iso(record.end_date),
                "days": _number(record.training_days), "hours": _number(record.training_hours)}
    if key in MEETINGS:
        value = {"date": _iso(record.date), "should_attend": record.should_attend, "present": record.present,
                 "for": record.votes_for, "against": record.against, "abstain": record.abstain,
                 "secret_ballot": record.secret_ballot}
        if key == rules.EXTENSION:
            # A failed vote extends nothing: without its months the rules keep the 预备期 as it was.
            months = record.months if passed(record) is not False else None
            value.update(months=months, approval=_iso(record.approved_on))
        return value
    if key in COUNTED:
        return {"date": _iso(record.date), "count": link_count}
    return _iso(record.date)


def build(
    candidate: Candidate,
    *,
    steps: Iterable[StepRecord] | None = None,
    links: Iterable[Link] | None = None,
    assessments: Iterable[Assessment] | None = None,
    replace: Mapping[str, StepRecord] | None = None,
    link_counts: Mapping[str, int] | None = None,
    rules_version: str = "auto",
) -> dict[str, Any]:
    """The development.md timeline of `candidate`. `replace` substitutes proposed records (by step) and
    `link_counts` proposed contact/sponsor counts: the services check a change before writing it."""
    steps = list(candidate.steps.all() if steps is None else steps)
    links = list(candidate.links.all() if links is None else links)
    assessments = list(candidate.assessments.all() if assessments is None else assessments)
    by_step = {s.step: s for s in steps}
    by_step.update(replace or {})
    counts = {key: sum(1 for link in links if link.role == role) for key, role in COUNTED.items()}
    counts.update(link_counts or {})
    out: dict[str, Any] = {}
    for key in rules.SEQUENCE:  # (a cancellation is not part of the timeline: `derive` reads it)
        if key == "assessments":
            if assessments:
                out[key] = sorted(a.date.isoformat() for a in assessments)
            continue
        record = by_step.get(key)
        if record is not None:
            out[key] = step_value(record, counts.get(key))
    return {"birth_date": _iso(candidate.person.birth_date), "rules": rules_version, "steps": out}


def check(candidate: Candidate, *, calendar: WorkdayCalendar, as_of: dt.date, **kwargs: Any) -> rules.Result:
    return rules.check_timeline(build(candidate, **kwargs), calendar=calendar, as_of=as_of)


def _index(key: str) -> int:
    # The cancellation is decided where the 转正 would be (at the end of 预备期).
    return rules.SEQ_INDEX["full_meeting" if key == rules.CANCELLATION else key]


def blocking(result: rules.Result, step: str, overrides: Iterable[Override] = ()) -> list[rules.Violation]:
    """Violations that stop `step` from being recorded: those of the step itself and every one of an
    earlier step (a meeting's outcome excepted: see RESULT_RULES), less those the secretary has
    overridden."""
    done = {(o.rule, o.step) for o in overrides}
    out = []
    for v in result.violations:
        if (v.rule, v.step) in done or (v.rule in RESULT_RULES and v.step in MEETINGS):
            continue
        if v.step == step:
            out.append(v)
        elif v.step != step and _index(v.step) < _index(step):
            out.append(v)
    return out


def meeting_outcome(result: rules.Result, meeting: str, record: StepRecord | None) -> dict[str, Any] | None:
    """The result of a 支部大会 as the rules judge it: passed when quorum and vote_pass both hold."""
    if record is None or record.votes_for is None or record.should_attend is None:
        return None
    failed = [v for v in result.violations if v.step == meeting and v.rule in RESULT_RULES]
    return {"passed": not failed, "label": "通过" if not failed else "未通过", "violations": failed}


@dataclass(frozen=True)
class Shown:
    """A violation with whether (and why) the secretary overrode it."""

    violation: rules.Violation
    override: Override | None

    @property
    def overridden(self) -> bool:
        return self.override is not None


def annotate(result: rules.Result, overrides: Iterable[Override]) -> list[Shown]:
    by_key = {(o.rule, o.step): o for o in overrides}
    return [Shown(v, by_key.get((v.rule, v.step))) for v in result.violations]


def stage_of(present_keys: Iterable[str]) -> tuple[int, str]:
    """(stage, last step) from the keys present: the stage of the latest step in procedural order."""
    keys = [k for k in present_keys if k in rules.SEQ_INDEX]
    if not keys:
        return 1, ""
    last = max(keys, key=_index)
    return rules.stage_of(last), last


# --------------------------------------------------------------------------------------------------
# A candidate's status, derived in one place (services.refresh stores it, the pages, the reminders
# and the demo read the same function)
# --------------------------------------------------------------------------------------------------

# Due kinds that make a step overdue once passed: a deadline, a date something is due at (probation
# end → 转正申请), the next half-yearly assessment.
OVERDUE_KINDS = ("deadline", "at", "periodic")


def passed(record: StepRecord | None) -> bool | None:
    """Whether a 支部大会 recorded on `record` passed (quorum and 赞成 > half of 应到: 支部工作条例 第11条,
    细则 第20条); None when there is no tally."""
    if record is None or None in (record.should_attend, record.present, record.votes_for):
        return None
    return rules.vote_passed(record.should_attend, record.present, record.votes_for)


@dataclass
class Status:
    """What a candidate's file says now: the rules' check, and what the votes decided."""

    result: rules.Result  # the check of everything recorded (violations, as development.md defines them)
    stage: int
    last_step: str
    next: tuple[rules.NextStep, ...]  # what is due; after a failed vote: that vote again, nothing after it
    probation_end: dt.date | None  # None until an admission vote passed; moved by a passed extension
    failed: tuple[str, ...] = ()  # meetings whose vote failed
    extended_months: int | None = None  # a passed 延长预备期
    cancelled: bool = False  # 取消预备党员资格 passed and approved
    archived: bool = False  # 材料归档, or the file closed by a cancellation
    open_violations: int = 0
    violations: tuple[rules.Violation, ...] = field(default=())

    @property
    def first_due(self) -> rules.NextStep | None:
        """The next step to show: the earliest dated one, else the first."""
        due = [n for n in self.next if n.due is not None and n.kind in OVERDUE_KINDS]
        if due:
            return min(due, key=lambda n: n.due)
        return self.next[0] if self.next else None

    def stored(self) -> dict[str, Any]:
        """The denormalised Candidate columns."""
        first = self.first_due
        return {"stage": self.stage, "last_step": self.last_step, "archived": self.archived,
                "next_step": first.step if first else "", "next_due": first.due if first else None,
                "next_provisional": bool(first and first.provisional), "open_violations": self.open_violations}


def derive(
    candidate: Candidate,
    *,
    calendar: WorkdayCalendar,
    as_of: dt.date,
    steps: Iterable[StepRecord] | None = None,
    links: Iterable[Link] | None = None,
    assessments: Iterable[Assessment] | None = None,
    overrides: Iterable[Override] | None = None,
) -> Status:
    """The status of `candidate` (rows given, or prefetched / queried): the only place it is derived.

    A vote that failed decides nothing: what is due is reckoned as if the failed meeting and the steps
    after it had not happened (the vote is due again), and no 预备期 starts (or is extended) on it."""
    steps = list(candidate.steps.all() if steps is None else steps)
    links = list(candidate.links.all() if links is None else links)
    assessments = list(candidate.assessments.all() if assessments is None else assessments)
    overrides = list(candidate.overrides.all() if overrides is None else overrides)
    by_step = {s.step: s for s in steps}
    result = check(candidate, calendar=calendar, as_of=as_of, steps=steps, links=links, assessments=assessments)
    done = {(o.rule, o.step) for o in overrides}
    open_violations = sum(1 for v in result.violations
                          if (v.rule, v.step) not in done and not (v.rule in RESULT_RULES and v.step in MEETINGS))
    present = set(by_step) | ({"assessments"} if assessments else set())
    stage, last = stage_of(present)
    failed = tuple(k for k in MEETINGS if passed(by_step.get(k)) is False)

    nxt = result.next
    if set(failed) - {rules.CANCELLATION}:
        # What is due as if the failed meeting had not been held: an extension voted down leaves the
        # 预备期 as it was; a failed admission or 转正 vote also voids what was recorded after it.
        cut = min((rules.SEQ_INDEX[k] for k in failed if k in AFTER_MEETING), default=len(rules.SEQUENCE))
        kept = [s for s in steps if s.step not in failed and rules.SEQ_INDEX.get(s.step, cut) < cut]
        nxt = check(candidate, calendar=calendar, as_of=as_of, steps=kept, links=links, assessments=assessments).next

    admission = by_step.get("admission_meeting")
    probation_end = None
    extended = None
    if admission is not None and passed(admission) is not False:
        extension = by_step.get(rules.EXTENSION)
        if extension is not None and passed(extension) is not False and extension.months:
            extended = extension.months
            probation_end = add_months(admission.date, 12 + extension.months)
        else:
            probation_end = add_years(admission.date, 1)
    cancellation = by_step.get(rules.CANCELLATION)
    cancelled = bool(cancellation is not None and passed(cancellation) and cancellation.approved_on)
    if cancelled:
        nxt = ()
        stage, last = 5, rules.CANCELLATION
    elif cancellation is not None and passed(cancellation) and not cancellation.approved_on:
        due = add_months(cancellation.date, 3)  # 上级党委 approval within 3 months, as for the 转正
        nxt = (rules.NextStep(rules.CANCELLATION, due, calendar.is_provisional(due), "deadline"),)
    return Status(result=result, stage=stage, last_step=last, next=tuple(nxt), probation_end=probation_end,
                  failed=failed, extended_months=extended, cancelled=cancelled,
                  archived="archived" in present or cancelled, open_violations=open_violations,
                  violations=result.violations)
