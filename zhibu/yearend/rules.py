"""Rules of the year-end pack: pure data and functions, no ORM.

- The pack is written from the records the branch already keeps, never from a separate form
  (整治形式主义为基层减负若干规定, 中办、国办 2024: report once — rules2.md §5, N A); the 工作总结 is a
  draft the secretary edits before submitting.
- Branch-level statistics go up to the district, never rankings of members (same source).
- Which year a pack is for by default: the year that is ending — from December it is this year, in
  January and February (when districts collect last year's materials) the year before (local practice,
  L: a district may ask for another year; every page takes ?year=).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SOURCE = "整治形式主义为基层减负若干规定（中办、国办2024）"
SUMMARY_NAME = "工作总结"
INDEX_NAME = "材料目录"
MAX_SUMMARY_BYTES = 10 * 1024 * 1024
# The folder of each app's 台账 in the pack (apps not listed here: their verbose_name).
SOURCE_NAMES = {
    "plans": "工作计划",
    "orglife": "组织生活",
    "development": "发展党员",
    "dues": "党费",
    "rectify": "整改台账",
    "orglifemeeting": "组织生活会",
}


def default_year(today: dt.date) -> int:
    return today.year - 1 if today.month <= 2 else today.year


def as_of(year: int, today: dt.date) -> dt.date:
    """Records count up to the end of the year, or up to today while the year is still running."""
    return min(today, dt.date(year, 12, 31))


def months_elapsed(year: int, today: dt.date) -> int:
    if today.year > year:
        return 12
    if today.year < year:
        return 0
    return today.month


def percent(part: int | float, whole: int | float) -> str:
    """ "75%" ("—" when there is nothing to divide by); rounded half up to a whole percent."""
    if not whole:
        return "—"
    return f"{int(100 * part / whole + 0.5)}%"


@dataclass(frozen=True)
class MonthRow:
    month: int
    planned: int
    done: int

    @property
    def label(self) -> str:
        return f"{self.month}月"

    @property
    def rate(self) -> str:
        return percent(self.done, self.planned)


def month_rows(planned: dict[int, int], done: dict[int, int], last_month: int = 12) -> list[MonthRow]:
    """Planned vs done per month, January to `last_month`."""
    return [MonthRow(m, planned.get(m, 0), done.get(m, 0)) for m in range(1, last_month + 1)]


def plan_sentence(rows: list[MonthRow]) -> str:
    planned = sum(r.planned for r in rows)
    done = sum(r.done for r in rows)
    if not planned:
        return "本年度工作计划的行事历中没有登记工作事项。"
    behind = [r.label for r in rows if r.done < r.planned]
    text = f"全年行事历安排工作{planned}项（按月计），已完成{done}项，完成率{percent(done, planned)}。"
    if behind:
        text += f"{'、'.join(behind)}有未完成的事项。"
    return text


@dataclass(frozen=True)
class ObligationRow:
    label: str
    source: str
    periods: int  # periods of the year so far
    met: int
    held: int  # meetings of this kind held

    @property
    def missed(self) -> int:
        return max(self.periods - self.met, 0)


def obligation_sentence(rows: list[ObligationRow]) -> str:
    if not rows:
        return ""
    full = [r.label for r in rows if r.periods and r.met >= r.periods]
    short = [f"{r.label}（{r.met}/{r.periods}）" for r in rows if r.periods and r.met < r.periods]
    text = ""
    if full:
        text += f"{'、'.join(full)}均按规定频次开展。"
    if short:
        text += f"{'、'.join(short)}未达到规定频次，须在下一年度补齐。"
    return text


def safe_name(text: str) -> str:
    """A file or folder name inside the zip: no path separators or control characters."""
    cleaned = "".join(ch for ch in text if ch.isprintable() and ch not in '/\\:*?"<>|').strip(" .")
    return cleaned[:120] or "文件"
