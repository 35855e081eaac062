"""Issue 14's done-when in one browser journey: the secretary starts the year's meeting, the coverage
shows two missing 谈心谈话 pairs, they are recorded on a phone, the checklist turns ready, the meeting is
recorded; two problems become 整改 items in one step; one is submitted with evidence and 销号'd by the
upper committee, the other goes overdue and shows first in the district view; 回头看 reopens the
closed one."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.orglifemeeting.models import Cycle
from zhibu.orglifemeeting.tests.helpers import all_talks_but, complete_materials_and_steps
from zhibu.rectify import rules as rectify_rules
from zhibu.rectify.models import Item

pytestmark = pytest.mark.browser


def test_org_life_meeting_from_preparation_to_rectification_and_review(live_cast, browser_page, phone_page, login):
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

    # two problems raised at the meeting, then turned into 整改 items in one step
    for problem, deadline in (("谈心谈话记录不够具体", today + dt.timedelta(days=60)),
                              ("学习笔记流于形式", today + dt.timedelta(days=10))):
        page.goto(cycle_url + "problems/new/")
        page.fill("input[name=problem]", problem)
        page.fill("input[name=measures]", "限期补齐并由支委检查")
        page.fill("input[name=deadline]", deadline.isoformat())
        page.click("button[type=submit]")
        page.wait_for_url(cycle_url + "#problems")
    page.click("text=问题转为整改事项")
    page.wait_for_url(cycle_url + "#problems")
    assert page.locator("#problems + .table-wrap").inner_text().count("已列入") == 2
    talk_item = Item.objects.get(problem="谈心谈话记录不够具体")
    late_item = Item.objects.get(problem="学习笔记流于形式")
    assert talk_item.branch_id == late_item.branch_id == cast.branch.pk

    # forty days on: one item is submitted with evidence on a phone; the other is past its deadline
    with clock.frozen(today + dt.timedelta(days=40)):
        phone_page.goto(f"/o/{cast.branch.pk}/rectify/items/{talk_item.pk}/")
        phone_page.fill("#submit-form textarea[name=evidence]", "已逐人补记谈话要点，支委检查签字")
        phone_page.click("#submit-form button[type=submit]")
        phone_page.wait_for_load_state("networkidle")
        assert "待销号" in phone_page.locator("#item-status").inner_text()
        page.goto(f"/o/{cast.branch.pk}/rectify/")
        assert page.locator("#rectify-items tbody tr").first.get_attribute("data-id") == str(late_item.pk)

        origin = "/".join(page.url.split("/")[:3])
        admin = page.context.browser.new_context(base_url=origin).new_page()
        login(admin, "district")
        admin.goto(f"/o/{cast.district.pk}/rectify/district/")
        assert admin.locator("#total-overdue").inner_text() == "1"
        assert admin.locator("#district-table tbody tr td:first-child").first.inner_text() == cast.branch.name
        admin.click("#to-approve a")
        admin.wait_for_load_state("networkidle")
        admin.click("#close-form button")
        admin.wait_for_load_state("networkidle")
        assert "已销号" in admin.locator("#item-status").inner_text()

        admin.select_option("#review-form select[name=result]", "reopen")
        admin.fill("#review-form input[name=note]", "回头看发现新党员谈话仍未记录")
        admin.click("#review-form button[type=submit]")
        admin.wait_for_load_state("networkidle")
        assert "整改中" in admin.locator("#item-status").inner_text()
    talk_item.refresh_from_db()
    assert talk_item.status == rectify_rules.IN_PROGRESS and talk_item.reopened == 1
    assert Item.objects.get(pk=late_item.pk).status == rectify_rules.OPEN
