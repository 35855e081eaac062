"""Bad ballots: forged, expired and reused codes, grades outside the four, a ballot for another branch's
poll — each refused with a clear Chinese message, nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.review import services
from zhibu.review.models import Ballot, CodeUse
from zhibu.review.tests.helpers import gradable, issue, make_review


@pytest.fixture
def setup(cast):
    review = make_review(cast)
    codes = issue(cast, review, 3)
    other = services.open_review(actor=cast.outsider, branch=cast.other_branch, year=clock.today().year,
                                 held_on=clock.today())
    other_codes = issue(cast, other, 1)
    return review, codes, other, other_codes


def snapshot():
    return list(Ballot.objects.order_by("pk").values()), list(CodeUse.objects.values())


def post(client, review, code, grades, grading=True):
    data = {"code": code, **{f"g_{k}": v for k, v in grades.items()}}
    if grading:
        data["grading"] = "1"
    return client.post(reverse("review:vote", args=[review.poll.key]), data)


def refused(response, text):
    body = response.content.decode()
    assert response.status_code == 400, body
    assert text in body
    assert "errorlist" in body


def test_forged_code(client, cast, setup):
    review, *_ = setup
    before = snapshot()
    refused(post(client, review, "ABCD2345", {}), "票码无效")
    refused(post(client, review, "x", {}), "票码无效")
    assert snapshot() == before


def test_expired_code(client, cast, setup):
    review, codes, *_ = setup
    services.close_poll(actor=cast.secretary, review=review)
    before = snapshot()
    refused(post(client, review, codes[0], {}), "已经结束")
    response = client.get(reverse("review:vote", args=[review.poll.key]) + f"?c={codes[0]}")
    assert "已经结束" in response.content.decode()
    assert snapshot() == before


def test_reused_code(client, cast, setup):
    review, codes, *_ = setup
    member = gradable(cast)[3]
    assert post(client, review, codes[0], {member.pk: "合格"}).status_code == 200
    before = snapshot()
    refused(post(client, review, codes[0], {member.pk: "优秀"}), "已经投过票")
    response = client.get(reverse("review:vote", args=[review.poll.key]) + f"?c={codes[0]}")
    assert "已经投过票" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("grade", ["良好", "excellent", "不定等次", "优秀 ", "1"])
def test_grade_outside_the_four(client, cast, setup, grade):
    review, codes, *_ = setup
    member = gradable(cast)[3]
    before = snapshot()
    refused(post(client, review, codes[0], {member.pk: grade}), "等次只能是优秀、合格、基本合格、不合格")
    assert snapshot() == before
    # the code is still usable after a refused grade
    assert post(client, review, codes[0], {member.pk: "合格"}).status_code == 200


def test_probationary_member_cannot_be_graded(client, cast, setup):
    review, codes, *_ = setup
    probationary = next(p for p in cast.people if p.standing == "probationary")
    before = snapshot()
    refused(post(client, review, codes[0], {probationary.pk: "合格"}), "不属于本次测评")
    assert snapshot() == before


def test_ballot_for_another_branchs_poll(client, cast, setup):
    review, codes, other, other_codes = setup
    member = gradable(cast)[3]
    before = snapshot()
    # this branch's code on the other branch's poll, and the other poll's code here
    refused(post(client, other, codes[0], {}), "票码无效")
    refused(post(client, review, other_codes[0], {}), "票码无效")
    # grades for this branch's members on the other branch's poll
    refused(post(client, other, other_codes[0], {member.pk: "优秀"}), "不属于本次测评")
    assert snapshot() == before


def test_unknown_poll_is_404(client, db):
    assert client.get(reverse("review:vote", args=["nope"])).status_code == 404
    assert client.post(reverse("review:vote", args=["nope"]), {"code": "x"}).status_code == 404


def test_the_page_is_chinese_without_login_and_without_scripts(client, cast, setup):
    review, codes, *_ = setup
    body = client.get(reverse("review:vote", args=[review.poll.key]) + f"?c={codes[0]}").content.decode()
    assert "<script" not in body and "不定等次" in body and "郑预备" in body
    assert 'name="g_' in body
