"""Text helpers of the plan parser: normalisation (one character to one, so indexes match the
original), Chinese numbers, item numbering, classification into kinds, and the predicates that tell
what a line is (closing, signature, calendar heading …). Pure Python."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from zhibu.plans.vocabulary import (
    _VERB_START,
    CALENDAR_HEADING_WORDS,
    CLOSING_HEADINGS,
    CLOSING_PREFIXES,
    DOCUMENT_KINDS_KEPT,
    DOCUMENT_SUFFIX,
    KIND_KEYWORDS,
    MATERIALS_LIST,
    NEGATIONS,
    NOT_CALENDAR_WORDS,
    ORG_SUFFIXES,
)

_RE_CN_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十]{1,3}\s*\)\s*[、.]?)\s*"
)
_BULLETS = "●○◆◇■□▲△▶►★☆•·※√✔❖➢➤"

# ---------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------

_KIND_RES = tuple((kind, re.compile("|".join(f"(?:{p})" for p in pats))) for kind, pats in KIND_KEYWORDS)


_RE_DOCUMENT_SUFFIX = re.compile(DOCUMENT_SUFFIX)
_RE_NEGATED = re.compile("(?:" + "|".join(NEGATIONS) + r")\s*$")
_RE_MATERIALS_LIST = re.compile(MATERIALS_LIST)


def classify(text: str) -> list[str]:
    """Kinds (spec vocabulary) of one calendar item, in vocabulary order."""
    t = _normalise(text or "")
    m = _RE_MATERIALS_LIST.search(t)
    if m:
        t = t[: m.end()]
    out = []
    for kind, rx in _KIND_RES:
        for hit in rx.finditer(t):
            if _RE_NEGATED.search(t, 0, hit.start()):
                continue
            if kind in DOCUMENT_KINDS_KEPT or not _RE_DOCUMENT_SUFFIX.match(t, hit.end()):
                out.append(kind)
                break
    return out


# ---------------------------------------------------------------------------------------------
# Normalisation (one char → one char, so indexes match the original)
# ---------------------------------------------------------------------------------------------

_NORM_MAP: dict[int, int] = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
for _cp in (
    0x3000,
    0x00A0,
    0x2002,
    0x2003,
    0x2004,
    0x2005,
    0x2006,
    0x2007,
    0x2008,
    0x2009,
    0x200A,
    0x200B,
    0x202F,
    0x205F,
    0xFEFF,
    0x0009,
):
    _NORM_MAP[_cp] = 0x20
for _cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63):
    _NORM_MAP[_cp] = ord("-")
for _cp in (0x301C, 0x223C, 0x2053):
    _NORM_MAP[_cp] = ord("~")
_NORM_MAP[0x3007] = ord("〇")  # keep
_NORM_MAP[0x25CB] = ord("〇")  # ○ used as zero in dates
_NORM_MAP[0xFE50] = ord(",")
_NORM_MAP[0xFE51] = ord("、")
_NORM_MAP[0xFE52] = ord(".")
_NORM_MAP[0xFE54] = ord(";")
_NORM_MAP[0xFE55] = ord(":")


def _normalise(s: str) -> str:
    return s.translate(_NORM_MAP)


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "一二三四五六七八九十"


def _cn_int(s: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23, 1 → 1."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if s == "元":
        return 1
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = _CN_DIGIT.get(head, None) if head else 1
        ones = _CN_DIGIT.get(tail, None) if tail else 0
        if tens is None or ones is None or "十" in tail:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGIT:
        return _CN_DIGIT[s]
    return None


# ---------------------------------------------------------------------------------------------
# Item / section numbering
# ---------------------------------------------------------------------------------------------

_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
_PAREN_NUM = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴..⒇
_DOT_NUM = "".join(chr(c) for c in range(0x2488, 0x249C))  # ⒈..⒛

_NUMBERING_RES: tuple[tuple[str, re.Pattern], ...] = (
    ("paren", re.compile(r"^\(\s*(\d{1,2})\s*\)\s*[、.]?\s*")),
    ("rparen", re.compile(r"^(\d{1,2})\s*\)\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*(?:[、,]|\.(?!\d))\s*")),
    ("circled", re.compile(rf"^([{_CIRCLED}])\s*[、.]?\s*")),
    ("paren_num", re.compile(rf"^([{_PAREN_NUM}])\s*")),
    ("dot_num", re.compile(rf"^([{_DOT_NUM}])\s*")),
    ("cn_paren", re.compile(r"^\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*[、.]?\s*")),
    ("cn", re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.]\s*")),
    ("bullet", re.compile(rf"^([{_BULLETS}]|[-*](?=\s))\s*")),
)


@dataclass
class _Numbering:
    style: str
    number: int
    end: int  # where the text starts
    raw: str  # the numeral as written ("一", "3")


def _numbering(n: str) -> _Numbering | None:
    for style, rx in _NUMBERING_RES:
        m = rx.match(n)
        if m:
            raw = m.group(1)
            if style == "circled":
                num = _CIRCLED.index(raw) + 1
            elif style == "paren_num":
                num = _PAREN_NUM.index(raw) + 1
            elif style == "dot_num":
                num = _DOT_NUM.index(raw) + 1
            elif style == "bullet":
                num = 0
            else:
                value = _cn_int(raw)
                if value is None:
                    continue
                num = value
            return _Numbering(style, num, m.end(), raw)
    return None


def _marker_re(style: str, number: int) -> re.Pattern | None:
    if style == "bullet":
        return None
    if style == "paren":
        return re.compile(rf"\(\s*{number}\s*\)")
    if style == "rparen":
        return re.compile(rf"(?<![\d(]){number}\s*\)")
    if style == "arabic":
        return re.compile(rf"(?<!\d){number}\s*(?:、|\.(?!\d))")
    if style in ("circled", "paren_num", "dot_num"):
        table = {"circled": _CIRCLED, "paren_num": _PAREN_NUM, "dot_num": _DOT_NUM}[style]
        return re.compile(re.escape(table[number - 1])) if number <= len(table) else None
    return None


_INLINE_BEFORE = "。;, !?"


def _split_inline(n: str, start: int, style: str, number: int) -> list[tuple[int, int]]:
    """Split a numbered line holding several items ("1、… 2、…") into (start, end) text spans."""
    spans = []
    cur = start
    while True:
        rx = _marker_re(style, number + 1)
        if rx is None:
            break
        found = None
        for m in rx.finditer(n, cur):
            if m.start() > cur and n[m.start() - 1] in _INLINE_BEFORE:
                found = m
                break
        if found is None:
            break
        spans.append((cur, found.start()))
        cur = found.end()
        while cur < len(n) and n[cur] == " ":
            cur += 1
        number += 1
    spans.append((cur, len(n)))
    return spans


# ---------------------------------------------------------------------------------------------
# Line kinds
# ---------------------------------------------------------------------------------------------

_TERMINAL = "。;!?…"
_CLOSERS = "”’」』)】》\"'"
_CONT_END = ",、:(“‘《-—[【"
_CONT_START = ",、。;:)”’》]】"
_TRAILING_STRIP = "。;,、.．；，、 \t"


def _ends_terminal(n: str) -> bool:
    s = n.rstrip()
    while s and s[-1] in _CLOSERS:
        s = s[:-1].rstrip()
    return bool(s) and s[-1] in _TERMINAL


def _unbalanced(n: str) -> bool:
    return n.count("“") > n.count("”") or n.count("(") > n.count(")") or n.count("《") > n.count("》")


def _is_prose(n: str) -> bool:
    inner = n.rstrip(_TERMINAL + " ")
    return len(n) > 80 or (len(n) > 40 and "。" in inner)


_DCH = r"[\d〇零一二三四五六七八九十xX×_*]"
_RE_DATE_LINE = re.compile(
    rf"^(?:{_DCH}{{4}}\s*年(?:\s*{_DCH}{{0,3}}\s*月(?:\s*{_DCH}{{0,3}}\s*[日号])?)?|"
    r"\d{4}\s*[./-]\s*\d{1,2}(?:\s*[./-]\s*\d{1,2})?)$"
)


def _is_date_line(n: str) -> bool:
    return len(n) <= 24 and bool(_RE_DATE_LINE.match(n.strip()))


def _is_org_line(n: str) -> bool:
    s = n.strip()
    if not s or len(s) > 30 or re.search(r"[,。;:!?]", s) or _VERB_START.match(s):
        return False
    return s.endswith(ORG_SUFFIXES)


def _is_calendar_heading(n: str) -> bool:
    s = _RE_CN_PREFIX.sub("", n, count=1)
    s = re.sub(r"^\(?\d{1,2}[)、.]\s*", "", s)
    s = re.sub(r"^附(?:件|录)?\s*\d*\s*[:;,、]?\s*", "", s)
    s = s.strip().rstrip(":;,.、 ")
    if not s or len(s) > 30 or re.search(r"[,。;!?]", s):
        return False
    return any(w in s for w in CALENDAR_HEADING_WORDS) and not any(w in s for w in NOT_CALENDAR_WORDS)


def _is_closing_heading(n: str) -> bool:
    s = _RE_CN_PREFIX.sub("", n, count=1)
    s = re.sub(r"^[【\[(]\s*", "", s)
    s = s.strip().rstrip(":;,.、 】])")
    return s in CLOSING_HEADINGS


_RE_SIG_SPLIT = re.compile(r"^(?P<org>\S.*?)\s+(?P<date>[\d〇零一二三四五六七八九十xX×_*].{3,20})$")


def _is_signature_line(n: str) -> bool:
    """An org name, a date, or both on one line ("XX幼儿园党支部  2023年2月10日")."""
    if _is_date_line(n) or _is_org_line(n):
        return True
    m = _RE_SIG_SPLIT.match(n.strip())
    return m is not None and _is_org_line(m.group("org")) and _is_date_line(m.group("date"))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _wrap_width(lines: list[str]) -> int:
    """The width a text copied from a PDF is hard-wrapped at: most long lines are (nearly) that wide."""
    widths = [_width(o) for o in lines]
    long = [w for w in widths if w >= 30]
    if len(long) < 6:
        return 0
    top = max(long)
    full = sum(1 for w in long if w >= top - 2)
    return top if full >= 4 and full >= 0.5 * len(long) else 0


def _is_closing(n: str) -> bool:
    return n.startswith(CLOSING_PREFIXES)
