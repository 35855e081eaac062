"""Parser of annual work plans: the corpus calendars pinned by hand, every heading form, files."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from zhibu.orglife.rules import DEFAULT_OBLIGATIONS, MONTHLY, QUARTERLY, YEARLY, Obligation
from zhibu.plans.check import check_plan, gaps_to_json
from zhibu.plans.parser import (
    KIND_KEYWORDS,
    KINDS,
    PlanInputError,
    classify,
    is_plan,
    load_plan,
    parse_text,
    read_file,
    render_calendar,
    to_json,
)

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"  # copies of the shared plan corpus

ALL_YEAR = list(range(1, 13))


def cal(plan):
    return [(c.months, c.text, c.kinds) for c in plan.calendar]


def items(text):
    return [(c.months, c.text) for c in parse_text(text).calendar]


# ---------------------------------------------------------------------------------------------
# The corpus, pinned by reading the files by hand
# ---------------------------------------------------------------------------------------------

T1 = "第一专题:加强理论学习、聚焦师德"
T2 = "第二专题:加强思想建设、聚焦社会主义荣辱观。第三专题:加强能力提高、聚焦党员、教师专业水平"
T3 = "第四专题:加强心理疏导、聚焦教职工精神需求。第五专题:加强民主监督、聚焦党风廉政"
T4 = "第六专题:加强节约型学校建设、聚焦校园文化"

PLAN01 = [
    ([1, 2, 3], "学习“xx大”文件精神", ["study"], T1),
    ([1, 2, 3], "先进事迹系列活动:学习、对照、挖掘、体会、演讲", ["study"], T1),
    ([1, 2, 3], "倡导“日学一小时、月读一本书、年记一万字”,制定个人学习计划", ["study", "planning"], T1),
    ([1, 2, 3], "“阳光行动”在社区", ["volunteer"], T1),
    ([4, 5, 6], "“弘扬中华民族传统美德从我做起”论坛", [], T2),
    ([4, 5, 6], "党员群众结对座谈会、支部结对座谈会、青年教师座谈会", ["pairing"], T2),
    ([4, 5, 6], "“踏青远足”、“绿色亭湖摄影”等", [], T2),
    ([4, 5, 6], "“党员教学活动设计”、“党员听评课”、“教师教学展示周”活动", ["exemplar"], T2),
    ([7, 8, 9], T3, ["integrity"], T3),
    ([10, 11, 12], T4, [], T4),
]

PLAN03 = [
    (ALL_YEAR, "制订党支部工作计划", ["planning"]),
    (ALL_YEAR, "党课学习,每月一次", ["party_lecture", "study"]),
    (ALL_YEAR, "观看录相,以改革的精神建设党,努力践行党的群众路线", []),
    (ALL_YEAR, "学习讨论“两个务必”重要思想学习纲要", ["study"]),
    (ALL_YEAR, "双周一次的政治学习", ["study"]),
    (ALL_YEAR, "讨论入党积极分子的培养工作", ["development"]),
    (ALL_YEAR, "开好一次民主生活会", ["democratic_life_meeting"]),
    (ALL_YEAR, "每位教师学期末写好一篇政治学习心得体会", ["study"]),
    (ALL_YEAR, "开好每学期一次的民主生活会", ["democratic_life_meeting"]),
    (ALL_YEAR, "做好-老师的转正工作", ["development"]),
]

PLAN06 = [
    ([1], "总结支部20XX年工作,制订20XX年支部计划", ["planning", "summary"]),
    ([1], "制订20XX党员年度学习规划", ["study", "planning"]),
    ([2], "深入开展学校“名师工作室”建设,组织全体党员学习名师,争当名师", ["study"]),
    ([2], "布置党员寒假自学内容", ["study", "planning"]),
    ([3], "召开党员大会,学习支部工作计划,布置20XX年党建工作", ["party_congress", "study", "planning"]),
    ([3], "收缴20XX年党费", ["dues"]),
    ([3], "开展“学雷锋、见行动”活动,组织党员志愿队廉洁从教活动", ["integrity", "volunteer"]),
    ([3], "参与组织“三八”妇女节活动", ["mass_org"]),
    ([3], "教师志愿者上岗服务。(校站结合教学点)", ["volunteer"]),
    ([4], "参与组织“继承革命传统,重走长征路”活动(春季社会实践活动)", ["commemoration"]),
    ([4], "和德育处一道,举办一次“一个好班主任就是一个教育家”报告会", []),
    ([4], "入党发展对象培训、党基考试", ["development"]),
    ([5], "组织青年教师参加党课活动", ["party_lecture"]),
    ([5], "参与组织“五四”青年节活动", ["mass_org", "commemoration"]),
    ([5], "组织青年教师开展“学习先进党员活动”", ["study"]),
    ([5], "召开培养对象、积极分子座谈会", ["development"]),
    ([6], "上半年党员考核", ["member_evaluation"]),
    ([6], "组织校务公开活动", ["openness"]),
    ([6], "做好入党积极分子(张小娟)的思想检查和帮助学习", ["development", "study"]),
    ([6], "召开党员干部民主生活会", ["democratic_life_meeting"]),
    ([6], "庆“七一”系列活动", ["commemoration"]),
    ([7, 8], "开展党的群众路线教育实践活动", []),
    ([7, 8], "党建工作小结", ["summary"]),
    ([7, 8], "布置党员暑期自学内容", ["study", "planning"]),
    ([9], "组织庆祝教师节活动", ["commemoration"]),
    ([9], "举办“学习陶丽等同志先进事迹,今天怎样做一名党员教师”专题报告会。(党员活动日)", ["theme_day", "study"]),
    ([9], "接转党员组织关系", ["transfer"]),
    ([10], "庆祝中华人民共和国成立96周年", ["commemoration"]),
    ([10], "举办“一个党员一面旗帜”党课活动", ["party_lecture", "exemplar"]),
    ([10], "重阳节退休教师座谈会", ["care"]),
    ([11], "组织发展", ["development"]),
    ([11], "开展民主评议党员活动", ["member_evaluation"]),
    ([12], "党员民主生活会", ["democratic_life_meeting"]),
    ([12], "组织校务公开活动", ["openness"]),
    # a list of documents handed in: "民主评议会议记录" is a record, not the evaluation itself
    ([12], "党支部上交材料:工作总结、党性分析报告、民主评议会议记录、党员帮教积极分子情况记录表", ["summary"]),
    ([12], "迎接上级年终评估工作", ["summary"]),
]


def test_plan01_calendar_with_themes():
    plan = load_plan(CORPUS / "plan01.txt")
    assert [(c.months, c.text, c.kinds, c.theme) for c in plan.calendar] == PLAN01
    assert plan.title == "【篇一】幼儿园党建工作计划2022年"
    assert plan.year == 2022
    assert [(s.number, s.level) for s in plan.sections] == [(n, 2) for n in "一二三四五"]
    assert plan.sections[1].heading == "加强党的组织建设,保持党员队伍的纯洁性和党员的先进性"


def test_plan03_calendar_without_month_headings_is_whole_year():
    plan = load_plan(CORPUS / "plan03.txt")
    assert cal(plan) == PLAN03
    assert all(c.theme is None for c in plan.calendar)
    assert (plan.sections[-1].number, plan.sections[-1].heading, plan.sections[-1].level) == ("六", "具体安排", 2)


def test_plan06_calendar():
    plan = load_plan(CORPUS / "plan06.txt")
    assert cal(plan) == PLAN06
    assert all(c.theme is None for c in plan.calendar)
    assert [(s.number, s.heading) for s in plan.sections[:3]] == [("一", "指导思想"), ("二", "工作目标"), ("三", "工作要点")]
    assert all(s.level == 1 for s in plan.sections)
    assert len(plan.sections) == 8
    assert plan.year == 2022  # from the title; 20XX in the calendar heading is not a year


@pytest.mark.parametrize("name", ["plan04", "plan05", "plan07", "plan11", "plan12", "plan13", "plan14", "plan15",
                                  "plan16"])
def test_plans_without_calendar(name):
    plan = load_plan(CORPUS / f"{name}.txt")
    assert plan.calendar == []
    assert plan.sections, "sections are found"
    assert plan.year == 2022


def test_corpus_json_shape_and_round_trip():
    for path in sorted(CORPUS.glob("*.txt")):
        plan = load_plan(path)
        data = to_json(plan)
        assert set(data) == {"title", "year", "sections", "calendar", "targets"}
        for s in data["sections"]:
            assert set(s) == {"number", "heading", "level"} and s["level"] in (1, 2)
        for c in data["calendar"]:
            assert set(c) == {"months", "text", "kinds", "theme"}
            assert c["months"] and all(1 <= m <= 12 for m in c["months"])
            assert c["text"] and c["text"][-1] not in "。；;"
            assert set(c["kinds"]) <= set(KINDS)
        assert parse_text(render_calendar(plan)).calendar == plan.calendar, path.name


def test_corpus_check():
    plan06 = load_plan(CORPUS / "plan06.txt")
    gaps = {g.kind: g for g in check_plan(plan06)}
    assert gaps["theme_day"].missing_months == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]
    assert gaps["party_congress"].missing_months == [4, 5, 6, 7, 8, 9, 10, 11, 12]  # only March
    assert gaps["party_lecture"].missing_months == [1, 2, 3, 7, 8, 9]  # May and October
    assert "member_evaluation" not in gaps and "heart_talk" not in gaps
    assert gaps["committee_meeting"].source.endswith("第12条")
    plan01 = load_plan(CORPUS / "plan01.txt")
    assert {g.kind for g in check_plan(plan01)} >= {"committee_meeting", "theme_day", "party_lecture"}


# ---------------------------------------------------------------------------------------------
# Month headings
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("heading, months", [
    ("一月份", [1]),
    ("一月份:", [1]),
    ("十一月份：", [11]),
    ("十二月", [12]),
    ("元月:", [1]),
    ("二、三月份", [2, 3]),
    ("七、八月份:", [7, 8]),
    ("七八月份:", [7, 8]),
    ("十、十一月份", [10, 11]),
    ("1-3月份:", [1, 2, 3]),
    ("1—3月份", [1, 2, 3]),
    ("10-12月份:", [10, 11, 12]),
    ("3月:", [3]),
    ("３月：", [3]),
    ("3-4月:", [3, 4]),
    ("3月~5月", [3, 4, 5]),
    ("3月～5月:", [3, 4, 5]),
    ("3月至5月", [3, 4, 5]),
    ("三至五月:", [3, 4, 5]),
    ("12月至次年2月:", [1, 2, 12]),
    ("1月、2月:", [1, 2]),
    ("1、2月份:", [1, 2]),
    ("第一季度", [1, 2, 3]),
    ("第四季度:", [10, 11, 12]),
    ("二季度:", [4, 5, 6]),
    ("第一、二季度:", [1, 2, 3, 4, 5, 6]),
    ("上半年:", [1, 2, 3, 4, 5, 6]),
    ("下半年", [7, 8, 9, 10, 11, 12]),
    ("全年:", ALL_YEAR),
    ("寒假:", [1, 2]),
    ("暑假", [7, 8]),
    ("3月上旬:", [3]),
    ("2022年3月:", [3]),
    ("三月份工作安排:", [3]),
    ("(一)第一季度", [1, 2, 3]),
    ("一、一月份", [1]),
    ("九月份(开学月):", [9]),
])
def test_month_heading_forms(heading, months):
    text = f"党支部工作计划\n行事历\n{heading}\n1、召开支委会。\n2、开展主题党日活动\n"
    assert items(text) == [(months, "召开支委会"), (months, "开展主题党日活动")]


def test_month_heading_with_items_on_the_same_line():
    text = "计划\n具体安排\n三月份:1、召开支委会;2、开展主题党日活动。\n四月份：召开党员大会\n"
    assert items(text) == [([3], "召开支委会"), ([3], "开展主题党日活动"), ([4], "召开党员大会")]


def test_month_heading_without_colon_and_unnumbered_lines():
    text = "计划\n工作安排\n八月份\n召开支委会\n开展主题党日活动\n九月份\n收缴党费\n"
    assert items(text) == [([8], "召开支委会"), ([8], "开展主题党日活动"), ([9], "收缴党费")]


def test_calendar_detected_by_a_run_of_month_headings_without_heading():
    text = "党支部工作计划\n一、指导思想\n以学习为主。\n1月:召开支委会\n2月:\n1. 党课\n"
    assert items(text) == [([1], "召开支委会"), ([2], "党课")]


def test_single_month_mention_in_prose_is_not_a_calendar():
    text = "党支部工作计划\n一、指导思想\n9月份开学后,全面开展各项工作。\n1、加强学习。\n"
    plan = parse_text(text)
    assert plan.calendar == [] and len(plan.sections) == 1


def test_month_lines_without_separator():
    text = "计划\n3月份召开支委会\n4月份召开支委会\n5月份召开党员大会\n"
    assert items(text) == [([3], "3月份召开支委会"), ([4], "4月份召开支委会"), ([5], "5月份召开党员大会")]


@pytest.mark.parametrize("heading", ["行事历", "具体安排", "日程安排", "每月具体工作安排", "工作安排", "月工作安排",
                                     "附:2023年党支部行事历", "(六)、具体安排:", "四、活动安排"])
def test_calendar_headings(heading):
    text = f"计划\n一、指导思想\n学习。\n{heading}\n一月份:\n1、制订计划\n"
    assert items(text) == [([1], "制订计划")]


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("marker", ["1、", "1.", "1．", "(1)", "（1）", "1)", "①", "⑴", "一、", "（一）"])
def test_numbering_forms(marker):
    second = {"1、": "2、", "1.": "2.", "1．": "2．", "(1)": "(2)", "（1）": "（2）", "1)": "2)", "①": "②",
              "⑴": "⑵", "一、": "二、", "（一）": "（二）"}[marker]
    text = f"计划\n行事历\n三月份:\n{marker}召开支委会。\n{second} 开展主题党日活动；\n"
    assert items(text) == [([3], "召开支委会"), ([3], "开展主题党日活动")]


def test_chinese_numbered_section_ends_the_calendar():
    text = "计划\n行事历\n一月份:\n一、召开支委会\n二、党课\n五、保障措施\n1、加强领导。\n"
    plan = parse_text(text)
    assert [(c.months, c.text) for c in plan.calendar] == [([1], "召开支委会"), ([1], "党课")]
    assert [(s.number, s.heading) for s in plan.sections] == [("五", "保障措施")]


def test_broken_lines_are_joined():
    text = ("计划\n行事历\n九月份\n1、召开支部会议,研究学期党务工作,\n布置新学期工作。\n"
            "2、组织党员学习\n《党章》。\n3、“学习\n强国”积分\n4、开展主题党日活动\n")
    assert items(text) == [
        ([9], "召开支部会议,研究学期党务工作,布置新学期工作"),
        ([9], "组织党员学习《党章》"),
        ([9], "“学习强国”积分"),
        ([9], "开展主题党日活动"),
    ]


def test_do_not_split_at_dun_comma_and_strip_trailing_punctuation():
    text = "计划\n行事历\n三月份:\n1、收缴党费、学习强国、组织生活会；\n2、党课学习;\n3、总结。\n"
    assert items(text) == [([3], "收缴党费、学习强国、组织生活会"), ([3], "党课学习"), ([3], "总结")]


def test_theme_line_sets_theme_and_theme_only_heading_is_an_entry():
    text = ("计划\n日程安排\n1-3月份:第一专题:加强理论学习、聚焦师德。\n1、学习文件精神。\n2、读书。\n"
            "4-6月份:第二专题:聚焦廉政。\n7月:\n主题:重温入党誓词\n1、主题党日活动\n")
    plan = parse_text(text)
    assert [(c.months, c.text, c.theme) for c in plan.calendar] == [
        ([1, 2, 3], "学习文件精神", "第一专题:加强理论学习、聚焦师德"),
        ([1, 2, 3], "读书", "第一专题:加强理论学习、聚焦师德"),
        ([4, 5, 6], "第二专题:聚焦廉政", "第二专题:聚焦廉政"),
        ([7], "主题党日活动", "重温入党誓词"),
    ]


def test_theme_day_is_not_a_theme_line():
    text = "计划\n行事历\n三月份:主题党日活动\n"
    plan = parse_text(text)
    assert [(c.text, c.theme, c.kinds) for c in plan.calendar] == [("主题党日活动", None, ["theme_day"])]


def test_signature_dates_and_closing_lines_are_not_items():
    text = ("2023年党支部工作计划\n行事历\n十二月份:\n1、召开组织生活会\n2、总结全年工作\n"
            "在新的一年里,我们将继续努力,为学校发展作出新的贡献。\nXX小学党支部\n二〇二二年十二月三十日\n")
    assert items(text) == [([12], "召开组织生活会"), ([12], "总结全年工作")]
    for sig in ("2022年3月1日", "XX幼儿园党支部", "二〇二二年一月五日", "2022.3.1"):
        text = f"计划\n行事历\n十二月份:\n召开组织生活会\n总结全年工作\n{sig}\n"
        assert items(text) == [([12], "召开组织生活会"), ([12], "总结全年工作")], sig


def test_title_and_year():
    assert parse_text("XX支部2023年工作计划\n一、指导思想\n").year == 2023
    assert parse_text("XX支部2023年工作计划\n一、指导思想\n").title == "XX支部2023年工作计划"
    assert parse_text("XX支部20XX年工作计划\n一、指导思想\n").year is None
    assert parse_text("二〇二四年党支部工作计划\n一、指导思想\n").year == 2024
    assert parse_text("党支部工作计划\n行事历\n一月份:\n1、学习\n").year is None
    plan = parse_text("一、指导思想\n学习。\n")
    assert plan.title is None and plan.sections[0].heading == "指导思想"


def test_sections_levels_and_headings():
    text = "计划\n一、指导思想。\n（一）加强学习,提高素质。要求如下\n(二)、组织建设\n二、工作目标:\n"
    plan = parse_text(text)
    assert [(s.number, s.heading, s.level) for s in plan.sections] == [
        ("一", "指导思想", 1), ("一", "加强学习,提高素质", 2), ("二", "组织建设", 2), ("二", "工作目标", 1)]
    assert plan.calendar == []


def test_not_a_plan():
    assert not is_plan(parse_text("今天天气很好,我们去公园玩。\n"))
    assert not is_plan(parse_text(""))
    with pytest.raises(PlanInputError):
        load_plan("今天天气很好,我们去公园玩。".encode(), "x.txt")


def test_half_year_plan_is_checked_over_its_months():
    text = "下半年计划\n行事历\n七月份:\n1、召开支委会\n2、主题党日\n八月份:\n1、召开支委会\n2、主题党日\n3、党员大会\n"
    plan = parse_text(text)
    gaps = {g.kind: g for g in check_plan(plan)}
    assert "committee_meeting" not in gaps and "theme_day" not in gaps
    assert gaps["group_meeting"].missing_months == [7, 8]
    assert "party_congress" not in gaps  # the Jul–Sep quarter is met by August
    assert gaps["party_lecture"].missing_months == [7, 8]
    assert gaps["org_life_meeting"].missing_months == [7, 8]
    out = gaps_to_json(check_plan(plan))
    assert set(out) == {"gaps"}
    assert set(out["gaps"][0]) == {"kind", "rule", "missing_months", "source"}


def test_check_periods_and_custom_obligations():
    text = "计划\n行事历\n第一季度:\n党课\n十一月份:\n党课\n组织生活会\n"
    plan = parse_text(text)
    obligations = (
        Obligation("party_lecture", "党课", QUARTERLY, "src-a"),
        Obligation("org_life_meeting", "组织生活会", YEARLY, "src-b"),
        Obligation("theme_day", "主题党日", MONTHLY, "src-c"),
        Obligation("heart_talk", "谈心谈话", YEARLY, "src-d", per_pair=True),
    )
    gaps = gaps_to_json(check_plan(plan, obligations))["gaps"]
    # party_lecture: Q1 and Q4 (November) are met; org_life_meeting: met in November; heart_talk skipped
    assert gaps == [{"kind": "theme_day", "rule": "monthly", "missing_months": [1, 2, 3, 11], "source": "src-c"}]
    assert check_plan(parse_text("计划\n一、指导思想\n"), DEFAULT_OBLIGATIONS) == []


# ---------------------------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    ("召开党员大会", "party_congress"), ("召开支部大会", "party_congress"),
    ("召开支委会", "committee_meeting"), ("召开支部委员会会议", "committee_meeting"),
    ("召开支部会议,研究学期党务工作", "committee_meeting"),
    ("党小组会", "group_meeting"),
    ("书记讲党课", "party_lecture"), ("廉政党课", "party_lecture"),
    ("主题党日活动", "theme_day"), ("党员固定活动日", "theme_day"), ("党员固定日", "theme_day"),
    ("支部活动日", "theme_day"), ("统一活动日", "theme_day"),
    ("专题组织生活会", "org_life_meeting"), ("民主生活会", "democratic_life_meeting"),
    ("民主评议党员", "member_evaluation"), ("党员考核", "member_evaluation"), ("书记述职", "member_evaluation"),
    ("民主考核", "member_evaluation"),
    ("收缴党费", "dues"),
    ("发展党员", "development"), ("组织发展", "development"), ("确定入党积极分子", "development"),
    ("发展对象培训", "development"), ("预备党员转正", "development"), ("党基考试", "development"),
    ("组织关系接转", "transfer"),
    ("集中学习", "study"), ("读书活动", "study"), ("自学", "study"), ("学习强国", "study"),
    ("校务公开", "openness"), ("园务公开", "openness"), ("党务公开", "openness"), ("民主恳谈会", "openness"),
    ("行风评议", "openness"), ("政风行风建设", "openness"),
    ("廉政教育", "integrity"), ("廉洁从教", "integrity"), ("思廉", "integrity"), ("警示教育", "integrity"),
    ("师德师风", "ethics"),
    ("党员示范岗", "exemplar"), ("示范课", "exemplar"), ("听评课", "exemplar"), ("教学展示", "exemplar"),
    ("创先争优", "exemplar"), ("承诺践诺", "exemplar"),
    ("结对帮扶", "pairing"), ("双向培养", "pairing"), ("传帮带", "pairing"), ("一帮一", "pairing"),
    ("志愿服务", "volunteer"), ("党员进社区", "volunteer"), ("送教下乡", "volunteer"), ("学雷锋", "volunteer"),
    ("慰问困难党员", "care"), ("走访", "care"), ("帮扶", "care"), ("关怀", "care"),
    ("工会活动", "mass_org"), ("共青团", "mass_org"), ("妇女节", "mass_org"), ("教代会", "mass_org"),
    ("群团工作", "mass_org"),
    ("庆祝建党", "commemoration"), ("纪念活动", "commemoration"), ("清明扫墓", "commemoration"),
    ("庆七一", "commemoration"), ("国庆", "commemoration"), ("教师节", "commemoration"),
    ("红歌比赛", "commemoration"), ("演讲比赛", "commemoration"),
    ("制定工作计划", "planning"), ("制订活动方案", "planning"), ("部署工作", "planning"), ("布置任务", "planning"),
    ("工作总结", "summary"), ("整理档案", "summary"), ("上交材料", "summary"), ("汇总上报", "summary"),
    ("年终评估", "summary"),
])
def test_classify_vocabulary(text, kind):
    assert kind in classify(text)


def test_classify_negatives_and_table_shape():
    assert classify("召开支部大会") == ["party_congress"]  # 支部大会 is not 支部会议
    assert classify("开展团课") == []
    assert "org_life_meeting" not in classify("民主生活会")
    assert "democratic_life_meeting" not in classify("组织生活会")
    assert "planning" not in classify("学习支部工作计划")
    assert len(KINDS) == 23 and len(set(KINDS)) == 23
    assert all(isinstance(p, tuple) and p for _, p in KIND_KEYWORDS)


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------

SAMPLE = "党支部2023年工作计划\n一、指导思想\n学习。\n行事历\n三月份：\n1、召开支委会。\n2、收缴党费\n"


def test_read_utf8_bom_gb18030_and_utf16(tmp_path):
    expected = [([3], "召开支委会"), ([3], "收缴党费")]
    for name, data in (("a.txt", SAMPLE.encode("utf-8")), ("b.txt", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8")),
                       ("c.txt", SAMPLE.encode("gb18030")), ("d.txt", SAMPLE.encode("utf-16"))):
        path = tmp_path / name
        path.write_bytes(data)
        text = read_file(path)
        assert not text.startswith("\ufeff")
        assert items(text) == expected, name
        assert items(read_file(data, name)) == expected
        assert items(read_file(io.BytesIO(data), name)) == expected


def test_read_docx_paragraphs_and_table_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某某党支部2023年工作计划")
    document.add_paragraph("一、指导思想")
    document.add_paragraph("坚持学习。")
    document.add_paragraph("二、行事历")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("月份", "工作内容", "负责人"),
                             ("一月份", "1、制订支部工作计划\n2、召开支委会", "书记"),
                             ("二、三月份", "收缴党费", "组织委员")]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            lines = value.split("\n")
            cell.text = lines[0]
            for extra in lines[1:]:
                cell.add_paragraph(extra)
    document.add_paragraph("三、保障措施")
    path = tmp_path / "plan.docx"
    document.save(path)

    text = read_file(path)
    assert text.index("指导思想") < text.index("一月份") < text.index("保障措施")
    assert "负责人" not in text and "书记" not in text  # the person column is dropped
    plan = load_plan(path)
    assert plan.title == "某某党支部2023年工作计划" and plan.year == 2023
    assert [(c.months, c.text) for c in plan.calendar] == [
        ([1], "制订支部工作计划"), ([1], "召开支委会"), ([2, 3], "收缴党费")]
    assert [s.heading for s in plan.sections] == ["指导思想", "行事历", "保障措施"]
    assert items(read_file(path.read_bytes(), None)) == [(c.months, c.text) for c in plan.calendar]


@pytest.mark.parametrize("data, name", [
    (b"", "empty.txt"),
    (b"   \n\n", "blank.txt"),
    (bytes(range(256)) * 4, "junk.bin"),
    (b"PK\x03\x04garbage", "bad.docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc"),
    (b"%PDF-1.4\n...", "x.pdf"),
])
def test_unreadable_input(data, name):
    with pytest.raises(PlanInputError) as info:
        read_file(data, name)
    message = str(info.value)
    assert "\n" not in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert isinstance(info.value, ValueError)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(PlanInputError, match="file not found"):
        read_file(tmp_path / "nope.txt")
    with pytest.raises(PlanInputError):
        read_file(tmp_path)


# ---------------------------------------------------------------------------------------------
# Forms seen in the wider family of plans
# ---------------------------------------------------------------------------------------------

def test_month_headings_behind_numbers_bullets_and_brackets():
    text = ("计划\n四、具体工作安排\n第一季度（1-3月）：\n1、制定计划\n1、二月份：制定党支部工作计划\n"
            "(1)三月份:学雷锋\n1、3月份召开支委会\n【四月份】\n1、清明祭扫\n● 五月份\n● 召开支委会\n● 党课\n"
            "三月份主要工作：\n1、党员大会\n")
    assert items(text) == [
        ([1, 2, 3], "制定计划"), ([2], "制定党支部工作计划"), ([3], "学雷锋"), ([3], "3月份召开支委会"),
        ([4], "清明祭扫"), ([5], "召开支委会"), ([5], "党课"), ([3], "党员大会")]


def test_paragraph_after_items_and_sub_headings_are_not_items():
    text = ("计划\n行事历\n上学期:\n十二月份：\n1、召开组织生活会\n"
            "我们要在上级党委的领导下,团结一心,开拓进取,为办好人民满意的幼儿园而努力奋斗。全体党员要争做优秀。\n"
            "二〇XX年X月X日\n")
    assert items(text) == [([12], "召开组织生活会")]


def test_kinds_of_common_variants():
    assert classify("召开全体党员会议") == ["party_congress"]
    assert classify("做好张三的入党工作") == ["development"]
    assert "development" not in classify("重温入党誓词")
    assert classify("支部工作计划的制定") == ["planning"]
