"""The app's hooks: demo data, the home panel (one query), year-end documents."""

import datetime as dt
import io

from django.db import transaction
from django.test import RequestFactory

from zhibu.commend import demo, panels, rules, yearend
from zhibu.commend.models import Nomination, PointsScheme, Round
from zhibu.commend.tests.helpers import open_round
from zhibu.core import clock

TODAY = dt.date(2026, 10, 15)


def test_demo_gives_a_decided_round_and_points_switched_off(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=8, members=10, year=2026, seed=3, progress=io.StringIO())
        with transaction.atomic():
            demo.generate(ctx)
    rnd = Round.objects.get()
    assert rnd.publicity_start is not None and rnd.approval_ref
    assert Nomination.objects.filter(status=rules.AWARDED).exists()
    assert not PointsScheme.objects.get().enabled


def test_the_panel_lists_open_rounds_to_managers_in_one_query(cast, django_assert_num_queries):
    open_round(cast)
    from zhibu.orgs import access

    with clock.frozen(dt.date(2026, 6, 10)):
        request = RequestFactory().get("/")
        request.user = cast.secretary
        access.get_scope(request)
        with django_assert_num_queries(1):
            html = panels.branch_panel(request, cast.branch)
        assert "推荐截止 2026年6月20日" in html
        request.user = cast.member
        request._zhibu_scope = None
        assert panels.branch_panel(request, cast.branch) is None


def test_yearend_gives_the_branch_awards_register(cast):
    open_round(cast)
    docs = yearend.documents(cast.branch, 2026)
    assert [name for name, _ in docs] == ["阳光幼儿园党支部2026年评优表彰台账.xlsx"]
