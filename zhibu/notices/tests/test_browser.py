"""The 签阅 journey: the district sends a notice to every branch, a branch's secretary signs it on a
phone and forwards it to the members, the district sees who has signed and reminds the rest once."""

import datetime as dt

import pytest

from zhibu.core import clock, notify
from zhibu.notices.models import Notice, Recipient, RecipientKind
from zhibu.orgs.models import Role, RoleKind
from zhibu.orgs.testing import UserFactory

TODAY = dt.date(2026, 3, 2)


@pytest.mark.browser
def test_send_sign_forward_and_remind(live_cast, browser_page, phone_page, login, settings):
    cast = live_cast
    Role.objects.create(user=UserFactory(username="yucai_sec"), organisation=cast.other_branch, role=RoleKind.SECRETARY)
    settings.ZHIBU_NOTIFY_BACKENDS = ["zhibu.core.notify.InAppBackend", "zhibu.core.notify.RecordingBackend"]
    notify.outbox.clear()
    with clock.frozen(TODAY):
        desk = browser_page
        login(desk, "district")
        desk.goto(f"/o/{cast.district.pk}/notices/district/new/")
        desk.fill("input[name=title]", "关于开展主题党日活动的通知")
        desk.fill("textarea[name=body]", "请各党支部于3月底前开展主题党日活动。")
        desk.fill("input[name=sign_by]", "2026-03-09")
        desk.click("#notice-form button[type=submit]")
        desk.wait_for_load_state("networkidle")
        notice = Notice.objects.get()
        assert "已签阅 0/2" in desk.content()

        phone = phone_page
        login(phone, "secretary")
        phone.goto(f"/o/{cast.branch.pk}/notices/")
        phone.click(f"#notices-inbox tr[data-notice='{notice.pk}'] a")
        phone.wait_for_load_state("networkidle")
        phone.click("#sign-branch")
        phone.wait_for_load_state("networkidle")
        assert "已阅" in phone.locator("#notice-branch").inner_text()
        phone.click("#forward")
        phone.wait_for_load_state("networkidle")
        assert phone.locator("#notice-forwarded tbody tr").count() == 9
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        desk.reload()
        reads = desk.locator("#notice-reads")
        assert reads.locator(f"tr[data-branch='{cast.branch.pk}']").get_attribute("class") == "read"
        assert reads.locator(f"tr[data-branch='{cast.other_branch.pk}']").get_attribute("class") == "unread"
        assert "0/9" in reads.locator(f"tr[data-branch='{cast.branch.pk}']").inner_text()
        desk.click("#remind")
        desk.wait_for_load_state("networkidle")
        assert desk.locator("#remind").is_disabled() and "今天已提醒" in desk.locator("#remind").inner_text()
    assert Recipient.objects.filter(notice=notice, kind=RecipientKind.FORWARDED).count() == 9
    assert [u.username for s in notify.outbox if s.message.title.startswith("请签阅") for u in s.users] == ["yucai_sec"]
    notify.outbox.clear()
