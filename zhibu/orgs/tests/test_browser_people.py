"""Browser journeys of issues 10 and 11 in orgs: the person edit form saved as the browser sends it keeps
the birth date; appointing over a sitting 书记 asks first; a reset password is changed at next login."""
import datetime as dt

import pytest

from zhibu.orgs.models import CommitteePosition, Person

pytestmark = pytest.mark.browser


def test_saving_the_person_form_unchanged_keeps_the_dates(live_cast, browser_page, login):
    person = live_cast.people[4]
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/people/{person.pk}/edit/")
    assert browser_page.input_value("input[name=birth_date]") == "1985-06-01"
    assert browser_page.input_value("input[name=id_number]") == ""  # masked: only the placeholder
    browser_page.click("button[type=submit]")
    browser_page.wait_for_url(f"**/people/{person.pk}/")
    person.refresh_from_db()
    assert person.birth_date == dt.date(1985, 6, 1) and person.admitted_on == dt.date(2010, 7, 1)
    assert person.id_number and person.phone


def test_appointing_a_new_secretary_asks_for_confirmation(live_cast, browser_page, login):
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/committee/")
    browser_page.select_option("select[name=person]", str(live_cast.people[4].pk))
    browser_page.select_option("select[name=position]", "secretary")
    browser_page.click("form.card button[type=submit]")
    assert "现由王书记担任" in browser_page.content(), browser_page.locator("main").inner_text()
    assert CommitteePosition.objects.get(position="secretary", ended_on__isnull=True).person_id == live_cast.people[0].pk
    browser_page.check("input[name=replace]")
    browser_page.click("form.card button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    assert "已任命" in browser_page.content()
    assert CommitteePosition.objects.get(position="secretary", ended_on__isnull=True).person_id == live_cast.people[4].pk


def test_a_reset_password_is_changed_at_the_next_login_on_a_phone(live_cast, browser_page, phone_page, login):
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/people/{live_cast.member_person.pk}/password/")
    browser_page.fill("input[name=password1]", "Temp-pass-555")
    browser_page.fill("input[name=password2]", "Temp-pass-555")
    browser_page.click("form.card button[type=submit]")
    browser_page.wait_for_load_state("networkidle")
    assert "本人下次登录时须修改" in browser_page.content()
    login(phone_page, "member", "Temp-pass-555")
    assert phone_page.url.endswith("/password/") and "临时密码" in phone_page.content()
    phone_page.goto(f"/o/{live_cast.branch.pk}/")
    assert phone_page.url.endswith("/password/")
    phone_page.fill("input[name=old_password]", "Temp-pass-555")
    phone_page.fill("input[name=new_password1]", "Own-choice-777")
    phone_page.fill("input[name=new_password2]", "Own-choice-777")
    phone_page.click("form.card button[type=submit]")
    phone_page.wait_for_load_state("networkidle")
    phone_page.goto(f"/o/{live_cast.branch.pk}/")
    assert "阳光幼儿园党支部" in phone_page.locator("header").inner_text()
    assert Person.objects.get(pk=live_cast.member_person.pk).user.check_password("Own-choice-777")
