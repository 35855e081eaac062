"""The plan's prose commitments ("targets"): pure Python, no Django.

Contract: plan-import.md, `parse --json` → "targets". A target is a clause of the plan, wherever it
stands (a section, the calendar, a closing paragraph), that commits the branch to a frequency
("每两周组织一次全体教职工政治学习") or an amount ("优秀党员比例不超过10%", "每人每学期读书1本").

    targets(lines) -> list[Target]     # lines: the plan's (original, normalised) lines

How a target is found (heuristics, tunable data below):
* Lines are split into sentences at 。;!? and sentences into clauses at ,; a clause holding a
  frequency (EVERY) or an amount (AMOUNT) is a target. A clause with no kind of its own takes the
  clauses before it in the same sentence ("组织党员学习,每周一次"), or the kind of the target just
  before it ("每年读书1本,撰写心得不少于10000字").
* kind: the first kind `classify` gives (vocabulary order, meetings first), or `review_cap` for a cap
  on a share of 优秀 / 评优 (REVIEW_CAP). A clause with no kind is not a target.
* every: {"n", "unit"} with unit day, week, month, quarter, semester or year (每两周 → 2 week,
  每半年 → 6 month, 每学年 → 1 year).
* amount: {"value", "unit"} for %, 分, 小时, 学时, 本, 篇, 字, 名, 人, 次; a range ("1-2名") gives
  value = the lower bound and "max" = the upper one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "半": 0}

# (pattern, unit, n) — n None: take it from the group "n"
EVERY_UNITS: tuple[tuple[str, str], ...] = (
    ("(?:天|日)", "day"),
    ("(?:周|星期|礼拜)", "week"),
    ("(?:个)?月", "month"),
    ("(?:个)?季度|季", "quarter"),
    ("(?:个)?学期", "semester"),
    ("(?:个)?学年|年度?", "year"),
)
_NUM = r"(?P<n>\d{1,2}|[一两二三四五六七八九十])?"
_RE_EVERY = re.compile(
    rf"(?:每|隔)\s*{_NUM}\s*(?P<unit>(?:个)?(?:天|日(?!常)|周|星期|礼拜|月|季度|季|学期|学年|年度|年|半年))"
)
_RE_HALF_YEAR = re.compile(r"每\s*半\s*年")
# "日学一小时、月读一本书、年记一万字": a bare 日/月/年 opening a clause or a quoted slogan, before a verb
_RE_UNIT_VERB = re.compile(r"(?:^|[^\u4e00-\u9fff\d])(?P<unit>日|月|年)(?=[学读记写看])")
_UNIT_VERB = {"日": "day", "月": "month", "年": "year"}

AMOUNT_UNITS: tuple[str, ...] = ("%", "分", "小时", "学时", "课时", "本", "篇", "字", "名", "人", "次")
_RE_AMOUNT = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*(?:(?:-|~|至|到)\s*(?P<b>\d+(?:\.\d+)?))?\s*"
    r"(?P<unit>%|个百分点|分(?!钟|析|享|别|类|工|配|批|布|担|管|期)|小时|学时|课时|本(?!年|月|学期|次|支部|单位)|篇|字|名|人(?!民)|次)"
)
# amounts in Chinese numerals, only for units that never count occurrences ("一本书", "一万字", "两篇")
_RE_CN_AMOUNT = re.compile(
    r"(?<![每第])(?P<a>[一两二三四五六七八九十]{1,3})(?P<mul>万|千)?\s*(?:个)?(?P<unit>小时|学时|本|篇|字)"
)
# a share of 优秀 capped ("优秀党员比例不超过10%", "评优人数控制在参评党员的10%以内")
REVIEW_CAP = re.compile(
    r"(?:优秀|评优|先进)[^。;,]{0,20}?(?:不超过|不得超过|不高于|控制在|以内|之内|%)"
    r"|\d+(?:\.\d+)?\s*%\s*的?\s*(?:优秀|先进)"
)  # 评选出10%的优秀党员

_SENTENCE_END = re.compile(r"[。;!?]")
_CLAUSE_END = re.compile(r"[,]")
_NUMBERING = re.compile(
    r"^(?:\(?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)、.]|\(\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*\)|"
    r"[①-⑳⑴-⒇⒈-⒛●○◆◇■□▲△▶►★☆•·※√✔❖➢➤])\s*"
)
_TRIM = "。;,、.．；，、:： \t"


@dataclass
class Target:
    text: str
    kind: str
    every: dict | None
    amount: dict | None

    def to_json(self) -> dict:
        return {"text": self.text, "kind": self.kind, "every": self.every, "amount": self.amount}


def _n(value: str | None) -> int | None:
    if not value:
        return 1
    if value.isdigit():
        return int(value)
    return _CN.get(value)


def every_of(n_text: str) -> dict | None:
    """The frequency a normalised clause states, or None."""
    if _RE_HALF_YEAR.search(n_text):
        return {"n": 6, "unit": "month"}
    m = _RE_EVERY.search(n_text)
    if m is None:
        verb = _RE_UNIT_VERB.search(n_text)  # 日学一小时、月读一本书、年记一万字
        return {"n": 1, "unit": _UNIT_VERB[verb.group("unit")]} if verb else None
    unit_text = m.group("unit").lstrip("个")
    n = _n(m.group("n"))
    if n is None or n == 0:
        return None
    if m.group(0).startswith("隔"):
        n += 1  # 隔周 = every second week
    for pattern, unit in EVERY_UNITS:
        if re.fullmatch(pattern, unit_text):
            return {"n": n, "unit": unit}
    return None


def amount_of(n_text: str) -> dict | None:
    """The first amount a normalised clause states, or None ("10%" → {"value": 10, "unit": "%"})."""
    for m in _RE_AMOUNT.finditer(n_text):
        before = n_text[max(0, m.start() - 1) : m.start()]
        if before in ("第",) or _is_date_part(n_text, m):
            continue
        a = _number(m.group("a"))
        unit = m.group("unit")
        if unit == "个百分点":
            unit = "%"
        out: dict = {"value": a, "unit": unit}
        if m.group("b"):
            out["max"] = _number(m.group("b"))
        return out
    cn = _RE_CN_AMOUNT.search(n_text)
    if cn is not None:
        value = _cn_number(cn.group("a"))
        if value:
            value *= {"万": 10000, "千": 1000}.get(cn.group("mul") or "", 1)
            return {"value": value, "unit": cn.group("unit")}
    return None


def _cn_number(text: str) -> int | None:
    """一 → 1, 两 → 2, 十 → 10, 十五 → 15, 二十 → 20 (the small numbers plans write out)."""
    digits = {k: v for k, v in _CN.items() if k not in ("十", "半")}
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = digits.get(tens, 0) if tens else 1
        o = digits.get(ones, 0) if ones else 0
        return t * 10 + o if (not tens or tens in digits) and (not ones or ones in digits) else None
    return digits.get(text) if len(text) == 1 else None


def _is_date_part(n_text: str, m: re.Match) -> bool:
    after = n_text[m.end() : m.end() + 1]
    return m.group("unit") in ("分",) and after in ("钟",)


def _number(s: str) -> int | float:
    value = float(s)
    return int(value) if value.is_integer() else value


def _kind(text: str, classify) -> str | None:
    if REVIEW_CAP.search(text):
        return "review_cap"
    kinds = classify(text)
    if not kinds and _RE_UNIT_VERB.search(text):
        return "study"  # 日学一小时、月读一本书、年记一万字: the study slogan
    return kinds[0] if kinds else None


def targets(lines: list[tuple[str, str]], classify) -> list[Target]:
    """Targets of a plan given its (original, normalised) lines; `classify` is the parser's."""
    out: list[Target] = []
    seen: set[str] = set()
    for o, n in lines:
        if not n:
            continue
        num = _NUMBERING.match(n)
        start = num.end() if num else 0
        o, n = o[start:], n[start:]
        for s_a, s_b in _split(n, _SENTENCE_END, 0, len(n)):
            clauses = _split(n, _CLAUSE_END, s_a, s_b)
            taken: dict[int, str] = {}  # clause index → kind of the target it made
            for k, (c_a, c_b) in enumerate(clauses):
                every, amount = every_of(n[c_a:c_b]), amount_of(n[c_a:c_b])
                if every is None and amount is None:
                    continue
                first = k
                kind = _kind(n[c_a:c_b], classify)
                while kind is None and first > 0 and first - 1 not in taken:  # "组织党员学习,每周一次"
                    first -= 1
                    kind = _kind(n[clauses[first][0] : c_b], classify)
                if kind is None and first > 0 and first - 1 in taken:
                    kind = taken[first - 1]  # "…读书1本,撰写心得不少于10000字": the same commitment goes on
                if kind is None:
                    continue
                taken[k] = kind
                parts = _commitments(n, clauses[first][0], c_b)
                if len(parts) > 1:  # "日学一小时、月读一本书、年记一万字": one target each
                    for p_a, p_b in parts:
                        text = _clean(o[p_a:p_b].strip('“”"‘’'))
                        if text and text not in seen:
                            seen.add(text)
                            out.append(
                                Target(
                                    text,
                                    _kind(n[p_a:p_b], classify) or kind,
                                    every_of(n[p_a:p_b]),
                                    amount_of(n[p_a:p_b]),
                                )
                            )
                    continue
                text = _clean(o[clauses[first][0] : c_b])  # as written
                if text and text not in seen:
                    seen.add(text)
                    out.append(Target(text, kind, every, amount))
    return out


def _commitments(n: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of the 、-separated parts of n[a:b] when every part is a commitment of its own (a
    frequency or an amount; a quoted slogan is cut at its quotes), else []."""
    if "、" not in n[a:b]:
        return []
    spans = []
    for x, y in _split(n, re.compile("、"), a, b):
        left, right = n.find("“", x, y), n.find("”", x, y)
        if left != -1:
            x = left + 1
        if right != -1:
            y = right
        if every_of(n[x:y]) is None and amount_of(n[x:y]) is None:
            return []
        spans.append((x, y))
    return spans


def _split(n: str, rx: re.Pattern, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of n[a:b] between the separators rx finds, without empty ones."""
    spans, cur = [], a
    for m in rx.finditer(n, a, b):
        spans.append((cur, m.start()))
        cur = m.end()
    spans.append((cur, b))
    return [(x, y) for x, y in spans if n[x:y].strip(_TRIM)]


def _clean(text: str) -> str:
    return text.strip().strip(_TRIM).strip()
