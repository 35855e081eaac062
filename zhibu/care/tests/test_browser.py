"""The issue's "done when": a 春节 visit campaign lists the flagged members and closes when all are
visited — started by the secretary at a desk, visits recorded on a phone."""

import datetime as dt

import pytest

from zhibu.care import services
from zhibu.care.models import Campaign, Visit
from zhibu.core import clock

TODAY = dt.date(2026, 12, 10)


@pytest.mark.browser
def test_spring_campaign_lists_the_flagged_and_closes_when_all_are_visited(live_cast, browser_page, phone_page, login):
    cast = live_cast
    b = cast.branch.pk
    poor, frail = cast.people[5], cast.people[7]
    with clock.frozen(TODAY):
        services.set_flag(
            actor=cast.secretary,
            branch=cast.branch,
            person=poor,
            kind="hardship",
            since=dt.date(2026, 3, 1),
            note="家人重病",
        )
        services.set_flag(
            actor=cast.secretary, branch=cast.branch, person=frail, kind="frail", since=dt.date(2026, 3, 1)
        )

        desk = browser_page
        login(desk, "secretary")
        desk.goto(f"/o/{b}/care/campaigns/new/")
        desk.select_option("select[name=kind]", "spring")
        assert desk.input_value("input[name=year]") == "2027"
        desk.click("#care-form button[type=submit]")
        desk.wait_for_load_state("networkidle")
        assert "2027年元旦春节走访慰问" in desk.locator("h1").inner_text()
        names = desk.locator("#campaign-list tbody tr td:first-child").all_inner_texts()
        assert sorted(names) == sorted([poor.name, frail.name])
        assert "2027年2月5日前完成" in desk.locator("#campaign-status").inner_text()
        campaign = Campaign.objects.get(branch=cast.branch, year=2027)

        phone = phone_page
        login(phone, "committee")
        for person, amount in ((poor, "500"), (frail, "")):
            phone.goto(f"/o/{b}/care/campaigns/{campaign.pk}/")
            phone.click(f"#campaign-list tr[data-person='{person.pk}'] a")
            phone.wait_for_load_state("networkidle")
            assert phone.locator("select[name=person]").input_value() == str(person.pk)
            phone.fill("input[name=visitors]", "李组织、工会主席")
            phone.fill("input[name=gifts]", "米、油、慰问信")
            if amount:
                phone.fill("input[name=amount]", amount)
                phone.select_option("select[name=fund]", "dues")
            phone.click("#care-form button[type=submit]")
            phone.wait_for_load_state("networkidle")
            # the form fits the phone: no sideways scrolling
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert "已完成" in phone.locator("#campaign-status").inner_text()
        assert phone.locator("#campaign-list tr.visited").count() == 2
        assert Visit.objects.filter(campaign=campaign).count() == 2
        assert Campaign.objects.get(pk=campaign.pk).closed_on == TODAY
