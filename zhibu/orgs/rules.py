"""Pure rules about organisations and people (no ORM). Each cites its source."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

TIAOLI = "中国共产党支部工作条例（试行）"

# --- Branch size and committee (rules.md §1) -------------------------------------------------
MIN_FULL_MEMBERS = 3  # forming a branch: ≥3 正式党员 (条例 第4条)
MAX_MEMBERS = 50  # a branch generally ≤50 members (条例 第4条)
COMMITTEE_REQUIRED_AT = 7  # a committee is required at ≥7 正式党员 (条例)
TERM_YEARS = 3  # 基层组织任期意见(2018): generally 3 years
TERM_WARNING_DAYS = 90  # local practice: warn this long before a term ends (configurable per branch)


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    source: str


def branch_flags(*, full_members: int, members: int, has_committee: bool) -> list[Flag]:
    """Structural warnings for a branch (rules.md §1)."""
    flags = []
    if full_members < MIN_FULL_MEMBERS:
        flags.append(Flag("below_three", f"正式党员仅{full_members}人，不足3人，不符合成立党支部的条件", f"{TIAOLI} 第4条"))
    if full_members >= COMMITTEE_REQUIRED_AT and not has_committee:
        flags.append(Flag("committee_required", f"正式党员{full_members}人（≥7人），应设立支部委员会", f"{TIAOLI} 第4条"))
    if members > MAX_MEMBERS:
        flags.append(Flag("over_fifty", f"党员{members}人，超过50人，一般应分设支部", f"{TIAOLI} 第4条"))
    return flags


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def term_end(start: dt.date, years: int = TERM_YEARS) -> dt.date:
    """A committee term ends `years` after it starts (基层组织任期意见, 2018)."""
    return add_years(start, years)


def term_status(end: dt.date, today: dt.date, warning_days: int = TERM_WARNING_DAYS) -> str:
    """'ok', 'expiring' (within the warning window) or 'expired'."""
    if today >= end:
        return "expired"
    if (end - today).days <= warning_days:
        return "expiring"
    return "ok"


# --- ID numbers and phones --------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    """GB 11643-1999 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def _nfkc(value: str) -> str:
    """Full-width digits and letters (１２３Ｘ), ideographic spaces and the like become their ASCII forms,
    so one ID or phone has one spelling before validation and the uniqueness digest (GB 11643-1999
    uses ASCII digits and X)."""
    return unicodedata.normalize("NFKC", value or "")


def normalise_id(value: str) -> str:
    return re.sub(r"\s+", "", _nfkc(value)).upper()


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-()]+", "", _nfkc(value))


def validate_id_number(value: str) -> str | None:
    """None when valid, else a Chinese error message (format, date, checksum)."""
    v = normalise_id(value)
    if not _ID_RE.match(v):
        return "身份证号应为18位（最后一位可为X）"
    try:
        dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if id_check_char(v[:17]) != v[17]:
        return "身份证号校验位不正确"
    return None


def birth_date_from_id(value: str) -> dt.date:
    v = normalise_id(value)
    return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def validate_phone(value: str) -> str | None:
    v = normalise_phone(value)
    if not _PHONE_RE.match(v):
        return "手机号应为11位，以1开头"
    return None


# --- Plausible dates ----------------------------------------------------------------------------
EARLIEST_BIRTH = dt.date(1900, 1, 1)


def validate_birth_date(birth: dt.date | None, today: dt.date, id_number: str = "") -> str | None:
    """None when plausible: born between 1900 and today, and on the date the ID number carries
    (GB 11643-1999: digits 7–14 are the birth date)."""
    if birth is None:
        return None
    if not EARLIEST_BIRTH <= birth <= today:
        return f"出生日期应在1900年1月1日至{today.year}年{today.month}月{today.day}日之间"
    if id_number and validate_id_number(id_number) is None and birth_date_from_id(id_number) != birth:
        return "出生日期与身份证号不一致"
    return None
