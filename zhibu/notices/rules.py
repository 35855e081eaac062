"""Pure rules of notices, guides and tasks (no Django, no ORM).

Sources: rules2.md §5 (减负: report once — a figure the records hold is derived, never asked again;
no ranking of people, no forced check-ins), 中国共产党支部工作条例（试行） for the kinds of
组织生活 a guide may ask for (orglife's vocabulary)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SOURCE_REPORT_ONCE = "rules2.md §5（整治形式主义为基层减负若干规定：最多报一次）"

MATERIAL = "material"
YEAREND_PACK = "yearend_pack"
RECTIFY_REPORT = "rectify_report"
ORGLIFE_COUNT = "orglife_count"
MEMBER_COUNT = "member_count"
STUDY_HOURS = "study_hours"

TASK_KINDS = {
    MATERIAL: "报送材料（上传文件或填写文字，上级审核）",
    YEAREND_PACK: "年终材料包报送情况（由记录生成，支部确认）",
    RECTIFY_REPORT: "整改情况（由整改台账生成，支部确认）",
    ORGLIFE_COUNT: "三会一课开展次数（由组织生活记录生成，支部确认）",
    MEMBER_COUNT: "党员人数（由花名册生成，支部确认）",
    STUDY_HOURS: "学习时长（由学习记录生成，支部确认）",
}
DERIVED_KINDS = tuple(k for k in TASK_KINDS if k != MATERIAL)

# Words of a question whose answer the records hold, and the derived kind to use instead.
DERIVABLE_WORDS: tuple[tuple[str, str], ...] = (
    ("党员人数", MEMBER_COUNT),
    ("党员数", MEMBER_COUNT),
    ("预备党员", MEMBER_COUNT),
    ("党费", MEMBER_COUNT),  # 党费 is kept by the dues app: asking for it again is refused too
    ("三会一课", ORGLIFE_COUNT),
    ("会议次数", ORGLIFE_COUNT),
    ("党课次数", ORGLIFE_COUNT),
    ("主题党日次数", ORGLIFE_COUNT),
    ("学时", STUDY_HOURS),
    ("学习时长", STUDY_HOURS),
    ("整改完成", RECTIFY_REPORT),
    ("整改台账", RECTIFY_REPORT),
)
DUES_HINT = "党费收缴情况在“党费”台账中，上级可直接查看，不必让支部再报。"


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def derivable(text: str) -> tuple[str, str] | None:
    """(word, derived kind) when a question asks for a figure the app computes (rules2.md §5)."""
    for word, kind in DERIVABLE_WORDS:
        if word in text:
            return word, kind
    return None


def check_question(kind: str, title: str, body: str) -> None:
    """A 报送材料 task may not ask for a figure the records hold (最多报一次)."""
    if kind not in TASK_KINDS:
        raise RuleError("未知的任务类型。", "unknown_kind")
    if kind != MATERIAL:
        return
    found = derivable(f"{title}\n{body}")
    if found is None:
        return
    word, derived = found
    if word == "党费":
        raise RuleError(f"“{word}”已有记录，不能要求支部再报。{DUES_HINT}（{SOURCE_REPORT_ONCE}）", "derivable")
    raise RuleError(
        f"“{word}”可由系统根据支部已有记录算出，不能要求支部再报。请选择任务类型“{TASK_KINDS[derived]}”，"
        f"支部只需确认。（{SOURCE_REPORT_ONCE}）",
        "derivable",
    )


def rate(done: int, total: int) -> int | None:
    """A whole percentage, None when there is nothing to count."""
    if total <= 0:
        return None
    return round(100 * done / total)


def remind_key(notice_id: int, on: dt.date) -> str:
    """At most one reminder of a notice's unread addressees a day."""
    return f"notices:remind:notice={notice_id}:{on.isoformat()}"


def overdue_key(notice_id: int, sign_by: dt.date) -> str:
    return f"notices:overdue:notice={notice_id}:due={sign_by.isoformat()}"


@dataclass(frozen=True)
class GuideCheck:
    year: int
    month: int
    deadline: dt.date


def check_guide(year: int, month: int, deadline: dt.date, kinds: list[str], allowed: set[str]) -> None:
    if not 1 <= month <= 12:
        raise RuleError("月份须为1至12。", "month")
    if (deadline.year, deadline.month) < (year, month):
        raise RuleError("完成时限不能早于指南所在月份。", "deadline")
    bad = [k for k in kinds if k not in allowed]
    if bad:
        raise RuleError("未知的组织生活类别。", "kind")
