"""Completeness against the 全国党员管理信息系统 fields: per person, per branch, the district's counts,
the export for upload (REVEAL only, logged), and the person record's new fields."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orgs import services as org_services
from zhibu.orgs.models import Person
from zhibu.stats import rules, selectors

TODAY = dt.date(2026, 11, 20)
COMPLETE = {
    "native_place": "江苏盐城",
    "degree": "bachelor",
    "work_started_on": dt.date(2008, 9, 1),
    "occupation": "professional",
    "joined_branch": "盐城师范学院学生党支部",
    "sponsors": "王明、李华",
    "home_address": "示范区人民路1号2栋301室",
    "education": "本科",
    "post": "教师",
    "phone": "13900001111",
}


def _fill(person: Person, **extra) -> None:
    values = {**COMPLETE, **extra}
    for k, v in values.items():
        setattr(person, k, v)
    person.save()


@pytest.mark.django_db
def test_gaps_name_what_each_member_lacks(cast):
    members = [p for p in cast.people if p.standing in ("full", "probationary")]
    for p in members:
        _fill(p)
    target = cast.member_person
    Person.objects.filter(pk=target.pk).update(native_place="", home_address="")
    gaps = {g.person_id: g for g in selectors.gaps(cast.branch)}
    assert set(gaps) == {p.pk for p in members}  # members only: 冯积极, 陈老师 are not
    assert gaps[target.pk].missing == ["native_place", "home_address"]
    assert gaps[target.pk].labels == ["籍贯", "家庭住址"]
    prob = next(p for p in members if p.standing == "probationary")
    assert "full_on" not in gaps[prob.pk].missing  # a 预备党员 has no 转正 date yet


@pytest.mark.django_db
def test_sponsors_from_the_development_file_count(cast):
    from zhibu.development.models import Candidate, Link, LinkRole

    prob = next(p for p in cast.people if p.standing == "probationary")
    _fill(prob, sponsors="")
    assert "sponsors" in next(g for g in selectors.gaps(cast.branch) if g.person_id == prob.pk).missing
    c = Candidate.objects.create(branch=cast.branch, person=prob, stage=5)
    Link.objects.create(candidate=c, person=cast.secretary_person, role=LinkRole.SPONSOR, since=dt.date(2025, 5, 1))
    assert "sponsors" not in next(g for g in selectors.gaps(cast.branch) if g.person_id == prob.pk).missing
    assert selectors.sponsors_from_files(cast.branch) == {prob.pk: cast.secretary_person.name}


@pytest.mark.django_db
def test_branch_list_district_counts_and_the_export(cast, client_for):
    members = [p for p in cast.people if p.standing in ("full", "probationary")]
    for p in members:
        _fill(p)
    Person.objects.filter(pk=cast.member_person.pk).update(native_place="")
    with clock.frozen(TODAY):
        html = client_for("committee").get(reverse("stats:branch", args=[cast.branch.pk])).content.decode()
        assert 'id="gaps-count">1<' in html and cast.member_person.name in html and "籍贯" in html
        district = client_for("district_admin").get(reverse("stats:branch", args=[cast.district.pk])).content.decode()
        assert cast.branch.name in district and "籍贯 1" in district
        assert 'id="incomplete-total">' in district
        # The export carries the ID numbers in the clear: the 书记 (REVEAL), logged; not the district.
        assert (
            client_for("district_admin").get(reverse("stats:members_export", args=[cast.branch.pk])).status_code == 403
        )
        response = client_for("secretary").get(reverse("stats:members_export", args=[cast.branch.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["党员信息"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    assert {f.label for f in rules.NATIONAL_FIELDS} - set(header) == set()
    assert "公民身份号码" in header and "入党介绍人" in header and "家庭住址" in header
    body = [r for r in rows[rows.index(header) + 1 :] if isinstance(r[0], int)]
    assert len(body) == len(members)
    ids = {r[header.index("公民身份号码")] for r in body}
    assert cast.member_person.id_number in ids
    entry = AuditEntry.objects.get(action="stats.export_members")
    assert entry.organisation_id == cast.branch.pk and entry.changes == {"rows": len(members)}


@pytest.mark.django_db
def test_the_person_record_takes_the_national_fields_and_logs_the_address_masked(cast, client_for):
    person = cast.member_person
    url = reverse("orgs:person_edit", args=[cast.branch.pk, person.pk])
    data = {
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "ethnicity": "汉族",
        "education": "本科",
        "post": "教师",
        "employment": "in_service",
        "standing": person.standing,
        "admitted_on": person.admitted_on.isoformat() if person.admitted_on else "",
        "full_on": person.full_on.isoformat() if person.full_on else "",
        "native_place": "江苏盐城",
        "degree": "bachelor",
        "work_started_on": "2008-09-01",
        "occupation": "professional",
        "joined_branch": "盐城师范学院学生党支部",
        "sponsors": "王明、李华",
        "home_address": "示范区人民路18号3栋502室",
    }
    with clock.frozen(TODAY):
        response = client_for("secretary").post(url, data)
        assert response.status_code == 302, response.content.decode()[:3000]
        person.refresh_from_db()
        assert person.native_place == "江苏盐城" and person.work_started_on == dt.date(2008, 9, 1)
        assert person.home_address == "示范区人民路18号3栋502室"
        entry = AuditEntry.objects.filter(action="update", object_id=str(person.pk)).latest("id")
        assert entry.changes["home_address"] == [None, "示范区人民路****"]
        assert "18号" not in str(entry.changes) and entry.changes["native_place"] == ["", "江苏盐城"]
        # a future 参加工作时间 is refused, in Chinese, keeping what was typed
        bad = client_for("secretary").post(url, {**data, "work_started_on": "2027-01-01"})
        assert bad.status_code == 400 and "参加工作时间" in bad.content.decode()
        # the edit page never sends the stored address (a masked placeholder)
        page = client_for("committee").get(url).content.decode()
    assert "人民路18号" not in page


@pytest.mark.django_db
def test_update_person_through_audit_updating_keeps_id_and_phone_masked(cast):
    person = cast.people[4]
    with clock.frozen(TODAY):
        org_services.update_person(actor=cast.secretary, person=person, phone="13912345678", native_place="山东临沂")
    entry = AuditEntry.objects.filter(action="update", object_id=str(person.pk)).latest("id")
    assert entry.changes["phone"][1] == "139****5678" and entry.changes["native_place"] == ["", "山东临沂"]
    assert "13912345678" not in str(entry.changes)


@pytest.mark.django_db
def test_the_districts_counts_equal_the_per_person_gaps():
    from zhibu.development import demo as development_demo
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=5, members=20, year=2026, seed=7, progress=io.StringIO())
        development_demo.generate(ctx)
    Person.objects.filter(pk=ctx.people[ctx.branches[0].pk][0].pk).update(sponsors="", phone="", full_on=None)
    per_person = selectors.gaps(ctx.district)
    rows = {r.branch.pk: r for r in selectors.branch_gaps(ctx.district)}
    assert sum(r.incomplete for r in rows.values()) == sum(1 for g in per_person if g.missing) > 0
    for branch_id, r in rows.items():
        mine = [g for g in per_person if g.branch_id == branch_id]
        assert r.members == len(mine)
        expected: dict[str, int] = {}
        for g in mine:
            for name in g.missing:
                expected[name] = expected.get(name, 0) + 1
        assert r.by_field == expected


@pytest.mark.django_db
def test_the_district_panel(cast, client_for, django_assert_max_num_queries):
    from django.test import RequestFactory

    from zhibu.stats import panels

    request = RequestFactory().get("/")
    request.user = cast.district_admin
    with clock.frozen(TODAY):
        with django_assert_max_num_queries(2):
            html = panels.district_panel(request, cast.district)
        expected = Person.objects.filter(
            branch__path__startswith=cast.district.path, active=True, standing__in=("probationary", "full")
        ).count()
        assert f"在册党员 {expected} 人" in html
        request.user = cast.secretary
        assert panels.district_panel(request, cast.branch) is None
