"""Issue 10, committee and people: appointing over a holder asks first, appointments are corrected or
removed (audited), never twice; the home page shows each holder's own term; the branch keeps its own
党小组; the people list searches and filters."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orgs import rules, services
from zhibu.orgs.models import CommitteePosition, Organisation, Position, Standing

pytestmark = pytest.mark.django_db


def _current(cast, position=Position.SECRETARY):
    return CommitteePosition.objects.get(branch=cast.branch, position=position, ended_on__isnull=True)


def test_appointing_a_new_secretary_while_one_is_in_office_asks_for_confirmation(cast, client_for):
    url = reverse("orgs:positions", args=[cast.branch.pk])
    data = {"person": cast.people[4].pk, "position": "secretary", "term_start": "2026-03-01", "term_years": 3}
    secretary = client_for("secretary")
    first = secretary.post(url, data)
    html = first.content.decode()
    assert first.status_code == 400 and "王书记" in html and "确认" in html and 'type="checkbox" name="replace"' in html
    assert _current(cast).person == cast.people[0] and not AuditEntry.objects.filter(action="orgs.appoint").exists()
    assert secretary.post(url, {**data, "replace": "on"}).status_code == 302
    assert _current(cast).person == cast.people[4]
    old = CommitteePosition.objects.get(branch=cast.branch, position="secretary", person=cast.people[0])
    assert old.ended_on == dt.date(2026, 3, 1)
    assert AuditEntry.objects.filter(action="end_term").count() == 1


def test_an_appointment_is_never_recorded_twice(cast):
    pos = _current(cast)
    with pytest.raises(IntegrityError), transaction.atomic():  # one current holder per post
        CommitteePosition.objects.create(branch=cast.branch, person=cast.people[4], position="secretary",
                                         term_start=dt.date(2026, 1, 1), term_end=dt.date(2029, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():  # the same appointment again
        CommitteePosition.objects.create(branch=cast.branch, person=pos.person, position="secretary",
                                         term_start=pos.term_start, term_end=pos.term_end, ended_on=dt.date(2026, 1, 1))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):  # the holder again: nothing to do
        services.appoint(actor=cast.secretary, branch=cast.branch, person=pos.person, position="secretary",
                         term_start=dt.date(2026, 3, 1), replace=True)


def test_an_appointment_is_corrected_and_removed_with_an_audit_entry(cast, client_for):
    pos = _current(cast, Position.PROPAGANDA)
    secretary = client_for("secretary")
    edit = reverse("orgs:position_edit", args=[cast.branch.pk, pos.pk])
    page = secretary.get(edit).content.decode()
    assert f'value="{pos.term_start:%Y-%m-%d}"' in page
    response = secretary.post(edit, {"term_start": "2025-10-01", "term_end": "2028-10-01", "ended_on": ""})
    assert response.status_code == 302
    pos.refresh_from_db()
    assert pos.term_start == dt.date(2025, 10, 1)
    entry = AuditEntry.objects.get(action="orgs.correct_appointment")
    assert entry.changes["term_start"] == ["2025-09-01", "2025-10-01"]
    bad = secretary.post(edit, {"term_start": "2025-10-01", "term_end": "2025-01-01", "ended_on": ""})
    assert bad.status_code == 400
    assert client_for("committee").post(edit, {"term_start": "2025-11-01", "term_end": "2028-10-01"}).status_code == 403
    remove = reverse("orgs:position_remove", args=[cast.branch.pk, pos.pk])
    assert client_for("committee").post(remove).status_code == 403
    assert secretary.post(remove).status_code == 302
    assert not CommitteePosition.objects.filter(pk=pos.pk).exists()
    gone = AuditEntry.objects.get(action="orgs.remove_appointment")
    assert gone.changes["position"] == ["propaganda", None] and gone.actor == cast.secretary


def test_the_home_page_shows_each_holders_own_term(cast, client_for):
    services.appoint(actor=cast.secretary, branch=cast.branch, person=cast.people[4], position="secretary",
                     term_start=dt.date(2026, 2, 1), replace=True)
    html = client_for("member").get(reverse("orgs:home", args=[cast.branch.pk])).content.decode()
    new_end = rules.term_end(dt.date(2026, 2, 1))
    old_end = rules.term_end(dt.date(2025, 9, 1))
    assert f"书记：钱党员 <span class=\"muted\">任期至{new_end.year}年{new_end.month}月{new_end.day}日</span>" in html
    assert f"组织委员：李组织 <span class=\"muted\">任期至{old_end.year}年{old_end.month}月{old_end.day}日</span>" in html


def test_the_branch_creates_and_renames_its_groups(cast, client_for):
    url = reverse("orgs:groups", args=[cast.branch.pk])
    committee = client_for("committee")
    assert committee.post(url, {"name": "第二党小组"}).status_code == 302
    group = Organisation.objects.get(name="第二党小组")
    assert group.parent == cast.branch and group.kind == "group" and group.path == f"{cast.branch.path}{group.pk}/"
    assert committee.post(url, {"name": "第二党小组"}).status_code == 400  # one name once
    edit = reverse("orgs:group_edit", args=[cast.branch.pk, group.pk])
    assert committee.post(edit, {"name": "退休党员小组"}).status_code == 302
    group.refresh_from_db()
    assert group.name == "退休党员小组"
    assert AuditEntry.objects.filter(action="orgs.rename_group", changes__name=["第二党小组", "退休党员小组"]).exists()
    assert client_for("member").post(url, {"name": "我的小组"}).status_code == 403
    other_group = Organisation.objects.create(name="别人的小组", kind="group", parent=cast.other_branch)
    assert committee.get(reverse("orgs:group_edit", args=[cast.branch.pk, other_group.pk])).status_code == 404
    assert "退休党员小组" in committee.get(url).content.decode()


def test_the_people_list_searches_and_filters(cast, client_for, django_assert_max_num_queries):
    url = reverse("orgs:people", args=[cast.branch.pk])
    committee = client_for("committee")
    everyone = committee.get(url)
    assert everyone.status_code == 200 and "no-store" in everyone["Cache-Control"]
    html = everyone.content.decode()
    assert all(p.name in html for p in cast.people)
    assert cast.people[4].phone not in html
    html = committee.get(url, {"q": "积极"}).content.decode()
    assert "冯积极" in html and "王书记" not in html
    html = committee.get(url, {"standing": Standing.PROBATIONARY}).content.decode()
    assert "郑预备" in html and "王书记" not in html
    html = committee.get(url, {"group": cast.group.pk}).content.decode()
    assert "王书记" in html and "钱党员" not in html
    junk = committee.get(url, {"group": "x", "standing": "nope", "q": "a" * 500})
    assert junk.status_code == 200
    assert client_for("member").get(url).status_code == 403
    with django_assert_max_num_queries(12):
        committee.get(url, {"q": "党员"})


def test_the_people_list_fits_a_phone(cast, client_for):
    html = client_for("secretary").get(reverse("orgs:people", args=[cast.branch.pk])).content.decode()
    assert 'class="table-wrap"' in html and 'type="search"' in html and 'class="hide-sm"' in html


def test_the_secretary_post_goes_with_the_secretary_role_when_the_account_is_opened_later(cast):
    person = cast.people[4]
    with clock.frozen(dt.date(2026, 3, 1)):
        services.appoint(actor=cast.secretary, branch=cast.branch, person=person, position="secretary",
                         term_start=dt.date(2026, 3, 1), replace=True)
    user = services.create_account(actor=cast.district_admin, username="qian", password="Qian-secure-88", person=person,
                                   organisation=cast.branch, role="secretary")
    from zhibu.orgs.access import scope_for

    assert scope_for(user).is_secretary(cast.branch)
    assert not scope_for(cast.secretary).is_secretary(cast.branch)


def test_a_secretary_who_transfers_out_is_no_longer_the_secretary(cast):
    from zhibu.orgs.access import scope_for

    services.transfer_out(actor=cast.district_admin, person=cast.secretary_person, date=dt.date(2026, 3, 1), other_org="外区")
    assert not CommitteePosition.objects.filter(person=cast.secretary_person, ended_on__isnull=True).exists()
    assert not scope_for(cast.secretary).is_secretary(cast.branch)
    assert AuditEntry.objects.filter(action="end_term").exists() and AuditEntry.objects.filter(action="orgs.revoke_role").exists()


def test_a_transfer_cannot_be_dated_in_the_future(cast, client_for):
    url = reverse("orgs:transfer_out", args=[cast.branch.pk, cast.people[6].pk])
    with clock.frozen(dt.date(2026, 3, 1)):
        response = client_for("secretary").post(url, {"date": "2026-03-02", "other_org": "外区某支部"})
    assert response.status_code in (200, 400) and "不能晚于今天" in response.content.decode()
    cast.people[6].refresh_from_db()
    assert cast.people[6].active
