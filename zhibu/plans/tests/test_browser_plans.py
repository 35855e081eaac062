"""Done-when of issue 3, in a real browser: paste plan06, edit a kind in the preview, save, find every
month of its 行事历, mark an item done, download the .docx and read it back."""
from pathlib import Path

import docx
import pytest

from zhibu.core.documents import tidy
from zhibu.plans import parser

PLAN06 = Path(__file__).resolve().parent / "fixtures" / "corpus" / "plan06.txt"


@pytest.mark.browser
def test_paste_preview_save_track_and_export(browser_page, live_cast, login):
    from zhibu.plans.models import Plan

    page = browser_page
    text = PLAN06.read_text(encoding="utf-8")
    expected = parser.parse_text(text)
    branch = live_cast.branch.pk
    login(page, "secretary")

    page.goto(f"/o/{branch}/plans/")
    page.click("text=粘贴或上传计划")
    page.fill("textarea[name=text]", text)
    page.click("button:has-text('识别并预览')")
    page.wait_for_selector("#preview-items")
    assert page.locator(".preview-item").count() == len(expected.calendar)
    assert "指导思想" in page.inner_text("#preview-sections")

    # edit one item's kind: the 报告会 (no kind found) becomes 学习
    card = page.locator(".preview-item").filter(has=page.locator("textarea", has_text="和德育处一道"))
    assert card.count() == 1
    card.locator("summary").click()
    study = card.locator("input[type=checkbox][value=study]")
    assert not study.is_checked()
    study.check()
    assert Plan.objects.count() == 0  # the preview saved nothing
    page.click("button:has-text('确认保存')")
    page.wait_for_selector("#calendar")
    plan = Plan.objects.get(branch=live_cast.branch)
    assert plan.items.get(text__startswith="和德育处一道").kinds == ["study"]

    # every month of plan06's 行事历 with its items; 七、八月份 under both July and August
    for item in expected.calendar:
        for month in item.months:
            assert item.text in page.inner_text(f"#month-{month}"), (month, item.text)
    for text_ in ("开展党的群众路线教育实践活动", "党建工作小结", "布置党员暑期自学内容"):
        assert text_ in page.inner_text("#month-7") and text_ in page.inner_text("#month-8")
    edited = page.locator("#month-4 .plan-item", has_text="和德育处一道")
    assert edited.locator(".kind[data-kind=study]").count() == 1

    # mark an item done (htmx swaps the calendar in place)
    row = page.locator("#month-11 .plan-item", has_text="组织发展")
    row.locator("button.mark-done").click()
    page.wait_for_selector("#month-11 .plan-item[data-status=done]:has-text('组织发展')")
    assert plan.items.get(text="组织发展").status == "done"

    # download the .docx and read it back
    with page.expect_download() as info:
        page.click("#export-docx")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    d = docx.Document(download.path())
    paragraphs = [p.text for p in d.paragraphs]
    assert paragraphs[0] == expected.title
    for section in expected.sections:
        assert tidy(f"{section.number}、{section.heading}") in paragraphs  # full-width punctuation
    (table,) = d.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["月份", "工作内容", "类别", "负责人", "状态"]
    assert len(rows) == 1 + len(expected.calendar)
    assert ["11月", "组织发展", "发展党员", "", "已完成"] in rows
    assert ["7-8月", "党建工作小结", "总结材料", "", "计划中"] in rows
