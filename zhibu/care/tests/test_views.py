"""Pages of 关怀与共建: recording a visit through the form, the panels, the district counts (pinned
queries), the 政治生日 card, the 台账 and the yearend hook, the demo."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import RequestFactory
from django.urls import reverse

from zhibu.care import panels, reminders, selectors, services, yearend
from zhibu.care.models import Campaign, Visit
from zhibu.core import clock
from zhibu.core.documents import RECORD
from zhibu.core.documents.checks import problems, text_of
from zhibu.core.models import AuditEntry

TODAY = dt.date(2026, 12, 10)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def _campaign(cast, *people):
    for p in people:
        services.set_flag(
            actor=cast.secretary, branch=cast.branch, person=p, kind="hardship", since=dt.date(2026, 1, 1)
        )
    return services.start_campaign(actor=cast.secretary, branch=cast.branch, kind="spring", year=2027)


def test_a_visit_posted_through_the_form_and_bad_input_kept(cast, client_for):
    c = client_for("committee")
    campaign = _campaign(cast, cast.people[5])
    url = reverse("care:visit_new", args=[cast.branch.pk, campaign.pk])
    bad = c.post(
        url,
        {
            "person": cast.people[5].pk,
            "visited_on": "2026-12-10",
            "visitors": "李组织",
            "amount": "500",
            "fund": "",
            "note": "<script>alert(1)</script>",
        },
    )
    assert bad.status_code == 400 and "请选择经费来源" in bad.content.decode()
    assert "&lt;script&gt;" in bad.content.decode() and not Visit.objects.exists()
    bad = c.post(url, {"person": cast.people[3].pk, "visited_on": "2026-12-10", "visitors": "李组织"})
    assert bad.status_code == 400 and not Visit.objects.exists()  # not on the list: not a choice
    ok = c.post(
        url,
        {
            "person": cast.people[5].pk,
            "visited_on": "2026-12-10",
            "visitors": "李组织",
            "amount": "500",
            "fund": "dues",
            "gifts": "米、油",
        },
    )
    assert ok.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).closed_on == TODAY
    page = c.get(reverse("care:campaign", args=[cast.branch.pk, campaign.pk])).content.decode()
    assert "已完成" in page and "500" in page


def test_a_member_cannot_record_a_visit_nor_an_auditor(cast, client_for):
    campaign = _campaign(cast, cast.people[5])
    url = reverse("care:visit_new", args=[cast.branch.pk, campaign.pk])
    data = {"person": cast.people[5].pk, "visited_on": "2026-12-10", "visitors": "x"}
    assert client_for("member").post(url, data).status_code == 403
    assert client_for("auditor").post(url, data).status_code == 403
    assert client_for("auditor").get(reverse("care:campaign", args=[cast.branch.pk, campaign.pk])).status_code == 200
    assert not Visit.objects.exists()


def test_the_member_sees_their_own_hours_only(cast, client_for):
    services.create_activity(
        actor=cast.secretary,
        branch=cast.branch,
        title="社区清洁",
        date=TODAY,
        hours={cast.member_person: Decimal(2), cast.people[3]: Decimal(3)},
    )
    page = client_for("member").get(reverse("care:index", args=[cast.branch.pk])).content.decode()
    assert 'id="my-total">2.0<' in page and cast.people[3].name not in page


def test_the_birthday_card_is_a_proper_document(cast, client_for):
    person = cast.member_person
    response = client_for("secretary").get(reverse("care:card", args=[cast.branch.pk, person.pk]) + "?year=2026")
    assert response.status_code == 200
    assert problems(response.content, kind=RECORD) == []
    text = text_of(response.content)
    assert "2010年7月1日" in text and "入党16周年" in text and person.name in text
    assert (
        client_for("secretary").get(reverse("care:card", args=[cast.branch.pk, cast.people[10].pk])).status_code == 404
    )  # not a member


def test_branch_panel_two_queries_district_panel_one(cast, django_assert_num_queries):
    _campaign(cast, cast.people[5])
    from zhibu.orgs import access

    request = RequestFactory().get("/")
    request.user = cast.secretary
    access.get_scope(request)
    with django_assert_num_queries(2):
        html = panels.branch_panel(request, cast.branch)
    assert "郑预备（1日）" in html and "已走访 0/1" in html  # 郑预备 joined on 2025-12-01
    request.user = cast.district_admin
    request._zhibu_scope = access.scope_for(cast.district_admin)
    with django_assert_num_queries(1):
        html = panels.district_panel(request, cast.district)
    assert "进行中 1 项" in html
    request.user = cast.member
    request._zhibu_scope = access.scope_for(cast.member)
    assert panels.branch_panel(request, cast.branch) is None


def _district_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_district_view_counts_per_branch_in_fixed_queries(cast, client_for):
    campaign = _campaign(cast, cast.people[5], cast.people[6])
    services.record_visit(
        actor=cast.secretary, campaign=campaign, person=cast.people[5], visited_on=TODAY, visitors="王书记"
    )
    c = client_for("district_admin")
    url = reverse("care:district", args=[cast.district.pk]) + "?year=2027"
    n = _district_queries(c, url)
    assert n <= 20
    rows = {r.name: r for r in selectors.district_view(cast.district, 2027, TODAY)}
    mine = rows[cast.branch.name]
    assert (mine.flagged, mine.to_visit, mine.visited, mine.unpaired) == (2, 2, 1, 9)
    assert rows[cast.other_branch.name].unpaired == 3
    from zhibu.orgs.testing import PersonFactory, make_org

    more = make_org("新建幼儿园党支部", "branch", cast.district)
    for i in range(4):
        p = PersonFactory(branch=more, name=f"新党员{i}")
        services.set_flag(actor=cast.district_admin, branch=more, person=p, kind="ill", since=dt.date(2026, 1, 1))
    assert _district_queries(c, url) == n  # more branches and flags: the same number of queries
    page = c.get(url).content.decode()
    assert "新建幼儿园党支部" in page and "不对党员个人排名" in page


def test_the_ledgers_and_the_yearend_hook(cast, client_for):
    campaign = _campaign(cast, cast.people[5])
    services.record_visit(
        actor=cast.secretary,
        campaign=campaign,
        person=cast.people[5],
        visited_on=TODAY,
        visitors="王书记",
        amount=Decimal("800"),
        fund="dues",
        gifts="慰问信",
    )
    from zhibu.care.models import PairKind

    services.add_pair(
        actor=cast.secretary,
        branch=cast.branch,
        member=cast.people[2],
        kind=PairKind.objects.get(code="staff"),
        partner=cast.people[10],
    )
    services.create_activity(
        actor=cast.secretary, branch=cast.branch, title="社区清洁", date=TODAY, hours={cast.people[3]: Decimal(2)}
    )
    docs = dict(yearend.documents(cast.branch, 2026))
    assert set(docs) == {"2026年走访慰问台账.xlsx", "2026年结对台账.xlsx", "2026年志愿服务台账.xlsx"}
    visits = dict(yearend.documents(cast.branch, 2027))["2027年走访慰问台账.xlsx"]
    ws = openpyxl.load_workbook(io.BytesIO(visits)).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert cast.people[5].name in values and "党费" in values and 800 in values
    pairs = openpyxl.load_workbook(io.BytesIO(docs["2026年结对台账.xlsx"])).active
    assert cast.people[10].name in [c.value for row in pairs.iter_rows() for c in row]
    volunteer = openpyxl.load_workbook(io.BytesIO(docs["2026年志愿服务台账.xlsx"]))
    assert volunteer.sheetnames == ["活动", "个人时长"]
    response = client_for("secretary").get(reverse("care:ledger", args=[cast.branch.pk, "pairs"]) + "?year=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_for("secretary").get(reverse("care:ledger", args=[cast.branch.pk, "nope"])).status_code == 404


def test_reminders_a_week_before_the_political_birthday(cast):
    cast.member_person.admitted_on = dt.date(2001, 12, 15)
    cast.member_person.full_on = dt.date(2002, 12, 15)
    cast.member_person.save()
    keys = {r.key: r for r in reminders.collect(dt.date(2026, 12, 8))}
    key = f"care:birthday:person={cast.member_person.pk}:2026-12-15"
    assert key in keys and "25周年" in keys[key].title
    assert cast.member in keys[key].users and cast.secretary in keys[key].users
    assert key not in {r.key for r in reminders.collect(dt.date(2026, 12, 7))}  # more than a week ahead


def test_the_demo_builds_everything_cheaply(db):
    from django.db import transaction

    from zhibu.care import demo
    from zhibu.care.models import CareFlag, Pair, Participation
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(dt.date(2026, 11, 20)):
        ctx = orgs_demo.generate(branches=6, members=12, year=2026, seed=3, progress=io.StringIO())
        for model in (Visit, Participation, Pair, CareFlag):
            model.objects.all().delete()
        Campaign.objects.all().delete()
        with transaction.atomic():
            demo.generate(ctx)
    assert CareFlag.objects.count() >= 6 and Pair.objects.exists() and Participation.objects.exists()
    assert Visit.objects.exists() and Campaign.objects.filter(closed_on__isnull=False).exists()
    assert AuditEntry.objects.filter(action__startswith="care.").count() == 0


def test_the_month_of_political_birthdays_names_its_theme_day(cast, client_for):
    from zhibu.orglife import services as orglife

    start = dt.datetime(2026, 12, 18, 15, 0, tzinfo=clock.TZ)
    orglife.create_meeting(
        actor=cast.secretary,
        branch=cast.branch,
        kind="theme_day",
        topic="重温入党誓词",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    page = client_for("committee").get(reverse("care:birthdays", args=[cast.branch.pk]) + "?month=2026-12")
    html = page.content.decode()
    assert "12月18日 重温入党誓词" in html and "郑预备" in html and "入党1周年" in html
    page = client_for("committee").get(reverse("care:birthdays", args=[cast.branch.pk]) + "?month=2026-13")
    assert page.status_code == 200 and "月份应在1—12月之间" in page.content.decode()
