"""Hook for zhibu.approvals: the kinds of request 组织关系 sends to the district."""

from __future__ import annotations

from django.urls import reverse

from zhibu.approvals.kinds import Kind
from zhibu.membership import rules


def _on_approved(approval) -> None:
    from zhibu.membership import services
    from zhibu.membership.models import TransferCase

    case = TransferCase.objects.get(pk=approval.subject_id)
    services.complete_within_step(actor=approval.decided_by, case=case, on=approval.decided_on)


def _subject_url(approval) -> str:
    return reverse("membership:case", kwargs={"org_id": approval.branch_id, "case_id": approval.subject_id})


KINDS: dict[str, Kind] = {
    "membership.transfer": Kind(
        label="组织关系转接（区内）",
        source=rules.TRANSFER_SOURCE,
        deadline_workdays=5,  # local practice: the district decides within a working week
        on_approved=_on_approved,
        subject_url=_subject_url,
    ),
}
