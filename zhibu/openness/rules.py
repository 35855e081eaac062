"""Rules of 党务公开 / 三务公开, the mailbox and the 恳谈会 (pure: no ORM). Sources: rules2.md §7 and §5.

- Procedure 提出 → 审核 (incl. 保密审查) → 审批 → 实施 (发布): 党务公开条例（试行）(2017) 第15条 (N A).
- Scope: within the Party first; staff or the public afterwards; secrets never (党务公开条例; N B).
- Branch contents: higher decisions, 组织建设, 党费, services (党务公开条例 第二章; N C) — categories below.
- 党费 published to members once a year (2008 规定 local restatements; N B).
- Cadence and the 公开目录 are set by the upper committee (L): frequencies below, per district.
- Schools: 校务/园务公开 (教育部 意见 2002; L B) — "三务公开" = 党务 + 园务/校务 + 财务.
- 减负 (rules2.md §5): a 投诉建议 channel is offered; branch-level statistics go up, never rankings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PARTY, SCHOOL, FINANCE = "party", "school", "finance"
CHANNELS = (PARTY, SCHOOL, FINANCE)


def channel_label(channel: str, unit: str = "") -> str:
    """党务 / 园务 (a kindergarten) or 校务 (a school) / 财务."""
    if channel == PARTY:
        return "党务"
    if channel == FINANCE:
        return "财务"
    return "园务" if "园" in (unit or "") else "校务"


# (code, channel, name, basis) — the Category table is seeded from these; a district may rename or retire.
CATEGORIES = (
    ("decisions", PARTY, "贯彻落实上级决策部署", "党务公开条例（试行）第二章"),
    ("organisation", PARTY, "组织建设（换届、发展党员、民主评议、组织生活会）", "党务公开条例（试行）第二章"),
    ("education", PARTY, "党员教育管理", "党务公开条例（试行）第二章"),
    ("dues", PARTY, "党费收缴、使用和管理", "党费工作规定（2008）；每年向党员公布一次"),
    ("service", PARTY, "联系服务党员群众", "党务公开条例（试行）第二章"),
    ("party_other", PARTY, "其他党务", "党务公开条例（试行）"),
    ("plans", SCHOOL, "发展规划和重大决策", "教育部关于推进中小学校务公开的意见（2002）"),
    ("congress", SCHOOL, "教代会（教职工大会）", "教育部关于推进中小学校务公开的意见（2002）"),
    ("admission", SCHOOL, "招生和收费", "教育部关于推进中小学校务公开的意见（2002）"),
    ("staff", SCHOOL, "人事、职称和评优评先", "教育部关于推进中小学校务公开的意见（2002）"),
    ("safety", SCHOOL, "安全、膳食和后勤", "教育部关于推进中小学校务公开的意见（2002）"),
    ("budget", FINANCE, "经费预算和决算", "三务公开（本地做法）"),
    ("fees", FINANCE, "收费项目和标准", "三务公开（本地做法）"),
    ("purchases", FINANCE, "大宗采购和基建维修", "三务公开（本地做法）"),
    ("special_funds", FINANCE, "专项经费使用", "三务公开（本地做法）"),
)

# Scope: who may read a published notice.
MEMBERS, STAFF, PUBLIC = "members", "staff", "public"
SCOPE_LABELS = {MEMBERS: "本支部党员", STAFF: "全体教职工", PUBLIC: "向社会公开"}

# The procedure (党务公开条例 第15条): 提出 → 审核（含保密审查）→ 审批 → 发布; 退回 goes back to 提出.
PROPOSED, REVIEWED, APPROVED, PUBLISHED, RETURNED = "proposed", "reviewed", "approved", "published", "returned"
STATUS_LABELS = {
    PROPOSED: "已提出，待审核",
    REVIEWED: "已审核，待审批",
    APPROVED: "已审批，待发布",
    PUBLISHED: "已发布",
    RETURNED: "已退回，待修改",
}
STEPS = ("propose", "review", "approve", "publish")
STEP_LABELS = {"propose": "提出", "review": "审核", "approve": "审批", "publish": "发布", "return": "退回"}
_MOVES = {
    ("review", PROPOSED): REVIEWED,
    ("approve", REVIEWED): APPROVED,
    ("publish", APPROVED): PUBLISHED,
    ("return", PROPOSED): RETURNED,
    ("return", REVIEWED): RETURNED,
    ("return", APPROVED): RETURNED,
    ("resubmit", RETURNED): PROPOSED,
}
EDITABLE = (PROPOSED, RETURNED)

# Who takes each step (L: the district or branch sets "openness_roles" in its 本地设置, nearest wins).
MANAGER, SECRETARY, DISTRICT = "manager", "secretary", "district"
ROLE_LABELS = {MANAGER: "支委", SECRETARY: "支部书记", DISTRICT: "上级党组织"}
DEFAULT_ROLES = {"propose": MANAGER, "review": MANAGER, "approve": SECRETARY, "publish": SECRETARY}
ROLES_SETTING = "openness_roles"

DEFAULT_PERIOD_DAYS = 15  # L: how long a notice stays on the board unless the publisher says otherwise
MAX_PERIOD_DAYS = 366


class RuleError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def transition(status: str, step: str) -> str:
    after = _MOVES.get((step, status))
    if after is None:
        label = STEP_LABELS.get(step, step)
        raise RuleError(f"当前状态（{STATUS_LABELS.get(status, status)}）不能{label}。", "wrong_state")
    return after


def step_roles(chain: Iterable[Mapping]) -> dict[str, str]:
    """The role of each step: the nearest organisation's setting wins (chain: nearest first)."""
    out = dict(DEFAULT_ROLES)
    for settings in reversed(list(chain)):
        configured = (settings or {}).get(ROLES_SETTING) or {}
        if isinstance(configured, Mapping):
            for step, role in configured.items():
                if step in DEFAULT_ROLES and role in ROLE_LABELS:
                    out[step] = role
    out["return"] = out["review"]  # whoever may review may send back; the approver too (see may_take)
    return out


def may_take(role: str, *, manager: bool, secretary: bool, district: bool) -> bool:
    """Whether someone holding these positions may take a step configured for `role`."""
    if role == MANAGER:
        return manager or secretary
    if role == SECRETARY:
        return secretary
    if role == DISTRICT:
        return district
    return False


def check_review(secrecy_checked: bool) -> None:
    """审核 includes the 保密审查 (党务公开条例 第15条): nothing secret is published."""
    if not secrecy_checked:
        raise RuleError("审核须先完成保密审查：请确认内容不涉及党和国家秘密及个人隐私后勾选。", "no_secrecy_check")


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise RuleError("公开截止日期不能早于发布日期。", "period_reversed")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise RuleError("公开期限不能超过一年。", "period_too_long")


def visible_scopes(*, member: bool, staff: bool) -> tuple[str, ...]:
    """Scopes a reader sees inside the app: members everything; other staff 'staff' and 'public'."""
    if member:
        return (MEMBERS, STAFF, PUBLIC)
    if staff:
        return (STAFF, PUBLIC)
    return (PUBLIC,)


def on_board(status: str, start: dt.date | None, end: dt.date | None, today: dt.date) -> bool:
    return status == PUBLISHED and start is not None and start <= today and (end is None or today <= end)


def archived(status: str, end: dt.date | None, today: dt.date) -> bool:
    return status == PUBLISHED and end is not None and end < today


# --- 公开目录: how often each item is due --------------------------------------------------------------

# The same vocabulary as orglife's obligations (zhibu.orglife.rules.FREQUENCIES): the 公开目录 joins the
# branch's obligations grid through the `obligations` hook. 每学期 is taken as each half of the year.
YEARLY, SEMESTER, QUARTERLY, MONTHLY = "yearly", "half_yearly", "quarterly", "monthly"
FREQUENCY_LABELS = {YEARLY: "每年一次", SEMESTER: "每半年（每学期）一次", QUARTERLY: "每季度一次", MONTHLY: "每月一次"}
DONE, DUE, OVERDUE, FUTURE = "done", "due", "overdue", "future"
OBLIGATION_LABELS = {DONE: "已公开", DUE: "本期待公开", OVERDUE: "逾期未公开", FUTURE: "未到期"}

# The default 公开目录 a district may load and then change: (category code, item, frequency).
DEFAULT_CATALOG = (
    ("dues", "党费收缴、使用和管理情况", YEARLY),
    ("organisation", "发展党员、民主评议等组织建设情况", SEMESTER),
    ("decisions", "学习贯彻上级决策部署情况", QUARTERLY),
    ("congress", "教代会（教职工大会）决议及落实情况", YEARLY),
    ("fees", "收费项目、标准和依据", SEMESTER),
    ("budget", "经费收支情况", YEARLY),
)


def periods(frequency: str, year: int) -> list[tuple[dt.date, dt.date]]:
    """The periods of a year for a frequency (a 学期 as a half year, like orglife's grid)."""
    if frequency == MONTHLY:
        out = []
        for m in range(1, 13):
            nxt = dt.date(year + (m == 12), m % 12 + 1, 1)
            out.append((dt.date(year, m, 1), nxt - dt.timedelta(days=1)))
        return out
    if frequency == QUARTERLY:
        return [
            (dt.date(year, q * 3 + 1, 1), dt.date(year + (q == 3), (q * 3 + 3) % 12 + 1, 1) - dt.timedelta(days=1))
            for q in range(4)
        ]
    if frequency == SEMESTER:
        return [(dt.date(year, 1, 1), dt.date(year, 6, 30)), (dt.date(year, 7, 1), dt.date(year, 12, 31))]
    return [(dt.date(year, 1, 1), dt.date(year, 12, 31))]


@dataclass(frozen=True)
class Obligation:
    start: dt.date
    end: dt.date
    state: str

    @property
    def label(self) -> str:
        return OBLIGATION_LABELS[self.state]


def obligations(frequency: str, year: int, published: Iterable[dt.date], today: dt.date) -> list[Obligation]:
    """Each period of the year: done (a notice of this item published within it), overdue (ended
    without one), due (running now) or future."""
    dates = sorted(published)
    out = []
    for start, end in periods(frequency, year):
        if any(start <= d <= end for d in dates):
            state = DONE
        elif end < today:
            state = OVERDUE
        elif start <= today:
            state = DUE
        else:
            state = FUTURE
        out.append(Obligation(start, end, state))
    return out


# --- The mailbox -------------------------------------------------------------------------------------

DEFAULT_REPLY_DAYS = 7  # L: configured per branch (公开设置)
MAX_REPLY_DAYS = 60
SUBJECT_MAX, BODY_MAX, NAME_MAX, CONTACT_MAX, REPLY_MAX = 60, 2000, 20, 40, 2000
BODY_MIN = 5
MAX_LINKS = 2
# A sender may post this many messages per window (per address, counted under a hashed key, never
# stored with the message), a branch's box this many from everyone (a flood).
SENDER_LIMIT, BOX_LIMIT = 5, 60
TRACK_LIMIT = 20  # tracking-code look-ups per window per address (forged codes are guessed)
NEW, ASSIGNED, REPLIED = "new", "assigned", "replied"
MESSAGE_STATUS_LABELS = {NEW: "待分办", ASSIGNED: "办理中", REPLIED: "已答复"}

_LINK = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(?:com|cn|net|top|xyz|info)\b)", re.I)
# Unambiguous characters (no 0/O, 1/I/L): a code is read off a phone and typed in again.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS, CODE_GROUP_LEN = 3, 4


def spam_problem(subject: str, body: str, honeypot: str = "") -> tuple[str, str] | None:
    """(message, code) when a mailbox message is refused, else None. Checked after the form's length
    limits: an automated filler (the hidden field), too many links, too short to act on."""
    if honeypot:
        return "提交未成功，请刷新页面后重新填写。", "honeypot"
    text = f"{subject}\n{body}"
    if len(_LINK.findall(text)) > MAX_LINKS:
        return f"内容中的网址过多（最多{MAX_LINKS}个），请删去后再提交。", "too_many_links"
    if len((body or "").strip()) < BODY_MIN:
        return f"请把意见或问题写清楚（至少{BODY_MIN}个字）。", "too_short"
    return None


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    return "-".join(raw[i : i + CODE_GROUP_LEN] for i in range(0, len(raw), CODE_GROUP_LEN))


def normalise_code(code: str) -> str | None:
    """The code as issued, from what someone typed (any case, spaces, full-width dashes); None when it
    cannot be a code at all."""
    cleaned = re.sub(r"[\s\-－—_]", "", (code or "").upper())
    if len(cleaned) != CODE_GROUPS * CODE_GROUP_LEN or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return "-".join(cleaned[i : i + CODE_GROUP_LEN] for i in range(0, len(cleaned), CODE_GROUP_LEN))


def code_digest(code: str) -> str:
    """Only this is stored: the code is shown once to the writer and never kept."""
    return hashlib.sha256(f"zhibu-mailbox:{code}".encode()).hexdigest()


def reply_due(received: dt.date, days: int) -> dt.date:
    return received + dt.timedelta(days=max(1, min(MAX_REPLY_DAYS, days)))


def message_overdue(status: str, due_on: dt.date | None, today: dt.date) -> bool:
    return status != REPLIED and due_on is not None and due_on < today


def box_name(unit: str) -> str:
    """园长信箱 for a kindergarten, 校长信箱 otherwise (the branch may rename it)."""
    return "园长信箱" if "园" in (unit or "") else "校长信箱"
