"""Annual work plan (工作计划) parser: pure Python, no Django, no database.

Contract: shared/spec/plan-import.md.  Public API:

    read_file(path_or_bytes, filename=None) -> str       # .txt (UTF-8 / BOM / GB18030) or .docx
    parse_text(text) -> Plan                              # never raises on a str
    load_plan(path_or_bytes, filename=None) -> Plan       # read + parse; PlanInputError if not a plan
    is_plan(plan) -> bool
    to_json(plan) -> dict                                 # the spec's `parse --json` shape
    render_calendar(plan) -> str                          # text that parse_text reads back to the calendar
    classify(text) -> list[str]                           # kinds vocabulary

Modules: `vocabulary` (the data: kinds, heading words, the school-year table), `text` (normalisation,
numbers, numbering, classify, line predicates), `months` (month and period headings), `reader`
(files), `targets` (prose commitments) and this one: the line grammar (LINE_GRAMMAR) and the blocks
it builds.

How the text is read (heuristics, documented so they can be tuned):

* Every line is matched on a normalised copy (full-width ASCII → half-width, odd spaces → space,
  dashes → "-").  The mapping is one character to one character, so the item text returned is
  sliced from the original line: "as written".
* The calendar starts at a short heading naming it (行事历, 具体安排, 日程安排, 工作安排 …) or, with
  no such heading, at the first month heading when the text has at least two month headings.
* A month heading is a line starting with a month expression (一月份, 二、三月份, 1-3月份, 3月~5月,
  3月至5月, 第一季度, 上半年, 下半年, 全年, 寒假, 暑假 …) followed by nothing, a separator, a theme
  (第一专题:…, 主题:…) or items ("三月份:1、… 2、…").  "3月召开支委会" (no separator) is accepted
  inside an open calendar; the whole line is then the item.
* Items: one per numbered line (1、 1. 1． (1) （1） 1) ① ⑴ and 一、/（一） continuing a sequence
  inside a month), or per unnumbered line under a month heading.  A line is joined to the previous
  item when that item is numbered and did not end with terminal punctuation, when either side has
  continuation punctuation, when a quote/bracket is still open, or (unnumbered lists) when the
  previous line was long enough to be a wrapped line.
* Items before the first month heading apply to the whole year (months 1–12); unnumbered ones are
  kept only when the calendar has no month headings at all.
* The calendar ends at a Chinese-numbered section heading that does not continue an item sequence,
  at a closing heading with or without a number (保障措施, 工作要求 … CLOSING_HEADINGS), at a closing
  sentence (在新的一年里…, 总之…), or at the signature block (org name, date, or both on one line).
* Month headings may sit in brackets (【九月】, (九月)), join a season (十二月份及寒假 → 12, 1, 2) or
  carry 次年.  Months headed inside an empty period heading with its own theme line (第一季度 / 主题:… /
  一月:…) take that theme, and the period yields no entry of its own.
* Unnumbered lines are joined on length only when the text is hard-wrapped at a fixed width (a PDF
  copy: most long lines are equally wide) or when a long unfinished line is followed by a short finished
  one ("…党员学习" / "计划。"); otherwise each line is an item however long.  A dated line ("3月5日。")
  after an unfinished numbered item is its rest, not a new month.
* Numbered lines under an earlier calendar-like heading (二、主要工作安排) with no month headings are
  dropped when the months are elsewhere; headings naming measures (具体工作措施) never open a calendar.
* A table pasted as tab-separated text with a header row (月份\t工作内容\t负责人) loses the person,
  remark … columns, as .docx tables do.
* classify(): the keyword table is data (KIND_KEYWORDS); a mention naming a document (民主评议会议记录,
  积极分子情况记录表 — DOCUMENT_SUFFIX), the list after "上交材料:" (MATERIALS_LIST) and a negated mention
  (不安排主题党日 — NEGATIONS) do not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zhibu.plans.months import (  # noqa: F401 - re-exported: parser is the public API
    _RE_THEME,
    _RE_THEME_LABEL,
    _month_heading,
    _MonthHead,
)
from zhibu.plans.reader import (  # noqa: F401 - re-exported: parser is the public API
    PlanInputError,
    _one_line,
    read_file,
)
from zhibu.plans.render import months_label, render_calendar, to_json  # noqa: F401 - re-exported
from zhibu.plans.text import (  # noqa: F401 - re-exported: parser is the public API
    _CIRCLED,
    _CN_DIGIT,
    _CONT_END,
    _CONT_START,
    _TRAILING_STRIP,
    _ends_terminal,
    _is_calendar_heading,
    _is_closing,
    _is_closing_heading,
    _is_prose,
    _is_signature_line,
    _marker_re,
    _normalise,
    _Numbering,
    _numbering,
    _split_inline,
    _unbalanced,
    _width,
    _wrap_width,
    classify,
)
from zhibu.plans.vocabulary import (  # noqa: F401 - re-exported: parser is the public API
    _DROP_COLUMN,
    _HEADER_WORDS,
    CALENDAR_HEADING_WORDS,
    CLOSING_HEADINGS,
    KIND_KEYWORDS,
    KIND_LABELS,
    KINDS,
    SCHOOL_YEAR,
    SEASON_MONTHS,
)

# ---------------------------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------------------------


@dataclass
class Section:
    number: str
    heading: str
    level: int


@dataclass
class CalendarItem:
    months: list[int]
    text: str
    kinds: list[str] = field(default_factory=list)
    theme: str | None = None


@dataclass
class Plan:
    title: str | None
    year: int | None
    sections: list[Section] = field(default_factory=list)
    calendar: list[CalendarItem] = field(default_factory=list)
    targets: list = field(default_factory=list)  # zhibu.plans.targets.Target
    numbered_lines: int = 0  # numbered lines anywhere (a prose-only plan is still a plan)

    @property
    def warnings(self) -> list[str]:
        """What the reader should know about an accepted plan (shown by the CLI and the import page)."""
        if not self.calendar:
            return ["未找到行事历（按月份或阶段列出的工作安排），只读取了标题、章节和工作目标。"]
        return []


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


@dataclass
class _Item:
    raw: str
    numbered: bool
    cn_number: int | None = None  # for 一、 items: their number
    last_line_len: int = 0
    last_line_width: int = 0  # display width of the item's last physical line


@dataclass
class _Block:
    months: list[int] | None  # None: before the first month heading
    theme: str | None = None
    items: list[_Item] = field(default_factory=list)
    session: int = 0  # the calendar heading it falls under
    container: bool = False  # a period heading whose months have their own headings
    theme_line: bool = False  # the theme is a line of its own under the heading ("主题:…")

    @property
    def numbered(self) -> bool:
        return any(i.numbered for i in self.items)

    def last_cn(self) -> int | None:
        for it in reversed(self.items):
            if it.cn_number is not None:
                return it.cn_number
        return None


def _clean_text(raw: str) -> str:
    s = raw.strip()
    # leading numbering that survived (e.g. "(1)" after a 1、 marker is kept: only strip separators)
    s = s.lstrip(":;,、 ")
    return s.rstrip(_TRAILING_STRIP).strip()


def _strip_theme_label(o: str, n: str) -> str:
    m = _RE_THEME_LABEL.match(n)
    s = o[m.end() :] if m else o
    return s.strip().rstrip(_TRAILING_STRIP).strip()


def _table_header(line: str) -> list[bool] | None:
    """A tab-separated table header ("月份\t工作内容\t负责人"): which columns to keep."""
    cells = [_normalise(c).replace(" ", "") for c in line.strip(" \u3000\r\n").split("\t")]
    named = [c for c in cells if c]
    if len(named) < 2 or any(len(c) > 8 for c in named) or sum(1 for c in named if _HEADER_WORDS.match(c)) < 2:
        return None
    return [not _DROP_COLUMN.search(c) for c in cells]


def _prepare(text: str, table_rows: set[int] | None = None) -> list[tuple[str, str]]:
    """(original, normalised) stripped lines; the indices of pasted table rows go to `table_rows`."""
    out = []
    if text.startswith("\ufeff"):
        text = text[1:]
    keep: list[bool] | None = None  # columns of a pasted table (tab-separated) to keep
    for line in text.splitlines():
        if "\t" in line.strip():
            header = _table_header(line)
            if header is not None:
                keep = header
                out.append(("", ""))
                continue
            if keep is not None:
                cells = line.strip(" \u3000\r\n").split("\t")
                line = "\t".join(c for i, c in enumerate(cells) if (i >= len(keep) or keep[i]) and c.strip())
                if table_rows is not None:
                    table_rows.add(len(out))
        n = _normalise(line)
        stripped = n.strip()
        if not stripped:
            out.append(("", ""))
            continue
        lead = len(n) - len(n.lstrip())
        end = lead + len(stripped)
        out.append((line[lead:end], stripped))
    return out


_RE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RE_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")


def _find_year(s: str | None) -> int | None:
    if not s:
        return None
    m = _RE_YEAR.search(s)
    if m:
        return int(m.group(1))
    m = _RE_CN_YEAR.search(s)
    if m:
        year = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        return year if 1900 <= year <= 2100 else None  # "〇〇〇〇年" states no year
    return None


def _section_heading(o: str, n: str, start: int) -> str:
    text = o[start:]
    norm = n[start:]
    cut = len(norm)
    for ch in "。!?":
        pos = norm.find(ch)
        if 0 <= pos < cut:
            cut = pos
    return text[:cut].strip().strip(":;,.、 ").strip()


class _Parser:
    def __init__(self, text: str):
        self.table_rows: set[int] = set()  # rows of a pasted table
        self.lines = _prepare(text, self.table_rows)
        self.tentative: set[int] = set()  # sessions opened by an appendix heading (附:…安排表)
        self.prev_idx = -1  # the last non-empty line read
        self.sections: list[Section] = []
        self.blocks: list[_Block] = []
        self.block: _Block | None = None
        self.open = False
        self.heading_seen = False
        self.had_month_heading = False
        self.title: str | None = None
        self.title_idx = -1
        self.year: int | None = None
        self.session = 0  # one per calendar heading met
        self.container: _Block | None = None  # the period heading the current months fall in
        self.cur_width = 0  # display width of the line being read
        self.wrap = 0  # the width the text is hard-wrapped at, 0 if it is not

    # -- pre-scan ---------------------------------------------------------------------------------
    def _prescan(self) -> None:
        for idx, (o, n) in enumerate(self.lines):
            if not n:
                continue
            if (
                len(n) <= 60
                and not (n.endswith("。") and "," in n)
                and _numbering(n) is None
                and _month_heading(n) is None
            ):
                self.title, self.title_idx = o, idx
            break
        strict = loose = 0
        for idx, (_, n) in enumerate(self.lines):
            if n and idx != self.title_idx:
                h = _month_heading(n)
                if h is not None and h.strict:
                    strict += 1
                elif h is not None and len(n) <= 50:
                    loose += 1
        self.implicit_ok = strict >= 2
        self.wrap = _wrap_width([o for o, n in self.lines if n])
        # "3月份召开支委会" lines with no heading at all: a calendar when there are several
        self.implicit_loose_ok = strict + loose >= 3
        # the signature block: date/org lines at the end of the text
        self.sig_start = len(self.lines)
        for idx in range(len(self.lines) - 1, -1, -1):
            n = self.lines[idx][1]
            if not n or _is_signature_line(n):
                self.sig_start = idx
                continue
            break

    # -- blocks -----------------------------------------------------------------------------------
    def _new_block(self, months: list[int] | None, theme: str | None = None) -> _Block:
        self.block = _Block(months, theme, session=self.session)
        self.blocks.append(self.block)
        return self.block

    def _add_item(self, raw: str, numbered: bool, cn_number: int | None = None, line_len: int = 0) -> None:
        block = self.block if self.block is not None else self._new_block(None)
        block.items.append(_Item(raw, numbered, cn_number, line_len, self.cur_width))

    def _handle_rest(self, o: str, n: str, start: int) -> None:
        """The text after a month heading on the same line: theme and/or items."""
        rest_n = n[start:].strip()
        if not rest_n:
            return
        lead = len(n[start:]) - len(n[start:].lstrip())
        start += lead
        o_rest, n_rest = o[start:], n[start:]
        if _RE_THEME.match(n_rest):
            # theme, possibly followed by "1、…" items
            split = None
            for m in re.finditer(r"(?:(?<=[。;!? ])|(?<=[。;!?] ))(?=(?:1\s*[、.]|\(\s*1\s*\)|①))", n_rest):
                split = m.start()
                break
            theme_n = n_rest if split is None else n_rest[:split]
            theme_o = o_rest if split is None else o_rest[:split]
            if self.block is not None:
                self.block.theme = _strip_theme_label(theme_o, theme_n) or None
            if split is not None:
                self._handle_line(o_rest[split:], n_rest[split:])
            return
        self._handle_line(o_rest, n_rest)

    # -- lines inside the calendar ----------------------------------------------------------------
    def _handle_line(self, o: str, n: str) -> None:
        num = _numbering(n)
        if num is not None:
            spans = _split_inline(n, num.end, num.style, num.number)
            for k, (a, b) in enumerate(spans):
                cn = num.number + k if num.style in ("cn", "cn_paren") else None
                self._add_item(o[a:b], True, cn, b - a)
            return
        self._add_unnumbered(o, n)

    def _add_unnumbered(self, o: str, n: str) -> None:
        block = self.block
        if block is not None and not block.items and _RE_THEME.match(n) and not _numbering(n):
            if block.theme is None:
                block.theme = _strip_theme_label(o, n) or None
                block.theme_line = True
                return
        if block is not None and block.items and _RE_THEME_LABEL.match(n):
            # a new theme for the following items of the same months
            self._new_block(block.months, _strip_theme_label(o, n) or None)
            return
        last = block.items[-1] if block is not None and block.items else None
        if n.endswith(":") and len(n) <= 15:
            return  # a sub-heading such as "上学期:" or "常规工作:"
        if (
            last is not None
            and last.numbered
            and _is_prose(n)
            and n[0] not in _CONT_START
            and not _unbalanced(_normalise(last.raw))
            and _normalise(last.raw).strip()[-1:] not in _CONT_END
        ):
            return  # a closing or explanatory paragraph after the items
        if last is not None and self._should_join(last, n):
            last.raw += (
                " "
                if last.raw and last.raw[-1].isascii() and last.raw[-1].isalnum() and n[0].isascii() and n[0].isalnum()
                else ""
            ) + o
            last.last_line_len = len(n)
            last.last_line_width = self.cur_width
            return
        if block is not None and block.numbered and _is_prose(n):
            return  # an explanatory paragraph between numbered items
        if (block is None or block.months is None) and _is_prose(n):
            return
        self._add_item(o, False, None, len(n))

    def _should_join(self, last: _Item, n: str) -> bool:
        raw = _normalise(last.raw).strip()
        if not raw:
            return True
        if n[0] in _CONT_START:
            return True
        if raw[-1] in _CONT_END or _unbalanced(raw):
            return True
        if _ends_terminal(raw):
            return False
        if last.numbered:
            return True
        if self.wrap:
            # a copy hard-wrapped at a fixed width: a full line goes on in the next one
            return last.last_line_width >= self.wrap - 2
        # paragraph-per-line text: a long unfinished line followed by a short finished one ("…党员学习\n计划。")
        return last.last_line_len >= 30 and _ends_terminal(n) and len(n) <= 24

    # -- main loop --------------------------------------------------------------------------------
    def run(self) -> Plan:
        self._prescan()
        for idx, (o, n) in enumerate(self.lines):
            if not n:
                continue
            if idx == self.title_idx:
                if _is_calendar_heading(n):
                    self._open_calendar()
                continue
            self.cur_width = _width(o)
            self._line(idx, o, n)
            self.prev_idx = idx
        year = _find_year(self.title)
        if year is None:
            year = self.year
        from zhibu.plans.targets import targets

        body = [line for idx, line in enumerate(self.lines) if idx != self.title_idx and idx < self.sig_start]
        numbered = sum(1 for _, n in body if n and _numbering(n) is not None)
        return Plan(self.title, year, self.sections, self._finish(), targets(body, classify), numbered)

    def _continues_last(self, n: str, months: list[int]) -> bool:
        """A dated line ("3月5日。") that is the rest of the previous, unfinished numbered item."""
        block = self.block
        if block is None or not block.items or block.months is None:
            return False
        last = block.items[-1]
        raw = _normalise(last.raw).strip()
        if not raw:
            return False
        if raw[-1] in _CONT_END or _unbalanced(raw):
            return True
        return last.numbered and not _ends_terminal(raw) and set(months) <= set(block.months) and len(n) <= 12

    def _open_calendar(self) -> None:
        self.session += 1
        self.container = None
        self.open = True
        self.heading_seen = True
        self.block = None

    # -- the line grammar ------------------------------------------------------------------------
    # Each non-empty line is of the first kind in LINE_GRAMMAR whose test holds, and that kind's
    # handler reads it. The state is `self.open` (inside a calendar or not) plus the current block.
    def _line(self, idx: int, o: str, n: str) -> None:
        line = _Line(idx, o, n, _month_heading(n), _numbering(n))
        for _kind, test, handle, _doc in LINE_GRAMMAR:
            if test(self, line):
                handle(self, line)
                return

    # tests ---------------------------------------------------------------------------------------
    def _is_month_heading(self, ln: _Line) -> bool:
        return ln.head is not None and ln.head.strict and (self.open or self.implicit_ok or self.heading_seen)

    def _is_dated_rest(self, ln: _Line) -> bool:
        return ln.head is not None and not ln.head.strict and self.open and self._continues_last(ln.n, ln.head.months)

    def _is_dated_item(self, ln: _Line) -> bool:
        return (
            ln.head is not None
            and not ln.head.strict
            and (
                (self.open and self.block is not None and self.block.months is not None)
                or (self.implicit_loose_ok and len(ln.n) <= 50)
            )
        )

    def _is_calendar_heading_line(self, ln: _Line) -> bool:
        return _is_calendar_heading(ln.n) and not (self.open and ln.num is not None and not ln.cn_numbered)

    def _is_after_table(self, ln: _Line) -> bool:
        return (
            self.open
            and ln.num is not None
            and not ln.cn_numbered
            and self.prev_idx in self.table_rows
            and ln.idx not in self.table_rows
        )

    def _is_closing_heading_line(self, ln: _Line) -> bool:
        return _is_closing_heading(ln.n) and (ln.num is None or ln.cn_numbered)

    def _is_cn_item(self, ln: _Line) -> bool:
        block = self.block
        if not (ln.cn_numbered and self.open and block is not None):
            return False
        last = block.last_cn()
        number = ln.num.number if ln.num is not None else 0
        return (last is None and number == 1 and not block.items) or (last is not None and number == last + 1)

    def _is_section(self, ln: _Line) -> bool:
        return ln.cn_numbered

    def _is_outside(self, ln: _Line) -> bool:
        return not self.open

    def _is_end(self, ln: _Line) -> bool:
        return ln.num is None and (ln.idx >= self.sig_start or _is_signature_line(ln.n) or _is_closing(ln.n))

    def _is_body(self, ln: _Line) -> bool:
        return True

    # handlers ------------------------------------------------------------------------------------
    def _read_month_heading(self, ln: _Line) -> None:
        assert ln.head is not None  # the test saw it
        self.open = True
        self.had_month_heading = True
        # 第一季度 / 主题:… / 一月:… : months inside an empty period heading take its theme
        prev = self.block
        if (
            prev is not None
            and not prev.items
            and prev.months
            and (prev.theme is None or prev.theme_line)
            and set(ln.head.months) < set(prev.months)
        ):
            prev.container = True
            self.container = prev
        elif self.container is not None and not set(ln.head.months) < set(self.container.months or []):
            self.container = None
        theme = ln.head.theme_paren
        if theme is None and self.container is not None:
            theme = self.container.theme
        self._new_block(ln.head.months, theme)
        self._handle_rest(ln.o, ln.n, ln.head.rest_start)

    def _read_dated_rest(self, ln: _Line) -> None:
        self._add_unnumbered(ln.o, ln.n)  # "…时间定于\n3月5日。": the rest of a broken item

    def _read_dated_item(self, ln: _Line) -> None:
        assert ln.head is not None
        self.open = True
        self.had_month_heading = True
        self._new_block(ln.head.months)
        self._add_item(ln.o, False, None, len(ln.n))

    def _read_calendar_heading(self, ln: _Line) -> None:
        if ln.num is not None and ln.cn_numbered:
            self._add_section(ln.o, ln.n, ln.num)
        if self.year is None:
            self.year = _find_year(ln.n)
        self._open_calendar()
        if ln.n.startswith("附"):  # 附:…安排表 opens a calendar only if month or period headings follow
            self.tentative.add(self.session)

    def _read_closing_heading(self, ln: _Line) -> None:
        if ln.num is not None:
            self._add_section(ln.o, ln.n, ln.num)
        self._close()

    def _read_section(self, ln: _Line) -> None:
        assert ln.num is not None
        self._add_section(ln.o, ln.n, ln.num)
        self._close()

    def _read_body(self, ln: _Line) -> None:
        self._handle_line(ln.o, ln.n)

    def _close(self, ln: _Line | None = None) -> None:
        self.open = False
        self.block = None

    def _skip(self, ln: _Line) -> None:
        pass

    def _add_section(self, o: str, n: str, num: _Numbering) -> None:
        level = 1 if num.style == "cn" else 2
        self.sections.append(Section(num.raw, _section_heading(o, n, num.end), level))

    def _finish(self) -> list[CalendarItem]:
        out: list[CalendarItem] = []
        dated_sessions = {b.session for b in self.blocks if b.months is not None}
        for block in self.blocks:
            months = block.months
            items = block.items
            if months is None and self.had_month_heading and block.session not in dated_sessions:
                continue  # numbered lines under an earlier heading ("工作安排") when the calendar is elsewhere
            if months is None and block.session in self.tentative:
                continue  # an appendix heading with no month or period headings under it
            if months is None:
                months = list(range(1, 13))
                if self.had_month_heading:
                    items = [i for i in items if i.numbered]
            texts = [t for t in (_clean_text(i.raw) for i in items) if t]
            if not texts and block.theme and block.months is not None and not block.container:
                texts = [block.theme]
            for t in texts:
                out.append(CalendarItem(list(months), t, classify(t), block.theme))
        return out


@dataclass
class _Line:
    idx: int
    o: str  # as written
    n: str  # normalised
    head: _MonthHead | None  # a month or period expression at its start
    num: _Numbering | None  # its numbering

    @property
    def cn_numbered(self) -> bool:
        """一、 or (一): a section number, or an item number continuing a sequence."""
        return self.num is not None and self.num.style in ("cn", "cn_paren")


# The grammar of a plan's lines, in order: (kind, test, handler, what it is).
LINE_GRAMMAR: tuple[tuple[str, Callable[[_Parser, _Line], bool], Callable[[_Parser, _Line], None], str], ...] = (
    (
        "month_heading",
        _Parser._is_month_heading,
        _Parser._read_month_heading,
        "一月份: / 二、三月份 / 第一季度 / 上学期 (alone, with a separator, a theme or items) opens a block",
    ),
    (
        "dated_rest",
        _Parser._is_dated_rest,
        _Parser._read_dated_rest,
        "3月5日。 right after an unfinished item: the rest of that item",
    ),
    (
        "dated_item",
        _Parser._is_dated_item,
        _Parser._read_dated_item,
        "3月召开支委会 inside a calendar (or in a text of such lines): an item with its own month",
    ),
    (
        "calendar_heading",
        _Parser._is_calendar_heading_line,
        _Parser._read_calendar_heading,
        "行事历 / 具体安排 / 附:…安排表 opens a calendar (an appendix one only if months follow)",
    ),
    (
        "after_table",
        _Parser._is_after_table,
        _Parser._close,
        "a numbered line right after a pasted table: the calendar is over (targets follow)",
    ),
    (
        "closing_heading",
        _Parser._is_closing_heading_line,
        _Parser._read_closing_heading,
        "保障措施 / 工作要求 (numbered 一、 or not) ends the calendar",
    ),
    ("cn_item", _Parser._is_cn_item, _Parser._read_body, "一、 二、 continuing an item sequence inside a month: items"),
    ("section", _Parser._is_section, _Parser._read_section, "一、指导思想: a section heading; ends the calendar"),
    (
        "outside",
        _Parser._is_outside,
        _Parser._skip,
        "any other line outside a calendar: prose (targets are read separately)",
    ),
    (
        "end",
        _Parser._is_end,
        _Parser._close,
        "a signature, a date or a closing sentence (在新的一年里…) ends the calendar",
    ),
    (
        "body",
        _Parser._is_body,
        _Parser._read_body,
        "inside a calendar: numbered items, unnumbered items, continuation lines, themes",
    ),
)


def parse_text(text: str) -> Plan:
    """Parse the text of an annual work plan. Never raises on a str."""
    if not isinstance(text, str):
        raise TypeError("parse_text expects str")
    return _Parser(text).run()


_RE_PLAN_TITLE = re.compile(r"计划|安排|要点|方案|行事历|工作思路")


def is_plan(plan: Plan) -> bool:
    """A plan has sections or a calendar, or (prose only) commitments or a plan's title over numbered
    items. A text with none of these is not a plan."""
    if plan.sections or plan.calendar or plan.targets:
        return True
    return bool(plan.title and _RE_PLAN_TITLE.search(plan.title) and plan.numbered_lines >= 2)


def load_plan(path_or_bytes, filename: str | None = None) -> Plan:
    """read_file + parse_text; PlanInputError when the text is not a plan."""
    text = read_file(path_or_bytes, filename)
    plan = parse_text(text)
    if not is_plan(plan):
        name = filename
        if name is None:
            name = str(path_or_bytes) if isinstance(path_or_bytes, (str, Path)) else "-"
        raise PlanInputError(
            f"不是工作计划:未找到章节或行事历 (not a plan: no sections or calendar found): {_one_line(name)}"
        )
    return plan
