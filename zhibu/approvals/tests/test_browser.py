"""Done-when journey of issue 19's approvals: the branch sends 发展对象 up for 同意/备案
(candidate_approved); the district 打回 with a reason; the branch sees the reason, fixes and sends it
again; the district approves; the file's timeline shows the approval date. Live-server steps run
under clock.frozen (the clock is shared with the server thread)."""

from __future__ import annotations

import pytest

from zhibu.approvals.models import Approval, State
from zhibu.core import clock
from zhibu.development.models import StepRecord
from zhibu.development.tests.test_app_services import D, rec, walk_to_candidate

pytestmark = pytest.mark.browser


def test_send_up_return_fix_resubmit_approve(live_cast, browser_page, login):
    c = walk_to_candidate(live_cast)
    rec(live_cast, c, "candidate_publicity", "2026-09-29", end_date=D("2026-10-10"))
    branch, district = live_cast.branch, live_cast.district
    file_url = f"/o/{branch.pk}/development/c/{c.pk}/"
    page = browser_page

    with clock.frozen(D("2026-10-12")):
        login(page, "secretary")
        page.goto(file_url)
        page.locator('tr[data-step="candidate_approved"]').get_by_role("link", name="报上级党委").click()
        page.fill("[name=notes]", "公示期满无异议")
        page.click("#submit-form button[type=submit]")
        page.wait_for_url(f"**{file_url}")
        assert "待审批" in page.locator("#approvals").inner_text()
    a = Approval.objects.get()
    assert a.state == State.PENDING and not StepRecord.objects.filter(candidate=c, step="candidate_approved").exists()

    origin = page.evaluate("location.origin")
    district_page = page.context.browser.new_context(base_url=origin, locale="zh-CN").new_page()
    with clock.frozen(D("2026-10-13")):
        login(district_page, "district")
        district_page.goto(f"/o/{district.pk}/approvals/")
        district_page.get_by_role("link", name="陈老师").first.click()
        district_page.fill("[name=reason]", "请补充支部委员会讨论的会议记录")
        district_page.click("#return-form button[type=submit]")
        district_page.wait_for_load_state("networkidle")
        assert "请补充支部委员会讨论的会议记录" in district_page.locator("#approval").inner_text()

    with clock.frozen(D("2026-10-14")):
        page.goto(file_url)
        box = page.locator("#approvals").inner_text()
        assert "已打回" in box and "请补充支部委员会讨论的会议记录" in box
        page.get_by_role("link", name="补正并重新报送").click()
        assert page.locator("[name=notes]").input_value() == "公示期满无异议"  # what was sent, to fix
        page.fill("[name=notes]", "公示期满无异议；已附支委会会议记录")
        page.click("#submit-form button[type=submit]")
        page.wait_for_url(f"**{file_url}")
        assert "待审批" in page.locator("#approvals").inner_text()

    with clock.frozen(D("2026-10-16")):
        district_page.goto(f"/o/{district.pk}/approvals/")
        row = district_page.locator(f'tr[data-approval="{a.pk}"]')
        assert "2026-10-14" in row.inner_text()  # sent again that day
        row.get_by_role("link").click()
        district_page.fill("#approve-form [name=on]", "2026-10-15")
        district_page.click("#approve-form button[type=submit]")
        district_page.wait_for_load_state("networkidle")
        assert "2026-10-15" in district_page.locator("#approval-date").inner_text()
        log = district_page.locator("#approval-log").inner_text()
        assert all(word in log for word in ("报送", "打回", "重新报送", "批准"))

        page.goto(file_url)
        assert "2026-10-15" in page.locator('tr[data-step="candidate_approved"]').inner_text()
    district_page.context.close()
    assert StepRecord.objects.get(candidate=c, step="candidate_approved").date == D("2026-10-15")
