"""One journey on a phone: the district admin opens 党内统计, drills into a figure, and the branch's
书记 finds a gap in a member's record, fills it in, and the gap is gone."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.orgs.models import Person

TODAY = dt.date(2026, 11, 20)


@pytest.mark.browser
def test_district_figures_drill_down_and_a_branch_fills_a_gap(live_cast, phone_page, browser_page, login):
    cast = live_cast
    with clock.frozen(TODAY):
        page = phone_page
        login(page, "district")
        page.goto(f"/o/{cast.district.pk}/stats/")
        total = int(page.locator('[data-figure="basic.total"]').inner_text())
        assert total > 0
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.click('[data-figure="basic.total"]')
        page.wait_for_load_state("networkidle")
        assert int(page.locator("#cell-total").inner_text()) == total
        assert page.locator("#cell-list tbody tr").count() == total

        member = cast.member_person
        Person.objects.filter(pk=member.pk).update(native_place="")
        desk = browser_page
        login(desk, "secretary")
        desk.goto(f"/o/{cast.branch.pk}/stats/completeness/")
        row = desk.locator("#gaps tbody tr", has_text=member.name)
        assert "籍贯" in row.inner_text()
        row.locator("text=补充").click()
        desk.wait_for_load_state("networkidle")
        desk.fill("input[name=native_place]", "江苏盐城")
        desk.click("form.card button[type=submit]")
        desk.wait_for_load_state("networkidle")
        desk.goto(f"/o/{cast.branch.pk}/stats/completeness/")
        text = desk.locator("#gaps").inner_text()
        assert (
            member.name not in text or "籍贯" not in desk.locator("#gaps tbody tr", has_text=member.name).inner_text()
        )
    assert Person.objects.get(pk=member.pk).native_place == "江苏盐城"
