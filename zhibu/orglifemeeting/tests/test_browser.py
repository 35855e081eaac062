"""The issue's done-when for the 组织生活会, in a browser: the secretary starts the year's meeting, the
coverage shows two missing 谈心谈话 pairs, they are recorded on a phone (two taps each), the checklist
turns ready, and the meeting is recorded."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.orglifemeeting.models import Cycle
from zhibu.orglifemeeting.tests.helpers import all_talks_but, complete_materials_and_steps

pytestmark = pytest.mark.browser


def test_secretary_prepares_and_records_the_org_life_meeting(live_cast, browser_page, phone_page, login):
    cast = live_cast
    page = browser_page
    today = clock.today()
    login(page, "secretary")
    page.goto(f"/o/{cast.branch.pk}/orglifemeeting/")
    page.click("text=建立组织生活会")
    page.fill("input[name=topic]", "强化党性修养，推动立德树人")
    page.fill("input[name=planned_date]", min(today + dt.timedelta(days=10), dt.date(today.year, 12, 31)).isoformat())
    page.fill("textarea[name=notice_requirements]", "会前谈心谈话全覆盖")
    page.click("button[type=submit]")
    page.wait_for_url("**/orglifemeeting/*/")
    cycle_url = page.url
    cycle = Cycle.objects.get()

    # materials and the steps kept by hand are done; two committee pairs have not talked yet
    missing = all_talks_but(cast, skip=2)
    complete_materials_and_steps(cast, cycle)
    page.reload()
    assert page.locator('#checklist-table tr[data-step="talks"]').inner_text().count("未完成") == 1
    assert page.locator("#ready-state").inner_text().startswith("尚有1项")

    # on a phone: the coverage page lists exactly the two pairs; each is recorded with one tap
    login(phone_page, "secretary")
    phone_page.goto(cycle_url)
    phone_page.click("text=查看覆盖情况")
    assert phone_page.locator("#missing-count").inner_text() == "2"
    rows = phone_page.locator("#missing tr.missing-row")
    for a, b in missing:
        assert rows.filter(has_text=a.name).filter(has_text=b.name).count() == 1
    for _ in missing:
        phone_page.locator("#missing tr.missing-row button").first.click()
        phone_page.wait_for_load_state("networkidle")
    assert phone_page.locator("#missing-count").inner_text() == "0"

    # the checklist turns ready
    page.reload()
    assert "可以确认就绪" in page.locator("#ready-state").inner_text()
    page.click("text=确认准备就绪")
    page.wait_for_url(cycle_url + "#checklist")
    assert "准备就绪" in page.locator("#ready-state").inner_text()

    # the meeting itself (held yesterday), an orglife meeting of kind 组织生活会
    page.click("text=登记会议")
    page.select_option("select[name=format]", "party_congress")
    page.fill("input[name=date]", (today - dt.timedelta(days=1)).isoformat())
    page.fill("input[name=place]", "党员活动室")
    page.fill("input[name=upper_attendee]", "区委组织部张部长")
    page.fill("textarea[name=secretary_report]", "一年来，支部委员会……")
    page.click("button[type=submit]")
    page.wait_for_url(cycle_url + "#meeting")
    assert "区委组织部张部长" in page.locator("#meeting + .card").inner_text()
    cycle.refresh_from_db()
    assert cycle.meeting is not None and cycle.meeting.kind == "org_life_meeting"
