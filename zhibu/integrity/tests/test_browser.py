"""On a phone a member opens their 师德承诺书 from the home page and signs it; the secretary then sees
it signed."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.integrity import services
from zhibu.integrity.models import Commitment


@pytest.mark.browser
def test_a_member_signs_the_commitment_on_a_phone(live_cast, phone_page, login):
    cast = live_cast
    b = cast.branch.pk
    with clock.frozen(dt.date(2026, 3, 2)):
        services.issue_commitments(actor=cast.secretary, branch=cast.branch, year=2026, text="我承诺廉洁从教，关爱幼儿。")
        page = phone_page
        login(page, "member")
        page.goto(f"/o/{b}/")
        page.click("text=去确认")
        page.click("text=查看并签署")
        assert "我承诺廉洁从教" in page.locator("#commitment-text").inner_text()
        button = page.locator("button", has_text="我承诺，签署")
        assert button.bounding_box()["width"] <= 390
        button.click()
        page.wait_for_load_state("networkidle")
        assert "已于2026年3月2日签署" in page.locator("#signed").inner_text()
        page.context.clear_cookies()
        login(page, "secretary")
        page.goto(f"/o/{b}/integrity/?year=2026")
        assert page.locator("#signed-count").inner_text() == "1"
    assert Commitment.objects.get(person=cast.member_person).signed_at is not None
