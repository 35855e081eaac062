"""Text rules of Chinese official documents: dates, names, punctuation.

Pure functions (no Django, no domain): every app passes plain values in.
"""

from __future__ import annotations

import datetime as dt
import re

CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{CJK}]")

# 《》 go around regulation names (GB/T 15834 标点符号用法 4.15: 书名号 for the titles of documents).
REGULATIONS = (
    "中国共产党章程",
    "中国共产党支部工作条例（试行）",
    "中国共产党支部工作条例",
    "中国共产党发展党员工作细则",
    "关于中国共产党党费收缴、使用和管理的规定",
    "党政机关公文格式",
)


def cn_date(d: dt.date | None) -> str:
    """2026年10月8日: never zero-padded; '' for no date (the caller decides what a blank looks like)."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_month(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def cn_time_range(start: dt.datetime, end: dt.datetime) -> str:
    """2026年2月21日 15:00—16:00 (an end on another day carries its own date)."""
    head = f"{cn_date(start.date())} {start:%H:%M}"
    if end.date() == start.date():
        return f"{head}—{end:%H:%M}"
    return f"{head}—{cn_date(end.date())} {end:%H:%M}"


def official_name(name: str) -> str:
    """The organisation's full name as it signs documents: '中共' + its name (not doubled)."""
    name = (name or "").strip()
    if not name or name.startswith("中共") or name.startswith("中国共产党"):
        return name
    return f"中共{name}"


def committee_name(branch_name: str) -> str:
    """'中共××党支部委员会' from a branch name, never '党支部支部委员会'."""
    full = official_name(branch_name)
    if full.endswith("党支部"):
        return f"{full}委员会"
    if full.endswith("支部"):
        return f"{full}委员会"
    return f"{full}支部委员会"


_PAIRS = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK_CHAR.match(ch))


def fullwidth(text: str) -> str:
    """Half-width ,:;()!? next to a Chinese character become full-width (，：；（）！？); a colon between
    digits (15:00) and punctuation inside Latin text stay as they are."""
    if not text or not any(c in text for c in _PAIRS):
        return text
    out = list(text)
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in _PAIRS:
            continue
        left = out[i - 1] if i > 0 else ""  # as converted so far: "）:" is "）："
        right = text[i + 1] if i + 1 < n else ""
        if ch == ":" and left.isdigit() and right.isdigit():
            continue
        if ch == "(":
            near = _is_cjk(left) or _is_cjk(right) or _closing_is_cjk(text, i)
        elif ch == ")":
            near = _is_cjk(left) or _is_cjk(right) or _opening_is_cjk(text, i)
        else:
            near = _is_cjk(left) or _is_cjk(right) or (left in "）》" and left != "")
        if near:
            out[i] = _PAIRS[ch]
    result = "".join(out)
    # a pair is converted together: "（abc)" -> "（abc）"
    return _balance(result)


def _closing_is_cjk(text: str, i: int) -> bool:
    j = text.find(")", i)
    return j > 0 and _is_cjk(text[j - 1])


def _opening_is_cjk(text: str, i: int) -> bool:
    j = text.rfind("(", 0, i)
    return j >= 0 and j + 1 < len(text) and _is_cjk(text[j + 1])


def _balance(text: str) -> str:
    chars = list(text)
    stack: list[tuple[int, str]] = []
    for i, ch in enumerate(chars):
        if ch in "(（":
            stack.append((i, ch))
        elif ch in ")）" and stack:
            j, opener = stack.pop()
            if opener == "（" and ch == ")":
                chars[i] = "）"
            elif opener == "(" and ch == "）":
                chars[j] = "（"
    return "".join(chars)


_REG_RE = re.compile("|".join(re.escape(r) for r in sorted(REGULATIONS, key=len, reverse=True)))


def book_marks(text: str) -> str:
    """《》 around the names of regulations that are not already in them."""
    if not text or "中国共产党" not in text and "党政机关" not in text and "关于" not in text:
        return text

    def wrap(m: re.Match) -> str:
        before = text[: m.start()]
        if before.endswith("《") or before.count("《") > before.count("》"):
            return m.group(0)
        return f"《{m.group(0)}》"

    return _REG_RE.sub(wrap, text)


def tidy(text: str) -> str:
    """What every run of every document goes through: full-width punctuation, 《》 around regulations."""
    return book_marks(fullwidth(text or ""))


_ZERO_PADDED = re.compile(r"(?<![\d.])\d{4}年0\d月|(?<!\d)0\d日|月0\d日|(?<![\d.])\d{4}-\d{2}-\d{2}")
_HALF_BETWEEN = re.compile(f"[{CJK}][,:;()!?][{CJK}]")


def zero_padded(text: str) -> list[str]:
    return [m.group(0) for m in _ZERO_PADDED.finditer(text or "")]


def half_width_between_cjk(text: str) -> list[str]:
    return [m.group(0) for m in _HALF_BETWEEN.finditer(text or "")]
