"""The issue's done-when for 民主评议, in a browser: the secretary issues 6 codes; five voters grade on a
phone-sized page (one code is used again and refused); the poll closes; the tally shows 5 returned; the
committee tries 3 优秀 in a 7-member branch with the 1/3 cap, is refused, fixes it, finalises; the report
downloads."""

import pytest

from zhibu.review import services
from zhibu.review.models import Poll, Review
from zhibu.review.tests.helpers import codes_from_docx, gradable, make_review

pytestmark = pytest.mark.browser


def test_poll_to_finalised_review(live_cast, browser_page, phone_page, login):
    cast = live_cast
    review = make_review(cast)
    members = gradable(cast)
    # 7 full members count: the 8th is excluded from 应到会 (illness), 郑预备 is probationary
    services.exclude(actor=cast.secretary, review=review, person=members[7], reason="illness", note="上级同意")
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "secretary")
    page.goto(f"/o/{cast.branch.pk}/review/{review.pk}/poll/")
    page.fill("input[name=count]", "6")
    with page.expect_download() as info:
        page.click("#issue-button")
    codes = codes_from_docx(open(info.value.path(), "rb").read())
    assert len(codes) == 6
    key = Poll.objects.get(review=review).key

    voter = phone_page
    for n, code in enumerate(codes[:5]):
        voter.goto(f"/vote/{key}/?c={code}")
        assert "不定等次" in voter.inner_text("main")
        for i, person in enumerate(members[:7]):
            if (i + n) % 3 == 0:
                continue  # left blank
            voter.locator(f'input[name="g_{person.pk}"][value="{"优秀" if i < 2 else "合格"}"]').check()
        voter.click("#vote-submit")
        voter.wait_for_selector("#vote-done")
        if n == 0:  # the same code again: refused
            voter.goto(f"/vote/{key}/")
            voter.fill("input[name=code]", code.lower())
            voter.click("button[type=submit]")
            assert "已经投过票" in voter.inner_text("#vote-error")
    assert voter.evaluate("document.documentElement.clientWidth") <= 400

    page.goto(f"/o/{cast.branch.pk}/review/{review.pk}/poll/")
    assert "收回" not in page.inner_text("#poll-state")
    page.click("#close-button")
    page.wait_for_selector("#tally-table")
    assert page.inner_text("#returned") == "5"
    assert page.inner_text("#issued") == "6"

    page.goto(f"/o/{cast.branch.pk}/review/{review.pk}/grades/")
    assert page.inner_text("#excellent-max") == "2"
    for i, person in enumerate(members[:7]):
        page.select_option(f'select[name="g_{person.pk}"]', "优秀" if i < 3 else "合格")
    assert page.inner_text("#excellent-count") == "3"
    assert page.locator("#cap-warning").is_visible()
    page.click("#save-grades")
    page.wait_for_selector("#violations")
    page.click("#finalise-button")
    page.wait_for_load_state("networkidle")
    assert "不能定稿" in page.inner_text(".messages")
    assert Review.objects.get(pk=review.pk).finalised_at is None
    page.select_option(f'select[name="g_{members[2].pk}"]', "合格")
    assert not page.locator("#cap-warning").is_visible()
    page.click("#save-grades")
    page.wait_for_load_state("networkidle")
    page.click("#finalise-button")
    page.wait_for_url(f"**/review/{review.pk}/")
    assert "已定稿" in page.inner_text("h1")
    assert Review.objects.get(pk=review.pk).finalised_at is not None
    with page.expect_download() as info:
        page.click("#report-link")
    assert info.value.suggested_filename.endswith("情况报告.docx")
