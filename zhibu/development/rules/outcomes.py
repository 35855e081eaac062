"""What a 支部大会 decided, and what may be decided at the end of 预备期 (rules2.md §9).

A 支部大会 passes a resolution when more than half of the voting members who should attend are present
and more than half of them vote for it (支部工作条例 第11条; 细则 第20条); the same rule holds for the
admission, the extension and the 转正 meetings and for a cancellation (细则 第32—34条; 党章 第7条).
At the end of 预备期 the branch confirms (转正), extends once by 6–12 months, or cancels the 预备党员's
status; after an extension only confirmation or cancellation remain.
"""

from __future__ import annotations

from enum import StrEnum


def quorum_met(should_attend: int, present: int) -> bool:
    """More than half of the voting members who should attend are present."""
    return 2 * present > should_attend


def vote_passed(should_attend: int, present: int, votes_for: int) -> bool:
    """Quorum, and 赞成 by more than half of those who should attend (not of those present)."""
    return quorum_met(should_attend, present) and 2 * votes_for > should_attend


class ProbationOutcome(StrEnum):
    CONFIRM = "confirm"  # 按期转正 / 延长期满转正
    EXTEND = "extend"  # 延长预备期 (once, 6–12 months)
    CANCEL = "cancel"  # 取消预备党员资格


OUTCOME_LABELS = {
    ProbationOutcome.CONFIRM: "转为正式党员",
    ProbationOutcome.EXTEND: "延长预备期",
    ProbationOutcome.CANCEL: "取消预备党员资格",
}

EXTENSION_MONTHS = (6, 12)  # at least half a year, at most one year (党章 第7条)


def probation_options(*, extended: bool) -> tuple[ProbationOutcome, ...]:
    """What the 支部大会 may decide at the end of 预备期: an extension only once."""
    if extended:
        return (ProbationOutcome.CONFIRM, ProbationOutcome.CANCEL)
    return (ProbationOutcome.CONFIRM, ProbationOutcome.EXTEND, ProbationOutcome.CANCEL)


def extension_months_valid(months: int) -> bool:
    return EXTENSION_MONTHS[0] <= months <= EXTENSION_MONTHS[1]
