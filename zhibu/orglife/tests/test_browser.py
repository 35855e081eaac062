"""The issue's done-when, in a browser: a 党员大会 with attendance and a vote that fails for lack of a
quorum; a member signs in on a phone through the meeting link; the branch grid turns that quarter's
党员大会 from due to met; the failed vote stays on the record."""
import datetime as dt

import pytest

from zhibu.core import clock

pytestmark = pytest.mark.browser


def congress_cell(page):
    return page.locator('table.obligation-grid tr[data-kind="party_congress"] td').nth((clock.today().month - 1) // 3)


def test_party_congress_vote_sign_in_and_grid(live_cast, browser_page, phone_page, login):
    cast = live_cast
    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{cast.branch.pk}/")
    assert congress_cell(page).get_attribute("data-status") == "due"

    # record the meeting: started ten minutes ago, so the sign-in window is open
    page.goto(f"/o/{cast.branch.pk}/orglife/meetings/new/?kind=party_congress")
    start = clock.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=10)
    page.select_option("select[name=kind]", "party_congress")
    page.fill("input[name=topic]", "讨论郑预备转正")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "党员活动室")
    page.select_option("select[name=host]", label="王书记")
    page.click("button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    meeting_url = page.url

    # attendance starts from 全部出席: mark the exceptions, leaving two of the eight voting members and
    # the 预备党员 (present, no vote)
    page.click("text=登记/更正出勤")
    assert page.locator('.attendance-row[data-person="王书记"] input[value=present]').is_checked()
    for name in ("张党员", "钱党员", "孙党员", "周党员", "吴党员"):
        page.locator(f'.attendance-row[data-person="{name}"] input[value=absent]').check()
    page.fill('.attendance-row[data-person="赵党员"] input[name^=leave_reason]', "外出培训")
    page.locator('.attendance-row[data-person="赵党员"] input[value=leave]').check()
    page.click("text=保存出勤")
    page.wait_for_url(meeting_url)
    assert page.locator("#count-present").inner_text().startswith("3")

    # the vote: two for, of eight who should attend and two present with a vote
    page.fill("input[name=title]", "同意郑预备按期转正")
    page.fill("input[name=votes_for]", "2")
    page.click("text=记录表决")
    motion = page.locator(".motion").first
    assert "未通过" in motion.inner_text()
    assert "不足法定人数" in motion.inner_text()
    assert "应到会有表决权党员8人，实到2人" in motion.inner_text()
    signin_path = page.locator("#signin-link").get_attribute("href").split("://", 1)[-1]
    signin_path = signin_path[signin_path.index("/"):]

    # a member signs in on a phone
    login(phone_page, "member")
    phone_page.goto(signin_path)
    phone_page.click("text=点此签到")
    phone_page.wait_for_selector("#signed-in")
    assert "已签到" in phone_page.inner_text("main")

    # the grid: this quarter's 党员大会 is now met; the failed vote stays on the record
    page.goto(f"/o/{cast.branch.pk}/")
    assert congress_cell(page).get_attribute("data-status") == "met"
    page.goto(meeting_url)
    assert page.locator("#count-present").inner_text().startswith("4")
    text = page.locator(".motion").first.inner_text()
    assert "未通过" in text and "不足法定人数" in text


def test_a_scheduled_meeting_shows_as_scheduled_on_the_home_page_and_offers_no_attendance(live_cast, browser_page,
                                                                                          phone_page, login):
    cast = live_cast
    page = browser_page
    with clock.frozen(dt.datetime(2026, 12, 2, 10, 0, tzinfo=clock.TZ)):
        login(page, "secretary")
        page.goto(f"/o/{cast.branch.pk}/")
        row = page.locator('#orglife-this-month .obligation[data-kind="committee_meeting"]')
        assert "去登记" in row.inner_text()

        # schedule a 支委会 for 28 December: a 会议通知 goes out
        page.goto(f"/o/{cast.branch.pk}/orglife/meetings/new/?kind=committee_meeting")
        page.select_option("select[name=kind]", "committee_meeting")
        page.fill("input[name=topic]", "研究年终党建工作")
        page.fill("input[name=starts_at]", "2026-12-28T15:00")
        page.fill("input[name=ends_at]", "2026-12-28T16:00")
        page.fill("input[name=place]", "会议室")
        page.click("button[type=submit]")
        page.wait_for_url("**/meetings/*/")
        assert "已安排" in page.locator("#meeting-state").inner_text()
        assert "会议通知" in page.inner_text("main")
        assert page.locator("#attendance-link").count() == 0  # no attendance before the date
        assert page.locator("text=扫码签到").count() == 0
        meeting_url = page.url

        # the home page: 已安排 12月28日 instead of 去登记, still not met
        page.goto(f"/o/{cast.branch.pk}/")
        row = page.locator('#orglife-this-month .obligation[data-kind="committee_meeting"]')
        assert "已安排 12月28日" in row.inner_text() and "去登记" not in row.inner_text()
        assert row.get_attribute("data-status") == "due"

        # the attendance page refuses, with the reason
        page.goto(meeting_url + "attendance/")
        page.wait_for_url(meeting_url)
        assert "尚未召开" in page.inner_text("main")

        # a committee member asks for leave from the notice on a phone
        login(phone_page, "committee")
        meeting_path = "/" + meeting_url.split("://", 1)[1].split("/", 1)[1]
        phone_page.goto(meeting_path + "leave/")
        phone_page.fill("input[name=reason]", "外出培训")
        phone_page.click("text=我不能参加，请假")
        phone_page.wait_for_selector("#leave-state")
        page.goto(meeting_url)
        assert "李组织：外出培训" in page.locator("#leave-requests + .card").inner_text()


def test_attendance_list_of_21_people_fits_on_one_screen(live_cast, browser_page, login):
    from zhibu.orgs.testing import PersonFactory
    from zhibu.orglife import services

    cast = live_cast
    for i in range(12):
        PersonFactory(branch=cast.branch, name=f"党员{i:02d}")
    start = clock.now().replace(second=0, microsecond=0) - dt.timedelta(hours=3)
    m = services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="party_congress", topic="党员大会",
                                starts_at=start, ends_at=start + dt.timedelta(hours=1))
    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{cast.branch.pk}/orglife/meetings/{m.pk}/attendance/")
    rows = page.locator("tr.attendance-row")
    assert rows.count() == 21
    first, last = rows.first.bounding_box(), rows.last.bounding_box()
    assert last["y"] + last["height"] - first["y"] <= 900 - 60  # the 21 rows within one 900px-high screen
    assert all(rows.nth(i).locator("input[value=present]").is_checked() for i in range(21))  # 全部出席
