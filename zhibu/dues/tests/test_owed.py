"""Records a branch can trust (issue 10): 少交 with the rest owed, one 待补交 ledger that every page
reads with one cut-off, the oldest month offered first, 补交 limited to 6 months, 结账 and the signed
党费收缴登记表."""
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from zhibu.core import clock
from zhibu.dues import selectors, services
from zhibu.dues.models import EntryKind, LedgerEntry, MonthClosing
from zhibu.dues.tests.helpers import give_profiles, members, pay

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
TODAY = dt.date(2026, 4, 20)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def codes(exc: ValidationError) -> set:
    errors = exc.error_list if hasattr(exc, "error_list") else [e for es in exc.error_dict.values() for e in es]
    return {e.code for e in errors}


def row(close, person):
    return next(r for r in close.rows if r.person_id == person.pk)


def test_a_payment_below_the_due_is_short_and_the_rest_stays_owed(cast):
    give_profiles(cast)
    person = cast.member_person
    pay(cast, person, FEB, amount=D("30.00"))
    close = selectors.current_arrears(cast.branch, TODAY)
    r = row(close, person)
    assert (FEB, D("15.00")) in r.owed and r.owed_total == D("45.00") + D("15.00") + D("45.00")  # Jan, Feb rest, Mar
    st = selectors.statement(person, 2026, TODAY)
    assert next(m for m in st.months if m.month == FEB).status_label == "少交"
    with pytest.raises(ValidationError) as exc:
        pay(cast, person, FEB, amount=D("15.01"))  # more than the rest
    assert codes(exc.value) == {"over_due"}
    [top_up] = pay(cast, person, FEB, amount=D("15.00"), paid_on=MAR)
    assert (top_up.amount_due, top_up.seq) == (D("0.00"), 2)
    r = row(selectors.current_arrears(cast.branch, TODAY), person)
    assert FEB not in [m for m, _a in r.owed]
    with pytest.raises(ValidationError) as exc:
        pay(cast, person, FEB, amount=D("1.00"), paid_on=MAR)  # paid in full: nothing more
    assert codes(exc.value) == {"already_paid"}


def test_more_than_the_due_is_refused_as_a_voluntary_payment(cast):
    give_profiles(cast)
    with pytest.raises(ValidationError, match="自愿多交") as exc:
        pay(cast, cast.member_person, FEB, amount=D("50.00"))
    assert codes(exc.value) == {"over_due"}


def test_unpaid_months_stay_owed_after_a_later_month_is_paid(cast):
    give_profiles(cast)
    person = cast.member_person
    pay(cast, person, MAR, paid_on=MAR)
    r = row(selectors.current_arrears(cast.branch, TODAY), person)
    assert r.arrears == 0  # the streak ended in March…
    assert r.owed == [(JAN, D("45.00")), (FEB, D("45.00"))]  # …but January and February are still owed


def test_every_page_reads_the_same_owed_ledger(cast, client_for):
    """Arrears list, member page, branch home panel, branch index and district page: the same numbers."""
    give_profiles(cast)
    people = members(cast)
    for p in people[:5]:
        for m in (JAN, FEB, MAR):
            pay(cast, p, m)
    pay(cast, people[5], MAR)  # Jan, Feb owed; streak 0
    pay(cast, people[6], JAN, amount=D("20.00"))  # 25 of January owed, Feb and Mar unpaid
    c = client_for("secretary")
    b, d = cast.branch.pk, cast.district.pk
    arrears = c.get(reverse("dues:arrears", kwargs={"org_id": b})).context
    listed = {r.person_id: (len(r.owed), r.owed_total) for r in arrears["rows"]}
    assert listed[people[5].pk] == (2, D("90.00")) and listed[people[6].pk] == (3, D("115.00"))
    total = sum((t for _n, t in listed.values()), D("0"))
    stats = arrears["stats"]
    assert (stats.owed_people, stats.owed_total) == (len(listed), total)
    index = c.get(reverse("dues:index", kwargs={"org_id": b})).context["stats"]
    assert (index.owed_people, index.owed_total, index.warning) == (stats.owed_people, stats.owed_total, stats.warning)
    panel = c.get(reverse("dues:panel", kwargs={"org_id": b})).content.decode()
    assert f"待补交 {stats.owed_people} 人 {stats.owed_total} 元" in panel
    district = client_for("district_admin").get(reverse("dues:district", kwargs={"org_id": d})).content.decode()
    assert f"{stats.owed_people} 人 {stats.owed_total} 元" in district
    dpanel = client_for("district_admin").get(reverse("dues:panel", kwargs={"org_id": d})).content.decode()
    assert f"待补交 {stats.owed_people} 人 {stats.owed_total} 元" in dpanel
    for p in (people[5], people[6]):
        st = c.get(reverse("dues:member", kwargs={"org_id": b, "person_id": p.pk})).context["st"]
        assert (len(st.arrears.owed), st.arrears.owed_total) == listed[p.pk]


def test_the_sheet_offers_to_settle_the_oldest_month_first(cast, client_for):
    give_profiles(cast)
    person = cast.member_person
    pay(cast, person, FEB)
    c = client_for("secretary")
    sheet = reverse("dues:sheet", kwargs={"org_id": cast.branch.pk})
    html = c.get(sheet, {"month": "2026-03"}).content.decode()
    assert f"?month=2026-01&amp;prefill={person.pk}" in html and "先补交最早的2026年1月" in html
    form = c.get(sheet, {"month": "2026-01", "prefill": str(person.pk)}).context["form"]
    assert form[f"amount_{person.pk}"].value() == D("45.00")
    assert form[f"amount_{cast.people[4].pk}"].value() is None  # only that member's row


def test_late_payment_of_more_than_six_months_is_refused_with_the_rule(cast):
    give_profiles(cast, month=dt.date(2025, 9, 1))
    with pytest.raises(ValidationError, match="第12条") as exc:
        pay(cast, cast.member_person, dt.date(2025, 9, 1), paid_on=dt.date(2026, 4, 1))  # 7 months later
    assert codes(exc.value) == {"late_limit"}
    [e] = pay(cast, cast.member_person, dt.date(2025, 10, 1), paid_on=dt.date(2026, 4, 1))  # 6: allowed
    assert e.method == "late"


def test_a_closed_month_changes_only_by_reversal(cast, client_for):
    give_profiles(cast)
    people = members(cast)
    [paid] = pay(cast, people[0], FEB)
    c = client_for("secretary")
    response = c.post(reverse("dues:close_month", kwargs={"org_id": cast.branch.pk}), {"month": "2026-02"})
    assert response.status_code == 302
    closing = MonthClosing.objects.get(branch=cast.branch, month=FEB)
    assert (closing.paid, closing.collected) == (1, D("45.00"))
    with pytest.raises(ValidationError) as exc:
        pay(cast, people[1], FEB, paid_on=dt.date(2026, 2, 20))  # a February payment after closing
    assert codes(exc.value) == {"closed"}
    with pytest.raises(ValidationError) as exc:
        services.set_receipts(actor=cast.secretary, branch=cast.branch, month=FEB, receipts={people[0].pk: "X-1"})
    assert codes(exc.value) == {"closed"}
    with pytest.raises(ValidationError) as exc:
        services.close_month(actor=cast.secretary, branch=cast.branch, month=FEB)
    assert codes(exc.value) == {"closed"}
    pay(cast, people[1], FEB, paid_on=MAR)  # 补交 paid later still goes in
    rev, new = services.correct_entry(actor=cast.secretary, branch=cast.branch, entry=paid, reason="收据号错", amount=D("45.00"),
                                      receipt_number="R-9")
    assert rev.kind == EntryKind.REVERSAL and new.receipt_number == "R-9"
    paid.refresh_from_db()
    assert paid.amount_paid == D("45.00") and paid.receipt_number == ""  # the closed entry itself untouched
    html = c.get(reverse("dues:sheet", kwargs={"org_id": cast.branch.pk}), {"month": "2026-02"}).content.decode()
    assert 'id="sheet-closed"' in html


def test_the_signed_register_downloads(cast, client_for):
    give_profiles(cast)
    pay(cast, cast.member_person, FEB, amount=D("30.00"), receipt_number="S-1")
    services.close_month(actor=cast.secretary, branch=cast.branch, month=FEB)
    c = client_for("secretary")
    response = c.get(reverse("dues:register_export", kwargs={"org_id": cast.branch.pk}), {"month": "2026-02"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [str(v) for row_ in ws.iter_rows(values_only=True) for v in row_ if v is not None]
    assert any("2026年2月党费收缴登记表" in v and "结账" in v for v in cells)
    for line in ("收款人（签字）：", "经手人（签字）：", "支部书记（签字）："):
        assert any(line in v for v in cells), line
    assert any(v.startswith("日期") for v in cells)
    assert "少交" in cells and "S-1" in cells


def test_closing_page_and_future_month(cast, client_for):
    c = client_for("secretary")
    url = reverse("dues:close_month", kwargs={"org_id": cast.branch.pk})
    assert c.get(url, {"month": "2026-02"}).status_code == 200
    assert c.post(url, {"month": "2026-06"}).status_code == 400
    assert not MonthClosing.objects.exists()
    assert client_for("auditor").post(url, {"month": "2026-02"}).status_code == 403


def test_receipt_for_a_paid_row_is_written_once_and_audited(cast):
    from zhibu.core.models import AuditEntry

    give_profiles(cast)
    [e] = pay(cast, cast.member_person, MAR, paid_on=MAR)
    assert services.set_receipts(actor=cast.secretary, branch=cast.branch, month=MAR, receipts={cast.member_person.pk: "R-7"}) == 1
    assert services.set_receipts(actor=cast.secretary, branch=cast.branch, month=MAR, receipts={cast.member_person.pk: "R-8"}) == 0
    e.refresh_from_db()
    assert e.receipt_number == "R-7"
    assert AuditEntry.objects.filter(action="update", object_id=str(e.pk)).get().changes == {"receipt_number": ["", "R-7"]}
    assert LedgerEntry.objects.count() == 1


def test_the_month_sheet_export_says_short_not_paid(cast, client_for):
    import io

    import openpyxl
    from django.urls import reverse

    give_profiles(cast)
    person = cast.member_person
    pay(cast, person, FEB, amount=D("30.00"))
    with clock.frozen(TODAY):
        response = client_for("secretary").get(reverse("dues:sheet_export", args=[cast.branch.pk]), {"month": "2026-02"})
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[-1]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    mine = next(r for r in rows if person.name in r)
    assert "少交" in mine and "已交" not in mine
