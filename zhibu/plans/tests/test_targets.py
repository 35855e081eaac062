"""Targets (plan-import.md `targets`), prose-only plans, period headings and the kinds corrections of
issue 12."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibu.plans import parser
from zhibu.plans.targets import amount_of, every_of

UNITS = {"day", "week", "month", "quarter", "semester", "year"}


def _targets(text):
    return [t.to_json() for t in parser.parse_text(text).targets]


@pytest.mark.parametrize("text, every", [
    ("每两周组织一次全体教职工政治学习", {"n": 2, "unit": "week"}),
    ("每月开展一次主题党日活动", {"n": 1, "unit": "month"}),
    ("每个月召开一次支委会", {"n": 1, "unit": "month"}),
    ("每季度召开一次党员大会", {"n": 1, "unit": "quarter"}),
    ("每学期讲一次党课", {"n": 1, "unit": "semester"}),
    ("每年开展一次民主评议党员", {"n": 1, "unit": "year"}),
    ("每半年开展一次党员学习", {"n": 6, "unit": "month"}),
    ("每天坚持学习强国", {"n": 1, "unit": "day"}),
    ("隔周召开一次支委会", {"n": 2, "unit": "week"}),
    ("每3个月召开一次党员大会", {"n": 3, "unit": "month"}),
])
def test_it_reads_the_frequency_of_a_commitment(text, every):
    assert every_of(parser._normalise(text)) == every


@pytest.mark.parametrize("text, amount", [
    ("优秀党员比例不超过10%", {"value": 10, "unit": "%"}),
    ("学习强国每日积分不少于35分", {"value": 35, "unit": "分"}),
    ("每次学习不少于1小时", {"value": 1, "unit": "小时"}),
    ("每人每学期读书1本", {"value": 1, "unit": "本"}),
    ("撰写学习笔记不少于10000字", {"value": 10000, "unit": "字"}),
    ("全年发展党员1-2名", {"value": 1, "max": 2, "unit": "名"}),
    ("全年发展党员1—2名", {"value": 1, "max": 2, "unit": "名"}),
])
def test_it_reads_the_amount_of_a_commitment(text, amount):
    assert amount_of(parser._normalise(text)) == amount


def test_targets_carry_text_kind_every_and_amount_as_written():
    text = "某幼儿园党支部2024年党建工作计划\n一、工作目标\n1、每两周组织一次全体教职工政治学习。\n2、坚持每月开展一次主题党日活动，每季度召开一次党员大会。\n3、民主评议党员，优秀党员比例不超过参评党员的10%。\n"
    assert _targets(text) == [
        {"text": "每两周组织一次全体教职工政治学习", "kind": "study", "every": {"n": 2, "unit": "week"}, "amount": None},
        {"text": "坚持每月开展一次主题党日活动", "kind": "theme_day", "every": {"n": 1, "unit": "month"}, "amount": None},
        {"text": "每季度召开一次党员大会", "kind": "party_congress", "every": {"n": 1, "unit": "quarter"}, "amount": None},
        {"text": "优秀党员比例不超过参评党员的10%", "kind": "review_cap", "every": None, "amount": {"value": 10, "unit": "%"}},
    ]


def test_a_clause_without_a_kind_takes_the_clause_before_it():
    text = "计划\n一、学习\n组织党员集中学习，每周一次。\n"
    assert _targets(text)[0]["text"] == "组织党员集中学习，每周一次"
    assert _targets(text)[0]["kind"] == "study"


def test_dates_and_times_are_not_amounts():
    assert _targets("计划\n一、安排\n3月15日下午2点召开支委会。\n") == []


def test_a_prose_only_plan_is_a_plan_with_an_empty_calendar_and_a_warning():
    text = "某小学党支部2025年工作计划\n1、加强理论学习，每月开展一次集中学习。\n2、严格落实三会一课制度，每季度召开一次党员大会。\n3、全年发展党员1名。\n"
    plan = parser.parse_text(text)
    assert parser.is_plan(plan)
    assert plan.calendar == []
    assert plan.warnings and "行事历" in plan.warnings[0]
    assert [t.kind for t in plan.targets] == ["study", "party_congress", "development"]


def test_numbered_items_under_a_plan_title_without_commitments_are_still_a_plan():
    text = "某支部工作计划\n1、加强党员教育管理\n2、做好宣传工作\n"
    assert parser.is_plan(parser.parse_text(text))
    assert not parser.is_plan(parser.parse_text("你好\n今天天气不错\n"))


def test_an_appendix_heading_opens_no_calendar_without_month_headings():
    text = "某幼儿园党支部2024年工作计划\n一、工作目标\n1、加强理论学习。\n附：2024年党建工作安排表\n1、做好党员教育。\n2、落实三会一课。\n"
    assert parser.parse_text(text).calendar == []
    with_months = text + "3月：\n1、召开支委会。\n"
    assert [(c.months, c.text) for c in parser.parse_text(with_months).calendar] == [([3], "召开支委会")]


def test_numbered_lines_after_a_pasted_table_are_not_calendar_items():
    text = "某支部计划\n一、安排\n月份\t工作内容\t负责人\n3月\t召开支委会\t张三\n4月\t主题党日\t李四\n1、全年发展党员1名\n2、党员学习每月一次\n"
    plan = parser.parse_text(text)
    assert [(c.months, c.text) for c in plan.calendar] == [([3], "召开支委会"), ([4], "主题党日")]
    assert [t.text for t in plan.targets] == ["全年发展党员1名", "党员学习每月一次"]


@pytest.mark.parametrize("heading, months", [
    ("上学期：", [1, 9, 10, 11, 12]),
    ("下学期：", [2, 3, 4, 5, 6, 7]),
    ("学期初：", [2, 9]),
    ("学期末：", [1, 6, 7]),
    ("寒假：", [1, 2]),
    ("暑假：", [7, 8]),
    ("第一季度：", [1, 2, 3]),
    ("上半年：", [1, 2, 3, 4, 5, 6]),
    ("下半年：", [7, 8, 9, 10, 11, 12]),
    ("第一阶段（3月-4月）：", [3, 4]),
    ("第二阶段：5-6月", [5, 6]),
])
def test_period_headings_map_to_months_by_the_school_year_table(heading, months):
    text = f"某支部2024年工作计划\n一、具体安排\n{heading}\n1、召开支委会。\n2、开展主题党日活动。\n"
    calendar = parser.parse_text(text).calendar
    assert [c.months for c in calendar] == [months, months]


def test_a_stage_without_months_is_no_period():
    assert parser._month_heading(parser._normalise("第一阶段：动员部署")) is None


@pytest.mark.parametrize("text, kinds", [
    ("开展固定日活动", ["theme_day"]),
    ("党员活动日：参观红色教育基地", ["theme_day", "commemoration"]),
    ("参加民主评议政风行风活动", ["openness"]),
    ("开展民主评议党员", ["member_evaluation"]),
])
def test_kinds_corrections(text, kinds):
    assert parser.classify(text) == kinds


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("每两周月季度学期年半天次1234567890%分小时本字名人-、，。：学习党课支委会优秀不超过\n第一阶段（）附安排表")), max_size=120))
def test_targets_never_fail_and_use_the_vocabulary(text):
    plan = parser.parse_text(text)
    for t in plan.targets:
        data = t.to_json()
        assert data["kind"] in set(parser.KINDS) | {"review_cap"}
        assert data["every"] is None or (data["every"]["unit"] in UNITS and data["every"]["n"] >= 1)
        assert data["amount"] is None or isinstance(data["amount"]["value"], (int, float))
        assert data["text"] and data["text"] == data["text"].strip()


def test_the_import_preview_shows_the_warning_and_the_targets(client_for, cast):
    from django.urls import reverse

    text = "某小学党支部2025年工作计划\n1、加强理论学习，每月开展一次集中学习。\n2、每季度召开一次党员大会。\n"
    response = client_for("secretary").post(reverse("plans:import", args=[cast.branch.pk]), {"step": "preview", "text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "未找到行事历" in page and "工作目标（2 项）" in page and "每季度召开一次党员大会" in page


def test_a_branch_plans_party_members_democratic_life_meeting_is_its_org_life_meeting():
    from zhibu.plans.vocabulary import for_branch

    assert parser.classify("召开党员民主生活会") == ["democratic_life_meeting"]  # the spec's table, as written
    assert for_branch(["democratic_life_meeting", "org_life_meeting", "study"]) == ["org_life_meeting", "study"]


def test_the_branch_import_maps_democratic_life_meeting_to_org_life_meeting(client_for, cast):
    from django.urls import reverse

    text = "某支部2025年工作计划\n一、具体安排\n十二月份：\n1、召开党员民主生活会。\n"
    response = client_for("secretary").post(reverse("plans:import", args=[cast.branch.pk]), {"step": "preview", "text": text})
    page = response.content.decode()
    assert 'value="org_life_meeting" checked' in page or "org_life_meeting\" selected" in page or "org_life_meeting" in page
    assert response.context["formset"].forms[0].initial["kinds"] == ["org_life_meeting"]


def test_the_import_page_says_what_is_wrong_in_chinese_only(client_for, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    binary = SimpleUploadedFile("plan.txt", b"\x00\x01\x02" * 50, content_type="text/plain")
    response = client_for("secretary").post(reverse("plans:import", args=[cast.branch.pk]), {"step": "preview", "file": binary})
    page = response.content.decode()
    assert response.status_code == 400
    assert "不是文本或 .docx 文件：plan.txt" in page
    assert "not a text" not in page


# --- the corpus plans' study-related targets, pinned per plan (issue 16) ---------------------------

CORPUS = __import__("pathlib").Path(__file__).resolve().parent / "fixtures" / "corpus"
STUDY_KINDS = ("study", "integrity", "ethics", "review_cap", "pairing")
SLOGAN = [
    ("日学一小时", "study", {"n": 1, "unit": "day"}, {"value": 1, "unit": "小时"}),
    ("月读一本书", "study", {"n": 1, "unit": "month"}, {"value": 1, "unit": "本"}),
    ("年记一万字", "study", {"n": 1, "unit": "year"}, {"value": 10000, "unit": "字"}),
]
CORPUS_TARGETS = {
    "plan01.txt": [*SLOGAN, ("并在年末评选出10%的优秀党员", "review_cap", None, {"value": 10, "unit": "%"})],
    "plan03.txt": [*SLOGAN, ("并在年末评选出10%的优秀党员", "review_cap", None, {"value": 10, "unit": "%"}),
                   ("“手拉手、结对子”活动:党员有重点指导培养1—2名教职工的任务", "pairing", None,
                    {"value": 1, "max": 2, "unit": "名"}),
                   ("每位教师学期末写好一篇政治学习心得体会", "study", None, {"value": 1, "unit": "篇"})],
    "plan04.txt": [("每人撰写2篇学习体会", "study", None, {"value": 2, "unit": "篇"})],
    "plan06.txt": [("领导班子健全每周二的理论学习(结合在行政会上)", "study", {"n": 1, "unit": "week"}, None)],
    "plan13.txt": [("每人撰写2篇学习体会", "study", None, {"value": 2, "unit": "篇"})],
    "plan14.txt": [("坚持每月集中学习一次", "study", {"n": 1, "unit": "month"}, None)],
}


@pytest.mark.parametrize("name", sorted(CORPUS_TARGETS))
def test_corpus_plans_yield_their_study_targets(name):
    plan = parser.parse_text((CORPUS / name).read_text(encoding="utf-8"))
    found = [(t.text, t.kind, t.every, t.amount) for t in plan.targets if t.kind in STUDY_KINDS and t.kind != "pairing"
             or (t.kind == "pairing" and "培养" in t.text)]
    for expected in CORPUS_TARGETS[name]:
        assert expected in found, (expected, found)


@pytest.mark.parametrize("text, expected", [
    ("学习强国每天35分", ("study", {"n": 1, "unit": "day"}, {"value": 35, "unit": "分"})),
    ("每名党员结对1-2名", ("pairing", None, {"value": 1, "max": 2, "unit": "名"})),
    ("每两周一次政治学习", ("study", {"n": 2, "unit": "week"}, None)),
    ("评选10%优秀党员", ("review_cap", None, {"value": 10, "unit": "%"})),
    ("日学一小时", ("study", {"n": 1, "unit": "day"}, {"value": 1, "unit": "小时"})),
    ("年记一万字", ("study", {"n": 1, "unit": "year"}, {"value": 10000, "unit": "字"})),
])
def test_the_target_kinds_issue_16_lists(text, expected):
    targets = _targets(f"某支部计划\n一、目标\n{text}。\n")
    assert [(t["kind"], t["every"], t["amount"]) for t in targets] == [expected]


def test_a_year_in_a_date_is_no_frequency():
    assert every_of(parser._normalise("2024年学习计划")) is None
