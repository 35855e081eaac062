"""rules2 §10: a voluntary payment reversed like any entry (the ≥1000 元 flag kept), an overpayment from
a wrong base credited to later months or refunded with the approval recorded (the ledger only grows),
the 6-month line a warning to the committee (never an automatic removal)."""
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from django.urls import reverse

from zhibu.core import clock
from zhibu.dues import reminders, rules, selectors, services
from zhibu.dues.models import EntryKind, LedgerEntry, Method, VoluntaryPayment
from zhibu.dues.tests.helpers import give_profiles, members, pay
from zhibu.orgs.models import Person

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))
TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _today():
    with clock.frozen(TODAY):
        yield


def codes(exc):
    errors = exc.error_list if hasattr(exc, "error_list") else [e for es in exc.error_dict.values() for e in es]
    return {e.code for e in errors}


def test_a_voluntary_payment_is_reversed_like_an_entry(cast, client_for):
    person = cast.member_person
    v = services.record_voluntary(actor=cast.secretary, branch=cast.branch, person=person, amount=D("1200.00"), paid_on=MAR)
    assert v.to_centre
    c = client_for("secretary")
    url = reverse("dues:voluntary_reverse", kwargs={"org_id": cast.branch.pk, "payment_id": v.pk})
    assert c.post(url, {"reason": ""}).status_code == 400
    assert c.post(url, {"reason": "误记"}).status_code == 302
    rev = VoluntaryPayment.objects.get(reverses=v)
    assert (rev.amount, rev.to_centre) == (D("-1200.00"), True)
    v.refresh_from_db()
    assert v.amount == D("1200.00")  # the original stays
    assert selectors.voluntary_for_period(cast.branch, [MAR]) == (D("0.00"), D("0.00"))
    page = c.get(reverse("dues:voluntary", kwargs={"org_id": cast.branch.pk}))
    assert page.context["total"] == D("0.00") and page.context["count"] == 0 and "已冲正" in page.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.reverse_voluntary(actor=cast.secretary, branch=cast.branch, payment=v, reason="again")
    assert codes(exc.value) == {"reversed"}
    with pytest.raises(ValidationError) as exc:
        services.reverse_voluntary(actor=cast.secretary, branch=cast.branch, payment=rev, reason="again")
    assert codes(exc.value) == {"reversal"}
    assert client_for("auditor").post(url, {"reason": "x"}).status_code == 403
    # After the reversal the same payment can be recorded again (e.g. with the right date).
    services.record_voluntary(actor=cast.secretary, branch=cast.branch, person=person, amount=D("1200.00"), paid_on=MAR)


def test_an_overpayment_from_a_wrong_base_is_credited_with_the_approval(cast, client_for):
    person = cast.member_person
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=person, category="in_service", base=D("6000"),
                         effective_month=JAN)  # wrong: 90.00 a month
    for m in (JAN, FEB):
        pay(cast, person, m, amount=D("90.00"))
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=person, category="in_service", base=D("4500"),
                         effective_month=JAN)  # corrected: 45.00 a month
    before = {e.pk: (e.amount_paid, e.amount_due) for e in LedgerEntry.objects.all()}
    c = client_for("secretary")
    url = reverse("dues:overpayment", kwargs={"org_id": cast.branch.pk, "person_id": person.pk})
    page = c.get(url)
    assert page.context["total"] == D("90.00")
    assert c.post(url, {"mode": "credit", "approval": ""}).status_code == 400
    assert c.post(url, {"mode": "credit", "approval": "支委会 2026年3月决定,上级党委批准"}).status_code == 302
    after = {e.pk: (e.amount_paid, e.amount_due) for e in LedgerEntry.objects.filter(pk__in=before)}
    assert after == before  # nothing edited: the ledger only grew
    excess = list(LedgerEntry.objects.filter(person=person, kind=EntryKind.EXCESS).order_by("month"))
    credit = list(LedgerEntry.objects.filter(person=person, kind=EntryKind.CREDIT).order_by("month"))
    assert [(e.month, e.amount_paid) for e in excess] == [(JAN, D("-45.00")), (FEB, D("-45.00"))]
    assert [(e.month, e.amount_paid, e.method) for e in credit] == [(MAR, D("45.00"), Method.CREDIT), (APR, D("45.00"), Method.CREDIT)]
    assert all("上级党委批准" in e.approval for e in excess + credit)
    r = next(r for r in selectors.current_arrears(cast.branch, TODAY).rows if r.person_id == person.pk)
    assert r.owed == [] and r.paid == D("45.00")  # March credited; Jan and Feb exactly paid
    with pytest.raises(ValidationError) as exc:  # done once: nothing left to settle
        services.settle_overpayment(actor=cast.secretary, branch=cast.branch, person=person, mode="credit", approval="x")
    assert codes(exc.value) == {"nothing"}


def test_an_overpayment_can_be_refunded(cast):
    person = cast.member_person
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=person, category="in_service", base=D("6000"),
                         effective_month=FEB)
    pay(cast, person, FEB, amount=D("90.00"))
    services.set_profile(actor=cast.secretary, branch=cast.branch, person=person, category="in_service", base=D("4500"),
                         effective_month=FEB)
    [e] = services.settle_overpayment(actor=cast.secretary, branch=cast.branch, person=person, mode="refund", approval="书记批准")
    assert (e.kind, e.method, e.amount_paid, e.amount_due) == (EntryKind.EXCESS, Method.REFUND, D("-45.00"), D("-45.00"))
    with pytest.raises(ValidationError) as exc:
        services.settle_overpayment(actor=cast.secretary, branch=cast.branch, person=person, mode="refund", approval=" ")
    assert codes(exc.value) == {"approval"}


def test_six_unpaid_months_warn_the_committee_and_remove_nobody(cast):
    give_profiles(cast, month=dt.date(2025, 9, 1))
    for p in members(cast):
        if p != cast.member_person:
            for m in range(9, 13):
                pay(cast, p, dt.date(2025, m, 1), paid_on=dt.date(2025, m, 1))
    # member: nothing since September 2025 → 6 months (Sep–Feb) by March.
    found = [r for r in reminders.collect(TODAY) if r.key.startswith(f"dues:lapsed:person={cast.member_person.pk}:")]
    assert len(found) == 1
    assert {u.username for u in found[0].users} == {"secretary", "committee"}
    assert "不会自动处理党籍" in found[0].body
    assert Person.objects.get(pk=cast.member_person.pk).active  # never removed automatically


# ---------------------------------------------------------------------------------------------
# the pure rules behind them

fen = st.integers(min_value=1, max_value=10_000_00).map(lambda n: D(n).scaleb(-2))


@given(owed=st.lists(st.tuples(st.integers(min_value=0, max_value=23), fen), max_size=12, unique_by=lambda t: t[0]),
       amount=fen)
def test_oldest_first_never_overfills_and_loses_nothing(owed, amount):
    months = [(rules.add_months(JAN, i), a) for i, a in owed]
    parts, left = rules.allocate_oldest_first(months, amount)
    assert sum((a for _m, a in parts), D("0")) + left == amount
    owed_at = dict(months)
    assert all(0 < a <= owed_at[m] for m, a in parts)
    assert [m for m, _a in parts] == sorted(m for m, _a in parts)
    # Every month before the last one paid into is filled completely.
    for m, a in parts[:-1]:
        assert a == owed_at[m]


@given(due=fen, paid=st.integers(min_value=0, max_value=10_000_00).map(lambda n: D(n).scaleb(-2)))
def test_owed_and_status_agree(due, paid):
    owed = rules.owed_in_month(due, paid)
    status = rules.payment_status(due, paid)
    assert owed == max(D("0"), due - paid)
    assert (status == "paid") == (paid > 0 and owed == 0)
    assert (status == "short") == (paid > 0 and owed > 0)
    assert (status == "unpaid") == (paid == 0)


def test_late_payment_refusal_names_the_rule():
    assert rules.late_payment_refusal(dt.date(2026, 1, 1), dt.date(2026, 7, 31)) is None
    reason = rules.late_payment_refusal(dt.date(2026, 1, 1), dt.date(2026, 8, 1))
    assert "第12条" in reason and "6个月" in reason
    assert rules.lapsed_threshold().months == 6
