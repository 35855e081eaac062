import datetime as dt
import io

from django.test import Client

from zhibu.core import clock
from zhibu.orglife import demo as orglife_demo
from zhibu.orglifemeeting import demo, reminders, selectors
from zhibu.orglifemeeting.models import Cycle, Material, Opinion
from zhibu.orgs import demo as orgs_demo

TODAY = dt.date(2026, 12, 2)


def test_demo_branches_prepare_the_meeting(db):
    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=6, members=16, year=2026, seed=3, progress=io.StringIO())
        orglife_demo.generate(ctx)
        demo.generate(ctx)
        cycles = list(Cycle.objects.order_by("id"))
        assert len(cycles) == demo.BRANCHES
        assert all(c.planned_date == TODAY + dt.timedelta(days=14) for c in cycles)
        assert Material.objects.filter(kind="committee").count() == demo.BRANCHES
        assert Opinion.objects.exists()
        coverages = [selectors.coverage(c) for c in cycles]
        assert all(cov.needs for cov in coverages)
        assert any(cov.missing for cov in coverages) and any(cov.complete for cov in coverages)
        list(reminders.collect(TODAY))
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="secretary")
        client = Client()
        client.force_login(user)
        branch = cycles[0].branch
        assert client.get(f"/o/{branch.pk}/orglifemeeting/").status_code in (200, 404)
