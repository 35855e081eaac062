"""The district assessment's rules: pure data and functions, no ORM.

Sources: rules2.md §13 — the 五好 model (领导班子好, 党员队伍好, 工作机制好, 工作业绩好, 群众反映好,
20 points each) is local practice (L), so a district edits its rubric as data; tiers 先进/中间/后进
(共产党员网 guidance, N B) by thresholds the district sets; 述职评议 grades 好/较好/一般/差 (中组部
办法 2019, N B). rules2.md §5 (减负, N A): derived items come from the records branches keep, so
nothing the records show is asked of a branch again; photos are optional evidence.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

GROUPS = ("领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "群众反映好")

# (group, label, points, measure key or "" for manual, guidance for a manual item)
DEFAULT_ITEMS: tuple[tuple[str, str, int, str, str], ...] = (
    ("领导班子好", "组织生活会按时召开", 10, "olm_held", ""),
    ("领导班子好", "支部委员会按期换届", 5, "election_on_time", ""),
    ("领导班子好", "书记抓党建工作", 5, "", "结合书记述职评议情况评定"),
    ("党员队伍好", "党员学习学时达标", 8, "study_hours", ""),
    ("党员队伍好", "民主评议党员按时完成", 7, "review_finalised", ""),
    ("党员队伍好", "党员先锋模范作用", 5, "", "可附典型事例材料（非必须）"),
    ("工作机制好", "三会一课按期开展", 12, "orglife_obligations", ""),
    ("工作机制好", "党费按时交纳", 8, "dues_on_time", ""),
    ("工作业绩好", "年度工作计划完成", 10, "plan_done", ""),
    ("工作业绩好", "整改问题按期销号", 10, "rectify_closed", ""),
    ("群众反映好", "教职工和家长满意度", 20, "", "依据上级组织的满意度测评结果评定"),
)

DEFAULT_ADVANCED = 90  # % of the rubric's total points: 先进 at or above
DEFAULT_BACKWARD = 60  # below: 后进

ADVANCED, MIDDLE, BACKWARD = "advanced", "middle", "backward"
TIERS = ((ADVANCED, "先进"), (MIDDLE, "中间"), (BACKWARD, "后进"))
TIER_LABELS = dict(TIERS)

GRADES = (("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "差"))
GRADE_LABELS = dict(GRADES)

TENTH = Decimal("0.1")


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def points_for(points: Decimal | int, value: float) -> Decimal:
    """A derived item's score: its points × the measure's fraction (clipped to 0–1), to 0.1."""
    value = max(0.0, min(1.0, float(value or 0.0)))
    return (Decimal(points) * Decimal(str(value))).quantize(TENTH, rounding=ROUND_HALF_UP)


def tier(score: Decimal | float, total: Decimal | float, advanced: int, backward: int) -> str:
    """先进 when the score reaches `advanced`% of the total, 后进 below `backward`%, else 中间."""
    if not total:
        return MIDDLE
    pct = Decimal(str(score)) * 100 / Decimal(str(total))
    if pct >= advanced:
        return ADVANCED
    if pct < backward:
        return BACKWARD
    return MIDDLE


def check_thresholds(advanced: int, backward: int) -> None:
    if not (0 <= backward <= advanced <= 100):
        raise RuleError("分档线应满足：0 ≤ 后进线 ≤ 先进线 ≤ 100。", "thresholds")


def check_manual_points(points: Decimal, maximum: Decimal | int) -> None:
    if points < 0 or points > Decimal(maximum):
        raise RuleError(f"得分应在0—{maximum}分之间。", "points_range")
