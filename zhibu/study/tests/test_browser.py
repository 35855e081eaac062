"""Issue 16, done when: the secretary records a 全体教职工 political study with two non-member staff
present; hours appear for members; a member uploads a 心得 on a phone; the quota shows one left; a
学习强国 file with one bad row is refused with the row named; the yearly table shows who is below 32."""

import pytest

from zhibu.core import clock
from zhibu.study.models import Quota, Session


@pytest.mark.browser
def test_staff_study_hours_reflection_quota_xuexi_and_the_yearly_table(
    live_cast, browser_page, phone_page, login, tmp_path
):
    cast = live_cast
    b = cast.branch.pk
    today = clock.today()
    Quota.objects.create(branch=cast.branch, year=today.year, kind="reflections", value=2)

    page = browser_page
    login(page, "secretary")
    page.goto(f"/o/{b}/study/new/?audience=staff")
    page.fill("input[name=date]", today.isoformat())
    page.select_option("select[name=length]", "hours")
    page.fill("input[name=hours]", "2")
    page.fill("input[name=topic]", "全体教职工政治学习")
    page.fill("input[name=speaker]", "王书记")
    for name in ("陈老师", "冯积极"):  # the two non-member staff are on the list, already ticked
        assert page.get_by_label(name, exact=False).first.is_checked()
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("#attendees-others")
    assert "非党员教职工 2 人" in page.inner_text("#attendees-others")
    assert Session.objects.get().attendance.count() == len(cast.people)

    page.goto(f"/o/{b}/study/hours/")
    row = page.inner_text("tr[data-person=钱党员]")
    assert "2" in row and "差30学时" in row  # hours appear for members: 32 − 2

    phone = phone_page
    login(phone, "member")
    phone.goto(f"/o/{b}/study/me/")
    phone.fill("input[name=refl-title]", "政治学习心得")
    phone.fill("textarea[name=refl-text]", "通过这次学习，我深刻认识到立德树人的重要意义。")
    assert "已写" in phone.inner_text(".char-count")
    phone.click("#reflection-form button[type=submit]")
    phone.wait_for_selector("#my-quotas")
    assert "还差 1 篇" in phone.inner_text("#my-quotas")

    bad = tmp_path / "积分.csv"
    bad.write_text(f"姓名,日期,积分\n张党员,{today},35\n查无此人,{today},30\n李组织,{today},40\n", encoding="utf-8")
    page.goto(f"/o/{b}/study/xuexi/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#import-errors")
    assert "第3行" in page.inner_text("#import-errors") and "查无此人" in page.inner_text("#import-errors")

    page.goto(f"/o/{b}/study/hours/")
    assert "差30学时" in page.inner_text("tr[data-person=赵党员]")
    assert "未达到的" in page.inner_text("#below-count")
