import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.orgs.testing import PersonFactory
from zhibu.dues import services
from zhibu.dues.models import LedgerEntry
from zhibu.dues.tests.helpers import give_profiles, members, pay
from zhibu.orgs.models import Standing

MAR = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.date(2026, 3, 20)):
        yield


@pytest.fixture
def ledger(cast):
    give_profiles(cast)
    for p in members(cast)[:4]:
        pay(cast, p, dt.date(2026, 2, 1), paid_on=dt.date(2026, 2, 10))
    return cast


def grow(cast, n=15):
    """More members with profiles and payments: query counts must not change."""
    for i in range(n):
        p = PersonFactory(branch=cast.branch, name=f"新党员{i}", standing=Standing.FULL)
        services.set_profile(actor=cast.secretary, branch=cast.branch, person=p, category="in_service", base=D("6000"),
                             effective_month=dt.date(2026, 1, 1))
        pay(cast, p, dt.date(2026, 2, 1), amount=D("90.00"))
        pay(cast, p, MAR, amount=D("90.00"), paid_on=dt.date(2026, 3, 5))
    for i in range(3):
        other = PersonFactory(branch=cast.other_branch, name=f"育才新{i}", standing=Standing.FULL)
        services.set_profile(actor=cast.secretary, branch=cast.other_branch, person=other, category="retired",
                             base=D("4000"), effective_month=dt.date(2026, 1, 1))


PAGES = {
    # url name: (user, pinned query count). +1 each: the month close reads the months paid short
    # (少交) for the 待补交 ledger; the sheet +1 more: whether the month is closed (结账).
    "dues:sheet": ("secretary", 12),
    "dues:arrears": ("secretary", 10),
    "dues:sheet_export": ("secretary", 13),
    "dues:index": ("secretary", 10),
    # +1: the month's 自愿多交党费 per month (selectors.voluntary_by_month), shown next to the collection.
    "dues:remittance": ("secretary", 11),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_branch_pages_fixed_query_count(ledger, client_for, django_assert_num_queries, name):
    user, pinned = PAGES[name]
    c = client_for(user)
    url = reverse(name, kwargs={"org_id": ledger.branch.pk})
    assert c.get(url).status_code == 200
    with django_assert_num_queries(pinned):
        assert c.get(url).status_code == 200
    grow(ledger)
    with django_assert_num_queries(pinned):
        assert c.get(url).status_code == 200


# +1 each (was 11 and 13): the month's 自愿多交党费 per branch, with what goes wholly to the Centre;
# +1 each: the months paid short (少交) for the 待补交 ledger.
@pytest.mark.parametrize("name, pinned", [("dues:district", 13), ("dues:district_export", 15)])
def test_district_fixed_query_count(ledger, client_for, django_assert_num_queries, name, pinned):
    c = client_for("district_admin")
    url = reverse(name, kwargs={"org_id": ledger.district.pk})
    assert c.get(url).status_code == 200
    with django_assert_num_queries(pinned):
        c.get(url)
    grow(ledger)
    with django_assert_num_queries(pinned):
        c.get(url)


def test_member_statement_fixed_query_count(ledger, client_for, django_assert_num_queries):
    c = client_for("member")
    url = reverse("dues:member", kwargs={"org_id": ledger.branch.pk, "person_id": ledger.member_person.pk})
    c.get(url)
    # 16 (was 13): +1 the member's transfers (党费交至, 原支部 / 转出), +1 their 自愿多交党费 of the year,
    # +1 the months paid short (少交) for the 待补交 ledger.
    with django_assert_num_queries(16):
        assert c.get(url).status_code == 200
    for m in (1, 3):
        pay(ledger, ledger.member_person, dt.date(2026, m, 1))
    with django_assert_num_queries(16):
        assert c.get(url).status_code == 200


def test_district_page_lists_every_branch_rate(ledger, client_for):
    pay(ledger, ledger.member_person, MAR)
    html = client_for("district_admin").get(reverse("dues:district", kwargs={"org_id": ledger.district.pk})).content.decode()
    assert "阳光幼儿园党支部" in html and "育才小学党支部" in html and "11.1%" in html  # 1 of 9 paid in March


def test_member_sees_only_own(ledger, client_for):
    c = client_for("member")
    b = ledger.branch.pk
    own = reverse("dues:member", kwargs={"org_id": b, "person_id": ledger.member_person.pk})
    other = reverse("dues:member", kwargs={"org_id": b, "person_id": ledger.people[4].pk})
    assert c.get(own).status_code == 200
    assert c.get(other).status_code == 403
    assert c.get(reverse("dues:member_export", kwargs={"org_id": b, "person_id": ledger.people[4].pk})).status_code == 403
    for name in ("dues:sheet", "dues:arrears", "dues:bases", "dues:remittance", "dues:sheet_export", "dues:district"):
        assert c.get(reverse(name, kwargs={"org_id": b})).status_code == 403, name
    # The index sends a member to their own statement.
    response = c.get(reverse("dues:index", kwargs={"org_id": b}))
    assert response.status_code == 302 and response["Location"] == own


def test_outsider_and_other_branch(ledger, client_for):
    c = client_for("outsider")
    entry = LedgerEntry.objects.first()
    for url in (
        reverse("dues:member", kwargs={"org_id": ledger.branch.pk, "person_id": ledger.member_person.pk}),
        reverse("dues:entry_reverse", kwargs={"org_id": ledger.branch.pk, "entry_id": entry.pk}),
        # own branch in the URL, an object of another branch: still not found
        reverse("dues:member", kwargs={"org_id": ledger.other_branch.pk, "person_id": ledger.member_person.pk}),
    ):
        assert c.get(url).status_code in (403, 404)
        assert c.post(url, {"reason": "x"}).status_code in (403, 404)
    assert not LedgerEntry.objects.filter(reverses__isnull=False).exists()
    # The auditor reads but cannot write.
    a = client_for("auditor")
    assert a.get(reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk})).status_code == 200
    assert a.post(reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk}), {"paid_on": "2026-03-20"}).status_code == 403


def test_sheet_records_only_what_was_typed(ledger, client_for):
    """Amounts start empty; 按应交额填入 (?prefill=1) fills what each row owes; a row paid in full has no
    amount field and takes a receipt number instead; the message says how many entries were written."""
    c = client_for("secretary")
    url = reverse("dues:sheet", kwargs={"org_id": ledger.branch.pk}) + "?month=2026-03"
    pid = ledger.member_person.pk
    assert c.get(url).context["form"][f"amount_{pid}"].value() is None  # nothing pre-filled
    assert c.get(url + "&prefill=1").context["form"][f"amount_{pid}"].value() == D("45.00")
    assert c.get(url + f"&prefill={pid}").context["form"][f"amount_{ledger.people[4].pk}"].value() is None
    data = {"paid_on": "2026-03-20", "default_method": "cash", "month": "2026-03", f"amount_{pid}": "45.00"}
    response = c.post(url, data, follow=True)
    assert "已登记 1 条交纳记录（1 人）" in response.content.decode()
    e = LedgerEntry.objects.get(person=ledger.member_person, month=MAR)
    assert (e.amount_paid, e.receipt_number, e.paid_on) == (D("45.00"), "", dt.date(2026, 3, 20))
    page = c.get(url)
    form = page.context["form"]
    assert f"amount_{pid}" not in form.fields and f"receipt_{pid}" in form.fields  # paid in full: receipt only
    assert reverse("dues:entry_reverse", kwargs={"org_id": ledger.branch.pk, "entry_id": e.pk}) in page.content.decode()  # or a correction
    # The same POST again (a second save, a double submission): nothing new, an error.
    assert c.post(url, data).status_code == 400
    assert LedgerEntry.objects.filter(month=MAR).count() == 1
    # A receipt number typed for the paid row is recorded on its payment.
    response = c.post(url, {"paid_on": "2026-03-20", "month": "2026-03", f"receipt_{pid}": "A-001"}, follow=True)
    assert "补记收据号 1 条" in response.content.decode()
    e.refresh_from_db()
    assert e.receipt_number == "A-001" and LedgerEntry.objects.filter(month=MAR).count() == 1
    assert f"receipt_{pid}" not in c.get(url).context["form"].fields
    # Bad input: nothing written, 400 with the error.
    assert c.post(url, {**data, f"amount_{ledger.people[4].pk}": "abc"}).status_code == 400
    assert LedgerEntry.objects.filter(month=MAR).count() == 1


def test_exports(ledger, client_for):
    c = client_for("secretary")
    b = ledger.branch.pk
    ws = load_workbook(io.BytesIO(c.get(reverse("dues:sheet_export", kwargs={"org_id": b}) + "?month=2026-02").content)).active
    values = [[cell for cell in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0].endswith("2026年2月党费收缴表")
    total = next(v for v in values if v[0] == "合计")
    assert any(v[0] == "收款人（签字）：" for v in values)  # the paper form's signature line
    assert total[0] == "合计" and D(str(total[4])) == D("405") and D(str(total[5])) == D("180")
    wb = load_workbook(io.BytesIO(c.get(reverse("dues:member_export", kwargs={"org_id": b, "person_id": ledger.people[0].pk})).content))
    months = list(wb.worksheets[0].iter_rows(min_row=5, values_only=True))
    assert months[0][:4] == ("2026-01", 45, 0, "未交") and months[1][:4] == ("2026-02", 45, 45, "已交")
    ws = load_workbook(io.BytesIO(client_for("district_admin").get(reverse("dues:district_export", kwargs={"org_id": ledger.district.pk})).content)).active
    assert {row[0] for row in ws.iter_rows(min_row=3, values_only=True)} >= {"阳光幼儿园党支部", "育才小学党支部", "合计"}


def test_bases_pages(ledger, client_for):
    c = client_for("secretary")
    b = ledger.branch.pk
    response = c.get(reverse("dues:bases", kwargs={"org_id": b}) + "?year=2027")
    assert len(response.context["todo"]) == 9
    with clock.frozen(dt.date(2027, 1, 15)):
        response = c.post(reverse("dues:bases", kwargs={"org_id": b}) + "?year=2027", {"person_ids": [ledger.member_person.pk]})
        assert response.status_code == 302
        todo = c.get(reverse("dues:bases", kwargs={"org_id": b}) + "?year=2027").context["todo"]
    assert len(todo) == 8
    response = c.post(reverse("dues:base_edit", kwargs={"org_id": b, "person_id": ledger.member_person.pk}),
                      {"category": "retired", "base": "5000.00", "effective_month": "2026-04", "adjustment": "none"})
    assert response.status_code == 302
    response = c.post(reverse("dues:base_edit", kwargs={"org_id": b, "person_id": ledger.member_person.pk}),
                      {"category": "in_service", "base": "5000.001", "effective_month": "2026-04", "adjustment": "none"})
    assert response.status_code == 400
    # The committee member (组织委员) manages bases too; the member does not.
    assert client_for("committee").get(reverse("dues:bases", kwargs={"org_id": b})).status_code == 200
    assert client_for("member").get(reverse("dues:base_edit", kwargs={"org_id": b, "person_id": ledger.member_person.pk})).status_code == 403


def test_reverse_view(ledger, client_for):
    c = client_for("secretary")
    entry = LedgerEntry.objects.filter(person=ledger.people[0]).first()
    url = reverse("dues:entry_reverse", kwargs={"org_id": ledger.branch.pk, "entry_id": entry.pk})
    assert c.post(url, {"reason": ""}).status_code == 400
    response = c.post(url, {"reason": "录错", "amount": "40.00"})
    assert response.status_code == 302
    assert LedgerEntry.objects.filter(reverses=entry).exists()
    assert c.post(url, {"reason": "again"}).status_code == 400


def test_remittance_view(ledger, client_for):
    c = client_for("secretary")
    url = reverse("dues:remittance", kwargs={"org_id": ledger.branch.pk})
    response = c.get(url)
    feb = response.context["months"][1]
    assert (feb.due_total, feb.collected, feb.outstanding, feb.paid, feb.owing) == (D("405.00"), D("180.00"), D("225.00"), 4, 9)
    response = c.post(url, {"period_kind": "month", "period_start": "2026-02", "amount": "180.00", "remitted_on": "2026-03-10"})
    assert response.status_code == 302
    assert c.get(url).context["months"][1].remittance.amount == D("180.00")


def test_panels(ledger, client_for, django_assert_num_queries):
    from zhibu.dues import panels  # noqa: F401

    b, d = ledger.branch.pk, ledger.district.pk
    html = client_for("secretary").get(reverse("orgs:home", kwargs={"org_id": b})).content.decode()
    assert 'id="dues-panel"' in html and reverse("dues:panel", kwargs={"org_id": b}) in html
    secretary = client_for("secretary")
    panel = reverse("dues:panel", kwargs={"org_id": b})
    secretary.get(panel)
    with django_assert_num_queries(10):  # +1: the months paid short (少交) for the 待补交 ledger
        html = secretary.get(panel).content.decode()
    assert 'id="dues-panel"' in html and "0/9" in html
    grow(ledger)
    with django_assert_num_queries(10):
        html = secretary.get(panel).content.decode()
    assert "15/24" in html
    html = client_for("member").get(panel).content.decode()
    assert "我的党费" in html and "未交" in html
    assert client_for("outsider").get(panel).status_code == 404
    html = client_for("district_admin").get(reverse("orgs:home", kwargs={"org_id": d})).content.decode()
    assert 'id="dues-district-panel"' in html
    html = client_for("district_admin").get(reverse("dues:panel", kwargs={"org_id": d})).content.decode()
    assert "各支部收缴率" in html and "15/27" in html


def test_group_and_committee_redirects(ledger, client_for):
    c = client_for("secretary")
    assert c.get(reverse("dues:index", kwargs={"org_id": ledger.group.pk})).status_code == 302
    d = client_for("district_admin")
    assert d.get(reverse("dues:index", kwargs={"org_id": ledger.district.pk}))["Location"].endswith("/dues/district/")
    assert d.get(reverse("dues:sheet", kwargs={"org_id": ledger.district.pk})).status_code == 404
