"""The 发展党员 steps the 上级党委 decides (rules.md §2, rules2.md §9), as kinds of zhibu.approvals.

The branch does not record these steps as done: it sends them up (报上级党委, `services.request_approval`)
and the 上级党委 approves or 打回. On approval the step is recorded dated by the approval date
(`services.apply_approval`), so the timeline checks use that date. For 延长预备期 and 取消预备党员资格 the
branch records its 支部大会 and the approval sets the record's `approved_on`.

Deadlines are the district's working days to decide (local practice, counted with zhibu.workdays): ten
for a 备案/同意/预审, sixty (about the three months of 细则 第24、33条) for an approval."""

from __future__ import annotations

from django.urls import reverse

from zhibu.approvals.kinds import Kind
from zhibu.development import rules

# Steps the approval creates, dated by the approval date.
CREATED_BY_APPROVAL = ("activist_filed", "candidate_approved", "pre_review", "approval", "full_approval")
# Outcomes at the end of 预备期: the branch records the 支部大会, the approval sets `approved_on`.
APPROVED_ON = (rules.EXTENSION, rules.CANCELLATION)
STEPS = CREATED_BY_APPROVAL + APPROVED_ON
STEP_KINDS = {step: f"development.{step}" for step in STEPS}
KIND_STEPS = {kind: step for step, kind in STEP_KINDS.items()}

_SPEC = {
    "activist_filed": ("入党积极分子报上级党委备案", "发展党员工作细则 第8条", 10),
    "candidate_approved": ("发展对象报上级党委同意（备案）", "发展党员工作细则 第13条（2014年细则：备案）", 10),
    "pre_review": ("发展对象报上级党委预审", "发展党员工作细则 第18条", 10),
    "approval": ("接收预备党员报上级党委审批", "发展党员工作细则 第24—25条（三个月内审批）", 60),
    "full_approval": ("预备党员转正报上级党委审批", "发展党员工作细则 第33条（三个月内审批）", 60),
    rules.EXTENSION: ("延长预备期报上级党委批准", "发展党员工作细则 第31条；中国共产党章程 第七条", 60),
    rules.CANCELLATION: ("取消预备党员资格报上级党委批准", "发展党员工作细则 第34条；中国共产党章程 第七条", 60),
}


def _on_approved(approval) -> None:
    from zhibu.development import services

    services.apply_approval(approval)


def _subject_url(approval) -> str:
    return reverse("development:candidate", kwargs={"org_id": approval.branch_id, "candidate_id": approval.subject_id})


KINDS: dict[str, Kind] = {
    STEP_KINDS[step]: Kind(label=label, source=source, deadline_workdays=days, on_approved=_on_approved,
                           subject_url=_subject_url)
    for step, (label, source, days) in _SPEC.items()
}
