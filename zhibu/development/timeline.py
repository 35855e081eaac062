"""From a candidate's rows to the timeline dict that `rules.check_timeline` takes (development.md), so
the web app and `zhibu develop check` use the same rule functions.

    tl = build(candidate)                       # uses prefetched steps/links/assessments when present
    result = check(candidate, calendar=get_calendar(), as_of=clock.today())
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zhibu.development import rules
from zhibu.development.models import Assessment, Candidate, Link, LinkRole, Override, StepRecord
from zhibu.workdays.calendar import WorkdayCalendar

MEETINGS = ("admission_meeting", "full_meeting")
SPANS = (rules.PUBLICITY, "training")
COUNTED = {"contacts": LinkRole.CONTACT, "sponsors": LinkRole.SPONSOR}
# Outcomes of a 支部大会 rather than faults of the record: they do not stop the meeting being recorded
# (the result is 未通过), but they block every later step.
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
        return {"date": _iso(record.date), "should_attend": record.should_attend, "present": record.present,
                "for": record.votes_for, "against": record.against, "abstain": record.abstain,
                "secret_ballot": record.secret_ballot}
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
    for key in rules.SEQUENCE:
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
    return rules.SEQUENCE.index(key)


def blocking(result: rules.Result, step: str, overrides: Iterable[Override] = ()) -> list[rules.Violation]:
    """Violations that stop `step` from being recorded: those of the step itself (except a meeting's
    outcome) and every one of an earlier step, less those the secretary has overridden."""
    done = {(o.rule, o.step) for o in overrides}
    out = []
    for v in result.violations:
        if (v.rule, v.step) in done:
            continue
        if v.step == step and v.rule not in RESULT_RULES:
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
    keys = [k for k in present_keys if k in rules.SEQUENCE]
    if not keys:
        return 1, ""
    last = max(keys, key=_index)
    stage = 3 if last == rules.PUBLICITY else rules.STEP_BY_ID[last].stage
    return stage, last
