"""Annual work plan (工作计划) parser: pure Python, no Django, no database.

Contract: shared/spec/plan-import.md.  Public API:

    read_file(path_or_bytes, filename=None) -> str       # .txt (UTF-8 / BOM / GB18030) or .docx
    parse_text(text) -> Plan                              # never raises on a str
    load_plan(path_or_bytes, filename=None) -> Plan       # read + parse; PlanInputError if not a plan
    is_plan(plan) -> bool
    to_json(plan) -> dict                                 # the spec's `parse --json` shape
    render_calendar(plan) -> str                          # text that parse_text reads back to the calendar
    classify(text) -> list[str]                           # kinds vocabulary

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

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Data: kinds vocabulary (spec table), Chinese labels, calendar heading words.
# Patterns are regular expressions searched in the item text; order = output order.
# ---------------------------------------------------------------------------------------------

KIND_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("party_congress", ("党员大会", "支部大会", "全体党员会", "党员代表大会", "(?<!干部)党员会议")),
    ("committee_meeting", ("支委会", "支委扩大会", "支部委员会", "支部会议", "支委会议", "支委成员会")),
    ("group_meeting", ("党小组会", "党小组学习", "党小组活动")),
    ("party_lecture", ("党课",)),
    ("theme_day", ("主题党日", "党日活动", "固定党日", "党员活动日", "党员固定(?:活动)?日", "固定(?:活动)?日(?:活动)?",
                   "支部活动日", "统一活动日", "支部主题活动日")),
    ("org_life_meeting", ("组织生活会",)),
    ("democratic_life_meeting", ("民主生活会",)),
    # 民主评议政风行风 rates a department's conduct (openness), not members
    ("member_evaluation", ("民主评议(?!政风|行风|机关|部门|作风|干部)", "评议党员", "党员评议", "党员考核", "考核党员", "党员考评", "述职",
                           "民主考核", "民主测评", "积分考核", "党员评星")),
    ("dues", ("党费",)),
    ("development", ("发展党员", "发展.{0,2}党员", "党员发展", "组织发展", "积极分子", "发展对象", "培养对象",
                     "预备党员", "转正", "党基考试", "入党申请", "申请入党", "入党志愿", "入党宣誓", "入党介绍",
                     "(?<!更)新党员", "政审", "(?<![调转迁编])入党(?!誓词|初心|为什么|时的)")),
    ("transfer", ("组织关系", "接转", "转接")),
    ("study", ("学习", "读(?:好)?书", "自学", "研读", "学习强国")),
    ("openness", ("[校园党政财事村]务公开", "三务公开", "公开栏", "民主恳谈", "恳谈会", "行风评议", "政风行风",
                  "园长信箱", "校长信箱")),
    ("integrity", ("廉政", "廉洁", "思廉", "崇廉", "倡廉", "清廉", "反腐", "警示教育", "警示片")),
    ("ethics", ("师德", "师风")),
    ("exemplar", ("示范岗", "示范课", "示范点", "党员示范", "先锋岗", "亮身份", "听评课", "评课", "公开课",
                  "教学展示", "创先争优", "承诺践诺", "践诺", "党员承诺", "一面旗", "优秀(?:共产)?党员")),
    ("pairing", ("结对", "双向培养", "传帮带", "一帮一", "手拉手", "师徒", "青蓝工程")),
    ("volunteer", ("志愿", "(?:进|到|在|入|走进|深入|服务)社区", "社区(?:服务|志愿|共建)", "送教", "学雷锋",
                   "义务(?:劳动|服务|辅导|植树|宣传)", "义工")),
    ("care", ("慰问", "走访", "帮扶", "关怀", "关爱", "看望", "探望", "送温暖", "困难党员", "重阳")),
    ("mass_org", ("工会", "共青团", "团委", "团支部", "团员", "团建", "入团", "少先队(?!员)", "妇女", "妇委", "三八",
                  "教代会", "职代会", "群团", "青年节", "五四")),
    ("commemoration", ("庆祝", "纪念", "扫墓", "祭扫", "七一", "国庆", "教师节", "红歌", "演讲比赛", "建党",
                       "诞辰", "烈士", "清明", "长征", "革命传统", "周年", "五四", "一二[·•.]?九", "建军节",
                       "公祭", "党的生日", "抗战", "红色教育基地", "革命纪念")),
    ("planning", ("(?:制定|制订|拟定|拟订|修订|编制)[^。;；]{0,15}?(?:计划|方案|规划|要点)",
                  "(?:计划|方案|规划)的?(?:制定|制订)", "部署", "布置")),
    ("summary", ("总结", "小结", "档案", "(?<!学习)(?<!宣传)(?<!阅读)材料", "(?<!学习)资料", "汇总", "上报",
                 "年终评估", "年度评估", "年终考核", "归档", "台账")),
)

# A mention that names a document, not an activity: "民主评议会议记录", "积极分子情况记录表",
# "组织生活会记录".  Matches of kinds other than these are ignored when this follows them.
DOCUMENT_KINDS_KEPT: tuple[str, ...] = ("summary", "planning")
DOCUMENT_SUFFIX = r"[^,，。;；:：、()（）]{0,6}?(?:会议)?(?:记录表|记录本|记录|登记表|情况表|考核表|统计表|台账|档案)"
# A mention right after one of these is not planned: "不安排主题党日", "暂停集中学习".
NEGATIONS: tuple[str, ...] = ("不安排", "不开展", "不召开", "不举行", "不组织", "暂停", "取消", "无需", "不再")
# An item that hands in a list of materials ("上交材料:工作总结、民主评议会议记录、…"): the list after the
# colon names documents, so only the words before it are classified.
MATERIALS_LIST = r"(?:上交|上报|报送|提交|整理|收集|归档|汇总|准备|完善)[^:;。,]{0,12}?(?:材料|资料|档案|台账)\s*:"

KINDS: tuple[str, ...] = tuple(k for k, _ in KIND_KEYWORDS)

KIND_LABELS: dict[str, str] = {
    "party_congress": "党员大会",
    "committee_meeting": "支委会",
    "group_meeting": "党小组会",
    "party_lecture": "党课",
    "theme_day": "主题党日",
    "org_life_meeting": "组织生活会",
    "democratic_life_meeting": "民主生活会",
    "member_evaluation": "民主评议党员",
    "dues": "党费",
    "development": "发展党员",
    "transfer": "组织关系接转",
    "study": "学习",
    "openness": "公开",
    "integrity": "廉政",
    "ethics": "师德师风",
    "exemplar": "示范争优",
    "pairing": "结对",
    "volunteer": "志愿服务",
    "care": "关怀帮扶",
    "mass_org": "群团工作",
    "commemoration": "纪念庆祝",
    "planning": "计划部署",
    "summary": "总结材料",
}

# A short line containing one of these opens the calendar.
CALENDAR_HEADING_WORDS: tuple[str, ...] = (
    "行事历", "行事表", "具体安排", "日程安排", "工作日程", "活动日程", "每月具体工作安排", "月工作安排",
    "工作安排", "活动安排", "进度安排", "时间安排", "逐月安排", "按月安排", "月度安排", "月份安排",
    "工作日历", "工作月历", "工作进度", "进度表", "安排表", "工作历", "月历", "具体工作",
)

# The school-year table (plan-import.md: "上学期 = 9–1 and 下学期 = 2–7 for a kindergarten or school";
# the README prints it): period words other than months → months. Configurable: a district whose
# terms differ replaces entries here (e.g. from settings) before parsing.
SCHOOL_YEAR: dict[str, list[int]] = {
    "上学期": [9, 10, 11, 12, 1],
    "第一学期": [9, 10, 11, 12, 1],
    "秋季学期": [9, 10, 11, 12, 1],
    "下学期": [2, 3, 4, 5, 6, 7],
    "第二学期": [2, 3, 4, 5, 6, 7],
    "春季学期": [2, 3, 4, 5, 6, 7],
    "学期初": [2, 9],
    "开学初": [2, 9],
    "学期中": [4, 5, 10, 11],
    "期中": [4, 5, 10, 11],
    "学期末": [1, 6, 7],
    "期末": [1, 6, 7],
    "寒假": [1, 2],
    "寒假期间": [1, 2],
    "暑假": [7, 8],
    "暑期": [7, 8],
    "暑假期间": [7, 8],
}

# Whole-line season words → months (the school-year table included).
SEASON_MONTHS: dict[str, list[int]] = {
    **SCHOOL_YEAR,
    "上半年": list(range(1, 7)),
    "下半年": list(range(7, 13)),
    "全年": list(range(1, 13)),
    "全年度": list(range(1, 13)),
    "每月": list(range(1, 13)),
    "每个月": list(range(1, 13)),
}

# Lines after which the calendar is over (closing sentences).
CLOSING_PREFIXES: tuple[str, ...] = (
    "在新的一年", "新的一年", "新的学年", "在新学年", "总之", "总而言之", "让我们", "我们相信", "相信在",
    "以上", "特此", "本计划", "此计划", "未尽事宜", "注:", "备注", "说明:", "附件",
)

# A short heading (numbered or not) made of one of these ends the calendar: "保障措施", "五、工作要求:".
CLOSING_HEADINGS: tuple[str, ...] = (
    "保障措施", "工作措施", "主要措施", "具体措施", "措施保障", "工作保障", "组织保障", "保障机制", "工作要求",
    "有关要求", "几点要求", "具体要求", "其他要求", "实施要求", "注意事项", "其他事项", "考核办法", "考核评价",
    "考核评估", "保障机制", "工作保障措施", "组织实施",
)
# A heading with one of these is not a calendar heading even with a calendar word: "具体工作措施".
NOT_CALENDAR_WORDS: tuple[str, ...] = ("措施", "目标", "指导思想", "原则", "思路")

ORG_SUFFIXES: tuple[str, ...] = (
    "党支部", "党总支", "党委", "支部委员会", "总支委员会", "幼儿园", "学校", "小学", "中学", "大学", "学院",
    "中心", "医院", "公司", "办公室", "教育局", "支部",
)
_VERB_START = re.compile(r"^(召开|开展|组织|举办|学习|做好|参加|参与|收缴|上交|迎接|布置|制定|制订|总结|"
                         r"落实|加强|推进|深入|认真|坚持|完成|进行|配合|协助)")

# ---------------------------------------------------------------------------------------------
# Data classes
# ---------------------------------------------------------------------------------------------


class PlanInputError(ValueError):
    """Unreadable or non-plan input. The message is one line, Chinese then English."""


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
        t = t[:m.end()]
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
for _cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
            0x200B, 0x202F, 0x205F, 0xFEFF, 0x0009):
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

_CN_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
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
# Month headings
# ---------------------------------------------------------------------------------------------

_MNUM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九]|元)"
_YEAR_PREFIX = (r"(?:(?:(?:\d{4}|20[xX_]{2}|[〇零一二三四五六七八九]{4})\s*年(?:度)?|次年|翌年|来年|明年)\s*)?")
_MONTH_SUFFIX = (r"(?:上旬|中旬|下旬|上半月|下半月|初|中|底|末)?(?:的)?(?:主要|重点|具体|常规)?(?:工作|活动|任务)?"
                 r"(?:安排|重点|要点|计划|内容)?")
_RANGE_SEP = r"\s*(?:-+|~|至|到)\s*(?:次年|翌年|下年|来年)?\s*"
_LIST_SEP = r"\s*(?:[、,/和及与]|\s)?\s*"

_RE_RANGE = re.compile(rf"^{_YEAR_PREFIX}(?P<a>{_MNUM})\s*(?:月份|月)?{_RANGE_SEP}(?P<b>{_MNUM})\s*(?:月份|月)")
_ANUM = r"\d{1,2}"
_CNUM = r"(?:十[一二]?|[一二三四五六七八九]|元)"
_RE_LIST = re.compile(
    rf"^{_YEAR_PREFIX}(?P<list>{_ANUM}(?:\s*(?:月份|月))?(?:{_LIST_SEP}{_ANUM}(?:\s*(?:月份|月))?)+?|"
    rf"{_CNUM}(?:\s*(?:月份|月))?(?:{_LIST_SEP}{_CNUM}(?:\s*(?:月份|月))?)+?)\s*(?:月份|月)")
_RE_SINGLE = re.compile(rf"^{_YEAR_PREFIX}(?P<a>{_MNUM})\s*(?:月份|月)")
_RE_QUARTER = re.compile(r"^(?:第(?P<q>[一二三四1-4](?:\s*[、,和及至到-]\s*[一二三四1-4])*)|(?P<q2>[一二三四1-4]))\s*季度")
_RE_SEASON = re.compile("^(?:" + "|".join(sorted(map(re.escape, SEASON_MONTHS), key=len, reverse=True)) + ")")
_RE_CN_PREFIX = re.compile(r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|\(\s*[一二三四五六七八九十]{1,3}\s*\)\s*[、.]?)\s*")
# any numbering or bullet in front of a month heading: "1、二月份:", "(1)三月份:", "● 五月份", "【四月份】"
_BULLETS = "●○◆◇■□▲△▶►★☆•·※√✔❖➢➤"
_RE_ANY_PREFIX = re.compile(rf"^(?:\d{{1,2}}\s*[、.)]|\(\s*\d{{1,2}}\s*\)|[{_BULLETS}]|【|\[|"
                            rf"\((?=[^()]{{1,12}}?(?:月份|月|季度|半年|寒假|暑假)[^()]{{0,8}}\)))\s*")
_RE_DAY = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]")
_RE_THEME = re.compile(r"^(?:【?第[一二三四五六七八九十\d]{1,3}专题|专题[一二三四五六七八九十\d]*\s*[:】]|"
                       r"【?(?:活动|学习|本月|月度|教育)?主题\s*[:】为是])")
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
        nxt = _month_expr1(n[j.end():])
        # only a season word or a spelled-out month joined by 及/和 ("十二月份及寒假"); plain 、 lists are
        # the list regex's business
        if nxt is None or (not nxt[2] and n[j.start():j.end()].strip() in ("、", ",", "/")):
            break
        months = sorted(set(months) | set(nxt[0]))
        end = j.end() + nxt[1]
        season = season and nxt[2]
    return months, end, season


_RE_STAGE = re.compile(r"^(?:第[一二三四五六七八九十\d]{1,2}|[一二三四五六七八九十]{1,2})阶段\s*(?:[(:]\s*)?")


def _month_expr1(n: str) -> tuple[list[int], int, bool] | None:
    m = _RE_STAGE.match(n)
    if m:  # 第一阶段(3-4月): the months in the heading; a stage without months is no period
        inner = _month_expr1(n[m.end():]) if not _RE_STAGE.match(n[m.end():]) else None
        if inner is None:
            return None
        end = m.end() + inner[1]
        if n[end:end + 1] == ")":
            end += 1
        return inner[0], end, True
    m = _RE_QUARTER.match(n)
    if m:
        qs = re.findall(r"[一二三四1-4]", m.group("q") or m.group("q2"))
        if re.search(r"[至到-]", m.group("q") or ""):
            lo, hi = _cn_int(qs[0]), _cn_int(qs[-1])
            qs_int = list(range(lo, hi + 1)) if lo and hi and lo <= hi else [_cn_int(q) for q in qs]
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
            months = _months_from_match(m, kind)
            if months:
                candidates.append((months, m.end(), kind))
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
    if _RE_DAY.match(tail):  # 3月5日 …: a dated line
        day = _RE_DAY.match(tail)
        rest = tail[day.end():]
        if not rest.strip(_SEPARATORS + "()"):
            return _MonthHead(months, True, len(n))
        return None if season else _MonthHead(months, False, start)
    if tail.startswith("("):
        close = tail.find(")")
        if close > 0:
            inner = tail[1:close]
            after = tail[close + 1:]
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
                num = _cn_int(raw)
                if num is None:
                    continue
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
    r"\d{4}\s*[./-]\s*\d{1,2}(?:\s*[./-]\s*\d{1,2})?)$")


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
    return bool(m) and _is_org_line(m.group("org")) and _is_date_line(m.group("date"))


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
    s = o[m.end():] if m else o
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
            if (len(n) <= 60 and not (n.endswith("。") and "," in n) and _numbering(n) is None
                    and _month_heading(n) is None):
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
        if self.block is None:
            self._new_block(None)
        self.block.items.append(_Item(raw, numbered, cn_number, line_len, self.cur_width))

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
        if (last is not None and last.numbered and _is_prose(n) and n[0] not in _CONT_START
                and not _unbalanced(_normalise(last.raw)) and _normalise(last.raw).strip()[-1:] not in _CONT_END):
            return  # a closing or explanatory paragraph after the items
        if last is not None and self._should_join(last, n):
            last.raw += (" " if last.raw and last.raw[-1].isascii() and last.raw[-1].isalnum()
                         and n[0].isascii() and n[0].isalnum() else "") + o
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

    def _line(self, idx: int, o: str, n: str) -> None:
        head = _month_heading(n)
        if head is not None:
            if head.strict and (self.open or self.implicit_ok or self.heading_seen):
                self.open = True
                self.had_month_heading = True
                # 第一季度 / 主题:… / 一月:… : months inside an empty period heading take its theme
                prev = self.block
                if (prev is not None and not prev.items and prev.months and (prev.theme is None or prev.theme_line)
                        and set(head.months) < set(prev.months)):
                    prev.container = True
                    self.container = prev
                elif self.container is not None and not set(head.months) < set(self.container.months or []):
                    self.container = None
                theme = head.theme_paren
                if theme is None and self.container is not None:
                    theme = self.container.theme
                self._new_block(head.months, theme)
                self._handle_rest(o, n, head.rest_start)
                return
            if not head.strict and self.open and self._continues_last(n, head.months):
                self._add_unnumbered(o, n)  # "…时间定于\n3月5日。": the rest of a broken item
                return
            if not head.strict and ((self.open and self.block is not None and self.block.months is not None)
                                    or (self.implicit_loose_ok and len(n) <= 50)):
                self.open = True
                self.had_month_heading = True
                self._new_block(head.months)
                self._add_item(o, False, None, len(n))
                return
        num = _numbering(n)
        if _is_calendar_heading(n) and not (self.open and num is not None and num.style not in ("cn", "cn_paren")):
            if num is not None and num.style in ("cn", "cn_paren"):
                self._add_section(o, n, num)
            if self.year is None:
                self.year = _find_year(n)
            self._open_calendar()
            if n.startswith("附"):  # 附:…安排表 opens a calendar only if month or period headings follow
                self.tentative.add(self.session)
            return
        if (self.open and num is not None and self.prev_idx in self.table_rows and idx not in self.table_rows
                and num.style not in ("cn", "cn_paren")):
            self.open = False  # numbered lines after a pasted table are targets, not calendar items
            self.block = None
            return
        if _is_closing_heading(n) and (num is None or num.style in ("cn", "cn_paren")):
            if num is not None:
                self._add_section(o, n, num)
            self.open = False
            self.block = None
            return
        if num is not None and num.style in ("cn", "cn_paren"):
            block = self.block
            if self.open and block is not None:
                last = block.last_cn()
                if (last is None and num.number == 1 and not block.items) or (last is not None and num.number == last + 1):
                    self._handle_line(o, n)
                    return
            self._add_section(o, n, num)
            self.open = False
            self.block = None
            return
        if not self.open:
            return
        if num is None:
            if idx >= self.sig_start or _is_signature_line(n) or _is_closing(n):
                self.open = False
                self.block = None
                return
        self._handle_line(o, n)

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


# ---------------------------------------------------------------------------------------------
# JSON and rendering
# ---------------------------------------------------------------------------------------------


def to_json(plan: Plan) -> dict:
    return {
        "title": plan.title,
        "year": plan.year,
        "sections": [{"number": s.number, "heading": s.heading, "level": s.level} for s in plan.sections],
        "calendar": [
            {"months": list(c.months), "text": c.text, "kinds": list(c.kinds), "theme": c.theme}
            for c in plan.calendar
        ],
        "targets": [t.to_json() for t in plan.targets],
    }


def months_label(months: list[int]) -> str:
    """[1,2,3] → "1-3月", [7, 8] → "7-8月", [1, 3] → "1、3月"."""
    ms = sorted(set(months))
    if not ms:
        return ""
    if len(ms) == 1:
        return f"{ms[0]}月"
    if ms == list(range(ms[0], ms[-1] + 1)):
        return f"{ms[0]}-{ms[-1]}月"
    return "、".join(str(m) for m in ms) + "月"


_RENDER_STYLES = ("paren", "arabic", "circled")


def _render_number(style: str, k: int) -> str:
    if style == "paren":
        return f"({k})"
    if style == "arabic":
        return f"{k}、"
    return _CIRCLED[(k - 1) % len(_CIRCLED)]


def render_calendar(plan: Plan) -> str:
    """The calendar as text; parse_text(render_calendar(p)).calendar == p.calendar."""
    lines = ["行事历", ""]
    groups: list[tuple[list[int], str | None, list[CalendarItem]]] = []
    for item in plan.calendar:
        key = (sorted(set(item.months)), item.theme)
        if groups and (groups[-1][0], groups[-1][1]) == key:
            groups[-1][2].append(item)
        else:
            groups.append((key[0], key[1], [item]))
    for months, theme, items in groups:
        lines.append(months_label(months) + ":")
        if theme is not None:
            lines.append(f"主题:{theme}")
        for k, item in enumerate(items, 1):
            nxt = None
            style = _RENDER_STYLES[0]
            for style in _RENDER_STYLES:
                nxt = _marker_re(style, 2) if style != "circled" else re.compile(re.escape(_CIRCLED[1]))
                if not nxt.search(_normalise(item.text)):
                    break
            lines.append(_render_number(style, 1) + item.text)
        lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------

_HEADER_WORDS = re.compile(r"^(?:月份|月|时间|日期|时段|工作内容|内容|主要工作|工作|工作安排|活动内容|活动|项目|"
                           r"工作事项|事项|任务|主题|负责人|责任人|负责|责任部门|备注|序号|参加人员|参加对象|"
                           r"地点|形式|完成时间|完成情况)$")
_DROP_COLUMN = re.compile(r"负责|责任|备注|序号|参加|地点|人员|对象|部门|形式|完成情况")


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def read_file(path_or_bytes, filename: str | None = None) -> str:
    """Text of a plan file: .txt (UTF-8, UTF-8 BOM, UTF-16 BOM or GB18030) or .docx.

    path_or_bytes: a path (str/Path), bytes, or a binary file-like object (e.g. an upload).
    Raises PlanInputError with a one-line message for anything unreadable.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        name = filename or "-"
    elif hasattr(path_or_bytes, "read"):
        try:
            data = path_or_bytes.read()
        except OSError as exc:
            raise PlanInputError(f"无法读取文件 (cannot read file): {_one_line(filename or '-')}: "
                                 f"{_one_line(exc)}") from None
        if isinstance(data, str):
            return data
        name = filename or getattr(path_or_bytes, "name", None) or "-"
    else:
        path = Path(path_or_bytes)
        name = filename or str(path)
        if not path.exists():
            raise PlanInputError(f"文件不存在 (file not found): {_one_line(path)}")
        if path.is_dir():
            raise PlanInputError(f"这是一个目录,不是文件 (is a directory): {_one_line(path)}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PlanInputError(f"无法读取文件 (cannot read file): {_one_line(path)}: "
                                 f"{_one_line(exc.strerror or exc)}") from None
    name = _one_line(name)
    suffix = Path(str(name)).suffix.lower()
    if not data or not data.strip():
        raise PlanInputError(f"文件为空 (empty file): {name}")
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        return _read_docx(data, name)
    if data.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".doc":
        raise PlanInputError(f"不支持旧版 .doc 格式,请另存为 .docx 或 .txt (legacy .doc is not supported): {name}")
    if data.startswith(b"%PDF"):
        raise PlanInputError(f"不支持 PDF,请另存为 .docx 或 .txt (PDF is not supported): {name}")
    return _decode_text(data, name)


def _decode_text(data: bytes, name: str) -> str:
    text = None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:
            text = None
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        if b"\x00" in data:
            raise PlanInputError(f"不是文本或 .docx 文件 (not a text or .docx file): {name}")
        for enc in ("utf-8", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise PlanInputError(f"无法识别文件编码,请使用 UTF-8 或 GB18030 (unknown text encoding): {name}")
    bad = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\f\v")
    if "\x00" in text or bad > max(2, len(text) // 100):
        raise PlanInputError(f"不是文本或 .docx 文件 (not a text or .docx file): {name}")
    return text.lstrip("\ufeff")


def _read_docx(data: bytes, name: str) -> str:
    from zhibu.core.uploads import UploadError, check_zip_bomb  # pure: zip directory checks only

    try:
        check_zip_bomb(data)  # a small .docx can unpack to hundreds of megabytes: refuse before parsing
    except UploadError as exc:
        if exc.code != "not_zip":
            raise PlanInputError(f"{exc}：{name}") from None
    try:
        import docx  # python-docx
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - any failure means "not a readable .docx"
        raise PlanInputError(f"无法打开 .docx 文件 (cannot open .docx file): {name}") from None
    lines: list[str] = []
    try:
        _docx_blocks(document, lines)
    except Exception:  # noqa: BLE001
        raise PlanInputError(f"无法读取 .docx 内容 (cannot read .docx content): {name}") from None
    return "\n".join(lines)


def _docx_blocks(container, lines: list[str]) -> None:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            _docx_table(block, lines)
        else:
            lines.extend(block.text.split("\n"))


def _docx_cell_lines(cell) -> list[str]:
    out: list[str] = []
    _docx_blocks(cell, out)
    return out


def _docx_table(table, lines: list[str]) -> None:
    keep: list[bool] | None = None
    for r, row in enumerate(table.rows):
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(cell)
        texts = [_docx_cell_lines(c) for c in cells]
        joined = ["".join(t).strip() for t in texts]
        if keep is None and r == 0 and joined and all(len(j) <= 8 for j in joined) and any(
                _HEADER_WORDS.match(_normalise(j).replace(" ", "")) for j in joined if j):
            keep = [not _DROP_COLUMN.search(j) for j in joined]
            continue
        for c, cell_lines in enumerate(texts):
            if keep is not None and c < len(keep) and not keep[c]:
                continue
            lines.extend(cell_lines)


def load_plan(path_or_bytes, filename: str | None = None) -> Plan:
    """read_file + parse_text; PlanInputError when the text is not a plan."""
    text = read_file(path_or_bytes, filename)
    plan = parse_text(text)
    if not is_plan(plan):
        name = filename
        if name is None:
            name = str(path_or_bytes) if isinstance(path_or_bytes, (str, Path)) else "-"
        raise PlanInputError(f"不是工作计划:未找到章节或行事历 (not a plan: no sections or calendar found): "
                             f"{_one_line(name)}")
    return plan
