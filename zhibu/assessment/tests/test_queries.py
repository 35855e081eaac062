"""Speed as query counts (no timed assertions): the district assessment takes the same number of
queries whatever the number of branches (pinned at two sizes; `make bench` runs it at 1,000), within
20 for the page; the bench's hand-written SQL baseline gives the same scores."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhibu.assessment import bench, selectors, services
from zhibu.assessment.tests.helpers import TODAY, YEAR, demo_district
from zhibu.core import clock
from zhibu.core.benchmarks import count_queries
from zhibu.orgs.models import OrgKind, Role, RoleKind
from zhibu.orgs.testing import UserFactory, make_org

pytestmark = pytest.mark.django_db


def _page_queries(user, district, page: str = "index") -> int:
    client = Client()
    client.force_login(user)
    url = reverse(f"assessment:{page}", kwargs={"org_id": district.pk}) + f"?year={YEAR}"
    assert client.get(url).status_code == 200
    return count_queries(lambda: client.get(url))


def test_assessment_queries_do_not_grow_with_the_branches():
    with clock.frozen(TODAY):
        ctx = demo_district(branches=8, members=8)
        services.create_rubric(actor=None, district=ctx.district, year=YEAR)
        selectors.assess(ctx.district, YEAR)  # hooks discovered once
        many = count_queries(lambda: selectors.assess(ctx.district, YEAR))
        small = make_org("小区教育局党委", OrgKind.COMMITTEE)
        for n in range(2):
            make_org(f"小区第{n + 1}幼儿园党支部", OrgKind.BRANCH, small)
        admin = UserFactory(username="small-district")
        Role.objects.create(user=admin, organisation=small, role=RoleKind.DISTRICT_ADMIN)
        services.create_rubric(actor=None, district=small, year=YEAR)
        few = count_queries(lambda: selectors.assess(small, YEAR))
        assert few == many <= 13  # rubric with items, branches, manual scores; 10 for the measures
        assert _page_queries(admin, small) == _page_queries(ctx.accounts["district"], ctx.district) <= 20
        # the dashboard too: every installed app's figure once, the monthly series, the scores
        dashboard = _page_queries(admin, small, "dashboard")
        assert dashboard == _page_queries(ctx.accounts["district"], ctx.district, "dashboard") <= 30


def test_the_bench_baseline_sql_gives_the_same_scores():
    with clock.frozen(TODAY):
        ctx = demo_district(branches=6, members=8)
        from zhibu.assessment import demo

        demo.generate(ctx)  # the rubric and manual scores, as `zhibu demo` makes them
        rubric = selectors.rubric_for(ctx.district, YEAR)
        result = selectors.assess(ctx.district, YEAR)
        expected = bench.baseline(ctx.district, YEAR, rubric)
        assert {r.id: r.score for r in result.rows} == expected
        figures = {f["name"]: f for f in bench.run(ctx)}
        assert set(figures) >= {"assessment_district_queries", "assessment_district_ms", "assessment_vs_sql_ratio"}
        assert figures["assessment_district_queries"]["ok"]
