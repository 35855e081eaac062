"""The issue's "done when" (transfers): a member moves from one demo branch to another with one
approval by the district, and keeps their dues ledger and history, visible from the new branch."""

import datetime as dt
from decimal import Decimal

import pytest

from zhibu.core import clock
from zhibu.dues.models import DuesBase, LedgerEntry
from zhibu.membership.models import TransferCase

TODAY = dt.date(2026, 3, 10)


@pytest.mark.browser
def test_member_moves_with_one_approval_and_keeps_ledger_and_history(live_cast, browser_page, login):
    cast = live_cast
    b, other = cast.branch.pk, cast.other_branch.pk
    member = cast.member_person
    DuesBase.objects.create(
        person=member, category="in_service", base=Decimal("4000"), effective_month=dt.date(2025, 1, 1)
    )
    for m in (1, 2):
        LedgerEntry.objects.create(
            person=member,
            branch=cast.branch,
            month=dt.date(2026, m, 1),
            amount_due=Decimal("40"),
            amount_paid=Decimal("40"),
            paid_on=dt.date(2026, m, 5),
            receipt_number=f"R-{m}",
        )
    page = browser_page
    with clock.frozen(TODAY):
        login(page, "secretary")
        page.goto(f"/o/{b}/membership/new/?person={member.pk}")
        page.select_option("select[name=kind]", "within")
        page.select_option("select[name=to_branch]", str(other))
        page.fill("input[name=dues_paid_to]", "2026-02-01")
        page.fill("input[name=reason]", "工作调动至育才小学")
        page.click("#membership-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "待上级审批" in page.locator("h1").inner_text()
        case = TransferCase.objects.get(person=member)

        page.context.clear_cookies()
        login(page, "district")
        page.goto(f"/o/{cast.district.pk}/approvals/")
        page.click(f"text={member.name}")
        page.wait_for_load_state("networkidle")
        page.fill("#approve-form input[name=on]", TODAY.isoformat())
        page.click("#approve-form button[type=submit]")
        page.wait_for_load_state("networkidle")

        member.refresh_from_db()
        case.refresh_from_db()
        assert member.branch_id == other and member.active and case.state == "done"
        # From the new branch: the history of the move and the ledger kept at the old branch.
        page.goto(f"/o/{other}/membership/people/{member.pk}/")
        history = page.locator("#transfers").inner_text()
        assert cast.branch.name in history and cast.other_branch.name in history and "党费交至2026年2月" in history
        page.goto(f"/o/{other}/dues/members/{member.pk}/?year=2026")
        for m in ("2026-01", "2026-02"):
            assert "40.00" in page.locator(f"tr[data-month='{m}'] .paid").inner_text()
        page.goto(f"/o/{other}/people/")
        assert member.name in page.content()
