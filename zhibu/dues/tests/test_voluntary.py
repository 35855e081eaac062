"""自愿多交党费 (中组发〔2008〕3号 第11条): recorded apart from the ledger, never toward the monthly due or
arrears; a single payment of 1000 元 or more is flagged 全额上缴中央 everywhere it is shown."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.dues import selectors, services
from zhibu.dues.models import Remittance, VoluntaryPayment
from zhibu.dues.tests.helpers import give_profiles, members, pay
from zhibu.orgs import services as orgs_services

FEB, MAR = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def give(cast, amount, person=None, paid_on=dt.date(2026, 3, 12), **kw):
    return services.record_voluntary(actor=cast.secretary, branch=cast.branch, person=person or cast.member_person,
                                     amount=amount, paid_on=paid_on, **kw)


@pytest.mark.parametrize("amount, centre", [(D("0.01"), False), (D("999.99"), False), (D("1000"), True), (D("1000.00"), True),
                                            (D("5000.50"), True)])
def test_threshold(cast, amount, centre):
    v = give(cast, amount, receipt_number=" R-1 ")
    assert v.to_centre is centre and v.amount == amount and v.receipt_number == "R-1"
    audit = AuditEntry.objects.get(object_type="dues.VoluntaryPayment", object_id=str(v.pk))
    assert audit.action == "create" and audit.changes["to_centre"] == [None, centre]
    assert audit.changes["amount"][1] == str(amount.quantize(D("0.01")))


def test_validation(cast):
    for bad in (1000.0, D("10.001"), D("0"), D("-5"), "100"):
        with pytest.raises(ValidationError):
            give(cast, bad)
    with pytest.raises(ValidationError):
        give(cast, D("10"), paid_on=dt.date(2026, 3, 21))  # in the future
    with pytest.raises(ValidationError):
        give(cast, D("10"), person=cast.outsider_person)  # another branch
    with pytest.raises(ValidationError):
        give(cast, D("10"), person=cast.people[9])  # not a member (积极分子)
    orgs_services.transfer_out(actor=cast.secretary, person=cast.people[5], date=dt.date(2026, 3, 1), other_org="外区")
    cast.people[5].refresh_from_db()
    with pytest.raises(ValidationError):
        give(cast, D("10"), person=cast.people[5])  # transferred out
    assert not VoluntaryPayment.objects.exists()


def test_keyword_only(cast):
    with pytest.raises(TypeError):
        services.record_voluntary(cast.secretary, cast.branch, cast.member_person, D("10"), TODAY)  # noqa


def test_db_keeps_the_flag_with_the_amount(cast):
    for amount, flag in ((D("1000.00"), False), (D("999.99"), True), (D("0"), False)):
        with pytest.raises(IntegrityError), transaction.atomic():
            VoluntaryPayment.objects.create(person=cast.member_person, branch=cast.branch, amount=amount, paid_on=TODAY,
                                            to_centre=flag)


def test_never_counts_toward_due_or_arrears(cast):
    give_profiles(cast)
    before = selectors.current_arrears(cast.branch, TODAY)
    mine = next(r for r in before.rows if r.person_id == cast.member_person.pk)
    assert mine.arrears == 2  # January and February
    give(cast, D("2000.00"), paid_on=dt.date(2026, 2, 15))
    give(cast, D("50.00"))
    after = selectors.current_arrears(cast.branch, TODAY)
    again = next(r for r in after.rows if r.person_id == cast.member_person.pk)
    assert (again.arrears, again.paid, again.is_paid) == (2, D("0.00"), False)
    for month in (FEB, MAR):
        b = selectors.month_close(cast.branch, month).branches[cast.branch.pk]
        assert (b.collected, b.paid) == (D("0.00"), 0)
    assert [m.collected for m in selectors.year_collection(cast.branch, 2026, 3)] == [D("0.00")] * 3
    st = selectors.statement(cast.member_person, 2026, TODAY)
    assert st.paid_total == D("0.00") and st.voluntary_total == D("2050.00")


def test_remittance_records_and_shows_voluntary(cast, client_for):
    give_profiles(cast)
    pay(cast, cast.member_person, FEB, paid_on=dt.date(2026, 2, 10))
    give(cast, D("1000.00"), paid_on=dt.date(2026, 2, 11))
    give(cast, D("20.00"), person=cast.people[3], paid_on=dt.date(2026, 2, 12))
    months = selectors.year_collection(cast.branch, 2026, 3)
    assert (months[1].voluntary, months[1].voluntary_to_centre, months[1].collected) == (D("1020.00"), D("1000.00"), D("45.00"))
    r = services.record_remittance(actor=cast.secretary, branch=cast.branch, period_kind="month", period_start=FEB,
                                   amount=D("1065.00"), remitted_on=TODAY)
    r = Remittance.objects.get(pk=r.pk)
    assert (r.collected, r.voluntary, r.voluntary_to_centre) == (D("45.00"), D("1020.00"), D("1000.00"))
    html = client_for("secretary").get(reverse("dues:remittance", kwargs={"org_id": cast.branch.pk})).content.decode()
    assert "其中全额上缴中央 1000.00" in html and "1020.00" in html


def test_district_summary_and_export(cast, client_for):
    give(cast, D("1500.00"))
    give(cast, D("30.00"), person=cast.people[3])
    close, rows = selectors.district_summary(cast.district, MAR, clock.today())
    mine = next(r for r in rows if r.branch_id == cast.branch.pk)
    assert (mine.voluntary, mine.voluntary_to_centre) == (D("1530.00"), D("1500.00"))
    assert (close.total.voluntary, close.total.voluntary_to_centre) == (D("1530.00"), D("1500.00"))
    assert selectors.district_summary(cast.district, FEB)[0].total.voluntary == D("0.00")
    c = client_for("district_admin")
    html = c.get(reverse("dues:district", kwargs={"org_id": cast.district.pk}), {"month": "2026-03"}).content.decode()
    assert "全额上缴中央 1500.00" in html and "1530.00" in html
    import io

    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(c.get(reverse("dues:district_export", kwargs={"org_id": cast.district.pk})).content))
    values = [[cell.value for cell in row] for row in wb.active.iter_rows()]
    header = next(v for v in values if v[0] == "党支部")
    branch_row = next(v for v in values if v[0] == "阳光幼儿园党支部")
    assert D(str(branch_row[header.index("自愿多交（元）")])) == D("1530")
    assert header[-1] == "其中全额上缴中央（元）"


def test_page_records_and_shows(cast, client_for):
    c = client_for("secretary")
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    assert c.get(url).status_code == 200
    response = c.post(url, {"person": cast.member_person.pk, "amount": "1000.00", "paid_on": "2026-03-18", "receipt_number": "Z-9"})
    assert response.status_code == 302 and response["Location"].endswith("?year=2026")
    v = VoluntaryPayment.objects.get()
    assert (v.amount, v.to_centre, v.receipt_number, v.created_by) == (D("1000.00"), True, "Z-9", cast.secretary)
    html = c.get(url).content.decode()
    assert "全额上缴中央" in html and "张党员" in html and 'id="voluntary-centre">1000.00' in html
    # the ledger: the member's statement shows it, flagged
    st = c.get(reverse("dues:member", kwargs={"org_id": cast.branch.pk, "person_id": cast.member_person.pk})).content.decode()
    assert 'id="statement-voluntary"' in st and "全额上缴中央" in st


@pytest.mark.parametrize("data, field", [
    ({"amount": "0", "paid_on": "2026-03-18"}, "amount"),
    ({"amount": "12.345", "paid_on": "2026-03-18"}, "amount"),
    ({"amount": "10", "paid_on": "2026-04-01"}, "paid_on"),
    ({"amount": "10"}, "paid_on"),
])
def test_page_errors(cast, client_for, data, field):
    c = client_for("secretary")
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    response = c.post(url, {"person": cast.member_person.pk, **data})
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not VoluntaryPayment.objects.exists()


def test_page_person_must_be_a_member_here(cast, client_for):
    c = client_for("secretary")
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    for pid in (cast.outsider_person.pk, cast.people[9].pk):
        response = c.post(url, {"person": pid, "amount": "10", "paid_on": "2026-03-18"})
        assert response.status_code == 400 and "person" in response.context["form"].errors
    assert not VoluntaryPayment.objects.exists()


def test_page_access(cast, client_for):
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    post = {"person": cast.member_person.pk, "amount": "10", "paid_on": "2026-03-18"}
    assert client_for("committee").post(url, post).status_code == 302  # a manager records
    assert client_for("auditor").get(url).status_code == 200  # the district reads …
    assert client_for("auditor").post(url, post).status_code == 403  # … but does not write
    assert client_for("member").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code in (403, 404)
    assert VoluntaryPayment.objects.count() == 1
    html = client_for("auditor").get(url).content.decode()
    assert 'id="voluntary-form"' not in html


def test_page_fixed_query_count(cast, client_for, django_assert_num_queries):
    c = client_for("secretary")
    url = reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk})
    give(cast, D("10"))
    c.get(url)
    # session, user, roles, organisation, scope … + the members (form choices) + the year's payments
    with django_assert_num_queries(7):
        assert c.get(url).status_code == 200
    for i, p in enumerate(members(cast)):
        give(cast, D("1000") + i, person=p)
    with django_assert_num_queries(7):
        assert c.get(url).status_code == 200
