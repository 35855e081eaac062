"""Browser journeys of the foundation: sign in, the branch home on a phone, a roster import that
fails on one row and writes nothing."""
import datetime as dt

import pytest

from zhibu.orgs.testing import valid_id_number
from zhibu.orgs import roster
from zhibu.orgs.models import Person

pytestmark = pytest.mark.browser


def test_secretary_signs_in_on_a_phone_and_sees_the_branch(live_cast, phone_page, login):
    login(phone_page, "secretary")
    page = phone_page
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "阳光幼儿园党支部" in page.locator("header").inner_text()
    assert page.get_by_text("支部委员会").is_visible()
    assert page.get_by_text("书记：王书记").is_visible()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_wrong_password_is_refused_in_chinese(live_cast, browser_page, login):
    login(browser_page, "secretary", "wrong-password")
    assert "用户名或密码不正确" in browser_page.content()


def test_roster_import_with_a_bad_row_reports_it_and_writes_nothing(live_cast, browser_page, login, tmp_path):
    rows = []
    for i in range(30):
        birth = dt.date(1985, 1, 1 + i % 28)
        rows.append([f"导入{i}", "女", birth, "汉族", "本科", valid_id_number(birth), "", "教师", "在职", "群众", None, None, ""])
    rows[9][5] = "320902198501100000"  # bad checksum, spreadsheet row 11
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster._workbook_bytes(rows))
    before = Person.objects.count()
    login(browser_page, "secretary")
    browser_page.goto(f"/o/{live_cast.branch.pk}/roster/import/")
    browser_page.set_input_files("input[type=file]", str(path))
    browser_page.click("button[type=submit]")
    table = browser_page.locator("#import-errors").inner_text()
    assert "第11行" in table and "身份证号" in table
    assert "未写入任何数据" in browser_page.content()
    assert Person.objects.count() == before
