"""Pure rules of 党内统计 and the 全国党员管理信息系统 (no Django, no ORM).

The tables are data (TABLES: rows, bands and where each figure comes from); `compute` fills them from
plain facts the selectors read, as of one date (12-31, or 06-30 for the half-year report). Sources:
- 中国共产党党内统计工作办法 / 中组部 党内统计年报表 (年报: as of 12-31; 半年报 where the upper
  committee uses it: Organisation.settings["stats_half_year"], local practice).
- 党章 第七条 and 发展党员工作细则 第33条: 党龄 counts from the 转正 date (rules.md stage 5), so a
  预备党员 has no 党龄 yet and is shown on its own row.
- 中国共产党支部工作条例（试行）第九条: a branch with 7 or more 正式党员 sets up a 支部委员会 of 3 to 5
  (rules2.md); fewer than 7: a 书记 (and maybe a 副书记) without a committee.
- 全国党员管理信息系统 信息项 (中组部): the fields of NATIONAL_FIELDS.
- rules2.md §5 (减负, 最多报一次): every figure is derived from the records; nothing is asked again.

Stocks (党员数, 年龄, 学历, 党龄, 职业, 组织) count what held on the date: a person admitted after it
is not yet a member, one who left (转出, 出党, 停止党籍, death: `active` false with `left_on`) on or
before it no longer is. Flows (发展, 转正, 确定积极分子/发展对象 in the period) count what happened
between the period's first day and the date in the records of the organisation's branches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

SOURCE_TABLES = "中国共产党党内统计工作办法；中组部党内统计年报表"
SOURCE_PARTY_AGE = "党章第七条；发展党员工作细则第33条：党龄自转为正式党员之日算起"
SOURCE_COMMITTEE = "中国共产党支部工作条例（试行）第九条：正式党员7人以上的党支部设立支部委员会，由3至5人组成"
SOURCE_NATIONAL = "全国党员管理信息系统 党员信息项（中组部）"
SOURCE_HALF_YEAR = "本地做法：上级党委设置 stats_half_year 时另报半年报（截至6月30日）"

MEMBER_STANDINGS = ("probationary", "full")
COMMITTEE_MIN_FULL_MEMBERS = 7  # 支部工作条例 第九条
COMMITTEE_MIN_POSTS = 3  # 支委会 3 to 5 members (第九条)
YOUTH_AGE = 35  # 发展党员 "35岁及以下" (党内统计 发展党员 表)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    source: str = ""  # how the figure is derived from the records
    indent: int = 0  # 0: a heading figure, 1: "其中"


@dataclass(frozen=True)
class Table:
    key: str
    sheet: str  # the .xlsx sheet name
    title: str
    subject: str  # "people" or "organisations": what a drill-down lists
    rows: tuple[Row, ...]
    note: str = ""

    def row(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)


# Bands: (key, label, lowest value, highest value or None). Ages and 党龄 in completed years on the date.
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("age_30", "30岁及以下", 0, 30),
    ("age_31_35", "31至35岁", 31, 35),
    ("age_36_40", "36至40岁", 36, 40),
    ("age_41_45", "41至45岁", 41, 45),
    ("age_46_50", "46至50岁", 46, 50),
    ("age_51_55", "51至55岁", 51, 55),
    ("age_56_60", "56至60岁", 56, 60),
    ("age_61_70", "61至70岁", 61, 70),
    ("age_71_80", "71至80岁", 71, 80),
    ("age_81", "81岁及以上", 81, None),
)
PARTY_AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("pa_5", "5年及以下", 0, 5),
    ("pa_6_10", "6至10年", 6, 10),
    ("pa_11_20", "11至20年", 11, 20),
    ("pa_21_30", "21至30年", 21, 30),
    ("pa_31_40", "31至40年", 31, 40),
    ("pa_41_50", "41至50年", 41, 50),
    ("pa_51", "51年及以上", 51, None),
)
# Education is free text in the record: the first matching keyword group decides (order matters:
# "大学专科" is 专科, not 本科).
EDUCATION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("edu_postgraduate", "研究生", ("研究生", "博士", "硕士")),
    ("edu_college", "大学专科", ("大专", "专科", "高职")),
    ("edu_bachelor", "大学本科", ("本科", "大学")),
    ("edu_vocational", "中专（中技）", ("中专", "中技", "技校", "职高")),
    ("edu_high_school", "高中", ("高中",)),
    ("edu_junior", "初中及以下", ("初中", "小学", "文盲")),
)
COLLEGE_OR_ABOVE = ("edu_postgraduate", "edu_bachelor", "edu_college")
OCCUPATIONS: tuple[tuple[str, str], ...] = (  # orgs.models.Occupation, in the table's order
    ("professional", "专业技术人员"),
    ("manager", "企事业单位管理人员"),
    ("worker", "工勤技能人员"),
    ("official", "党政机关工作人员"),
    ("farmer", "农牧渔民"),
    ("student", "学生"),
    ("retired", "离退休人员"),
    ("other", "其他职业人员"),
)
# 服务单位 by keyword in the unit's name (first match).
UNIT_TYPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("unit_kindergarten", "幼儿园", ("幼儿园",)),
    ("unit_primary", "小学", ("小学",)),
    ("unit_secondary", "中学", ("中学", "高中", "初中")),
    ("unit_vocational", "职业学校", ("职业", "中专", "技校")),
)
ORG_KINDS: tuple[tuple[str, str], ...] = (  # orgs.models.OrgKind
    ("committee", "党委（党工委）"),
    ("general_branch", "党总支"),
    ("branch", "党支部"),
    ("group", "党小组"),
)

UNKNOWN = "未填写或无法归类"

TABLES: tuple[Table, ...] = (
    Table(
        "basic",
        "党员基本情况",
        "党员基本情况",
        "people",
        (
            Row("total", "党员总数", "入党日期不晚于统计日、统计日仍在册"),
            Row("full", "正式党员", "转正日期不晚于统计日", 1),
            Row("probationary", "预备党员", "尚未转正", 1),
            Row("male", "男", "性别", 1),
            Row("female", "女", "性别", 1),
            Row("han", "汉族", "民族", 1),
            Row("minority", "少数民族", "民族（汉族以外）", 1),
            Row("ethnicity_unknown", "民族未填写", "民族为空", 1),
            Row("in_service", "在职", "在职状态", 1),
            Row("retired", "退休", "在职状态", 1),
            Row(
                "admitted_unknown", "另有：在册党员入党日期未填写（未计入总数）", "政治面貌为党员而入党日期为空，请补充"
            ),
        ),
    ),
    Table(
        "age",
        "党员年龄",
        "党员年龄",
        "people",
        (
            Row("total", "党员总数", "同党员基本情况"),
            *(Row(k, label, "出生日期，按统计日计算周岁", 1) for k, label, _lo, _hi in AGE_BANDS),
            Row("age_unknown", "出生日期未填写", "出生日期为空", 1),
        ),
    ),
    Table(
        "education",
        "党员学历",
        "党员学历",
        "people",
        (
            Row("total", "党员总数", "同党员基本情况"),
            *(Row(k, label, "学历（" + "、".join(words) + "）", 1) for k, label, words in EDUCATION_GROUPS),
            Row("edu_unknown", "学历" + UNKNOWN, "学历为空或无法归类", 1),
        ),
    ),
    Table(
        "party_age",
        "党龄",
        "党员党龄",
        "people",
        (
            Row("total", "党员总数", "同党员基本情况"),
            Row("pa_probationary", "预备党员（尚无党龄）", SOURCE_PARTY_AGE, 1),
            *(Row(k, label, "转正日期至统计日的整年数", 1) for k, label, _lo, _hi in PARTY_AGE_BANDS),
            Row("pa_unknown", "正式党员转正日期未填写", "正式党员而转正日期为空", 1),
        ),
        note=SOURCE_PARTY_AGE,
    ),
    Table(
        "occupation",
        "职业",
        "党员职业",
        "people",
        (
            Row("total", "党员总数", "同党员基本情况"),
            *(
                Row(f"occ_{k}", label, "职业类别；未填写而退休的计离退休人员" if k == "retired" else "职业类别", 1)
                for k, label in OCCUPATIONS
            ),
            Row("occ_unknown", "职业类别未填写", "职业类别为空", 1),
        ),
    ),
    Table(
        "development",
        "发展党员",
        "发展党员",
        "people",
        (
            Row("admitted", "发展党员（接收预备党员）", "入党日期在统计期内"),
            Row("admitted_female", "其中：女", "入党日期在统计期内，性别女", 1),
            Row("admitted_young", f"其中：{YOUTH_AGE}岁及以下", "入党时年龄", 1),
            Row("admitted_college", "其中：大专及以上学历", "学历", 1),
            Row("confirmed", "预备党员转正", "转正日期在统计期内"),
            Row("applications", "递交入党申请书", "发展党员档案：递交入党申请书日期在统计期内"),
            Row("activists_new", "确定入党积极分子", "发展党员档案：确定为入党积极分子日期在统计期内"),
            Row("candidates_new", "确定发展对象", "发展党员档案：确定为发展对象日期在统计期内"),
            Row("activists_now", "期末入党积极分子", "已确定为积极分子、尚未确定为发展对象、尚未入党、仍在册"),
            Row("candidates_now", "期末发展对象", "已确定为发展对象、尚未入党、仍在册"),
        ),
        note="统计期：年报为1月1日至12月31日，半年报为1月1日至6月30日。",
    ),
    Table(
        "organisations",
        "基层组织",
        "基层党组织",
        "organisations",
        (
            *(Row(f"kind_{k}", label, "组织类别") for k, label in ORG_KINDS),
            *(
                Row(k, f"其中：{label}党支部", "党支部服务单位名称（" + "、".join(words) + "）", 1)
                for k, label, words in UNIT_TYPES
            ),
            Row("unit_other", "其中：其他单位党支部", "服务单位不属上述类别", 1),
            Row(
                "with_committee",
                "已成立支部委员会的党支部",
                f"统计日在任支委不少于{COMMITTEE_MIN_POSTS}人（{SOURCE_COMMITTEE}）",
            ),
            Row(
                "committee_missing", f"正式党员{COMMITTEE_MIN_FULL_MEMBERS}人以上未成立支委会的党支部", SOURCE_COMMITTEE
            ),
            Row("secretary_in_post", "书记在任的党支部", "统计日有在任书记"),
            Row("secretary_vacant", "书记空缺的党支部", "统计日无在任书记"),
        ),
        note="组织按现有组织统计（组织记录不含成立日期）；支委会、书记按统计日的任职记录。",
    ),
)
TABLES_BY_KEY = {t.key: t for t in TABLES}


# --- Facts (what the selectors read) --------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    id: int
    branch_id: int
    gender: str = ""
    birth_date: dt.date | None = None
    ethnicity: str = ""
    education: str = ""
    employment: str = "in_service"
    standing: str = "masses"
    admitted_on: dt.date | None = None
    full_on: dt.date | None = None
    active: bool = True
    left_on: dt.date | None = None
    occupation: str = ""


@dataclass(frozen=True)
class StepFacts:
    """One 发展党员 step of a person's file: application / activist / candidate / cancellation."""

    person_id: int
    step: str
    date: dt.date


@dataclass(frozen=True)
class OrgFacts:
    id: int
    kind: str
    unit: str = ""
    parent_id: int | None = None


@dataclass(frozen=True)
class PostFacts:
    branch_id: int
    position: str
    term_start: dt.date
    ended_on: dt.date | None = None


@dataclass
class Report:
    """Per table and row, the ids (people or organisations) behind the figure."""

    on: dt.date
    start: dt.date
    cells: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def figure(self, table: str, row: str) -> int:
        return len(self.cells.get(table, {}).get(row, ()))


# --- Classification ----------------------------------------------------------------------------------


def completed_years(start: dt.date, on: dt.date) -> int:
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def period(year: int, half: bool) -> tuple[dt.date, dt.date]:
    """(first day, as-of date) of the 年报 (12-31) or the 半年报 (06-30)."""
    return dt.date(year, 1, 1), dt.date(year, 6, 30) if half else dt.date(year, 12, 31)


def was_present(p: PersonFacts, on: dt.date) -> bool:
    """Still in the register on the date: active, or left after it."""
    return p.active or (p.left_on is not None and p.left_on > on)


def is_member(p: PersonFacts, on: dt.date) -> bool:
    """A member on the date: admitted (预备) on or before it and still in the register. A person now
    out of the register counts with the standing they had; one in it must still be a member (a
    cancelled 预备党员 has no admission date)."""
    if p.admitted_on is None or p.admitted_on > on or not was_present(p, on):
        return False
    return p.standing in MEMBER_STANDINGS or not p.active


def is_full(p: PersonFacts, on: dt.date) -> bool:
    """正式党员 on the date: 转正 on or before it (a 正式党员 whose 转正 date is not recorded counts as one)."""
    if p.full_on is None:
        return p.standing == "full"
    return p.full_on <= on


def band(value: int, bands: Iterable[tuple[str, str, int, int | None]]) -> str | None:
    for key, _label, low, high in bands:
        if value >= low and (high is None or value <= high):
            return key
    return None


def age_band(birth: dt.date | None, on: dt.date) -> str:
    if birth is None or birth > on:
        return "age_unknown"
    return band(completed_years(birth, on), AGE_BANDS) or "age_unknown"


def party_age_band(p: PersonFacts, on: dt.date) -> str:
    if not is_full(p, on):
        return "pa_probationary"
    if p.full_on is None:
        return "pa_unknown"
    return band(completed_years(p.full_on, on), PARTY_AGE_BANDS) or "pa_unknown"


def education_group(text: str) -> str:
    text = (text or "").strip()
    for key, _label, words in EDUCATION_GROUPS:
        if any(w in text for w in words):
            return key
    return "edu_unknown"


def ethnicity_group(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return "ethnicity_unknown"
    return "han" if text in ("汉", "汉族") else "minority"


def occupation_group(p: PersonFacts) -> str:
    if p.occupation in dict(OCCUPATIONS):
        return f"occ_{p.occupation}"
    if p.employment == "retired":
        return "occ_retired"
    return "occ_unknown"


def unit_type(unit: str) -> str:
    for key, _label, words in UNIT_TYPES:
        if any(w in (unit or "") for w in words):
            return key
    return "unit_other"


def post_held(post: PostFacts, on: dt.date) -> bool:
    return post.term_start <= on and (post.ended_on is None or post.ended_on > on)


# --- The tables ----------------------------------------------------------------------------------------


def compute(
    *,
    on: dt.date,
    start: dt.date,
    people: Iterable[PersonFacts],
    steps: Iterable[StepFacts] = (),
    organisations: Iterable[OrgFacts] = (),
    posts: Iterable[PostFacts] = (),
) -> Report:
    """Every table of TABLES as of `on` (flows from `start` to `on`): the ids behind each figure."""
    report = Report(on=on, start=start)
    cells: dict[str, dict[str, list[int]]] = {t.key: {r.key: [] for r in t.rows} for t in TABLES}
    report.cells = cells
    people = list(people)
    by_id = {p.id: p for p in people}
    full_by_branch: dict[int, int] = {}

    def add(table: str, row: str, pk: int) -> None:
        cells[table][row].append(pk)

    for p in sorted(people, key=lambda p: p.id):
        if is_member(p, on):
            for table in ("basic", "age", "education", "party_age", "occupation"):
                add(table, "total", p.id)
            full = is_full(p, on)
            if full:
                full_by_branch[p.branch_id] = full_by_branch.get(p.branch_id, 0) + 1
            add("basic", "full" if full else "probationary", p.id)
            if p.gender == "男":
                add("basic", "male", p.id)
            elif p.gender == "女":
                add("basic", "female", p.id)
            add("basic", ethnicity_group(p.ethnicity), p.id)
            add("basic", "retired" if p.employment == "retired" else "in_service", p.id)
            add("age", age_band(p.birth_date, on), p.id)
            add("education", education_group(p.education), p.id)
            add("party_age", party_age_band(p, on), p.id)
            add("occupation", occupation_group(p), p.id)
        elif p.active and p.standing in MEMBER_STANDINGS and p.admitted_on is None:
            add("basic", "admitted_unknown", p.id)
        if p.admitted_on is not None and start <= p.admitted_on <= on:
            add("development", "admitted", p.id)
            if p.gender == "女":
                add("development", "admitted_female", p.id)
            if p.birth_date is not None and completed_years(p.birth_date, p.admitted_on) <= YOUTH_AGE:
                add("development", "admitted_young", p.id)
            if education_group(p.education) in COLLEGE_OR_ABOVE:
                add("development", "admitted_college", p.id)
        if p.full_on is not None and start <= p.full_on <= on:
            add("development", "confirmed", p.id)

    _development(cells["development"], steps, by_id, on=on, start=start)
    _organisations(cells["organisations"], organisations, posts, full_by_branch, on=on)
    return report


def _development(
    cells: dict[str, list[int]],
    steps: Iterable[StepFacts],
    by_id: dict[int, PersonFacts],
    *,
    on: dt.date,
    start: dt.date,
) -> None:
    dates: dict[int, dict[str, dt.date]] = {}
    for s in steps:
        if s.person_id in by_id and s.date <= on:
            dates.setdefault(s.person_id, {})[s.step] = s.date
    flows = {"application": "applications", "activist": "activists_new", "candidate": "candidates_new"}
    for person_id in sorted(dates):
        d, p = dates[person_id], by_id[person_id]
        for step, row in flows.items():
            if step in d and d[step] >= start:
                cells[row].append(person_id)
        if not was_present(p, on) or "cancellation" in d or (p.admitted_on is not None and p.admitted_on <= on):
            continue
        if "candidate" in d:
            cells["candidates_now"].append(person_id)
        elif "activist" in d:
            cells["activists_now"].append(person_id)


def _organisations(
    cells: dict[str, list[int]],
    organisations: Iterable[OrgFacts],
    posts: Iterable[PostFacts],
    full_by_branch: dict[int, int],
    *,
    on: dt.date,
) -> None:
    held: dict[int, set[str]] = {}
    for post in posts:
        if post_held(post, on):
            held.setdefault(post.branch_id, set()).add(post.position)
    for org in sorted(organisations, key=lambda o: o.id):
        if f"kind_{org.kind}" in cells:
            cells[f"kind_{org.kind}"].append(org.id)
        if org.kind != "branch":
            continue
        cells[unit_type(org.unit)].append(org.id)
        positions = held.get(org.id, set())
        if len(positions) >= COMMITTEE_MIN_POSTS:
            cells["with_committee"].append(org.id)
        elif full_by_branch.get(org.id, 0) >= COMMITTEE_MIN_FULL_MEMBERS:
            cells["committee_missing"].append(org.id)
        cells["secretary_in_post" if "secretary" in positions else "secretary_vacant"].append(org.id)


# --- 全国党员管理信息系统: completeness ------------------------------------------------------------------


@dataclass(frozen=True)
class NationalField:
    name: str  # the Person attribute (or a derived key)
    label: str  # the system's 信息项
    who: str = "members"  # "members" or "full" (正式党员 only)


NATIONAL_FIELDS: tuple[NationalField, ...] = (
    NationalField("name", "姓名"),
    NationalField("gender", "性别"),
    NationalField("id_number", "公民身份号码"),
    NationalField("birth_date", "出生日期"),
    NationalField("ethnicity", "民族"),
    NationalField("native_place", "籍贯"),
    NationalField("education", "学历"),
    NationalField("degree", "学位"),
    NationalField("work_started_on", "参加工作时间"),
    NationalField("post", "工作岗位"),
    NationalField("occupation", "职业类别"),
    NationalField("phone", "联系电话"),
    NationalField("home_address", "家庭住址"),
    NationalField("admitted_on", "入党时间"),
    NationalField("full_on", "转正时间", who="full"),
    NationalField("joined_branch", "入党时所在支部"),
    NationalField("sponsors", "入党介绍人"),
)
NATIONAL_LABELS = {f.name: f.label for f in NATIONAL_FIELDS}


def missing_fields(values: dict[str, object], *, full: bool) -> list[str]:
    """The national fields a member's record lacks (`values`: field name -> value or a presence flag;
    入党介绍人 counts as present when the 发展党员 file names the sponsors)."""
    out = []
    for f in NATIONAL_FIELDS:
        if f.who == "full" and not full:
            continue
        value = values.get(f.name)
        if value is None or value is False or (isinstance(value, str) and not value.strip()):
            out.append(f.name)
    return out
