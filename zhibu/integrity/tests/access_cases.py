"""Every integrity URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

import datetime as dt

PUBLIC: set[str] = set()


def cases(cast):
    from zhibu.integrity.models import Commitment, DutyList, Violation

    b = cast.branch.pk
    year = 2026
    duty = DutyList.objects.create(
        branch=cast.branch, year=year, person=cast.member_person, role_title="教研组长（一岗双责）", duties="廉洁从教\n规范收费"
    )
    commitment = Commitment.objects.create(branch=cast.branch, year=year, person=cast.member_person, text="我承诺……")
    violation = Violation.objects.create(
        branch=cast.branch, person=cast.people[5], date=dt.date(2026, 2, 1), year=year, description="有偿补课"
    )
    return {
        "integrity:index": {"org_id": b},
        "integrity:mine": {"org_id": b},
        "integrity:duty_new": {"org_id": b},
        "integrity:duty": {"org_id": b, "duty_id": duty.pk},
        "integrity:duty_edit": {"org_id": b, "duty_id": duty.pk},
        "integrity:duty_sign": {"org_id": b, "duty_id": duty.pk},
        "integrity:duty_check": {"org_id": b, "duty_id": duty.pk},
        "integrity:commitments_issue": {"org_id": b},
        "integrity:commitment": {"org_id": b, "commitment_id": commitment.pk},
        "integrity:commitment_sign": {"org_id": b, "commitment_id": commitment.pk},
        "integrity:violation_new": {"org_id": b},
        "integrity:violation_withdraw": {"org_id": b, "violation_id": violation.pk},
        "integrity:decision_new": {"org_id": b},
        "integrity:ledger": {"org_id": b},
        "integrity:district": {"org_id": b},
    }
