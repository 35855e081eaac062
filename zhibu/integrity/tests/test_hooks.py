"""The app's hooks: demo data, the home panel (one query), the veto and year-end hooks as discovered."""

import datetime as dt
import io

from django.db import transaction
from django.test import RequestFactory

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.integrity import demo, panels, services
from zhibu.integrity.models import Commitment, DutyList, Violation

TODAY = dt.date(2026, 10, 15)


def test_demo_gives_lists_commitments_and_a_veto(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=8, members=10, year=2026, seed=3, progress=io.StringIO())
        with transaction.atomic():
            demo.generate(ctx)
    assert DutyList.objects.filter(signed_at__isnull=False).exists()
    assert Commitment.objects.filter(signed_at__isnull=True, person__user__username="member").exists()
    assert Violation.objects.filter(veto=True).count() == 1


def test_hooks_are_found(db):
    assert "zhibu.integrity.eligibility" in [m.__name__ for m in app_modules("eligibility")]
    assert "zhibu.integrity.yearend" in [m.__name__ for m in app_modules("yearend")]


def test_the_panel_costs_one_query(cast, django_assert_num_queries):
    with clock.frozen(TODAY):
        services.issue_commitments(actor=cast.secretary, branch=cast.branch, year=2026, text="我承诺")
        for who, expect in (("member", "您有 1 份"), ("secretary", "已签署 0 / 11 人")):
            request = RequestFactory().get("/")
            request.user = getattr(cast, who)
            from zhibu.orgs import access

            access.get_scope(request)
            with django_assert_num_queries(1):
                html = panels.branch_panel(request, cast.branch)
            assert expect in html
