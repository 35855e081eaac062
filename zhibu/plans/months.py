"""Month and period expressions at the start of a line (一月份, 二、三月份, 1-3月, 第一季度, 上学期,
第一阶段(3-4月) …) and month headings. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhibu.plans.text import _BULLETS, _RE_CN_PREFIX, _cn_int, _numbering
from zhibu.plans.vocabulary import SEASON_MONTHS

# ---------------------------------------------------------------------------------------------
# Month headings
# ---------------------------------------------------------------------------------------------

_MNUM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九]|元)"
_YEAR_PREFIX = r"(?:(?:(?:\d{4}|20[xX_]{2}|[〇零一二三四五六七八九]{4})\s*年(?:度)?|次年|翌年|来年|明年)\s*)?"
_MONTH_SUFFIX = (
    r"(?:上旬|中旬|下旬|上半月|下半月|初|中|底|末)?(?:的)?(?:主要|重点|具体|常规)?(?:工作|活动|任务)?"
    r"(?:安排|重点|要点|计划|内容)?"
)
_RANGE_SEP = r"\s*(?:-+|~|至|到)\s*(?:次年|翌年|下年|来年)?\s*"
_LIST_SEP = r"\s*(?:[、,/和及与]|\s)?\s*"

_RE_RANGE = re.compile(rf"^{_YEAR_PREFIX}(?P<a>{_MNUM})\s*(?:月份|月)?{_RANGE_SEP}(?P<b>{_MNUM})\s*(?:月份|月)")
_ANUM = r"\d{1,2}"
_CNUM = r"(?:十[一二]?|[一二三四五六七八九]|元)"
_RE_LIST = re.compile(
    rf"^{_YEAR_PREFIX}(?P<list>{_ANUM}(?:\s*(?:月份|月))?(?:{_LIST_SEP}{_ANUM}(?:\s*(?:月份|月))?)+?|"
    rf"{_CNUM}(?:\s*(?:月份|月))?(?:{_LIST_SEP}{_CNUM}(?:\s*(?:月份|月))?)+?)\s*(?:月份|月)"
)
_RE_SINGLE = re.compile(rf"^{_YEAR_PREFIX}(?P<a>{_MNUM})\s*(?:月份|月)")
_RE_QUARTER = re.compile(
    r"^(?:第(?P<q>[一二三四1-4](?:\s*[、,和及至到-]\s*[一二三四1-4])*)|(?P<q2>[一二三四1-4]))\s*季度"
)
_RE_SEASON = re.compile("^(?:" + "|".join(sorted(map(re.escape, SEASON_MONTHS), key=len, reverse=True)) + ")")
# any numbering or bullet in front of a month heading: "1、二月份:", "(1)三月份:", "● 五月份", "【四月份】"
_RE_ANY_PREFIX = re.compile(
    rf"^(?:\d{{1,2}}\s*[、.)]|\(\s*\d{{1,2}}\s*\)|[{_BULLETS}]|【|\[|"
    rf"\((?=[^()]{{1,12}}?(?:月份|月|季度|半年|寒假|暑假)[^()]{{0,8}}\)))\s*"
)
_RE_DAY = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]")
_RE_THEME = re.compile(
    r"^(?:【?第[一二三四五六七八九十\d]{1,3}专题|专题[一二三四五六七八九十\d]*\s*[:】]|"
    r"【?(?:活动|学习|本月|月度|教育)?主题\s*[:】为是])"
)
_RE_THEME_LABEL = re.compile(r"^(?:【(?:活动|学习|本月|月度|教育)?主题】|(?:活动|学习|本月|月度|教育)?主题\s*:)\s*")
_SEPARATORS = ":;,.、 -~】])"
# "十二月份及寒假", "七月及暑假": a second month expression joined to the first
_RE_JOIN = re.compile(r"\s*(?:及|和|与|暨|、|,|/|\+)\s*")


@dataclass
class _MonthHead:
    months: list[int]
    strict: bool  # followed by nothing / a separator / a theme / items
    rest_start: int  # index in the (stripped) line where the rest starts
    theme_paren: str | None = None  # theme given in a parenthesis after the month


def _months_from_match(m: re.Match, kind: str) -> list[int] | None:
    if kind == "range":
        a, b = _cn_int(m.group("a")), _cn_int(m.group("b"))
        if a is None or b is None or not (1 <= a <= 12 and 1 <= b <= 12):
            return None
        if a <= b:
            return list(range(a, b + 1))
        return sorted(set(range(a, 13)) | set(range(1, b + 1)))
    if kind == "list":
        parts = re.findall(_MNUM, m.group("list"))
        nums = [_cn_int(p) for p in parts]
        if any(n is None or not 1 <= n <= 12 for n in nums):
            return None
        return sorted(set(nums))  # type: ignore[arg-type]
    a = _cn_int(m.group("a"))
    if a is None or not 1 <= a <= 12:
        return None
    return [a]


def _month_expr(n: str) -> tuple[list[int], int, bool] | None:
    """Month expression at the start of n: (months, end index, is_season_word)."""
    first = _month_expr1(n)
    if first is None:
        return None
    months, end, season = first
    while True:
        j = _RE_JOIN.match(n, end)
        if j is None or j.end() >= len(n):
            break
        nxt = _month_expr1(n[j.end() :])
        # only a season word or a spelled-out month joined by 及/和 ("十二月份及寒假"); plain 、 lists are
        # the list regex's business
        if nxt is None or (not nxt[2] and n[j.start() : j.end()].strip() in ("、", ",", "/")):
            break
        months = sorted(set(months) | set(nxt[0]))
        end = j.end() + nxt[1]
        season = season and nxt[2]
    return months, end, season


_RE_STAGE = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,2}|[一二三四五六七八九十]{1,2})阶段\s*(?:[(:]\s*)?")


def _month_expr1(n: str) -> tuple[list[int], int, bool] | None:
    m = _RE_STAGE.match(n)
    if m:  # 第一阶段(3-4月): the months in the heading; a stage without months is no period
        inner = _month_expr1(n[m.end() :]) if not _RE_STAGE.match(n[m.end() :]) else None
        if inner is None:
            return None
        end = m.end() + inner[1]
        if n[end : end + 1] == ")":
            end += 1
        return inner[0], end, True
    m = _RE_QUARTER.match(n)
    if m:
        qs = re.findall(r"[一二三四1-4]", m.group("q") or m.group("q2"))
        if re.search(r"[至到-]", m.group("q") or ""):
            lo, hi = _cn_int(qs[0]), _cn_int(qs[-1])
            qs_int: list[int | None] = list(range(lo, hi + 1)) if lo and hi and lo <= hi else [_cn_int(q) for q in qs]
        else:
            qs_int = [_cn_int(q) for q in qs]
        months = sorted({3 * (q - 1) + k for q in qs_int if q for k in (1, 2, 3)})
        return months, m.end(), True
    m = _RE_SEASON.match(n)
    if m:
        return sorted(SEASON_MONTHS[m.group(0)]), m.end(), True
    candidates = []
    for kind, rx in (("range", _RE_RANGE), ("list", _RE_LIST), ("single", _RE_SINGLE)):
        m = rx.match(n)
        if m:
            found = _months_from_match(m, kind)
            if found:
                candidates.append((found, m.end(), kind))
    if not candidates:
        return None
    months, end, kind = max(candidates, key=lambda c: c[1])
    suffix = re.match(_MONTH_SUFFIX, n[end:])
    if suffix:
        end += suffix.end()
    return months, end, False


def _month_heading(n: str) -> _MonthHead | None:
    """Parse a month heading at the start of the normalised stripped line n."""
    head = _month_heading_at(n, 0)
    if head is not None:
        # 三、五月份 is more likely section 三 + 五月 than the months 3 and 5.
        lm = _RE_LIST.match(n)
        if lm and head.strict:
            nums = [_cn_int(p) for p in re.findall(_MNUM, lm.group("list"))]
            if len(nums) == 2 and nums[0] and nums[1] and nums[1] != nums[0] % 12 + 1 and "、" in lm.group("list"):
                p = _RE_CN_PREFIX.match(n)
                if p:
                    alt = _month_heading_at(n, p.end())
                    if alt is not None and alt.strict:
                        return alt
        if head.strict:
            return head
    for rx in (_RE_CN_PREFIX, _RE_ANY_PREFIX):
        p = rx.match(n)
        if p:
            alt = _month_heading_at(n, p.end())
            if alt is not None and alt.strict:
                return alt
    if head is not None and _RE_LIST.match(n) and not _RE_RANGE.match(n):
        return None  # "1、3月份召开…" is item 1, not the months 1 and 3
    return head


def _month_heading_at(n: str, start: int) -> _MonthHead | None:
    expr = _month_expr(n[start:])
    if expr is None:
        return None
    months, end, season = expr
    end += start
    tail = n[end:]
    if not tail.strip():
        return _MonthHead(months, True, len(n))
    day = _RE_DAY.match(tail)
    if day is not None:  # 3月5日 …: a dated line
        after_day = tail[day.end() :]
        if not after_day.strip(_SEPARATORS + "()"):
            return _MonthHead(months, True, len(n))
        return None if season else _MonthHead(months, False, start)
    if tail.startswith("("):
        close = tail.find(")")
        if close > 0:
            inner = tail[1:close]
            after = tail[close + 1 :]
            if not after.strip() or after[0] in _SEPARATORS:
                theme = None
                if re.search("主题|专题", inner):
                    theme = re.sub(r"^(?:活动|学习|本月|月度|教育)?主题\s*[:为是]?\s*", "", inner.strip()) or None
                rest = end + close + 1
                while rest < len(n) and n[rest] in _SEPARATORS:
                    rest += 1
                return _MonthHead(months, True, rest, theme)
        return None if season else _MonthHead(months, False, start)
    if tail[0] in _SEPARATORS or tail[0] in "\t":
        rest = end
        while rest < len(n) and n[rest] in _SEPARATORS:
            rest += 1
        return _MonthHead(months, True, rest)
    if _RE_THEME.match(tail) or _numbering(tail) is not None:
        return _MonthHead(months, True, end)
    if season:
        return None
    return _MonthHead(months, False, start)
