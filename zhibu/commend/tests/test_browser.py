"""The main journey: the district opens a round; the branch secretary nominates — a vetoed person is
refused with the reason shown — the district decides, publicises, and the 公示 downloads."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.core.documents.checks import text_of
from zhibu.integrity import services as integrity


@pytest.mark.browser
def test_round_nominate_veto_refused_decide_publicise_download(live_cast, browser_page, login):
    cast = live_cast
    d, b = cast.district.pk, cast.branch.pk
    with clock.frozen(dt.date(2026, 6, 10)):
        integrity.record_violation(actor=cast.secretary, branch=cast.branch, person=cast.people[4],
                                   date=dt.date(2026, 3, 2), description="违规有偿补课")
        page = browser_page
        login(page, "district")
        page.goto(f"/o/{d}/commend/district/")
        page.click("text=发起评优表彰")
        page.fill("input[name=opens_on]", "2026-06-01")
        page.fill("input[name=closes_on]", "2026-06-30")
        page.fill("input[name=quota_member]", "2")
        page.fill("input[name=quota_org]", "1")
        page.fill("input[name=approval_ref]", "示教党〔2026〕5号")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        round_url = page.url.split(str(d), 1)[1]
        assert "示教党〔2026〕5号" in page.content()
        page.context.clear_cookies()

        login(page, "secretary")
        page.goto(f"/o/{b}{round_url}")
        assert "钱党员：师德失范一票否决" in page.locator("#vetoed").inner_text()
        page.select_option("#nominate select[name=award_type]", "member")
        page.select_option("#nominate select[name=person]", label="钱党员")
        page.fill("#nominate textarea[name=reason]", "教学成绩突出")
        page.click("#nominate button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "不能推荐：师德失范一票否决" in page.locator(".messages").inner_text()
        assert "尚无推荐" in page.locator("#nominations").inner_text()
        page.select_option("#nominate select[name=person]", label="赵党员")
        page.fill("#nominate textarea[name=reason]", "班级管理成效显著，家长满意")
        page.click("#nominate button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "赵党员" in page.locator("#nominations").inner_text()
        page.context.clear_cookies()

        login(page, "district")
        page.goto(f"/o/{d}{round_url}")
        row = page.locator("#nominations tbody tr", has_text="赵党员")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "拟表彰" in page.locator("#nominations").inner_text()
        page.click("text=开始公示")
        page.fill("input[name=start]", "2026-07-01")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "2026年7月1日 至 2026年7月7日" in page.locator("#publicity").inner_text()
        with page.expect_download() as info:
            page.click("#publicity-docx")
        content = open(info.value.path(), "rb").read()
    text = text_of(content)
    assert "赵党员" in text and "钱党员" not in text and "2026年7月1日至2026年7月7日" in text
