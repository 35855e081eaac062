"""发展党员 (admitting new Party members): the 25 steps and the timeline rules, as pure functions.

No ORM and no Django here: the web app and `zhibu develop check` both call `check_timeline` with a
plain dict (the JSON of development.md, the command's contract) and a `WorkdayCalendar`.

Modules: `steps` (the 25 steps, input keys, the stages of `order`), `rulesets` (rule identifiers and
their articles per 细则 version), `parse` (the timeline JSON, TimelineError), `result` (what a check
returns), `check` (the rules themselves), `outcomes` (what a 支部大会 at the end of 预备期 decided).
Everything is re-exported here: `from zhibu.development.rules import X` is the public API.

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

from zhibu.development.rules.check import ROLL_DEADLINES, check_timeline
from zhibu.development.rules.outcomes import (
    EXTENSION_MONTHS,
    OUTCOME_LABELS,
    ProbationOutcome,
    extension_months_valid,
    probation_options,
    quorum_met,
    vote_passed,
)
from zhibu.development.rules.parse import (
    Counted,
    Extension,
    Meeting,
    Span,
    Timeline,
    TimelineError,
    Training,
    parse_timeline,
)
from zhibu.development.rules.result import NextStep, Result, Violation
from zhibu.development.rules.rulesets import (
    RULE_DESCRIPTIONS,
    RULE_IDS,
    RULE_SETS,
    RULES_2014,
    RULES_2026,
    RULES_2026_EFFECTIVE,
    RuleSet,
    rule_set_on,
)
from zhibu.development.rules.steps import (
    CANCELLATION,
    CANCELLATION_NAME,
    EXTENSION,
    EXTENSION_NAME,
    OPTIONAL,
    ORDER_STAGE_OF,
    ORDER_STAGES,
    PUBLICITY,
    PUBLICITY_NAME,
    SEQ_INDEX,
    SEQUENCE,
    STAGES,
    STEP_BY_ID,
    STEPS,
    Step,
    stage_of,
    step_name,
)
from zhibu.workdays.calendar import add_months, add_years

__all__ = [
    "RULES_2026_EFFECTIVE",
    "ROLL_DEADLINES",
    "STAGES",
    "STEPS",
    "STEP_BY_ID",
    "SEQUENCE",
    "SEQ_INDEX",
    "ORDER_STAGES",
    "ORDER_STAGE_OF",
    "OPTIONAL",
    "PUBLICITY",
    "PUBLICITY_NAME",
    "EXTENSION",
    "CANCELLATION",
    "CANCELLATION_NAME",
    "EXTENSION_NAME",
    "RULE_IDS",
    "RULE_DESCRIPTIONS",
    "RULE_SETS",
    "RULES_2014",
    "RULES_2026",
    "RuleSet",
    "Step",
    "Timeline",
    "TimelineError",
    "Counted",
    "Span",
    "Training",
    "Meeting",
    "Extension",
    "Violation",
    "NextStep",
    "Result",
    "parse_timeline",
    "check_timeline",
    "rule_set_on",
    "stage_of",
    "step_name",
    "EXTENSION_MONTHS",
    "OUTCOME_LABELS",
    "ProbationOutcome",
    "extension_months_valid",
    "probation_options",
    "quorum_met",
    "vote_passed",
    "add_months",
    "add_years",
]
