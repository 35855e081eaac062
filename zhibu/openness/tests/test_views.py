import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhibu.core import clock
from zhibu.openness import services
from zhibu.openness.tests.helpers import link as make_link
from zhibu.openness.tests.helpers import propose, published

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def board(cast):
    with clock.frozen(TODAY):
        members = published(
            cast,
            dt.date(2026, 3, 10),
            dt.date(2026, 3, 30),
            scope="members",
            channel="party",
            category=__import__("zhibu.openness.models", fromlist=["Category"]).Category.objects.get(
                code="organisation"
            ),
            title="发展对象公示：张党员",
        )
        public = published(cast, dt.date(2026, 3, 10), dt.date(2026, 3, 30), scope="public")
    return members, public


def test_a_members_notice_is_404_to_outsiders_and_anonymous(cast, board, client_for):
    members, public = board
    link = make_link(cast)
    url = reverse("openness:notice", kwargs={"org_id": cast.branch.pk, "notice_id": members.pk})
    with clock.frozen(TODAY):
        assert client_for("outsider").get(url).status_code == 404
        assert client_for("member").get(url).status_code == 200
        anon = Client()
        response = anon.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
        public_url = reverse("openness:public_notice", kwargs={"token": link.token, "notice_id": members.pk})
        assert anon.get(public_url).status_code == 404
        assert client_for("outsider").get(public_url).status_code == 404
        ok = reverse("openness:public_notice", kwargs={"token": link.token, "notice_id": public.pk})
        assert anon.get(ok).status_code == 200


def test_a_staff_member_sees_staff_and_public_notices_only(cast, board, client_for):
    from zhibu.orgs.models import Role

    members, public = board
    staff = cast.people[-1]  # 陈老师, not a Party member
    user = __import__("zhibu.orgs.testing", fromlist=["UserFactory"]).UserFactory(username="staff1")
    Role.objects.create(user=user, organisation=cast.branch, role="member")
    staff.user = user
    staff.save(update_fields=["user"])
    c = Client()
    c.force_login(user)
    with clock.frozen(TODAY):
        page = c.get(reverse("openness:index", kwargs={"org_id": cast.branch.pk})).content.decode()
        assert public.title in page and members.title not in page
        url = reverse("openness:notice", kwargs={"org_id": cast.branch.pk, "notice_id": members.pk})
        assert c.get(url).status_code == 404


def test_the_public_board_shows_no_personal_data(cast, board):
    members, public = board
    link = make_link(cast)
    with clock.frozen(TODAY):
        response = Client().get(reverse("openness:public_board", kwargs={"token": link.token}))
    html = response.content.decode()
    assert response.status_code == 200 and public.title in html and members.title not in html
    for person in cast.people:
        assert person.name not in html
    for user in ("secretary", "committee"):
        assert f">{user}<" not in html and f" {user} " not in html
    assert 'name="viewport"' in html and "public.css" in html and response["X-Robots-Tag"] == "noindex"


def test_the_step_roles_are_enforced(cast, client_for):
    with clock.frozen(TODAY):
        n = propose(cast)
        base = {"org_id": cast.branch.pk, "notice_id": n.pk}
        review = reverse("openness:notice_step", kwargs={**base, "step": "review"})
        assert client_for("member").post(review, {"secrecy_checked": "on"}).status_code == 404  # not published
        client_for("committee").post(review, {"secrecy_checked": "on"})
        approve = reverse("openness:notice_step", kwargs={**base, "step": "approve"})
        assert client_for("committee").post(approve).status_code == 403  # 审批: the secretary by default
        client_for("secretary").post(approve)
        n.refresh_from_db()
        assert n.status == "approved"
        cast.district.settings = {"openness_roles": {"publish": "district"}}
        cast.district.save(update_fields=["settings"])
        publish = reverse("openness:notice_step", kwargs={**base, "step": "publish"})
        assert (
            client_for("secretary").post(publish, {"starts_on": "2026-03-20", "ends_on": "2026-04-01"}).status_code
            == 403
        )
        client_for("district_admin").post(publish, {"starts_on": "2026-03-20", "ends_on": "2026-04-01"})
        n.refresh_from_db()
        assert n.status == "published"


def test_review_without_the_secrecy_tick_is_refused_in_chinese(cast, client_for):
    with clock.frozen(TODAY):
        n = propose(cast)
        c = client_for("committee")
        url = reverse("openness:notice_step", kwargs={"org_id": cast.branch.pk, "notice_id": n.pk, "step": "review"})
        response = c.post(url, follow=True)
    assert "保密审查" in response.content.decode()
    n.refresh_from_db()
    assert n.status == "proposed"


def test_the_district_view_runs_in_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from zhibu.orgs.testing import PersonFactory, make_org

    services.load_default_catalog(actor=cast.district_admin, district=cast.district)
    with clock.frozen(TODAY):
        published(cast, dt.date(2026, 3, 1), dt.date(2026, 3, 30))
    for i in range(6):
        b = make_org(f"第{i}幼儿园党支部", "branch", cast.district, f"第{i}幼儿园")
        PersonFactory(branch=b)
    c = client_for("district_admin")
    url = reverse("openness:district", kwargs={"org_id": cast.district.pk})
    c.get(url)
    with clock.frozen(TODAY), django_assert_max_num_queries(20):
        response = c.get(url)
    assert response.status_code == 200 and "第5幼儿园党支部" in response.content.decode()


def test_the_index_shows_obligations_and_the_dues_draft_button(cast, client_for):
    services.load_default_catalog(actor=cast.district_admin, district=cast.district)
    with clock.frozen(dt.date(2026, 9, 1)):
        page = client_for("secretary").get(reverse("openness:index", kwargs={"org_id": cast.branch.pk}))
        html = page.content.decode()
        assert "党费收缴、使用和管理情况" in html and "逾期未公开" in html and "dues-draft-form" in html
        response = client_for("secretary").post(
            reverse("openness:dues_draft", kwargs={"org_id": cast.branch.pk}), {"year": "2025"}
        )
    assert response.status_code == 302


def test_the_catalog_page_adds_and_retires_for_the_district_only(cast, client_for):
    url = reverse("openness:catalog", kwargs={"org_id": cast.district.pk})
    c = client_for("district_admin")
    c.post(url, {"do": "defaults"})
    from zhibu.openness.models import CatalogEntry

    assert CatalogEntry.objects.filter(district=cast.district).count() == 6
    c.post(
        url,
        {
            "do": "add",
            "category": CatalogEntry.objects.first().category_id,
            "title": "食堂食谱",
            "frequency": "monthly",
        },
    )
    assert CatalogEntry.objects.filter(title="食堂食谱").exists()
    assert client_for("secretary").post(
        reverse("openness:catalog", kwargs={"org_id": cast.branch.pk}), {"do": "defaults"}
    ).status_code in (403, 404)


def test_a_forum_page_registers_guests_and_items(cast, client_for):
    c = client_for("secretary")
    with clock.frozen(TODAY):
        r = c.post(
            reverse("openness:forums", kwargs={"org_id": cast.branch.pk}),
            {"held_on": "2026-03-18", "topic": "家园共育民主恳谈会"},
        )
        assert r.status_code == 302
        from zhibu.openness.models import Forum

        f = Forum.objects.get()
        act = reverse("openness:forum_act", kwargs={"org_id": cast.branch.pk, "forum_id": f.pk})
        c.post(act, {"do": "participant", "name": "王家长", "identity": "家长代表"})
        c.post(act, {"do": "item", "text": "希望增加户外活动", "answer": "每天户外活动不少于2小时"})
        item = f.items.get()
        c.post(act, {"do": "rectify", "item": item.pk, "deadline": "2026-05-01"})
        page = c.get(reverse("openness:forum", kwargs={"org_id": cast.branch.pk, "forum_id": f.pk})).content.decode()
    assert "王家长（家长代表）" in page and "已列入整改台账" in page
