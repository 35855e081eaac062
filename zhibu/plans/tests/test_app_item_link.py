"""Linking a plan item to the record that fulfilled it (issue 10): a list filtered by month and kind
(no typed ids), a warning and a confirmation when the record does not match, no record whose date has
not come, and the link shown on both pages."""
import datetime as dt

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.orglife import services as orglife_services
from zhibu.plans import services
from zhibu.plans.models import ItemStatus

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=clock.TZ)


def _meeting(cast, kind, day, topic):
    start = dt.datetime.combine(day, dt.time(15, 0), tzinfo=clock.TZ)
    return orglife_services.create_meeting(actor=cast.secretary, branch=cast.branch, kind=kind, topic=topic,
                                           starts_at=start, ends_at=start + dt.timedelta(hours=1))


@pytest.fixture
def setup(cast):
    with clock.frozen(NOW):
        plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
        item = services.add_item(actor=cast.secretary, plan=plan, months=[11], text="召开党员大会", kinds=["party_congress"])
        meetings = {
            "congress_nov": _meeting(cast, "party_congress", dt.date(2026, 11, 20), "十一月党员大会"),
            "lecture_nov": _meeting(cast, "party_lecture", dt.date(2026, 11, 21), "十一月党课"),
            "congress_oct": _meeting(cast, "party_congress", dt.date(2026, 10, 9), "十月党员大会"),
            "congress_dec": _meeting(cast, "party_congress", dt.date(2026, 12, 28), "十二月党员大会(已安排)"),
        }
        yield plan, item, meetings


def test_the_list_is_filtered_by_month_and_kind_without_typed_ids(cast, client_for, setup):
    plan, item, m = setup
    c = client_for("secretary")
    edit = reverse("plans:item_edit", args=[cast.branch.pk, plan.pk, item.pk])
    with clock.frozen(NOW):
        html = c.get(edit).content.decode()
        assert "十一月党员大会" in html and "十一月党课" not in html and "十月党员大会" not in html
        assert 'name="record_id"' not in html  # no typed ids
        html = c.get(edit + "?link_month=10").content.decode()
        assert "十月党员大会" in html and "十一月党员大会" not in html
        html = c.get(edit + "?link_kind=party_lecture").content.decode()
        assert "十一月党课" in html and "十一月党员大会" not in html
        html = c.get(edit + "?link_month=all&link_kind=all").content.decode()
        assert all(t in html for t in ("十一月党员大会", "十一月党课", "十月党员大会"))
        assert "已安排" not in html  # a meeting whose date has not come is never offered
        assert c.get(edit + "?link_month=abc&link_kind=<x>").status_code == 200


def test_a_mismatch_warns_and_links_only_after_confirmation(cast, client_for, setup):
    plan, item, m = setup
    c = client_for("secretary")
    link = reverse("plans:item_link", args=[cast.branch.pk, plan.pk, item.pk])
    with clock.frozen(NOW):
        r = c.post(link, {"candidate": f"orglife.meeting:{m['lecture_nov'].pk}"}, follow=True)
        html = r.content.decode()
        assert "不一致" in html and "党课" in html and 'id="link-confirm"' in html
        item.refresh_from_db()
        assert item.object_id is None
        c.post(link, {"candidate": f"orglife.meeting:{m['congress_oct'].pk}", "confirm": "1"})
        item.refresh_from_db()
        assert item.fulfilled_by == m["congress_oct"] and item.status == ItemStatus.DONE
        edit = c.get(reverse("plans:item_edit", args=[cast.branch.pk, plan.pk, item.pk])).content.decode()
        assert "与事项不一致" in edit and "2026年10月" in edit


def test_a_matching_record_links_at_once_and_both_pages_show_it(cast, client_for, setup):
    plan, item, m = setup
    c = client_for("secretary")
    link = reverse("plans:item_link", args=[cast.branch.pk, plan.pk, item.pk])
    with clock.frozen(NOW):
        c.post(link, {"candidate": f"orglife.meeting:{m['congress_nov'].pk}"})
        item.refresh_from_db()
        assert item.fulfilled_by == m["congress_nov"] and item.status == ItemStatus.DONE
        edit = c.get(reverse("plans:item_edit", args=[cast.branch.pk, plan.pk, item.pk])).content.decode()
        meeting_url = reverse("orglife:meeting", args=[cast.branch.pk, m["congress_nov"].pk])
        assert f'href="{meeting_url}"' in edit and "十一月党员大会" in edit
        page = c.get(meeting_url).content.decode()
        assert "召开党员大会" in page.split('id="plan-links"', 1)[1].split("</td>", 1)[0]


def test_a_scheduled_meeting_cannot_mark_an_item_done(cast, client_for, setup):
    plan, item, m = setup
    c = client_for("secretary")
    link = reverse("plans:item_link", args=[cast.branch.pk, plan.pk, item.pk])
    with clock.frozen(NOW):
        r = c.post(link, {"candidate": f"orglife.meeting:{m['congress_dec'].pk}", "confirm": "1"}, follow=True)
    assert "尚未召开" in r.content.decode()
    item.refresh_from_db()
    assert item.object_id is None and item.status == ItemStatus.PLANNED
