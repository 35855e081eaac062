"""The branch's iCalendar feed: one secret URL per branch carrying every plan's dated items."""
import icalendar
import pytest
from django.urls import reverse

from zhibu.core.models import AuditEntry
from zhibu.plans import services


@pytest.fixture
def two_plans(cast):
    a = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    services.add_item(actor=cast.secretary, plan=a, months=[7, 8], text="布置党员暑期自学内容")
    b = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2027)
    services.add_item(actor=cast.secretary, plan=b, months=[3], text="召开党员大会")
    return a, b


def _feed_url(cast, token):
    return reverse("plans:branch_ical", kwargs={"org_id": cast.branch.pk, "token": token})


def test_branch_feed_carries_every_plan_and_regenerates(cast, client, client_for, two_plans):
    secretary = client_for("secretary")
    assert secretary.post(reverse("plans:branch_feed_regenerate", args=[cast.branch.pk])).status_code == 302
    cast.branch.refresh_from_db()
    token = cast.branch.settings[services.FEED_SETTING]
    page = secretary.get(reverse("plans:index", args=[cast.branch.pk])).content.decode()
    assert token in page and "webcal://" in page
    response = client.get(_feed_url(cast, token))  # no login: calendar apps cannot log in
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = sorted((str(e["summary"]), e.decoded("dtstart").isoformat()) for e in cal.walk("VEVENT"))
    assert events == [("召开党员大会", "2027-03-01"), ("布置党员暑期自学内容", "2026-07-01"), ("布置党员暑期自学内容", "2026-08-01")]
    # The member sees neither the URL nor the button.
    assert token not in client_for("member").get(reverse("plans:index", args=[cast.branch.pk])).content.decode()
    secretary.post(reverse("plans:branch_feed_regenerate", args=[cast.branch.pk]))
    assert client.get(_feed_url(cast, token)).status_code == 404
    cast.branch.refresh_from_db()
    new = cast.branch.settings[services.FEED_SETTING]
    assert client.get(_feed_url(cast, new)).status_code == 200
    # Another branch's id with this branch's token is 404 too; the token never enters the log.
    other = reverse("plans:branch_ical", kwargs={"org_id": cast.other_branch.pk, "token": new})
    assert client.get(other).status_code == 404
    assert all(new not in str(e.changes) and token not in str(e.changes) for e in AuditEntry.objects.all())


def test_branch_feed_regenerate_is_for_managers(cast, client_for):
    assert client_for("member").post(reverse("plans:branch_feed_regenerate", args=[cast.branch.pk])).status_code == 403


def test_item_links_to_a_meeting_picked_from_the_branch_records(cast, client_for):
    import datetime as dt

    from zhibu.core.clock import TZ
    from zhibu.orglife import services as orglife_services
    from zhibu.plans.models import ItemStatus

    plan = services.create_plan(actor=cast.secretary, branch=cast.branch, year=2026)
    item = services.add_item(actor=cast.secretary, plan=plan, months=[3], text="召开党员大会", kinds=["party_congress"])
    start = dt.datetime(2026, 3, 10, 15, 0, tzinfo=TZ)
    meeting = orglife_services.create_meeting(actor=cast.secretary, branch=cast.branch, kind="party_congress",
                                              starts_at=start, ends_at=start + dt.timedelta(hours=1), topic="学习支部工作计划")
    other_branch_meeting = orglife_services.create_meeting(actor=cast.secretary, branch=cast.other_branch, kind="party_congress",
                                                           starts_at=start, ends_at=start + dt.timedelta(hours=1), topic="别的支部")
    secretary = client_for("secretary")
    edit = secretary.get(reverse("plans:item_edit", args=[cast.branch.pk, plan.pk, item.pk])).content.decode()
    assert "学习支部工作计划" in edit and "别的支部" not in edit
    link = reverse("plans:item_link", args=[cast.branch.pk, plan.pk, item.pk])
    # A record of another branch cannot be linked, even by hand-crafting the value.
    secretary.post(link, {"candidate": f"orglife.meeting:{other_branch_meeting.pk}"})
    item.refresh_from_db()
    assert item.object_id is None
    secretary.post(link, {"candidate": f"orglife.meeting:{meeting.pk}"})
    item.refresh_from_db()
    assert item.fulfilled_by == meeting and item.status == ItemStatus.DONE
