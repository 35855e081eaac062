"""整改 销号 as a kind of zhibu.approvals, where the district's setting `rectify_close_via_approvals`
(local practice) is on: the branch's 提交销号 sends the request to the district's inbox; approval
closes the item dated by the approval date, 打回 returns it to the branch with the reason (as 退回)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.approvals.kinds import Kind


def _on_approved(approval) -> None:
    from zhibu.rectify import services

    services.close_approved(approval)


def _on_returned(approval) -> None:
    from zhibu.rectify import services

    services.close_returned(approval)


def _subject_url(approval) -> str:
    return reverse("rectify:item", kwargs={"org_id": approval.branch_id, "item_id": approval.subject_id})


KINDS: dict[str, Kind] = {
    "rectify.close": Kind(
        label="整改销号",
        source="rules2.md §6（整改销号）；本区设置：销号经上级党组织审批",
        deadline_workdays=10,
        on_approved=_on_approved,
        on_returned=_on_returned,
        subject_url=_subject_url,
    ),
}
