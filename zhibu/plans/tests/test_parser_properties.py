"""Property tests of the plan parser (hypothesis)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhibu.plans.check import check_plan
from zhibu.plans.parser import KINDS, classify, parse_text, render_calendar, to_json

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to the parser, plus ordinary CJK text.
PLAN_CHARS = ("一二三四五六七八九十月份季度上下半年全寒暑假第专题主题至到次、，,。；;:：.．()（）-—~～ \t\u3000"
              "0123456789①②③⑴⑵“”《》党支部委会员大小组课日活动学习计划总结行事历具体安排XxＸ")
plan_text = st.text(alphabet=st.sampled_from(PLAN_CHARS + "\n\n\n"), max_size=300)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(text):
    plan = parse_text(text)
    to_json(plan)
    render_calendar(plan)
    check_plan(plan)
    for item in plan.calendar:
        assert item.months and all(1 <= m <= 12 for m in item.months)


@FAST
@given(plan_text)
def test_plan_like_text_months_in_range(text):
    plan = parse_text(text)
    for item in plan.calendar:
        assert item.months == sorted(set(item.months))
        assert all(1 <= m <= 12 for m in item.months)
        assert item.text and item.text == item.text.strip()
        assert item.text[-1] not in "。；;"
        assert set(item.kinds) <= set(KINDS)
        assert item.kinds == classify(item.text)
    for gap in check_plan(plan):
        assert all(1 <= m <= 12 for m in gap.missing_months)


# Generated calendars: month headings in many forms, themes, numbered/unnumbered items.
CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
WORDS = ["召开支委会", "开展主题党日活动", "党课学习", "收缴党费", "民主评议党员", "学习“二十大”精神",
         "走访慰问困难党员", "组织发展", "总结全年工作", "制订计划", "志愿服务进社区", "党员大会,研究发展工作",
         "读书、研讨、交流", "学习强国(每日35分)", "庆祝七一"]


@st.composite
def month_heading(draw):
    form = draw(st.integers(0, 8))
    a = draw(st.integers(1, 12))
    b = draw(st.integers(a, 12))
    if form == 0:
        return f"{CN[a]}月份", [a]
    if form == 1 and a < 12:
        return f"{CN[a]}、{CN[a + 1]}月份", [a, a + 1]
    if form == 2:
        return f"{a}-{b}月份", list(range(a, b + 1))
    if form == 3:
        return f"{a}月至{b}月", list(range(a, b + 1))
    if form == 4:
        q = draw(st.integers(1, 4))
        return f"第{CN[q]}季度", list(range(3 * q - 2, 3 * q + 1))
    if form == 5:
        return draw(st.sampled_from([("上半年", list(range(1, 7))), ("下半年", list(range(7, 13))),
                                     ("全年", list(range(1, 13)))]))
    return f"{a}月", [a]


@st.composite
def calendar_text(draw):
    lines = [draw(st.sampled_from(["党支部工作计划", "2023年党支部工作计划"])), draw(
        st.sampled_from(["行事历", "具体安排", "日程安排", "每月具体工作安排", ""]))]
    expected = []
    blocks = draw(st.integers(1, 6))
    # a calendar is recognised by its heading, or by a run of at least two month headings
    detectable = bool(lines[1]) or blocks >= 2
    for _ in range(blocks):
        heading, months = draw(month_heading())
        sep = draw(st.sampled_from([":", "：", ""]))
        theme = draw(st.sampled_from([None, "第一专题:加强理论学习、聚焦师德", "第二专题:聚焦廉政"]))
        words = draw(st.lists(st.sampled_from(WORDS), min_size=0 if theme else 1, max_size=4))
        lines.append(heading + sep + (theme + "。" if theme else ""))
        numbered = draw(st.booleans())
        for k, w in enumerate(words, 1):
            end = draw(st.sampled_from(["。", "；", ""])) if numbered else ""
            lines.append((f"{k}、" if numbered else "") + w + end)
            expected.append((months, w))
        if not words:
            expected.append((months, theme))
        lines.append("")
    return "\n".join(lines) + "\n", expected, detectable


@FAST
@given(calendar_text())
def test_generated_calendars_parse_and_round_trip(case):
    text, expected, detectable = case
    plan = parse_text(text)
    got = [(c.months, c.text) for c in plan.calendar]
    assert got == (expected if detectable else [])
    again = parse_text(render_calendar(plan))
    assert again.calendar == plan.calendar


@FAST
@given(plan_text)
def test_round_trip_on_whatever_the_parser_finds(text):
    plan = parse_text(text)
    assert parse_text(render_calendar(plan)).calendar == plan.calendar
