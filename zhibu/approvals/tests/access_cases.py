"""Every approvals URL, pointing at the cast's branch and one of its requests (see
core/tests/test_access_all_urls.py). The inbox given a branch sends its people to the branch page."""

PUBLIC: set[str] = set()


def cases(cast):
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from zhibu.approvals.models import Approval, ApprovalEvent
    from zhibu.development.tests.access_cases import make_candidate

    candidate, _doc = make_candidate(cast)
    a = Approval.objects.create(
        kind="development.candidate_approved",
        branch=cast.branch,
        approver=cast.district,
        subject_type=ContentType.objects.get_for_model(candidate),
        subject_id=candidate.pk,
        title="访问测试报批",
        submitted_on=dt.date(2026, 2, 2),
        due_on=dt.date(2026, 2, 16),
    )
    ApprovalEvent.objects.create(approval=a, action="submit", actor=cast.secretary, on=a.submitted_on)
    b = cast.branch.pk
    return {
        "approvals:inbox": {"org_id": b},
        "approvals:branch": {"org_id": b},
        "approvals:detail": {"org_id": b, "approval_id": a.pk},
    }
