"""Pages: the branch flow through the views, the member's own 自评 on a phone-sized form, what the district
sees (status only), the district grid's query count pinned at any size, the exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core.benchmarks import count_queries
from zhibu.orgs.models import OrgKind
from zhibu.orgs.testing import PersonFactory, home_html, make_org
from zhibu.review import services
from zhibu.review.models import Review, SelfAssessment
from zhibu.review.tests.helpers import gradable, make_review


def test_secretary_opens_a_review_on_the_page(cast, client_for):
    client = client_for("secretary")
    url = reverse("review:new", args=[cast.branch.pk])
    page = client.get(url).content.decode()
    assert "1/3" in page
    response = client.post(url, {"year": "2026", "held_on": "2026-12-20", "cap_ratio": "1/2", "rounding": "floor"})
    assert response.status_code == 400 and "只能设得更严" in response.content.decode()
    response = client.post(url, {"year": "2026", "held_on": "2026-12-20", "cap_ratio": "10%", "rounding": "floor",
                                 "per_group": "on"})
    review = Review.objects.get()
    assert response.status_code == 302 and review.cap_ratio == "10%" and review.per_group


def test_member_writes_the_self_assessment_and_sees_no_grades(cast, client_for):
    review = make_review(cast)
    client = client_for("member")
    url = reverse("review:self", args=[cast.branch.pk, review.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "对照入党誓词查找差距"}).status_code == 302
    assert SelfAssessment.objects.get().person == cast.member_person
    page = client.get(reverse("review:detail", args=[cast.branch.pk, review.pk])).content.decode()
    assert "评定等次" not in page and "members" not in page
    assert client.get(reverse("review:grades", args=[cast.branch.pk, review.pk])).status_code == 403
    # a member cannot write someone else's
    client.post(url + f"?person={cast.people[4].pk}", {"text": "x"})
    assert SelfAssessment.objects.count() == 1


def test_district_sees_the_status_only(cast, client_for):
    review = make_review(cast)
    services.save_grades(actor=cast.secretary, review=review, grades={gradable(cast)[3].pk: "优秀"})
    client = client_for("district_admin")
    page = client.get(reverse("review:detail", args=[cast.branch.pk, review.pk])).content.decode()
    assert "steps-table" in page and "赵党员" not in page and "优秀" not in page
    assert client.get(reverse("review:grades", args=[cast.branch.pk, review.pk])).status_code == 403
    assert client.get(reverse("review:poll", args=[cast.branch.pk, review.pk])).status_code == 403


def _finalise(cast, review):
    members = gradable(cast)
    services.save_grades(actor=cast.secretary, review=review,
                         grades={p.pk: ("优秀" if i < 2 else "合格") for i, p in enumerate(members)})
    services.finalise(actor=cast.secretary, review=review)


def test_district_grid_and_export(cast, client_for):
    review = make_review(cast)
    _finalise(cast, review)
    client = client_for("district_admin")
    page = client.get(reverse("review:district", args=[cast.district.pk])).content.decode()
    assert "已定稿" in page and cast.other_branch.name in page
    response = client.get(reverse("review:district_xlsx", args=[cast.district.pk]))
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "合计" in flat and cast.branch.name in flat


def test_district_grid_queries_do_not_grow_with_branches(cast, client_for):
    client = client_for("district_admin")
    url = reverse("review:district", args=[cast.district.pk])
    review = make_review(cast)
    _finalise(cast, review)
    client.get(url)
    small = count_queries(lambda: client.get(url))
    general = make_org("第二党总支", OrgKind.GENERAL_BRANCH, cast.district)
    general.settings = {"review_deadline": "11-30"}
    general.save()
    for i in range(15):
        b = make_org(f"新建支部{i}", OrgKind.BRANCH, general if i % 2 else cast.district)
        PersonFactory(branch=b, name=f"党员{i}")
    large = count_queries(lambda: client.get(url))
    assert large == small
    assert large <= 20


def test_exports_before_and_after_the_poll(cast, client_for):
    from zhibu.review.tests.helpers import issue

    review = make_review(cast)
    client = client_for("secretary")
    b, r = cast.branch.pk, review.pk
    assert client.get(reverse("review:form_blank", args=[b, r]))["Content-Type"].endswith("document")
    assert client.get(reverse("review:tally_xlsx", args=[b, r])).status_code == 302
    codes = issue(cast, review, 2)
    services.submit_ballot(poll_key=review.poll.key, code=codes[0], grades={str(gradable(cast)[0].pk): "优秀"})
    services.close_poll(actor=cast.secretary, review=review)
    wb = load_workbook(io.BytesIO(client.get(reverse("review:tally_xlsx", args=[b, r])).content))
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value is not None)
    assert "发出测评票2张，收回1张" in text and "不定等次" in text
    assert client.get(reverse("review:form_filled", args=[b, r]))["Content-Type"].endswith("document")
    assert client.get(reverse("review:notice", args=[b, r])).status_code == 302  # not finalised yet
    _finalise(cast, review)
    assert client.get(reverse("review:notice", args=[b, r]))["Content-Type"].endswith("document")
    assert client.get(reverse("review:report", args=[b, r]) + "?date=2026-02-30").status_code == 302


@pytest.mark.parametrize("who", ["secretary", "district_admin", "member"])
def test_home_panels(cast, client_for, who):
    make_review(cast)
    org = cast.district if who == "district_admin" else cast.branch
    page = home_html(client_for(who), org)
    assert "民主评议党员" in page


def test_demo_generates_cheaply(cast):
    import random

    from zhibu.orgs.demo import DemoContext
    from zhibu.review import demo

    people = {b.pk: list(b.people.all()) for b in (cast.branch, cast.other_branch)}
    ctx = DemoContext(rng=random.Random(1), year=2026, district=cast.district,
                      branches=[cast.branch, cast.other_branch], people=people)
    demo.generate(ctx)
    assert Review.objects.count() == 2
    assert Review.objects.filter(finalised_at__isnull=False).count() == 1
