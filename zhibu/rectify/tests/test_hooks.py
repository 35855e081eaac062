"""The app's hooks: demo data, reminders, home panels."""

import datetime as dt
import io

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from zhibu.core import clock
from zhibu.rectify import demo, panels, reminders, rules, services
from zhibu.rectify.models import Item
from zhibu.rectify.tests.helpers import raise_one

TODAY = dt.date(2026, 10, 15)


def test_demo_gives_a_year_of_items_in_every_state(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=30, members=8, year=2026, seed=3, progress=io.StringIO())
        Item.objects.all().delete()  # the orgs demo may already run every app's demo
        with transaction.atomic():
            demo.generate(ctx)
    statuses = set(Item.objects.values_list("status", flat=True))
    assert {rules.CLOSED, rules.IN_PROGRESS} <= statuses
    assert Item.objects.filter(status__in=rules.ACTIVE, deadline__lt=TODAY).exists()  # overdue ones
    assert Item.objects.filter(source__code="inspection", raised_by_org=ctx.district, report_due__isnull=False).exists()
    assert not Item.objects.exclude(branch__path__startswith=ctx.district.path).exists()


def test_reminders_before_the_deadline_when_overdue_and_for_the_review(cast):
    soon = raise_one(cast, deadline=dt.date(2026, 4, 5))
    late = raise_one(cast, deadline=dt.date(2026, 3, 20))
    raise_one(cast, deadline=dt.date(2026, 9, 1))  # far away: nothing
    done = raise_one(cast, deadline=dt.date(2026, 3, 15))
    services.submit(actor=cast.secretary, item=done, evidence="已整改")
    with clock.frozen(dt.date(2026, 3, 16)):
        services.close(actor=cast.district_admin, item=done)
    keys = {r.key: r for r in reminders.collect(dt.date(2027, 4, 1))}
    assert f"rectify:review:item={done.pk}:due=2027-03-16" in keys
    keys = {r.key: r for r in reminders.collect(dt.date(2026, 4, 1))}
    assert f"rectify:due:item={soon.pk}:deadline=2026-04-05" in keys
    assert f"rectify:overdue:item={late.pk}:deadline=2026-03-20" in keys
    assert len(keys) == 2
    r = keys[f"rectify:overdue:item={late.pk}:deadline=2026-03-20"]
    assert cast.secretary in r.users and cast.member in r.users and "超期" in r.title


@pytest.mark.parametrize("who", ["secretary", "district_admin"])
def test_panels_count_with_one_query(cast, who, django_assert_num_queries):
    raise_one(cast, deadline=dt.date(2026, 3, 10))
    request = RequestFactory().get("/")
    request.user = getattr(cast, who)
    from zhibu.orgs import access

    access.get_scope(request)  # the scope is the page's, fetched once
    with clock.frozen(dt.date(2026, 4, 1)):
        if who == "secretary":
            with django_assert_num_queries(1):
                html = panels.branch_panel(request, cast.branch)
            assert reverse("rectify:index", kwargs={"org_id": cast.branch.pk}) in html
        else:
            with django_assert_num_queries(1):
                html = panels.district_panel(request, cast.district)
    assert "已超期 1 项" in html


def test_the_demo_after_a_reset_brings_its_sources_back(db):
    import io

    from django.core.management import call_command

    from zhibu.rectify.models import Item, Source

    call_command("demo", branches=2, members=6, year=2026, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
    call_command("demo", branches=2, members=6, year=2026, seed=3, reset=True, stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert Source.objects.count() == 9 and Item.objects.exists()
