"""The hooks this app plugs into: home-page panels (fixed queries), the demo (bulk, cheap), the
measures discovered from every installed app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory

from zhibu.assessment import demo, panels, selectors
from zhibu.assessment.hooks import KNOWN, measures
from zhibu.assessment.models import ManualScore, Report, Rubric
from zhibu.assessment.tests.access_cases import make_rubric
from zhibu.assessment.tests.helpers import TODAY, YEAR, demo_district
from zhibu.core import clock
from zhibu.core.benchmarks import count_queries

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_panels_show_the_score_and_the_rubric(cast):
    with clock.frozen(dt.date(2026, 3, 1)):
        assert panels.branch_panel(_request(cast.secretary), cast.branch) is None  # no rubric yet
        make_rubric(cast)
        html = panels.branch_panel(_request(cast.secretary), cast.branch)
        assert "年度考核" in html and "档次" in html
        assert panels.branch_panel(_request(cast.member), cast.branch) is None
        html = panels.district_panel(_request(cast.district_admin), cast.district)
        assert "评分细则" in html
        assert panels.district_panel(_request(cast.district_admin), cast.branch) is None
        request = _request(cast.district_admin)
        panels.district_panel(request, cast.district)
        assert count_queries(lambda: panels.district_panel(request, cast.district)) == 2


def test_demo_makes_the_rubric_manual_scores_and_graded_reports():
    with clock.frozen(TODAY):
        ctx = demo_district(branches=12, members=6)
        demo.generate(ctx)
        rubric = Rubric.objects.get(district=ctx.district, year=YEAR)
        assert rubric.items.count() == 11
        assert ManualScore.objects.count() == 11 * 3  # 3 manual items, one branch in ten left unscored
        assert Report.objects.exclude(grade="").count() == 3  # every third branch, not the unscored one
        result = selectors.assess(ctx.district, YEAR)
        assert len(result.rows) == 12 and sum(result.tiers.values()) == 12


def test_every_installed_source_offers_a_unique_key_a_formula_and_a_link():
    found = measures()
    assert {"orglife_obligations", "dues_on_time", "rectify_closed", "plan_done", "olm_held"} <= set(found)
    for m in found.values():
        assert m.label and "÷" in m.formula or "计100%" in m.formula
        assert m.url(1, YEAR).startswith("/o/1/")
    assert {k for k, _l in KNOWN} >= set(found) - {"yearend_submitted"}
