"""On a phone the secretary submits one 整改 item with evidence; the district admin 销号s it, sees the
other (overdue) branch item first in the district view, and the 回头看 reopens the closed one."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.rectify import rules, services
from zhibu.rectify.models import Item


@pytest.mark.browser
def test_submit_close_overdue_first_and_review_reopens(live_cast, phone_page, browser_page, login):
    cast = live_cast
    b = cast.branch.pk
    with clock.frozen(dt.date(2026, 5, 20)):
        done = services.raise_item(
            actor=cast.secretary,
            branch=cast.branch,
            source="组织生活会",
            problem="谈心谈话覆盖不全",
            measures="补齐谈话",
            responsible=cast.member_person,
            kind="deadline",
            raised_on=dt.date(2026, 3, 1),
            deadline=dt.date(2026, 6, 30),
        )
        late = services.raise_item(
            actor=cast.district_admin,
            branch=cast.other_branch,
            source="巡察",
            problem="发展党员档案不全",
            kind="deadline",
            raised_on=dt.date(2026, 3, 1),
            deadline=dt.date(2026, 4, 30),
            raised_by_org=cast.district,
        )

        page = phone_page
        login(page, "secretary")
        page.goto(f"/o/{b}/rectify/items/{done.pk}/")
        page.fill("#submit-form textarea[name=evidence]", "已完成全部谈话，记录见附件")
        page.set_input_files(
            "#submit-form input[name=file]",
            files=[{"name": "谈话记录.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 16}],
        )
        page.click("#submit-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "待销号" in page.locator("#item-status").inner_text()
        assert page.locator("#close-box").count() == 0  # the upper committee closes, not the secretary

        admin = browser_page
        login(admin, "district")
        admin.goto(f"/o/{cast.district.pk}/rectify/district/")
        assert "待本级销号审核（1）" in admin.content()
        rows = admin.locator("#district-table tbody tr td:first-child").all_inner_texts()
        assert rows[0] == cast.other_branch.name  # the branch with the overdue item first
        assert "发展党员档案不全" in admin.locator("#raised").inner_text()
        assert "已超期" in admin.locator("#raised").inner_text()
        admin.click("#to-approve a")
        admin.wait_for_load_state("networkidle")
        admin.click("#close-form button")
        admin.wait_for_load_state("networkidle")
        assert "已销号" in admin.locator("#item-status").inner_text()
        assert Item.objects.get(pk=done.pk).status == rules.CLOSED

        admin.select_option("#review-form select[name=result]", "reopen")
        admin.fill("#review-form input[name=note]", "回头看发现新入职党员未谈")
        admin.click("#review-form button[type=submit]")
        admin.wait_for_load_state("networkidle")
        assert "整改中" in admin.locator("#item-status").inner_text()
        assert "回头看重新整改" in admin.locator("#item-notes").inner_text()
        item = Item.objects.get(pk=done.pk)
        assert item.status == rules.IN_PROGRESS and item.reopened == 1
        assert Item.objects.get(pk=late.pk).status == rules.OPEN
