"""The issue's district assessment in a browser: the district defines its rubric from the default
(五好), sees a branch's score, drills down to the records behind a derived item, enters a manual item
with evidence, and exports the results; the dashboard's charts read on a phone."""

import io

import openpyxl
import pytest

from zhibu.assessment.models import ManualScore, Rubric
from zhibu.assessment.tests.access_cases import PNG
from zhibu.core import clock

pytestmark = pytest.mark.browser


def test_district_defines_the_rubric_scores_a_branch_drills_down_and_exports(live_cast, browser_page, login, tmp_path):
    cast = live_cast
    page = browser_page
    year = clock.today().year
    login(page, "district")
    page.goto(f"/o/{cast.district.pk}/assessment/rubric/?year={year}")
    page.click("#no-rubric button[type=submit]")
    page.wait_for_selector(".rubric-item")
    assert Rubric.objects.filter(district=cast.district, year=year).exists()
    for group in ("领导班子好", "党员队伍好", "工作机制好", "工作业绩好", "群众反映好"):
        assert page.locator("h2", has_text=group).count() == 1
    assert page.locator(".formula").count() >= 1

    page.click("text=考核结果")
    page.click(f"#results a:has-text('{cast.branch.name}')")
    page.wait_for_selector("#branch-score")
    before = page.inner_text("#branch-score")

    # drill down to the records behind a derived item, and back
    drill = page.locator("a.drill").first
    href = drill.get_attribute("href")
    drill.click()
    page.wait_for_url(f"**{href.split('?')[0]}*")
    page.go_back()
    page.wait_for_selector("#branch-score")

    # a manual item, with evidence
    page.locator("a.manual-link").last.click()
    page.fill("input[name=points]", "15")
    page.fill("textarea[name=note]", "满意度测评结果")
    evidence = tmp_path / "测评表.png"
    evidence.write_bytes(PNG)
    page.set_input_files("input[name=upload]", str(evidence))
    page.click("#manual-form button[type=submit]")
    page.wait_for_selector("#branch-score")
    assert ManualScore.objects.filter(branch=cast.branch, points=15).exists()
    assert float(page.inner_text("#branch-score")) == float(before) + 15
    assert page.locator("text=测评表.png").count() == 1

    page.goto(f"/o/{cast.district.pk}/assessment/?year={year}")
    with page.expect_download() as info:
        page.click("#export")
    wb = openpyxl.load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    cells = [str(c.value) for row in wb["考核结果"].iter_rows() for c in row if c.value is not None]
    assert cast.branch.name in cells


def test_dashboard_reads_on_a_phone(live_cast, phone_page, login):
    cast = live_cast
    from zhibu.assessment.tests.access_cases import make_rubric

    make_rubric(cast)
    page = phone_page
    login(page, "district")
    page.goto(f"/o/{cast.district.pk}/assessment/dashboard/")
    page.wait_for_selector("#monthly-chart svg")
    box = page.locator("#monthly-chart svg").bounding_box()
    assert box and 0 < box["width"] <= 390
    assert page.locator("#tiers-chart svg").is_visible()
    # the page itself does not scroll sideways (the grid scrolls inside its frame)
    assert page.evaluate("document.documentElement.scrollWidth") <= 392
