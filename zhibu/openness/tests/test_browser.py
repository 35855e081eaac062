"""The issue's browser test: a 财务 notice goes through 审核 (with the 保密审查 tick) and 审批, is
published, and appears on the public board on a phone with no personal data; an anonymous mailbox
message is answered and its code shows the reply."""

import pytest

from zhibu.openness import services
from zhibu.openness.models import BranchLink, Category, Message


@pytest.mark.browser
def test_a_finance_notice_reaches_the_public_board_and_a_message_is_answered(
    live_cast, browser_page, phone_page, login
):
    cast = live_cast
    b = cast.branch.pk
    link = BranchLink.objects.create(branch=cast.branch)
    notice = services.propose(
        actor=cast.committee,
        branch=cast.branch,
        data={
            "channel": "finance",
            "category": Category.objects.get(code="fees"),
            "scope": "public",
            "title": "2026年秋季保育教育费收费公示",
            "body": "保育教育费每生每月800元，按物价部门核定标准收取。",
            "means": "公开栏",
        },
    )

    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{b}/openness/notices/{notice.pk}/")
    page.click("#review-form button[type=submit]")  # without the tick: refused
    page.wait_for_load_state("networkidle")
    assert "保密审查" in page.locator(".messages").inner_text()
    page.check("#review-form input[name=secrecy_checked]")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "待审批" in page.locator("#notice-status").inner_text()
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "待发布" in page.locator("#notice-status").inner_text()
    page.click("#publish-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已发布" in page.locator("#notice-status").inner_text()

    phone = phone_page
    phone.goto(f"/gk/{link.token}/")
    assert "2026年秋季保育教育费收费公示" in phone.locator("#channel-3").inner_text()  # 财务公开
    html = phone.content()
    for person in cast.people:
        assert person.name not in html
    assert "secretary" not in html and "committee" not in html
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone

    phone.goto(f"/gk/{link.token}/mailbox/")
    phone.fill("#mailbox-form textarea[name=body]", "建议放学时错峰接送，门口太拥挤。")
    phone.click("#mailbox-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    code = phone.locator("#tracking-code").inner_text().strip()
    assert len(code) == 14
    message = Message.objects.get()
    assert message.anonymous and message.name == "" and message.contact == ""

    page.goto(f"/o/{b}/openness/mailbox/{message.pk}/")
    page.fill("#reply-form textarea[name=text]", "已安排分班级错峰放学。")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已答复" in page.locator("#message-status").inner_text()

    phone.goto(f"/gk/{link.token}/track/")
    phone.fill("#track-form input[name=code]", code.lower())
    phone.click("#track-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "已安排分班级错峰放学" in phone.locator("#track-reply").inner_text()
    phone.fill("#track-form input[name=code]", "AAAA-BBBB-CCCC")
    phone.click("#track-form button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "未找到" in phone.content() and "错峰放学" not in phone.content()
