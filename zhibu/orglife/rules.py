"""Rules of organisational life (三会一课 and the rest): pure data and functions, no ORM.

Every obligation carries its source (regulation + article). Frequencies are defaults: a branch may
adjust those marked `configurable` (local practice), never those fixed by regulation.
"""
from __future__ import annotations

from dataclasses import dataclass

# Frequencies an obligation can have.
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
FREQUENCIES = (MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)

TIAOLI = "中国共产党支部工作条例(试行)"
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
    Obligation("party_lecture", "党课", QUARTERLY, f"{TIAOLI} 第16条(各地通行做法:每季度一次)", configurable=True),
    Obligation("theme_day", "主题党日", MONTHLY, f"{JIAOYU} 第16条"),
    Obligation("org_life_meeting", "组织生活会", YEARLY, f"{TIAOLI} 第17条"),
    Obligation("member_evaluation", "民主评议党员", YEARLY, f"{JIAOYU} 第18条", configurable=True),
    Obligation("heart_talk", "谈心谈话", YEARLY, f"{TIAOLI} 第19条", per_pair=True),
)

OBLIGATIONS_BY_KIND = {o.kind: o for o in DEFAULT_OBLIGATIONS}


def period_months(frequency: str) -> int:
    """Length in months of one period of a frequency."""
    return {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}[frequency]
