"""The issue's done-when for 换届, in a browser: the first count leaves one seat unfilled, a second round
(另行选举) fills it, the new committee divides its work, the posts update and the term restarts; the
district then sees the branch no longer due."""

import datetime as dt

import pytest

from zhibu.core import clock
from zhibu.elections.models import Election
from zhibu.elections.tests.helpers import TODAY, to_meeting, votes
from zhibu.orgs.models import CommitteePosition

pytestmark = pytest.mark.browser


def fill_round(page, election, present, **by_name):
    page.fill("input[name=present]", str(present))
    page.fill("input[name=issued]", str(present))
    page.fill("input[name=returned]", str(present))
    page.fill("input[name=invalid]", "0")
    for cid, n in votes(election, **by_name).items():
        page.fill(f"input[name=votes_{cid}]", str(n))
    page.click("button[type=submit]")
    page.wait_for_url("**/elections/*/#count")


def test_a_second_round_fills_the_seat_and_the_term_restarts(live_cast, browser_page, login):
    cast = live_cast
    page = browser_page
    with clock.frozen(TODAY):
        login(page, "district")
        page.goto(f"/o/{cast.district.pk}/elections/district/")
        row = page.locator(f'#terms tr[data-branch="{cast.branch.pk}"]')
        assert row.get_attribute("data-state") == "due"

        page.context.clear_cookies()
        login(page, "secretary")
        page.goto(f"/o/{cast.branch.pk}/elections/")
        assert page.locator("#term-end").inner_text() == "2028年9月1日"
        page.click("#start-election")
        page.fill("input[name=seats]", "3")
        page.fill("input[name=planned_date]", TODAY.isoformat())
        page.click("button[type=submit]")
        page.wait_for_url("**/elections/*/#checklist")
        election = Election.objects.get()

        # the steps before the meeting (请示, 批复, nominations, 预备人选, 审查, the meeting) through the services
        to_meeting(cast, election)
        page.reload()
        assert page.locator("#should-attend").inner_text().startswith("应到会有选举权的党员8人")

        # round 1: two qualify (> 8/2), one seat is left
        page.click("text=登记计票结果")
        fill_round(page, election, 8, 王书记=8, 李组织=7, 张党员=4, 赵党员=3, 钱党员=2)
        assert "尚缺1名，须另行选举" in page.locator(".messages").inner_text()
        assert page.locator("#elected").inner_text() == "当选委员：王书记、李组织（尚缺1名）"

        # round 2: 另行选举 among those not elected fills it
        page.click("#next-round")
        assert "另行选举" in page.locator("h1").inner_text()
        assert page.locator("input[name^=votes_]").count() == 3
        fill_round(page, election, 8, 张党员=6, 赵党员=1, 钱党员=1)
        assert page.locator("#elected").inner_text() == "当选委员：王书记、李组织、张党员"
        assert page.locator(".round").count() == 2

        # the new committee elects the 书记 and divides the work; report; upper approval
        page.click('tr[data-step="officers"] a')
        ids = votes(election, 王书记=0, 李组织=0, 张党员=0)
        for cid, post in zip(ids, ("secretary", "organisation", "discipline"), strict=True):
            page.select_option(f"select[name=post_{cid}]", post)
        page.click("button[type=submit]")
        page.wait_for_url("**/elections/*/#checklist")
        for code in ("report", "approval"):
            page.click(f'tr[data-step="{code}"] a')
            page.fill("input[name=on]", TODAY.isoformat())
            page.click("button[type=submit]")
            page.wait_for_url("**/elections/*/#checklist")
        page.click("#install")
        page.wait_for_url("**/elections/*/#checklist")
        assert "已任职" in page.content()

        current = {p.position: p for p in CommitteePosition.objects.filter(branch=cast.branch, ended_on__isnull=True)}
        assert {k: v.person.name for k, v in current.items()} == {
            "secretary": "王书记",
            "organisation": "李组织",
            "discipline": "张党员",
        }
        assert {(p.term_start, p.term_end) for p in current.values()} == {(TODAY, dt.date(2031, 8, 25))}
        page.goto(f"/o/{cast.branch.pk}/elections/")
        assert page.locator("#term-end").inner_text() == "2031年8月25日"
        assert page.locator("#term-state").inner_text() == "任期内"

        # the district no longer sees the branch due
        page.context.clear_cookies()
        login(page, "district")
        page.goto(f"/o/{cast.district.pk}/elections/district/")
        row = page.locator(f'#terms tr[data-branch="{cast.branch.pk}"]')
        assert row.get_attribute("data-state") == "ok"
        assert "2031年8月25日" in row.inner_text()
        page.goto(f"/o/{cast.district.pk}/elections/district/?show=due")
        assert page.locator(f'#terms tr[data-branch="{cast.branch.pk}"]').count() == 0
