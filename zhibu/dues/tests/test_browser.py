"""The secretary fills a month sheet from the keyboard (pre-filled only on request), saves it a second
time without recording the rows she cleared, corrects one payment by a reversal, and the member's
statement, the branch's arrears list and the home panel agree with the ledger."""
import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db.models import Sum

from zhibu.core import clock
from zhibu.dues.models import LedgerEntry
from zhibu.dues.tests.helpers import give_profiles, members

FEB = dt.date(2026, 2, 1)


@pytest.mark.browser
def test_month_sheet_reversal_statement_and_arrears_agree(live_cast, browser_page, login):
    cast, page = live_cast, browser_page
    with clock.frozen(dt.date(2026, 3, 20)):
        give_profiles(cast, month=FEB)  # 4500.00 → 45.00 a month from February
        people = members(cast)
        member, absent, mistyped = cast.member_person, people[4], people[3]
        b = cast.branch.pk

        login(page, "secretary")
        page.goto(f"/o/{b}/dues/sheet/?month=2026-02")
        order = [int(x) for x in page.locator("#sheet-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.person)")]
        assert sorted(order) == sorted(p.pk for p in people)
        first = next(p for p in people if p.pk == order[0])
        amount = page.locator(f"input[name=amount_{first.pk}]")
        assert amount.input_value() == ""  # nothing is pre-filled: only what is typed is recorded
        page.click("#prefill-all")  # 按应交额填入
        page.wait_for_load_state("networkidle")
        assert amount.input_value() == "45.00"
        # Keyboard: amount → Tab → receipt of the same row → Tab → next member's amount.
        amount.focus()
        page.keyboard.press("Tab")
        page.keyboard.type("R-001")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.name")
        assert focused == f"amount_{order[1]}"
        page.fill(f"input[name=amount_{member.pk}]", "")  # did not pay
        page.fill(f"input[name=amount_{absent.pk}]", "")
        page.fill(f"input[name=amount_{mistyped.pk}]", "40.00")  # a typing error (少交), corrected below
        assert page.locator("#sheet-count").inner_text() == "将登记 7 条交纳记录"  # said before saving
        page.click("#month-sheet button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "已登记 7 条交纳记录（7 人）" in page.content()
        assert LedgerEntry.objects.get(person=first, month=FEB).receipt_number == "R-001"
        assert "少交，尚欠 5.00" in page.locator(f'#sheet-table tr[data-person="{mistyped.pk}"]').inner_text()

        # The second save: the rows cleared before are empty, not re-filled; saving records nothing for them.
        assert page.locator(f"input[name=amount_{member.pk}]").input_value() == ""
        assert page.locator(f"input[name=amount_{first.pk}]").count() == 0  # paid in full: no amount field
        second = next(p for p in people if p.pk == order[1])
        page.fill(f"input[name=receipt_{second.pk}]", "R-002")  # a receipt number for a row already paid
        page.click("#month-sheet button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "补记收据号 1 条" in page.content()
        assert not LedgerEntry.objects.filter(person__in=[member, absent], month=FEB).exists()
        assert LedgerEntry.objects.filter(month=FEB).count() == 7
        assert LedgerEntry.objects.get(person=second, month=FEB).receipt_number == "R-002"

        # Correct the mistyped payment: a reversal plus the right amount; the original stays.
        page.goto(f"/o/{b}/dues/members/{mistyped.pk}/?year=2026")
        page.click("text=冲正/更正")
        page.fill("input[name=reason]", "金额录入错误")
        page.fill("input[name=amount]", "45.00")
        page.click("#reverse-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "已冲正" in page.content()
        rows = page.locator("#statement-entries tbody tr")
        assert rows.count() == 3
        assert page.locator("#paid-total").inner_text() == "45.00"
        original = LedgerEntry.objects.get(person=mistyped, month=FEB, reverses__isnull=True, amount_paid=D("40.00"))
        assert LedgerEntry.objects.filter(reverses=original, amount_paid=D("-40.00")).exists()
        assert LedgerEntry.objects.filter(person=mistyped).aggregate(s=Sum("amount_paid"))["s"] == D("45.00")

        # The branch's arrears list: exactly the two who did not pay, 1 month each (February), 45.00 owed.
        page.goto(f"/o/{b}/dues/arrears/")
        listed = {}
        for row in page.locator("#arrears-table tbody tr[data-person]").all():
            listed[int(row.get_attribute("data-person"))] = int(row.locator("td.months").inner_text())
            assert row.locator("td.owed-total").inner_text() == "45.00"
        assert listed == {member.pk: 1, absent.pk: 1}
        ledger_unpaid = {p.pk for p in people} - set(
            LedgerEntry.objects.filter(month=FEB, reverses__isnull=True, reversed_by__isnull=True).values_list("person_id", flat=True))
        assert set(listed) == ledger_unpaid

        # The member's own statement agrees: February unpaid, nothing paid, 1 month in arrears.
        page.context.clear_cookies()
        login(page, "member")
        page.goto(f"/o/{b}/dues/")
        assert re.search(rf"/dues/members/{member.pk}/$", page.url)
        assert page.locator("#arrears-count").inner_text() == str(listed[member.pk])
        assert page.locator("#paid-total").inner_text() == "0.00"
        feb = page.locator('#statement-months tr[data-month="2026-02"]')
        assert "未交" in feb.inner_text() and "45.00" in feb.inner_text()
        assert page.locator("#owed-total").inner_text() == "45.00"  # the same 待补交 as the arrears list
        # The branch home's dues panel (loaded by htmx) shows the same.
        page.goto(f"/o/{b}/")
        panel = page.locator("#dues-panel")
        panel.get_by_text("我的党费").wait_for()
        assert "未交" in panel.inner_text()
        # and cannot open anyone else's
        response = page.goto(f"/o/{b}/dues/members/{mistyped.pk}/")
        assert response.status == 403
