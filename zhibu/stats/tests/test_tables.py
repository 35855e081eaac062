"""党内统计 over a generated demo district: every table equals counts written independently (raw SQL
and plain ORM filters, not the app's rules), drill-downs list as many as the figure says, the .xlsx
has the tables' sheets, the query count does not grow with the branches."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.orgs.models import Organisation, OrgKind, Person, Role, RoleKind

TODAY = dt.date(2026, 11, 20)
ON = dt.date(2025, 12, 31)
START = dt.date(2025, 1, 1)
MEMBERS = ("probationary", "full")


def build(branches: int = 8, members: int = 20, seed: int = 4):
    from django.contrib.auth import get_user_model

    from zhibu.development import demo as development_demo
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=branches, members=members, year=2026, seed=seed, progress=io.StringIO())
        development_demo.generate(ctx)
    # Someone who left in 2025 and someone who left in 2026 (in the 2025 tables, not in 2026's).
    first = ctx.people[ctx.branches[0].pk]
    full = [p for p in first if p.standing == "full"]
    Person.objects.filter(pk=full[-1].pk).update(active=False, left_on=dt.date(2025, 5, 1))
    Person.objects.filter(pk=full[-2].pk).update(active=False, left_on=dt.date(2026, 3, 1))
    admin = get_user_model().objects.create_user("stats-admin", password="x")
    Role.objects.create(user=admin, organisation=ctx.district, role=RoleKind.DISTRICT_ADMIN)
    ctx.admin = admin
    return ctx


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def members_q(on: dt.date) -> Q:
    return Q(admitted_on__lte=on) & (Q(active=True, standing__in=MEMBERS) | Q(active=False, left_on__gt=on))


def figures(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-figure="([\w.]+)">(\d+)<', html)}


def years_ago(on: dt.date, n: int) -> dt.date:
    return on.replace(year=on.year - n)


@pytest.mark.django_db
def test_the_tables_equal_independent_counts():
    ctx = build()
    district = ctx.district
    with clock.frozen(TODAY):
        html = client(ctx.admin).get(reverse("stats:index", args=[district.pk]), {"year": 2025}).content.decode()
    got = figures(html)
    people = Person.objects.filter(branch__path__startswith=district.path)
    m = people.filter(members_q(ON))
    with connection.cursor() as cur:  # sex, in raw SQL
        cur.execute(
            "SELECT p.gender, COUNT(*) FROM orgs_person p JOIN orgs_organisation o ON o.id = p.branch_id "
            "WHERE o.path LIKE %s AND p.admitted_on <= %s AND ((p.active AND p.standing IN ('probationary', 'full')) "
            "OR (NOT p.active AND p.left_on > %s)) GROUP BY p.gender",
            [district.path + "%", ON, ON],
        )
        by_sex = dict(cur.fetchall())
    total = m.count()
    assert total > 100
    assert got["basic.total"] == total == sum(by_sex.values())
    assert got["basic.female"] == by_sex.get("女", 0) and got["basic.male"] == by_sex.get("男", 0)
    assert got["basic.full"] == m.filter(full_on__lte=ON).count()
    assert got["basic.probationary"] == m.filter(Q(full_on__isnull=True) | Q(full_on__gt=ON)).count()
    assert got["basic.han"] == m.filter(ethnicity="汉族").count()
    assert got["basic.minority"] == m.exclude(ethnicity__in=["汉族", ""]).count()
    assert got["basic.retired"] == m.filter(employment="retired").count()
    # age bands: completed years on 12-31
    assert got["age.age_30"] == m.filter(birth_date__gt=years_ago(ON, 31)).count()
    assert got["age.age_31_35"] == m.filter(birth_date__gt=years_ago(ON, 36), birth_date__lte=years_ago(ON, 31)).count()
    assert got["age.age_46_50"] == m.filter(birth_date__gt=years_ago(ON, 51), birth_date__lte=years_ago(ON, 46)).count()
    assert got["age.age_61_70"] == m.filter(birth_date__gt=years_ago(ON, 71), birth_date__lte=years_ago(ON, 61)).count()
    assert sum(v for k, v in got.items() if k.startswith("age.age_")) == total
    # education (the demo's values)
    assert got["education.edu_bachelor"] == m.filter(education="本科").count()
    assert got["education.edu_college"] == m.filter(education="大专").count()
    assert got["education.edu_postgraduate"] == m.filter(education="硕士研究生").count()
    assert got["education.edu_vocational"] == m.filter(education="中专").count()
    # 党龄 from the 转正 date
    full = m.filter(full_on__lte=ON)
    assert got["party_age.pa_probationary"] == got["basic.probationary"]
    assert got["party_age.pa_5"] == full.filter(full_on__gt=years_ago(ON, 6)).count()
    assert got["party_age.pa_6_10"] == full.filter(full_on__gt=years_ago(ON, 11), full_on__lte=years_ago(ON, 6)).count()
    assert (
        got["party_age.pa_11_20"] == full.filter(full_on__gt=years_ago(ON, 21), full_on__lte=years_ago(ON, 11)).count()
    )
    # occupation
    assert got["occupation.occ_professional"] == m.filter(occupation="professional").count()
    assert (
        got["occupation.occ_retired"]
        == m.filter(Q(occupation="retired") | Q(occupation="", employment="retired")).count()
    )
    # 发展: flows in 2025, stocks at its end
    assert got["development.admitted"] == people.filter(admitted_on__range=(START, ON)).count() > 0
    assert got["development.admitted_female"] == people.filter(admitted_on__range=(START, ON), gender="女").count()
    assert got["development.confirmed"] == people.filter(full_on__range=(START, ON)).count() > 0
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(DISTINCT c.person_id) FROM development_steprecord s "
            "JOIN development_candidate c ON c.id = s.candidate_id "
            "JOIN orgs_person p ON p.id = c.person_id JOIN orgs_organisation o ON o.id = p.branch_id "
            "WHERE o.path LIKE %s AND s.step = 'activist' AND s.date BETWEEN %s AND %s",
            [district.path + "%", START, ON],
        )
        (activists_new,) = cur.fetchone()
        cur.execute(
            "SELECT COUNT(DISTINCT c.person_id) FROM development_candidate c JOIN orgs_person p ON p.id = c.person_id "
            "JOIN orgs_organisation o ON o.id = p.branch_id WHERE o.path LIKE %s "
            "AND EXISTS (SELECT 1 FROM development_steprecord s WHERE s.candidate_id = c.id "
            "AND s.step = 'candidate' AND s.date <= %s) "
            "AND NOT EXISTS (SELECT 1 FROM development_steprecord s WHERE s.candidate_id = c.id "
            "AND s.step = 'cancellation' AND s.date <= %s) "
            "AND (p.admitted_on IS NULL OR p.admitted_on > %s) AND (p.active OR p.left_on > %s)",
            [district.path + "%", ON, ON, ON, ON],
        )
        (candidates_now,) = cur.fetchone()
    assert got["development.activists_new"] == activists_new
    assert got["development.candidates_now"] == candidates_now
    # branches
    branches = Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.BRANCH)
    assert got["organisations.kind_branch"] == branches.count() == 8
    assert (
        got["organisations.kind_group"]
        == Organisation.objects.filter(path__startswith=district.path, kind=OrgKind.GROUP).count()
    )
    assert got["organisations.unit_kindergarten"] == branches.filter(unit__contains="幼儿园").count()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM (SELECT branch_id FROM orgs_committeeposition WHERE term_start <= %s "
            "AND (ended_on IS NULL OR ended_on > %s) "
            "AND branch_id IN (SELECT id FROM orgs_organisation WHERE path LIKE %s) "
            "GROUP BY branch_id HAVING COUNT(DISTINCT position) >= 3) t",
            [ON, ON, district.path + "%"],
        )
        (with_committee,) = cur.fetchone()
        cur.execute(
            "SELECT COUNT(DISTINCT branch_id) FROM orgs_committeeposition WHERE position = 'secretary' "
            "AND term_start <= %s AND (ended_on IS NULL OR ended_on > %s) "
            "AND branch_id IN (SELECT id FROM orgs_organisation WHERE path LIKE %s)",
            [ON, ON, district.path + "%"],
        )
        (secretaries,) = cur.fetchone()
    assert got["organisations.with_committee"] == with_committee
    assert got["organisations.secretary_in_post"] == secretaries
    assert got["organisations.secretary_vacant"] == got["organisations.kind_branch"] - secretaries


@pytest.mark.django_db
def test_the_half_year_report_where_the_district_uses_it():
    ctx = build(branches=3, members=12)
    admin = client(ctx.admin)
    url = reverse("stats:index", args=[ctx.district.pk])
    with clock.frozen(TODAY):
        refused = admin.get(url, {"year": 2026, "report": "half"}).content.decode()
        assert "本党委未设半年报" in refused and "2026年年报" in refused
        Organisation.objects.filter(pk=ctx.district.pk).update(settings={"stats_half_year": True})
        html = admin.get(url, {"year": 2026, "report": "half"}).content.decode()
    assert "2026年半年报（截至2026年6月30日）" in html
    expected = (
        Person.objects.filter(branch__path__startswith=ctx.district.path)
        .filter(members_q(dt.date(2026, 6, 30)))
        .count()
    )
    assert figures(html)["basic.total"] == expected


@pytest.mark.django_db
def test_drill_downs_list_as_many_as_the_figure_and_the_xlsx_has_the_sheets():
    ctx = build(branches=4, members=15)
    admin = client(ctx.admin)
    d = ctx.district.pk
    with clock.frozen(TODAY):
        got = figures(admin.get(reverse("stats:index", args=[d]), {"year": 2025}).content.decode())
        for key in (
            "basic.total",
            "basic.female",
            "age.age_36_40",
            "development.admitted",
            "organisations.kind_branch",
        ):
            table, row = key.split(".")
            url = reverse("stats:cell", args=[d, table, row])
            listed, page = 0, 1
            while True:
                html = admin.get(url, {"year": 2025, "page": page}).content.decode()
                assert f'id="cell-total">{got[key]}<' in html
                listed += html.count("<tr><td><a href")
                if "下一页" not in html:
                    break
                page += 1
            assert listed == got[key], key
        assert admin.get(reverse("stats:cell", args=[d, "basic", "nonsense"])).status_code == 404
        response = admin.get(reverse("stats:export", args=[d]), {"year": 2025})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["党员基本情况", "党员年龄", "党员学历", "党龄", "职业", "发展党员", "基层组织"]
    values = [row for row in wb["党员基本情况"].iter_rows(values_only=True) if row[0] == "党员总数"]
    assert values and values[0][1] == got["basic.total"]


@pytest.mark.django_db
def test_a_branch_manager_sees_their_branch_and_an_outsider_nothing(cast, client_for):
    with clock.frozen(TODAY):
        secretary = client_for("secretary")
        page = secretary.get(reverse("stats:index", args=[cast.branch.pk]))
        assert page.status_code == 200
        got = figures(page.content.decode())
        expected = Person.objects.filter(branch=cast.branch).filter(members_q(TODAY)).count()
        assert got["basic.total"] == expected
        assert secretary.get(reverse("stats:index", args=[cast.district.pk])).status_code == 404
        outsider, member = client_for("outsider"), client_for("member")
        for name, kwargs in (
            ("stats:index", {}),
            ("stats:cell", {"table": "basic", "row": "total"}),
            ("stats:export", {}),
            ("stats:branch", {}),
            ("stats:members_export", {}),
        ):
            url = reverse(name, kwargs={"org_id": cast.branch.pk, **kwargs})
            assert outsider.get(url).status_code in (403, 404), name
            assert member.get(url).status_code == 403, name
        assert (
            client_for("auditor").get(reverse("stats:cell", args=[cast.district.pk, "basic", "total"])).status_code
            == 200
        )
        assert client_for("auditor").get(reverse("stats:members_export", args=[cast.branch.pk])).status_code == 403


def _queries(django_assert_max_num_queries, ctx, user):
    c = client(user)
    url = reverse("stats:index", args=[ctx.district.pk])
    with clock.frozen(TODAY):
        c.get(url)
        with django_assert_max_num_queries(20) as captured:
            assert c.get(url, {"year": 2025}).status_code == 200
    return len(captured.captured_queries)


def _add_branches(district, n: int) -> None:
    from zhibu.orgs.models import CommitteePosition

    for i in range(n):
        b = Organisation.objects.create(
            name=f"新增{i}党支部", kind=OrgKind.BRANCH, parent=district, unit=f"新增{i}小学"
        )
        b.path = f"{district.path}{b.pk}/"
        b.save(update_fields=["path"])
        people = Person.objects.bulk_create(
            [
                Person(
                    name=f"新{i}{k}",
                    gender="女",
                    branch=b,
                    standing="full",
                    admitted_on=dt.date(2010, 1, 1),
                    full_on=dt.date(2011, 1, 1),
                    birth_date=dt.date(1985, 1, 1),
                    education="本科",
                )
                for k in range(4)
            ]
        )
        CommitteePosition.objects.create(
            branch=b,
            person=people[0],
            position="secretary",
            term_start=dt.date(2024, 1, 1),
            term_end=dt.date(2029, 1, 1),
        )


@pytest.mark.django_db
def test_queries_are_pinned_and_do_not_grow_with_branches(django_assert_max_num_queries):
    ctx = build(branches=2, members=10, seed=1)
    c = client(ctx.admin)
    pages = [
        reverse("stats:index", args=[ctx.district.pk]),
        reverse("stats:branch", args=[ctx.district.pk]),
        reverse("stats:cell", args=[ctx.district.pk, "basic", "total"]),
        reverse("stats:cell", args=[ctx.district.pk, "organisations", "kind_branch"]),
    ]

    def counts() -> list[int]:
        out = []
        with clock.frozen(TODAY):
            for url in pages:
                c.get(url)
                with django_assert_max_num_queries(20) as captured:
                    assert c.get(url, {"year": 2025}).status_code == 200
                out.append(len(captured.captured_queries))
        return out

    few = counts()
    _add_branches(ctx.district, 10)
    assert counts() == few
