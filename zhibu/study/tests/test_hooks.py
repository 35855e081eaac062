"""The study app's hooks: demo data, panels, the district view's query count pin, bench figures."""

import datetime as dt
import io

from django.db import transaction
from django.test import RequestFactory

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.study import demo, panels
from zhibu.study.models import Attendee, Session

TODAY = dt.date(2026, 11, 20)


def test_demo_gives_a_year_of_sessions_for_all_staff(db):
    from zhibu.orgs import demo as orgs_demo
    from zhibu.orgs.models import MEMBER_STANDINGS

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=6, members=8, year=2026, seed=3, progress=io.StringIO())
        Session.objects.all().delete()
        with transaction.atomic():
            demo.generate(ctx)
    assert Session.objects.values("branch").distinct().count() == 6
    assert Attendee.objects.exclude(person__standing__in=MEMBER_STANDINGS).exists()  # non-member staff too
    assert not Session.objects.filter(date__gt=TODAY).exists()


def test_panels_for_the_branch_and_the_district(cast):
    request = RequestFactory().get("/")
    request.user = cast.secretary
    request._zhibu_scope = access.scope_for(cast.secretary)
    assert "学习教育" in panels.branch_panel(request, cast.branch)
    assert panels.district_panel(request, cast.branch) is None
    request.user = cast.district_admin
    request._zhibu_scope = access.scope_for(cast.district_admin)
    assert "学习教育" in panels.district_panel(request, cast.district)
