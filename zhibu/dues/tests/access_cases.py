"""Every dues URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""
import datetime as dt
from decimal import Decimal

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.dues.models import LedgerEntry, VoluntaryPayment

    b, p = cast.branch.pk, cast.member_person.pk
    entry = LedgerEntry.objects.create(person=cast.member_person, branch=cast.branch, month=dt.date(2026, 1, 1),
                                       amount_due=Decimal("30.00"), amount_paid=Decimal("30.00"), paid_on=dt.date(2026, 1, 10))
    voluntary = VoluntaryPayment.objects.create(person=cast.member_person, branch=cast.branch, amount=Decimal("50.00"),
                                                paid_on=dt.date(2026, 1, 10))
    return {
        "dues:index": {"org_id": b},
        "dues:sheet": {"org_id": b},
        "dues:sheet_export": {"org_id": b},
        "dues:close_month": {"org_id": b},
        "dues:register_export": {"org_id": b},
        "dues:overpayment": {"org_id": b, "person_id": p},
        "dues:voluntary_reverse": {"org_id": b, "payment_id": voluntary.pk},
        "dues:member": {"org_id": b, "person_id": p},
        "dues:member_export": {"org_id": b, "person_id": p},
        "dues:entry_reverse": {"org_id": b, "entry_id": entry.pk},
        "dues:arrears": {"org_id": b},
        "dues:bases": {"org_id": b},
        "dues:base_edit": {"org_id": b, "person_id": p},
        "dues:base_template": {"org_id": b},
        "dues:base_import": {"org_id": b},
        "dues:remittance": {"org_id": b},
        "dues:voluntary": {"org_id": b},
        "dues:panel": {"org_id": b},
        "dues:district": {"org_id": b},
        "dues:district_export": {"org_id": b},
    }
