"""Every form, once, as a secretary meets it: a double click and a resubmission after the back
button write one record."""
import re

import pytest

from zhibu.orgs.models import Person

pytestmark = pytest.mark.browser


def _fill_person(page, name):
    page.fill("input[name=name]", name)
    page.select_option("select[name=gender]", "女")
    page.select_option("select[name=standing]", "masses")
    page.select_option("select[name=employment]", "in_service")


def test_a_double_click_on_save_creates_one_person(browser_page, live_cast, login):
    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{live_cast.branch.pk}/people/new/")
    _fill_person(page, "双击测试")
    page.locator("main form[method=post] button[type=submit], main form[method=post] button:not([type])").last.dblclick()
    page.wait_for_url(re.compile(r"/people/\d+/$"))  # the navigation may start after the network is idle
    page.wait_for_load_state("networkidle")
    assert Person.objects.filter(name="双击测试").count() == 1


def test_resubmitting_the_same_form_after_back_writes_nothing_twice(browser_page, live_cast, login):
    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{live_cast.branch.pk}/people/new/")
    _fill_person(page, "返回重交")
    token = page.locator("main form[method=post] input[name=_once]").last.input_value()
    assert len(token) == 32
    submit = page.locator("main form[method=post] button[type=submit], main form[method=post] button:not([type])").last
    submit.click()
    page.wait_for_load_state("networkidle")
    assert Person.objects.filter(name="返回重交").count() == 1
    # The same rendered form sent again (what the back button and "resubmit" do with a cached page).
    page.go_back()
    page.wait_for_load_state("networkidle")
    form_token = page.locator("main form[method=post] input[name=_once]").last.input_value()
    if form_token != token:
        # The page was rendered anew (not restored from the back-forward cache): put the first
        # render's token back, as a restored page would have it.
        page.evaluate("t => { document.querySelectorAll('main form[method=post] input[name=_once]').forEach(i => i.value = t); }", token)
    _fill_person(page, "返回重交")
    page.locator("main form[method=post] button[type=submit], main form[method=post] button:not([type])").last.click()
    page.wait_for_load_state("networkidle")
    assert Person.objects.filter(name="返回重交").count() == 1
    assert "没有重复保存" in page.content()
