"""Findings of the security probe (issue 11) inside a branch: who may appoint, grant roles, reveal,
reset passwords, edit the national holiday table; what the audit log keeps of ID numbers and phones;
what a member sees of the branch. Each test failed before its fix. (Platform findings — keys, login
throttle, headers, error pages, validators — are in test_security_platform.py.)"""
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zhibu.orgs import access
from zhibu.core.models import AuditEntry
from zhibu.orgs.testing import PersonFactory, UserFactory, valid_id_number
from zhibu.orgs import roster, services
from zhibu.orgs.models import CommitteePosition, ForcedPasswordChange, Person, Position, Role, RoleKind

pytestmark = pytest.mark.django_db


def _positions_url(cast):
    return reverse("orgs:positions", args=[cast.branch.pk])


def _appoint_data(person, position="organisation", **extra):
    return {"person": person.pk, "position": position, "term_start": dt.date.today().isoformat(), "term_years": 3, **extra}


# --- High: self-escalation through a committee post ------------------------------------------------

def test_a_committee_member_without_a_post_cannot_appoint_themselves_organisation_member(edge_cast, client_for):
    me = edge_cast.people[3]  # 赵党员: 支委 role, no post
    plain = client_for("plain_committee")
    reveal = reverse("orgs:person_reveal", args=[edge_cast.branch.pk, edge_cast.people[5].pk, "id_number"])
    assert plain.post(reveal).status_code == 403
    assert plain.post(_positions_url(edge_cast), _appoint_data(me, replace="on")).status_code == 403
    assert not CommitteePosition.objects.filter(person=me).exists()
    assert plain.post(reveal).status_code == 403
    assert not AuditEntry.objects.filter(action__in=["reveal", "orgs.appoint"]).exists()


def test_the_organisation_member_cannot_appoint_either_only_the_secretary_and_the_district(cast, client_for):
    target = cast.people[4]
    assert client_for("committee").post(_positions_url(cast), _appoint_data(target, "discipline")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.appoint(actor=cast.committee, branch=cast.branch, person=target, position="discipline", term_start=dt.date(2026, 3, 1))
    assert client_for("secretary").post(_positions_url(cast), _appoint_data(target, "discipline")).status_code == 302
    other = cast.people[5]
    assert client_for("district_admin").post(_positions_url(cast), _appoint_data(other, "deputy")).status_code == 302
    assert set(AuditEntry.objects.filter(action="orgs.appoint").values_list("actor__username", flat=True)) == {"secretary", "district"}


def test_a_post_gives_its_rights_only_through_an_audited_appointment(edge_cast, client_for):
    """The 组织委员 post carries the reveal right: appointed by the 书记, it takes effect (and is logged)."""
    me = edge_cast.people[3]
    reveal = reverse("orgs:person_reveal", args=[edge_cast.branch.pk, edge_cast.people[5].pk, "phone"])
    response = client_for("secretary").post(_positions_url(edge_cast), _appoint_data(me, "organisation", replace="on"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="orgs.appoint")
    assert entry.actor == edge_cast.secretary and entry.changes["position"] == [None, "organisation"]
    assert client_for("plain_committee").post(reveal).status_code == 200
    # The former 组织委员 left the post on the same day: their reveal right went with it.
    assert client_for("committee").post(reveal).status_code == 403


def test_roles_and_posts_name_the_same_secretary(cast, client_for):
    """One answer to "who is the secretary": appointing a new 书记 moves the secretary role with the post."""
    new = cast.people[1]  # 李组织, the committee user
    services.appoint(actor=cast.secretary, branch=cast.branch, person=new, position=Position.SECRETARY,
                     term_start=dt.date.today(), replace=True)
    roles = {u: set(Role.objects.filter(user=getattr(cast, u), organisation=cast.branch).values_list("role", flat=True))
             for u in ("secretary", "committee")}
    assert RoleKind.SECRETARY in roles["committee"]
    assert RoleKind.SECRETARY not in roles["secretary"] and roles["secretary"]  # the former 书记 keeps a member's access
    holder = CommitteePosition.objects.get(branch=cast.branch, position=Position.SECRETARY, ended_on__isnull=True).person
    secretaries = set(Role.objects.filter(organisation=cast.branch, role=RoleKind.SECRETARY).values_list("user_id", flat=True))
    assert secretaries == {holder.user_id}
    assert access.scope_for(cast.committee).is_secretary(cast.branch)
    assert not access.scope_for(cast.secretary).is_secretary(cast.branch)
    assert AuditEntry.objects.filter(action="orgs.revoke_role").exists() and AuditEntry.objects.filter(action="grant_role").exists()


# --- High: role grants ----------------------------------------------------------------------------

def test_the_organisation_member_opens_member_accounts_only(cast, client_for):
    person = cast.people[5]
    url = reverse("orgs:person_account", args=[cast.branch.pk, person.pk])
    committee = client_for("committee")
    page = committee.get(url).content.decode()
    assert 'value="member"' in page and 'value="secretary"' not in page and 'value="committee"' not in page
    for role in ("secretary", "committee"):
        response = committee.post(url, {"username": f"x-{role}", "password": "Long-enough-91", "role": role})
        assert response.status_code in (200, 400) and not get_user_model().objects.filter(username=f"x-{role}").exists()
    with pytest.raises(PermissionDenied):
        services.create_account(actor=cast.committee, username="y", password="Long-enough-91", person=person,
                                organisation=cast.branch, role=RoleKind.SECRETARY)
    assert committee.post(url, {"username": "sunmember", "password": "Long-enough-91", "role": "member"}).status_code == 302


def test_the_secretary_grants_the_committee_role_and_the_secretary_role_only_with_the_post(cast, client_for):
    secretary = client_for("secretary")
    url = reverse("orgs:person_account", args=[cast.branch.pk, cast.people[5].pk])
    refused = secretary.post(url, {"username": "newsec", "password": "Long-enough-91", "role": "secretary"})
    assert "任命" in refused.content.decode() and not get_user_model().objects.filter(username="newsec").exists()
    assert secretary.post(url, {"username": "newcom", "password": "Long-enough-91", "role": "committee"}).status_code == 302
    assert Role.objects.filter(user__username="newcom", role=RoleKind.COMMITTEE).exists()



def test_the_district_opens_an_account_for_a_branch_and_grants_its_role(cast, client_for):
    person = cast.people[6]
    url = reverse("orgs:person_account", args=[cast.branch.pk, person.pk])
    district = client_for("district_admin")
    assert "开通账号" in district.get(reverse("orgs:person", args=[cast.branch.pk, person.pk])).content.decode()
    assert district.post(url, {"username": "zhoucom", "password": "Long-enough-91", "role": "committee"}).status_code == 302
    assert Role.objects.filter(user__username="zhoucom", organisation=cast.branch, role=RoleKind.COMMITTEE).exists()
    assert client_for("auditor").get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.create_account(actor=cast.member, username="m2", password="Long-enough-91", person=cast.people[7],
                                organisation=cast.branch, role=RoleKind.MEMBER)


# --- High: the "already registered elsewhere" message ------------------------------------------------

def test_the_roster_import_does_not_name_a_registration_in_another_district(edge_cast):
    foreign = Person.objects.get(branch=edge_cast.other_district_branch)
    near = edge_cast.outsider_person  # another branch of the same district
    rows = [(2, ["甲", "女", None, "", "", foreign.id_number, "", "", "", "", None, None, ""]),
            (3, ["乙", "女", None, "", "", near.id_number, "", "", "", "", None, None, ""])]
    from zhibu.core.crypto import digest

    existing = {digest(foreign.id_number): (foreign.pk, None), digest(near.id_number): (near.pk, near.branch_id)}
    _clean, errors = roster.validate(rows, branch_id=edge_cast.branch.pk, groups={}, existing=existing)
    by_row = {e.row: e.message for e in errors}
    assert "其他支部" not in by_row[2] and "登记" in by_row[2]
    assert "本区其他支部" in by_row[3]


def test_the_roster_import_page_maps_other_districts_to_the_anonymous_message(edge_cast, client_for):
    foreign = Person.objects.get(branch=edge_cast.other_district_branch)
    data = roster._workbook_bytes([["外人", "女", foreign.birth_date, "汉族", "", foreign.id_number, "", "", "在职", "群众",
                                    None, None, ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.xlsx", data)
    page = client_for("secretary").post(reverse("orgs:roster_import", args=[edge_cast.branch.pk]), {"file": upload})
    html = page.content.decode()
    assert page.status_code == 400 and "其他支部" not in html and "联系上级党委" in html


def test_without_the_reveal_right_no_id_number_is_typed_so_nothing_is_learnt(edge_cast, client_for):
    """A 支委 without a post adds people without ID numbers: "already registered" cannot be probed."""
    plain = client_for("plain_committee")
    url = reverse("orgs:person_create", args=[edge_cast.branch.pk])
    assert 'name="id_number"' not in plain.get(url).content.decode()
    response = plain.post(url, {"name": "试探", "gender": "女", "standing": "masses", "employment": "in_service",
                                "id_number": edge_cast.outsider_person.id_number})
    assert "已登记" not in response.content.decode()
    created = Person.objects.get(name="试探")
    assert created.id_number == ""


# --- Medium: audit of ID numbers and phones, masked edit page, no-store ------------------------------

def test_a_changed_id_number_or_phone_is_logged_masked(cast):
    person = cast.people[4]
    old_id, new_id = person.id_number, valid_id_number(person.birth_date)
    services.update_person(actor=cast.secretary, person=person, id_number=new_id, phone="13912345678")
    entry = AuditEntry.objects.get(action="update", object_id=str(person.pk))
    assert entry.changes["id_number"] == [old_id[:6] + "*" * 8 + old_id[-4:], new_id[:6] + "*" * 8 + new_id[-4:]]
    assert entry.changes["phone"][1] == "139****5678"
    text = str(entry.changes)
    assert old_id not in text and new_id not in text and "13912345678" not in text


def test_the_edit_page_masks_the_id_and_phone_and_a_round_trip_keeps_them(cast, client_for):
    person = cast.people[4]
    url = reverse("orgs:person_edit", args=[cast.branch.pk, person.pk])
    secretary = client_for("secretary")
    page = secretary.get(url)
    html = page.content.decode()
    assert person.id_number not in html and person.phone not in html
    assert person.id_number_masked in html and person.phone_masked in html
    assert reverse("orgs:person_reveal", args=[cast.branch.pk, person.pk, "id_number"]) in html  # edit through the reveal
    assert "no-store" in page["Cache-Control"]
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["group"] = data["group"] or ""
    assert secretary.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.id_number and person.phone and person.birth_date == dt.date(1985, 6, 1)
    assert not AuditEntry.objects.filter(action="update", object_id=str(person.pk)).exists()  # nothing changed


@pytest.mark.parametrize("name,args", [
    ("orgs:person", "person"), ("orgs:person_edit", "person"), ("orgs:people", None), ("orgs:roster_export", None),
    ("orgs:home", None), ("orgs:person_account", "unregistered"),
])
def test_pages_with_sensitive_data_are_not_cached(cast, client_for, name, args):
    kwargs = {"org_id": cast.branch.pk}
    if args == "person":
        kwargs["person_id"] = cast.people[4].pk
    elif args == "unregistered":
        kwargs["person_id"] = cast.people[5].pk
    response = client_for("secretary").get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    reveal = client_for("secretary").post(reverse("orgs:person_reveal", args=[cast.branch.pk, cast.people[4].pk, "phone"]))
    assert "no-store" in reveal["Cache-Control"]


# --- Medium: normalisation -------------------------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_digits_do_not_bypass_one_id_per_person(cast):
    taken = cast.people[4].id_number
    with pytest.raises(ValidationError) as exc:
        services.create_person(actor=cast.secretary, branch=cast.branch, name="全角", gender="女",
                               id_number=taken.translate(FULL_WIDTH))
    assert "已登记" in str(exc.value)
    person = services.create_person(actor=cast.secretary, branch=cast.branch, name="全角手机", gender="女",
                                    phone="１３９ ００００-１１１１")
    assert person.phone == "13900001111"


def test_a_lower_case_x_and_full_width_x_are_one_id(cast, client_for):
    first17 = "11010519491231002"
    from zhibu.orgs.rules import id_check_char

    value = first17 + id_check_char(first17)
    if not value.endswith("X"):
        first17 = "11010519491231003"
        value = first17 + id_check_char(first17)
    PersonFactory(branch=cast.branch, name="已在册", birth_date=dt.date(1949, 12, 31), id_number=value)
    url = reverse("orgs:person_create", args=[cast.branch.pk])
    for spelling in (value.lower(), value.translate(FULL_WIDTH), value[:-1] + "ｘ"):
        response = client_for("secretary").post(url, {"name": "重复", "gender": "女", "standing": "masses",
                                                      "employment": "in_service", "id_number": spelling})
        assert "已登记" in response.content.decode(), spelling
    assert not Person.objects.filter(name="重复").exists()


# --- Medium: the national working-day calendar -------------------------------------------------------

def test_only_a_site_administrator_edits_the_holiday_table_and_every_change_is_audited(cast, client_for):
    from zhibu.workdays import services as workdays
    from zhibu.workdays.models import HolidayDay

    url = reverse("workdays:holidays", args=[cast.district.pk])
    data = {"action": "set", "date": "2027-10-01", "is_workday": "0", "name": "国庆节"}
    assert client_for("district_admin").post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        workdays.set_holiday(actor=cast.district_admin, date=dt.date(2027, 10, 1), is_workday=False, name="国庆节")
    assert not HolidayDay.objects.exists()
    root = Client()
    root.force_login(UserFactory(username="root", is_superuser=True))
    assert root.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="workdays.set_holiday")
    assert entry.actor.username == "root" and entry.changes["name"] == [None, "国庆节"]


# --- Medium: dates ---------------------------------------------------------------------------------

def test_the_person_edit_form_round_trip_keeps_the_birth_date(cast, client_for):
    """The form filled 1993/03/25, which <input type=date> drops: saving then cleared the birth date."""
    person = cast.people[4]
    url = reverse("orgs:person_edit", args=[cast.branch.pk, person.pk])
    secretary = client_for("secretary")
    page = secretary.get(url)
    html = page.content.decode()
    assert f'value="{person.birth_date:%Y-%m-%d}"' in html and "1985/06/01" not in html
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["name"] = "改名后"
    assert secretary.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.name == "改名后" and person.birth_date == dt.date(1985, 6, 1)
    assert person.admitted_on == dt.date(2010, 7, 1) and person.full_on == dt.date(2011, 7, 1)


@pytest.mark.parametrize("birth,message", [("1899-12-31", "1900"), ("2999-01-01", "1900"), ("1986-06-01", "身份证号不一致")])
def test_birth_dates_are_plausible_and_agree_with_the_id_number(cast, client_for, birth, message):
    person = cast.people[4]  # ID number carries 1985-06-01
    url = reverse("orgs:person_edit", args=[cast.branch.pk, person.pk])
    form = client_for("secretary").get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["birth_date"] = birth
    response = client_for("secretary").post(url, data)
    assert response.status_code in (200, 400) and message in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date == dt.date(1985, 6, 1)
    with pytest.raises(ValidationError):
        services.update_person(actor=cast.secretary, person=person, birth_date=dt.date(1986, 6, 1))


def test_the_appointment_form_fills_a_valid_iso_default_date(cast, client_for):
    html = client_for("secretary").get(_positions_url(cast)).content.decode()
    assert f'value="{dt.date.today():%Y-%m-%d}"' in html


# --- Medium: passwords -------------------------------------------------------------------------------

def test_every_user_changes_their_password(cast, client_for):
    member = client_for("member")
    url = reverse("orgs:password_change")
    assert member.get(url).status_code == 200
    weak = member.post(url, {"old_password": "test-pass-123", "new_password1": "11111111", "new_password2": "11111111"})
    assert weak.status_code == 400 and "数字" in weak.content.decode()
    wrong = member.post(url, {"old_password": "nope", "new_password1": "Quiet-river-42", "new_password2": "Quiet-river-42"})
    assert wrong.status_code == 400
    ok = member.post(url, {"old_password": "test-pass-123", "new_password1": "Quiet-river-42", "new_password2": "Quiet-river-42"})
    assert ok.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.check_password("Quiet-river-42")
    assert AuditEntry.objects.filter(action="orgs.change_password", actor=cast.member).exists()
    assert member.get(reverse("orgs:home", args=[cast.branch.pk])).status_code == 200  # still signed in


def test_the_secretary_resets_a_password_and_the_member_must_change_it_at_next_login(cast, client_for):
    url = reverse("orgs:password_reset", args=[cast.branch.pk, cast.member_person.pk])
    assert client_for("committee").post(url, {"password1": "Temp-pass-555", "password2": "Temp-pass-555"}).status_code == 403
    secretary = client_for("secretary")
    weak = secretary.post(url, {"password1": "password", "password2": "password"})
    assert weak.status_code == 400 and "常见" in weak.content.decode()
    assert secretary.post(url, {"password1": "Temp-pass-555", "password2": "Temp-pass-555"}).status_code == 302
    assert ForcedPasswordChange.objects.filter(user=cast.member).exists()
    assert AuditEntry.objects.filter(action="orgs.reset_password", actor=cast.secretary).exists()
    c = Client()
    assert c.post(reverse("core:login"), {"username": "member", "password": "Temp-pass-555"}).status_code == 302
    home = reverse("orgs:home", args=[cast.branch.pk])
    assert c.get(home)["Location"] == reverse("orgs:password_change")
    assert c.get(reverse("dues:index", args=[cast.branch.pk]))["Location"] == reverse("orgs:password_change")
    assert "临时密码" in c.get(reverse("orgs:password_change")).content.decode()
    c.post(reverse("orgs:password_change"), {"old_password": "Temp-pass-555", "new_password1": "Own-choice-777",
                                             "new_password2": "Own-choice-777"})
    assert c.get(home).status_code == 200
    assert not ForcedPasswordChange.objects.filter(user=cast.member).exists()


# --- Low: what a member sees of the branch ----------------------------------------------------------------

def test_a_member_sees_counts_of_applicants_activists_and_candidates_not_names(cast, client_for):
    from zhibu.orgs.models import Standing

    PersonFactory(branch=cast.branch, name="申请人甲", standing=Standing.APPLICANT, admitted_on=None, full_on=None)
    PersonFactory(branch=cast.branch, name="发展对象乙", standing=Standing.CANDIDATE, admitted_on=None, full_on=None)
    url = reverse("orgs:home", args=[cast.branch.pk])
    member = client_for("member").get(url).content.decode()
    for name in ("冯积极", "申请人甲", "发展对象乙"):
        assert name not in member
    assert "入党积极分子" in member and "王书记" in member
    committee = client_for("committee").get(url).content.decode()
    assert all(name in committee for name in ("冯积极", "申请人甲", "发展对象乙"))


def test_the_roster_import_normalises_and_checks_birth_dates_too(cast):
    rows = [(2, ["甲", "女", dt.date(1850, 1, 1), "", "", "", "１３９ ０００１-２２２２", "", "", "", None, None, ""]),
            (3, ["乙", "女", None, "", "", valid_id_number().lower().translate(FULL_WIDTH), "", "", "", "", None, None, ""])]
    clean, errors = roster.validate(rows, branch_id=cast.branch.pk, groups={}, existing={})
    assert [(e.row, e.column) for e in errors] == [(2, "出生日期")] and "1900" in errors[0].message
    assert clean[0]["id_number"].isascii() and clean[0]["id_number"] == clean[0]["id_number"].upper()
    rows[0][1][2] = None
    clean, errors = roster.validate(rows, branch_id=cast.branch.pk, groups={}, existing={})
    assert not errors and clean[0]["phone"] == "13900012222"
