"""组织关系接转 and 党费: a member transferred in owes from the month after the letter's 党费交至 (earlier
months were paid at the old branch, never arrears); a member transferred out owes nothing from the
month they left, leaves the current month sheet, and keeps their ledger and statement."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.dues import reminders, selectors, services
from zhibu.dues.tests.helpers import give_profiles, members, pay
from zhibu.orgs import services as orgs_services

JAN, FEB, MAR, APR, MAY, JUN = (dt.date(2026, m, 1) for m in range(1, 7))
TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def arrive(cast, *, paid_to=FEB, date=dt.date(2026, 3, 5), name="转入者", profile_from=JAN):
    t = orgs_services.transfer_in(actor=cast.secretary, branch=cast.branch, date=date, other_org="外区某党支部",
                                  dues_paid_to=paid_to, name=name, gender="男", standing="full",
                                  admitted_on=dt.date(2000, 1, 1), full_on=dt.date(2001, 1, 1))
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=t.person, category="in_service",
                         base=D("4500"), effective_month=profile_from)
    return t.person


def leave(cast, person, *, date=dt.date(2026, 3, 10), paid_to=FEB):
    orgs_services.transfer_out(actor=cast.secretary, person=person, date=date, other_org="育才小学党支部",
                               letter_number="2026-07", dues_paid_to=paid_to)
    person.refresh_from_db()
    return person


def row(close, person):
    return next((r for r in close.rows if r.person_id == person.pk), None)


@pytest.fixture
def ledger(cast):
    """Everyone has a profile from January (due 45.00) and has paid January to May."""
    give_profiles(cast)
    for p in members(cast):
        for m in range(1, 6):
            pay(cast, p, dt.date(2026, m, 1), paid_on=dt.date(2026, m, 10))
    return cast


# --- transferred in ---------------------------------------------------------------------------


def test_transfer_in_owes_from_the_month_after_dues_paid_to(ledger):
    person = arrive(ledger)  # profile from January, but paid at the old branch up to February
    r = row(selectors.current_arrears(ledger.branch, TODAY), person)
    assert (r.arrears, r.first_unpaid, r.paid_elsewhere_to) == (3, MAR, FEB)  # March, April, May — not 5
    feb = row(selectors.month_close(ledger.branch, FEB), person)
    assert feb.elsewhere and not feb.owes and feb.arrears == 0
    mar = row(selectors.month_close(ledger.branch, MAR), person)
    assert not mar.elsewhere and mar.owes and mar.due == D("45.00")


def test_transfer_in_months_paid_elsewhere_are_not_owed_here(ledger):
    arrive(ledger)
    nine = len(members(ledger))
    feb = selectors.month_close(ledger.branch, FEB).branches[ledger.branch.pk]
    assert (feb.members, feb.owing, feb.paid, feb.due_total) == (nine + 1, nine, nine, D("405.00"))
    mar = selectors.month_close(ledger.branch, MAR).branches[ledger.branch.pk]
    assert (mar.owing, mar.paid, mar.due_total) == (nine + 1, nine, D("450.00"))
    coll = selectors.year_collection(ledger.branch, 2026, 6)
    assert [m.owing for m in coll[:4]] == [nine, nine, nine + 1, nine + 1]


def test_transfer_in_paying_clears_and_never_counts_before(ledger):
    person = arrive(ledger, paid_to=APR)
    assert row(selectors.current_arrears(ledger.branch, TODAY), person).arrears == 1  # May only
    pay(ledger, person, MAY, paid_on=TODAY)
    assert row(selectors.current_arrears(ledger.branch, TODAY), person).arrears == 0


def test_transfer_in_without_dues_paid_to_owes_from_arrival(ledger):
    person = arrive(ledger, paid_to=None, date=dt.date(2026, 4, 20))
    r = row(selectors.current_arrears(ledger.branch, TODAY), person)
    assert (r.arrears, r.first_unpaid, r.paid_elsewhere_to) == (2, APR, None)


def test_transfer_in_arrears_from_the_old_branch_follow_the_letter(ledger):
    """The letter says paid to 2025-11: December on is owed here (from the first profile month, January)."""
    person = arrive(ledger, paid_to=dt.date(2025, 11, 1), profile_from=dt.date(2025, 12, 1))
    r = row(selectors.current_arrears(ledger.branch, TODAY), person)
    assert (r.arrears, r.first_unpaid) == (6, dt.date(2025, 12, 1))


def test_transfer_in_reminders_count_from_the_letter(ledger):
    """Counted from January (the profile) he would be 5 months behind and escalated; from the letter, 3."""
    person = arrive(ledger)
    assert not any(f"escalate:person={person.pk}:" in r.key for r in reminders.collect(TODAY))
    with clock.frozen(dt.date(2026, 8, 10)):  # March–July: 5 months → escalated to the secretary
        assert any(f"escalate:person={person.pk}:from=2026-03" in r.key for r in reminders.collect(dt.date(2026, 8, 10)))


def test_transfer_in_sheet_and_statement(ledger, client_for):
    person = arrive(ledger)
    c = client_for("secretary")
    sheet = reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk})
    feb = c.get(sheet, {"month": "2026-02", "prefill": "1"})
    html = feb.content.decode()
    assert "党费交至2026年2月（原支部）" in html and "原支部已交" in html
    assert feb.context["form"].fields[f"amount_{person.pk}"].initial is None  # not prefilled: paid elsewhere
    mar = c.get(sheet, {"month": "2026-03", "prefill": "1"})
    assert mar.context["form"].fields[f"amount_{person.pk}"].initial == D("45.00")
    page = c.get(reverse("dues:member", kwargs={"org_id": ledger.branch.pk, "person_id": person.pk}))
    html = page.content.decode()
    assert "党费交至 2026年2月（原支部）" in html
    st = page.context["st"]
    assert [m.status for m in st.months] == ["elsewhere", "elsewhere", "unpaid", "unpaid", "unpaid", "unpaid"]
    assert st.due_total == D("180.00") and st.arrears.arrears == 3
    xlsx = c.get(reverse("dues:member_export", kwargs={"org_id": ledger.branch.pk, "person_id": person.pk}))
    assert xlsx.status_code == 200


# --- transferred out --------------------------------------------------------------------------


def test_transfer_out_owes_nothing_after_leaving_and_leaves_the_sheet(ledger, client_for):
    person = leave(ledger, ledger.people[5])  # left 10 March; paid Jan–May (before the transfer)
    assert row(selectors.current_arrears(ledger.branch, TODAY), person) is None
    assert row(selectors.month_close(ledger.branch, JUN), person) is None
    assert row(selectors.month_close(ledger.branch, MAR), person) is None
    feb = row(selectors.month_close(ledger.branch, FEB), person)
    assert feb is not None and feb.is_paid and feb.left_on == dt.date(2026, 3, 10)
    c = client_for("secretary")
    html = c.get(reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk})).content.decode()
    assert person.name not in html
    assert c.get(reverse("dues:arrears", kwargs={"org_id": ledger.branch.pk})).content.decode().count(person.name) == 0


def test_transfer_out_unpaid_member_is_not_in_arrears_after_leaving(cast):
    give_profiles(cast)
    person = cast.people[5]
    pay(cast, person, JAN, paid_on=dt.date(2026, 1, 10))
    leave(cast, person, date=dt.date(2026, 3, 10))
    # Feb unpaid while a member here; nothing from March on.
    feb = row(selectors.month_close(cast.branch, FEB), person)
    assert (feb.arrears, feb.first_unpaid) == (1, FEB)
    for month in (MAR, APR, MAY, JUN):
        assert row(selectors.month_close(cast.branch, month), person) is None
    assert not [r for r in reminders.collect(TODAY) if f"person={person.pk}:" in r.key]


def test_transfer_out_payment_still_counts_in_the_collection(cast):
    give_profiles(cast)
    person = cast.people[5]
    with clock.frozen(dt.date(2026, 3, 5)):
        pay(cast, person, MAR, paid_on=dt.date(2026, 3, 5))
    leave(cast, person, date=dt.date(2026, 3, 10), paid_to=MAR)
    mar = selectors.month_close(cast.branch, MAR).branches[cast.branch.pk]
    assert mar.collected == D("45.00") and mar.paid == 0  # the money was collected; he no longer owes here
    assert selectors.year_collection(cast.branch, 2026, 6)[2].collected == D("45.00")
    r = services.record_remittance(actor=cast.secretary, branch=cast.branch, period_kind="month", period_start=MAR,
                                   amount=D("45.00"), remitted_on=TODAY)
    assert r.collected == D("45.00")


def test_transfer_out_ledger_and_statement_stay(ledger, client_for):
    person = leave(ledger, ledger.people[5])
    c = client_for("secretary")
    url = reverse("dues:member", kwargs={"org_id": ledger.branch.pk, "person_id": person.pk})
    response = c.get(url)
    assert response.status_code == 200
    st = response.context["st"]
    assert len(st.entries) == 5 and st.paid_total == D("225.00") and st.arrears is None
    assert [m.status for m in st.months] == ["paid", "paid", "paid", "paid", "paid"]  # paid before leaving
    assert [m.due for m in st.months][2:] == [None, None, None]  # nothing owed here from March
    html = response.content.decode()
    assert "转出至育才小学党支部" in html and "党费交至 2026年2月" in html


def test_transfer_out_historical_sheet_is_read_only_for_them(ledger, client_for):
    person = leave(ledger, ledger.people[5])
    c = client_for("secretary")
    url = reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk})
    response = c.get(url, {"month": "2026-02"})
    html = response.content.decode()
    assert person.name in html and "已转出" in html
    assert f"amount_{person.pk}" not in response.context["form"].fields
    posted = c.post(url, {"month": "2026-02", "paid_on": "2026-02-20", f"amount_{person.pk}": "45.00"})
    assert posted.status_code == 400  # nothing to record: the departed row has no field


def test_month_close_query_count_with_transfers(ledger, django_assert_num_queries):
    arrive(ledger)
    arrive(ledger, name="转入二", paid_to=None, date=dt.date(2026, 5, 2))
    leave(ledger, ledger.people[5])
    # 5 (was 4): + the months short of their due (少交) for the 待补交 ledger.
    with django_assert_num_queries(5):
        selectors.month_close(ledger.district, MAY)
    with django_assert_num_queries(5):
        selectors.current_arrears(ledger.branch, TODAY)
