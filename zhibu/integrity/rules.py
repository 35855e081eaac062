"""Rules of 廉政 and 师德 records (pure: no Django, no ORM).

Sources:
- 一岗双责: 《党委（党组）落实全面从严治党主体责任规定》(2020) 第6、14条 — 领导班子成员对分管范围内的
  全面从严治党工作负领导责任（一岗双责）; the branch secretary is 第一责任人. Lists are per year and
  checked at year end (local practice, L).
- 师德: 《新时代幼儿园教师职业行为十项准则》《新时代中小学教师职业行为十项准则》(教育部 2018);
  《教育部关于建立健全高校师德建设长效机制的意见》/《中小学教师违反职业道德行为处理办法》(2018年修订)
  第4条: 师德失范的教师在评奖评优中实行“一票否决” (N A) — the veto applies to that year's 评优.
- 三重一大: 《关于进一步推进国有企业贯彻落实“三重一大”决策制度的意见》(2010) and the education
  system's restatements: 重大决策、重要干部任免、重大项目安排、大额度资金使用 are decided collectively
  at a meeting (L B). Votes: a 党员大会 by 支部工作条例 第11条 (orglife.rules.motion_result); a 支委会
  needs more than half of the committee present (第12条) and, for a decision, more than half of the
  committee in favour (少数服从多数, 党章 第十条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhibu.orglife import rules as orglife_rules

CHECK_RESULTS = (("fulfilled", "已履行"), ("partly", "基本履行"), ("not_fulfilled", "未履行"))
CHECK_LABELS = dict(CHECK_RESULTS)

DECISION_CATEGORIES = (
    ("major_decision", "重大决策"),
    ("appointment", "重要干部任免"),
    ("project", "重大项目安排"),
    ("funds", "大额资金使用"),
)
CATEGORY_LABELS = dict(DECISION_CATEGORIES)

CONGRESS, COMMITTEE = "party_congress", "committee_meeting"
DECISION_MEETING_KINDS = (CONGRESS, COMMITTEE)
COMMITTEE_DECISION_SOURCE = "《中国共产党支部工作条例（试行）》第12条；《中国共产党章程》第十条"
VETO_SOURCE = "《中小学教师违反职业道德行为处理办法》第4条（评奖评优一票否决）"

DEFAULT_COMMITMENT = (
    "本人郑重承诺：坚定政治方向，自觉爱国守法，传播优秀文化，潜心培幼育人，加强安全防范，"
    "关心爱护幼儿，遵循幼教规律，秉持公平诚信，坚守廉洁自律，规范保教行为。"
    "严格遵守《新时代幼儿园教师职业行为十项准则》，如有违反，自愿接受组织处理，"
    "并在当年评奖评优中实行一票否决。"
)


class RuleError(ValueError):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def duty_lines(text: str) -> list[str]:
    """The duties of a list, one per line, blank lines and list marks dropped."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-·•*").strip()
        if line:
            out.append(line)
    return out


def check_duties(text: str) -> None:
    if not duty_lines(text):
        raise RuleError("请至少填写一项责任事项（每行一项）。", "no_duties")


def check_year(year: int, today: dt.date) -> None:
    """Lists and commitments are for this year, last year (late entry) or next year (prepared in December)."""
    if not today.year - 1 <= year <= today.year + 1:
        raise RuleError(f"年度须在{today.year - 1}—{today.year + 1}年之间。", "year_out_of_range")


def can_check(year: int, today: dt.date) -> bool:
    """The year-end check: from 1 December of the list's year on."""
    return today >= dt.date(year, 12, 1)


def check_violation_date(date: dt.date, today: dt.date) -> None:
    if date > today:
        raise RuleError("尚未发生的事项不能登记（日期晚于今天）。", "future_date")


def veto_reason(date: dt.date, summary: str) -> str:
    text = summary.strip().replace("\n", " ")
    if len(text) > 40:
        text = text[:40] + "…"
    return f"师德失范一票否决（{date.year}年{date.month}月{date.day}日：{text}）"


@dataclass(frozen=True)
class DecisionResult:
    passed: bool
    reason: str
    source: str


def decision_result(
    *, kind: str, should_attend: int, present: int, votes_for: int, against: int, abstain: int
) -> DecisionResult:
    """The outcome of a 三重一大 vote at a 党员大会 or 支委会. `should_attend`/`present`: 应到/实到 with a
    vote (党员大会: 正式党员; 支委会: the committee members). Raises RuleError on impossible figures."""
    if kind == CONGRESS:
        try:
            r = orglife_rules.motion_result(
                should_attend=should_attend, present=present, votes_for=votes_for, against=against, abstain=abstain
            )
        except (TypeError, ValueError) as exc:
            raise RuleError(str(exc), "bad_votes") from None
        return DecisionResult(r.passed, r.reason_zh, r.source)
    if kind != COMMITTEE:
        raise RuleError("“三重一大”事项须由党员大会或支委会集体决策。", "wrong_meeting_kind")
    for value in (votes_for, against, abstain):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleError("票数须为不小于0的整数。", "bad_votes")
    try:
        q = orglife_rules.committee_quorum(committee_size=should_attend, present=present)
    except (TypeError, ValueError) as exc:
        raise RuleError(str(exc), "bad_votes") from None
    total = votes_for + against + abstain
    if total > present:
        raise RuleError(f"赞成、反对、弃权票合计（{total}）不能超过实到委员人数（{present}）", "bad_votes")
    if not q.quorum_met:
        return DecisionResult(False, f"{q.reason_zh}，不能作出决定", COMMITTEE_DECISION_SOURCE)
    votes = f"赞成{votes_for}票，反对{against}票，弃权{abstain}票"
    if votes_for * 2 > should_attend:
        return DecisionResult(True, f"{q.reason_zh}；{votes}，赞成票超过应到会委员的半数，通过", COMMITTEE_DECISION_SOURCE)
    return DecisionResult(False, f"{q.reason_zh}；{votes}，赞成票未超过应到会委员的半数，未通过", COMMITTEE_DECISION_SOURCE)
