"""The app's hooks: the obligations grid, panels, year-end 台账, demo data."""

import datetime as dt
import io

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from zhibu.core import clock
from zhibu.openness import demo, panels, services, yearend
from zhibu.openness.models import BranchLink, CatalogEntry, Message, Notice
from zhibu.openness.tests.helpers import link as make_link
from zhibu.openness.tests.helpers import published


def test_the_catalog_joins_orglifes_obligations_grid(cast):
    from zhibu.orglife import selectors as orglife

    services.load_default_catalog(actor=cast.district_admin, district=cast.district)
    fees = CatalogEntry.objects.get(title="收费项目、标准和依据")
    with clock.frozen(dt.date(2026, 3, 1)):
        published(cast, dt.date(2026, 3, 1), dt.date(2026, 3, 20), catalog_entry=fees)
    grid = orglife.branch_obligations(cast.branch, 2026, dt.date(2026, 8, 1))
    rows = {ob.kind: cells for ob, cells in grid.grid}
    cells = rows[f"openness:{fees.pk}"]
    assert [c.status.status for c in cells] == ["met", "due"]


@pytest.mark.parametrize("who", ["secretary", "district_admin"])
def test_panels_count_with_fixed_queries(cast, who, django_assert_num_queries):
    link = make_link(cast)
    Message.objects.create(
        branch=cast.branch,
        subject="a",
        body="bbbbbb",
        code_digest="x" * 64,
        received_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 3, 8),
    )
    del link
    request = RequestFactory().get("/")
    request.user = getattr(cast, who)
    from zhibu.orgs import access

    access.get_scope(request)
    with clock.frozen(dt.date(2026, 4, 1)):
        if who == "secretary":
            with django_assert_num_queries(1):
                html = panels.branch_panel(request, cast.branch)
            assert reverse("openness:index", kwargs={"org_id": cast.branch.pk}) in html
        else:
            with django_assert_num_queries(2):
                html = panels.district_panel(request, cast.district)
    assert "超过答复期限 1 件" in html


def test_yearend_documents_hold_the_years_records(cast):
    import openpyxl

    with clock.frozen(dt.date(2026, 3, 1)):
        published(cast, dt.date(2026, 3, 1), dt.date(2026, 3, 20))
        forum = services.create_forum(
            actor=cast.secretary, branch=cast.branch, held_on=dt.date(2026, 2, 1), topic="恳谈"
        )
        services.add_item(actor=cast.secretary, forum=forum, text="建议")
    Message.objects.create(
        branch=cast.branch,
        subject="午餐",
        body="bbbbbb",
        code_digest="y" * 64,
        received_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 3, 8),
        name="",
        anonymous=True,
    )
    docs = yearend.documents(cast.branch, 2026)
    names = [n for n, _b in docs]
    assert names == [
        f"{cast.branch.name}2026年三务公开台账.xlsx",
        f"{cast.branch.name}2026年信箱来信办理台账.xlsx",
        f"{cast.branch.name}2026年民主恳谈会台账.xlsx",
    ]
    wb = openpyxl.load_workbook(io.BytesIO(docs[0][1]))
    text = " ".join(str(c.value) for row in wb.active.iter_rows() for c in row if c.value)
    assert "保育教育费收费标准公示" in text
    assert yearend.documents(cast.branch, 2025) == []


def test_demo_gives_every_branch_a_link_notices_and_messages(db):
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(dt.date(2026, 10, 15)):
        ctx = orgs_demo.generate(branches=12, members=6, year=2026, seed=3, progress=io.StringIO())
        for model in (Message, Notice, BranchLink, CatalogEntry):
            model.objects.all().delete()
        from zhibu.openness.models import Forum

        Forum.objects.all().delete()
        with transaction.atomic():
            demo.generate(ctx)
    assert BranchLink.objects.count() == len(ctx.branches)
    assert Notice.objects.filter(status="published", scope="public").exists()
    assert Notice.objects.filter(status="proposed").exists()
    assert Message.objects.filter(status="replied", published=True).exists()
    assert not Message.objects.exclude(name="").exists()
    assert CatalogEntry.objects.filter(district=ctx.district).count() == 6


def test_the_obligations_hook_is_one_query(cast, django_assert_num_queries):
    from zhibu.openness import obligations

    assert obligations.branch_obligations(cast.branch, 2026) == []
    services.load_default_catalog(actor=cast.district_admin, district=cast.district)
    with clock.frozen(dt.date(2026, 3, 1)):
        published(cast, dt.date(2026, 3, 1), dt.date(2026, 3, 20),
                  catalog_entry=CatalogEntry.objects.get(title="收费项目、标准和依据"))
        published(cast, dt.date(2026, 3, 2), dt.date(2026, 3, 20))
    with django_assert_num_queries(1):
        rows = obligations.branch_obligations(cast.branch, 2026)
    assert len(rows) == 6 and sum(len(dates) for _ob, dates in rows) == 1
