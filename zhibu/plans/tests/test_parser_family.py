"""The parser on a family of hand-written plans (fixtures/family): F1 of the calendar and of the kinds.

Each fixture famNN.txt (or a .docx built below from DOCX_FIXTURES) has famNN.expected, written by hand
from reading the plan, one calendar entry a line:

    months | text | kinds | theme        # months: "3", "7,8", "1-12"; kinds comma-separated; theme optional

Scores (micro-averaged over every fixture):

* entries: (fixture, months, text) pairs, precision/recall/F1 — the target is F1 ≥ 0.95;
* kinds: (fixture, months, text, kind) triples — the target is F1 ≥ 0.85 (a missed entry loses its kinds).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from zhibu.plans.parser import KINDS, load_plan, parse_text, read_file, render_calendar

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "family"

# .docx plans whose calendar is a table: (paragraphs before, header, rows, paragraphs after).
# A row's month cell of None is merged with the cell above (vertical merge).
DOCX_FIXTURES = {
    "fam16": (
        ["XX幼儿园党支部2023年工作计划", "一、指导思想", "坚持党建引领,推动幼儿园高质量发展。", "二、工作安排表"],
        ("月份", "工作内容", "负责人", "备注"),
        [
            ("二月", "召开支委会,制定年度工作计划", "书记", ""),
            (None, "收缴党费", "组织委员", "按季度"),
            ("三月", "开展学雷锋志愿服务活动", "宣传委员", ""),
            (None, "召开党员大会", "书记", ""),
            ("四月", "清明节祭扫烈士墓", "全体党员", ""),
            ("五月", "书记讲党课", "书记", "每季度一次"),
            ("六月", "庆祝建党节,开展主题党日活动", "支委", ""),
            ("七、八月", "暑期党员集中学习", "组织委员", ""),
            ("九月", "庆祝教师节,慰问退休教师", "工会", ""),
            ("十月", "组织党员观看警示教育片", "纪检委员", ""),
            ("十一月", "开展民主评议党员", "书记", ""),
            ("十二月", "召开组织生活会", "书记", ""),
            (None, "年度党建工作总结", "书记", "1月上交"),
        ],
        ["三、保障措施", "1、加强领导,明确责任。", "2、加强检查,务求实效。", "XX幼儿园党支部", "2023年2月"],
    ),
    "fam17": (
        ["XX中学党支部2023年工作计划", "一、指导思想", "以党的二十大精神为指导。", "二、工作目标",
         "1、建设学习型党支部。", "2、建设服务型党支部。", "三、2023年党支部行事历"],
        ("时间", "主要工作", "责任人"),
        [
            ("1-2月", "1.制定支部年度工作计划\n2.寒假走访慰问困难党员", "书记"),
            ("3月", "1.召开党员大会,部署全年工作\n2.收缴党费\n3.开展“学雷锋”志愿服务", "组织委员"),
            ("4-6月", "1.清明节革命传统教育\n2.发展对象培训\n3.“七一”专题党课", "支委"),
            ("7-8月", "暑期党员读书活动", "宣传委员"),
            ("9-10月", "1.教师节、国庆节庆祝活动\n2.党员示范课展示", "支委"),
            ("11-12月", "1.召开组织生活会,开展民主评议党员\n2.年终总结,整理党建档案", "书记"),
        ],
        ["以上计划如有调整,另行通知。", "XX中学党支部", "二〇二三年一月"],
    ),
}


def _months(spec: str) -> tuple[int, ...]:
    out: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            out.update(range(int(a), int(b) + 1))
        else:
            out.add(int(part))
    return tuple(sorted(out))


def load_expected(name: str) -> list[tuple[tuple[int, ...], str, frozenset[str], str | None]]:
    rows = []
    for line in (FIXTURES / f"{name}.expected").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = ([p.strip() for p in line.split("|")] + ["", ""])[:4]
        months, text, kinds, theme = parts[0], parts[1], parts[2], parts[3] or None
        kind_set = frozenset(k for k in kinds.split(",") if k.strip())
        assert kind_set <= set(KINDS), (name, kind_set - set(KINDS))
        rows.append((_months(months), text, kind_set, theme))
    return rows


def build_docx(name: str, path: Path) -> Path:
    import docx

    before, header, rows, after = DOCX_FIXTURES[name]
    document = docx.Document()
    for p in before:
        document.add_paragraph(p)
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for c, value in enumerate(header):
        table.cell(0, c).text = value
    top = None
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if c == 0 and value is None:
                continue
            lines = value.split("\n")
            cell = table.cell(r, c)
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
        if row[0] is None:
            top = top.merge(table.cell(r, 0))  # vertical merge with the month cell above
        else:
            top = table.cell(r, 0)
    for p in after:
        document.add_paragraph(p)
    out = path / f"{name}.docx"
    document.save(out)
    return out


def fixture_names() -> list[str]:
    return sorted([p.stem for p in FIXTURES.glob("fam*.txt")] + list(DOCX_FIXTURES))


def parse_fixture(name: str, tmp_path: Path):
    if name in DOCX_FIXTURES:
        return load_plan(build_docx(name, tmp_path))
    return parse_text(read_file(FIXTURES / f"{name}.txt"))


def prf(expected: Counter, got: Counter) -> tuple[float, float, float]:
    hit = sum((expected & got).values())
    p = hit / sum(got.values()) if got else 1.0
    r = hit / sum(expected.values()) if expected else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(tmp_path: Path) -> dict:
    exp_pairs, got_pairs, exp_kinds, got_kinds = Counter(), Counter(), Counter(), Counter()
    for name in fixture_names():
        plan = parse_fixture(name, tmp_path)
        for months, text, kinds, _ in load_expected(name):
            exp_pairs[(name, months, text)] += 1
            for k in kinds:
                exp_kinds[(name, months, text, k)] += 1
        for c in plan.calendar:
            key = (name, tuple(c.months), c.text)
            got_pairs[key] += 1
            for k in c.kinds:
                got_kinds[key + (k,)] += 1
    return {"entries": prf(exp_pairs, got_pairs), "kinds": prf(exp_kinds, got_kinds),
            "missed": sorted(exp_pairs - got_pairs), "extra": sorted(got_pairs - exp_pairs),
            "kinds_missed": sorted(exp_kinds - got_kinds), "kinds_extra": sorted(got_kinds - exp_kinds)}


def test_family_fixtures_exist():
    names = fixture_names()
    assert len(names) >= 12
    for name in names:
        assert (FIXTURES / f"{name}.expected").is_file(), name
        assert load_expected(name), name


def test_family_f1(tmp_path, capsys):
    result = evaluate(tmp_path)
    p, r, f = result["entries"]
    kp, kr, kf = result["kinds"]
    with capsys.disabled():
        print(f"\nfamily entries P={p:.3f} R={r:.3f} F1={f:.3f}; kinds P={kp:.3f} R={kr:.3f} F1={kf:.3f}")
    assert f >= 0.95, (result["missed"], result["extra"])
    assert kf >= 0.85, (result["kinds_missed"], result["kinds_extra"])


@pytest.mark.parametrize("name", fixture_names())
def test_family_fixture_entries_exact(name, tmp_path):
    plan = parse_fixture(name, tmp_path)
    expected = load_expected(name)
    assert [(tuple(c.months), c.text) for c in plan.calendar] == [(m, t) for m, t, _, _ in expected]
    if any(theme for *_, theme in expected):
        assert [c.theme for c in plan.calendar] == [theme for *_, theme in expected]
    # the calendar survives rendering and parsing again
    assert parse_text(render_calendar(plan)).calendar == plan.calendar


@pytest.mark.parametrize("name", fixture_names())
def test_family_fixture_kinds(name, tmp_path):
    """Per plan, kinds are right on most entries (the overall F1 is asserted above)."""
    plan = parse_fixture(name, tmp_path)
    expected = {(m, t): k for m, t, k, _ in load_expected(name)}
    got = {(tuple(c.months), c.text): frozenset(c.kinds) for c in plan.calendar}
    exact = sum(1 for key, kinds in expected.items() if got.get(key) == kinds)
    assert exact / len(expected) >= 0.75, {key: (kinds, got.get(key)) for key, kinds in expected.items()
                                          if got.get(key) != kinds}


@pytest.mark.parametrize("name", ["fam16", "fam17", "fam26", "fam28"])
def test_family_cli_parse(name, tmp_path):
    """`zhibu plan parse FILE --json` gives the same calendar as the parser, .docx included."""
    import json

    from zhibu.plans.tests.test_plan_cli import run

    path = build_docx(name, tmp_path) if name in DOCX_FIXTURES else FIXTURES / f"{name}.txt"
    done = run("plan", "parse", str(path), "--json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode())
    assert [(tuple(c["months"]), c["text"]) for c in data["calendar"]] == [
        (m, t) for m, t, _, _ in load_expected(name)]


# ---------------------------------------------------------------------------------------------
# The forms the family fixtures brought up, one at a time
# ---------------------------------------------------------------------------------------------

def items(text):
    return [(c.months, c.text) for c in parse_text(text).calendar]


@pytest.mark.parametrize("heading, months", [
    ("(九月)", [9]), ("（九月份）", [9]), ("（元月）", [1]), ("(9月)", [9]),
    ("十二月份及寒假:", [1, 2, 12]), ("七月及暑假", [7, 8]), ("次年1月:", [1]), ("2024年1月", [1]),
])
def test_more_month_heading_forms(heading, months):
    text = f"计划\n行事历\n八月份:\n1、制定计划\n{heading}\n1、召开支委会。\n2、收缴党费\n"
    assert items(text)[1:] == [(months, "召开支委会"), (months, "收缴党费")]


def test_theme_in_parenthesis_loses_its_label():
    plan = parse_text("计划\n行事历\n九月份(主题:不忘初心):\n1、召开支委会\n")
    assert [(c.text, c.theme) for c in plan.calendar] == [("召开支委会", "不忘初心")]


def test_months_inside_a_themed_period_take_its_theme():
    text = "计划\n具体安排\n第一季度:\n主题:学思想\n一月:召开支委会\n二月:党课\n下半年:\n1.总结\n"
    plan = parse_text(text)
    assert [(c.months, c.text, c.theme) for c in plan.calendar] == [
        ([1], "召开支委会", "学思想"), ([2], "党课", "学思想"), (list(range(7, 13)), "总结", None)]
    assert parse_text(render_calendar(plan)).calendar == plan.calendar


@pytest.mark.parametrize("closing", ["保障措施:", "工作要求", "【保障措施】", "五、保障措施"])
def test_closing_heading_ends_the_calendar(closing):
    text = f"计划\n行事历\n十二月份:\n1、召开组织生活会\n{closing}\n1、加强领导。\n2、强化考核。\n"
    assert items(text) == [([12], "召开组织生活会")]


def test_signature_on_one_line_and_materials_heading_words():
    text = "计划\n行事历\n十二月份:\n召开组织生活会\nXX幼儿园党支部   2023年2月10日\n"
    assert items(text) == [([12], "召开组织生活会")]


def test_dated_rest_of_a_broken_item_is_joined():
    text = "计划\n行事历\n三月份:\n1、开展学雷锋志愿服务活动,时间定于\n3月5日。\n2、收缴党费\n"
    assert items(text) == [([3], "开展学雷锋志愿服务活动,时间定于3月5日"), ([3], "收缴党费")]


def test_long_unnumbered_items_are_not_merged_but_a_short_tail_is():
    text = ("计划\n工作安排\n3月份\n召开支部委员会会议研究部署全年党建工作并明确各支委的工作职责和任务分工\n"
            "开展学雷锋志愿服务活动\n4月份\n召开支部委员会会议,总结上一年度党建工作,研究制定本年度工作计划和党员学习\n计划。\n"
            "收缴党费。\n")
    assert items(text) == [
        ([3], "召开支部委员会会议研究部署全年党建工作并明确各支委的工作职责和任务分工"),
        ([3], "开展学雷锋志愿服务活动"),
        ([4], "召开支部委员会会议,总结上一年度党建工作,研究制定本年度工作计划和党员学习计划"),
        ([4], "收缴党费")]


def test_numbered_lines_under_an_earlier_section_are_not_whole_year_items():
    text = ("计划\n二、主要工作安排\n1、加强学习。\n2、规范组织生活。\n三、行事历\n三月份:\n1、召开支委会\n")
    assert items(text) == [([3], "召开支委会")]
    # …but they are when the plan has no month headings at all (plan03)
    assert items("计划\n(六)、具体安排:\n1.制订计划。\n2.党课学习\n") == [
        (list(range(1, 13)), "制订计划"), (list(range(1, 13)), "党课学习")]


def test_pasted_table_with_tabs_drops_the_person_column():
    text = "计划\n行事历\n月份\t工作内容\t负责人\n3月\t召开支委会\t书记\n4月\t清明祭扫\t组织委员\n"
    plan = parse_text(text)
    assert [(c.months, c.text, c.kinds) for c in plan.calendar] == [
        ([3], "召开支委会", ["committee_meeting"]), ([4], "清明祭扫", ["commemoration"])]


@pytest.mark.parametrize("text, kinds", [
    ("党支部上交材料:工作总结、党性分析报告、民主评议会议记录、党员帮教积极分子情况记录表", ["summary"]),
    ("整理民主评议党员档案", ["summary"]),
    ("召开民主评议党员大会", ["party_congress", "member_evaluation"]),
    ("做好新调入党员组织关系转接工作", ["transfer"]),
    ("收缴党费,更新党员信息", ["dues"]),
    ("组织党员、少先队员到烈士陵园祭扫", ["commemoration"]),
    ("关心和支持少先队工作", ["mass_org"]),
    ("开展社区共建活动", ["volunteer"]),
    ("社区党委来园指导", []),
    ("发放学习材料", ["study"]),
    ("暑期党员集中学习,不安排主题党日", ["study"]),
    ("开展寒假“读好书”活动", ["study"]),
    ("表彰优秀共产党员", ["exemplar"]),
    ("“阳光行动”在社区", ["volunteer"]),
])
def test_classify_precision(text, kinds):
    from zhibu.plans.parser import classify

    assert classify(text) == kinds
