import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.dues import selectors, services
from zhibu.dues.models import DuesBase, LedgerEntry, Method, Remittance
from zhibu.dues.tests.helpers import give_profiles, members, pay

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(dt.date(2026, 3, 20)):
        yield


def test_set_profile_computes_and_audits(cast):
    p = services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                             base=D("5000.01"), effective_month=dt.date(2026, 2, 15))
    assert p.effective_month == FEB and p.due().amount == D("75.00") and p.verified_on == dt.date(2026, 3, 20)
    entry = AuditEntry.objects.get(object_type="dues.DuesBase", object_id=str(p.pk))
    assert entry.action == "create" and entry.changes["base"] == [None, "5000.01"]
    # Same month again replaces, audited with old and new values.
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                         base=D("3000"), effective_month=FEB)
    assert DuesBase.objects.filter(person=cast.member_person).count() == 1
    assert AuditEntry.objects.filter(object_type="dues.DuesBase", action="update").get().changes["base"] == ["5000.01", "3000.00"]


def test_profile_validation(cast):
    with pytest.raises(ValidationError) as e:
        services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                             base=None, effective_month=JAN)
    assert "base" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                             base=D("4000"), effective_month=JAN, adjustment="reduction", reduction=D("10"))
    assert "approval_note" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                             base=D("4000"), effective_month=JAN, adjustment="reduction", reduction=D("50"), approval_note="区委批复")
    assert "reduction" in e.value.message_dict  # more than the due (40.00)
    with pytest.raises(ValidationError):  # not a member of this branch
        services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.outsider_person, category="student",
                             effective_month=JAN)
    p = services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="in_service",
                             base=D("4000"), effective_month=JAN, adjustment="exemption", approval_note="区委〔2026〕3号")
    assert p.due().amount == D("0.00")


def test_db_constraints(cast):
    person = cast.member_person
    bad = [
        dict(month=dt.date(2026, 1, 2), amount_due=D("1"), amount_paid=D("1")),  # not the 1st
        dict(month=JAN, amount_due=D("1"), amount_paid=D("-1")),  # negative payment
        dict(month=JAN, amount_due=D("1"), amount_paid=D("1"), method="bitcoin"),
    ]
    for values in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(person=person, branch=cast.branch, paid_on=JAN, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesBase.objects.create(person=person, category="in_service", base=None, effective_month=JAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesBase.objects.create(person=person, category="in_service", base=D("1"), effective_month=JAN, adjustment="exemption")
    with pytest.raises(IntegrityError), transaction.atomic():
        Remittance.objects.create(branch=cast.branch, period_kind="quarter", period_start=FEB, amount_due=0, collected=0,
                                  outstanding=0, amount=0, remitted_on=MAR)


def test_month_sheet_records_and_audits_every_entry(cast):
    give_profiles(cast)
    people = members(cast)
    rows = [services.SheetRow(p, D("45.00"), Method.CASH, f"R{i}") for i, p in enumerate(people[:5])]
    before = AuditEntry.objects.count()
    created = services.record_payments(actor=cast.secretary, branch=cast.branch, month=MAR, paid_on=dt.date(2026, 3, 5), rows=rows)
    assert len(created) == 5 and all(e.amount_due == D("45.00") for e in created)
    assert AuditEntry.objects.count() - before == 5
    assert set(AuditEntry.objects.filter(action="create", object_type="dues.LedgerEntry").values_list("object_id", flat=True)) == {str(e.pk) for e in created}


def test_month_sheet_is_all_or_nothing(cast):
    give_profiles(cast)
    people = members(cast)
    rows = [services.SheetRow(p, D("45.00")) for p in people[:3]] + [services.SheetRow(cast.outsider_person, D("45.00"))]
    with pytest.raises(ValidationError):
        services.record_payments(actor=cast.secretary, branch=cast.branch, month=MAR, paid_on=MAR, rows=rows)
    assert not LedgerEntry.objects.exists()


def test_late_payment_marked_and_limited(cast):
    give_profiles(cast, month=dt.date(2025, 1, 1))
    [e] = pay(cast, cast.member_person, JAN, paid_on=dt.date(2026, 3, 10))
    assert e.method == Method.LATE
    with pytest.raises(ValidationError, match="补交已超过6个月"):
        pay(cast, cast.member_person, dt.date(2025, 8, 1), paid_on=dt.date(2026, 3, 10))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        pay(cast, cast.member_person, MAR, paid_on=dt.date(2026, 4, 1))


def test_quarterly_needs_consent_and_splits(cast):
    give_profiles(cast)
    with pytest.raises(ValidationError, match="未同意按季"):
        pay(cast, cast.member_person, JAN, amount=D("135.00"), method=Method.QUARTERLY)
    cast.branch.settings = {"dues_quarterly": True}
    cast.branch.save()
    with pytest.raises(ValidationError, match="合计135.00元"):
        pay(cast, cast.member_person, JAN, amount=D("45.00"), method=Method.QUARTERLY)
    entries = pay(cast, cast.member_person, JAN, amount=D("135.00"), method=Method.QUARTERLY)
    assert [e.month for e in entries] == [JAN, FEB, MAR] and all(e.amount_paid == D("45.00") for e in entries)


def test_reversal_negates_never_edits(cast):
    give_profiles(cast)
    [e] = pay(cast, cast.member_person, FEB, amount=D("40.50"))
    rev, new = services.correct_entry(actor=cast.secretary, branch=cast.branch, entry=e, reason="金额录错", amount=D("45.00"))
    e.refresh_from_db()
    assert e.amount_paid == D("40.50")  # untouched
    assert rev.reverses_id == e.pk and rev.amount_paid == D("-40.50") and rev.amount_due == D("-45.00")
    assert (e.kind, e.seq, rev.kind, rev.seq, new.seq) == ("payment", 1, "reversal", 2, 3)
    assert new.amount_paid == D("45.00") and new.reverses_id is None
    assert AuditEntry.objects.filter(action="reverse", object_id=str(rev.pk)).get().changes["reason"] == "金额录错"
    with pytest.raises(ValidationError, match="已冲正"):
        services.reverse_entry(actor=cast.secretary, branch=cast.branch, entry=e, reason="again")
    with pytest.raises(ValidationError, match="不能再冲正"):
        services.reverse_entry(actor=cast.secretary, branch=cast.branch, entry=rev, reason="again")
    with pytest.raises(ValidationError, match="原因"):
        services.reverse_entry(actor=cast.secretary, branch=cast.branch, entry=new, reason=" ")
    close = selectors.month_close(cast.branch, FEB)
    row = next(r for r in close.rows if r.person_id == cast.member_person.pk)
    assert row.paid == D("45.00") and row.is_paid
    # Reversing without a replacement leaves the month unpaid.
    services.reverse_entry(actor=cast.secretary, branch=cast.branch, entry=new, reason="退回")
    row = next(r for r in selectors.month_close(cast.branch, FEB).rows if r.person_id == cast.member_person.pk)
    assert row.paid == D("0.00") and not row.is_paid and row.arrears == 2  # Jan and Feb


def test_remittance(cast):
    give_profiles(cast)
    for p in members(cast)[:4]:
        pay(cast, p, FEB)
    r = services.record_remittance(actor=cast.secretary, branch=cast.branch, period_kind="month", period_start=FEB,
                                   amount=D("180.00"), remitted_on=MAR)
    assert (r.amount_due, r.collected, r.outstanding) == (D("405.00"), D("180.00"), D("225.00"))
    with pytest.raises(ValidationError, match="已登记"):
        services.record_remittance(actor=cast.secretary, branch=cast.branch, period_kind="quarter", period_start=JAN,
                                   amount=D("1"), remitted_on=MAR)
    q = services.record_remittance(actor=cast.secretary, branch=cast.branch, period_kind="quarter", period_start=dt.date(2026, 4, 1),
                                   amount=D("0"), remitted_on=MAR)
    assert q.months == 3
    assert AuditEntry.objects.filter(object_type="dues.Remittance").count() == 2


def test_month_close_figures(cast):
    give_profiles(cast)
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=cast.member_person, category="retired",
                         base=D("5000.00"), effective_month=FEB)
    for p in members(cast)[:3]:
        pay(cast, p, FEB, amount=D("25.00") if p == cast.member_person else D("45.00"))
    close = selectors.month_close(cast.branch, FEB)
    b = close.branches[cast.branch.pk]
    assert b.members == 9 and b.owing == 9 and b.paid == 3
    assert b.due_total == D("45.00") * 8 + D("25.00") and b.collected == D("115.00")
    assert b.rate == D("33.3")
    assert next(r for r in close.rows if r.person_id == cast.member_person.pk).due == D("25.00")  # retired 5000 × 0.5%
    # The probationary member pays from the month the 支部大会 passed them (2025-12): profile from Jan.
    assert all(r.arrears in (0, 2) for r in close.rows)
