"""换届请示 as a kind of zhibu.approvals, where a district's setting `elections_request_via_approvals`
(local practice) is on: recording the 请示 sends it to the district's inbox; approval records the 批复
dated by the approval date (its note as the 批复文号); while it is open the branch does not record a
批复 itself."""

from __future__ import annotations

from django.urls import reverse

from zhibu.approvals.kinds import Kind


def _on_approved(approval) -> None:
    from zhibu.elections import services

    services.reply_approved(approval)


def _subject_url(approval) -> str:
    return reverse("elections:detail", kwargs={"org_id": approval.branch_id, "election_id": approval.subject_id})


KINDS: dict[str, Kind] = {
    "elections.request": Kind(
        label="换届选举请示",
        source="中国共产党支部工作条例（试行）；rules2.md §8（届满前向上级党委请示）",
        deadline_workdays=10,
        on_approved=_on_approved,
        subject_url=_subject_url,
    ),
}
