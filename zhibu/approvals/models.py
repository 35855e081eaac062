"""A request a branch sends to its upper committee (报上级党委) and the committee's decision:
批准 (with the approval date) or 打回 (with a reason, then fixed and sent again), with its log.

The subject is any row of the requesting app (generic: `subject_type`, `subject_id`); what happens
when a request is approved is the kind's `on_approved` (zhibu.approvals.kinds). Writes go through
`zhibu.approvals.services` (audited)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation


class State(models.TextChoices):
    PENDING = "pending", "待审批"
    RETURNED = "returned", "已打回"
    APPROVED = "approved", "已批准"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = (State.PENDING, State.RETURNED)


class Approval(models.Model):
    kind = models.CharField("报批事项", max_length=60)
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="approval_requests", verbose_name="报送组织"
    )
    approver = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="approvals_to_decide", verbose_name="审批组织"
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField("事项", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    submitted_on = models.DateField("报送日期")
    due_on = models.DateField("审批期限", null=True, blank=True)
    decided_on = models.DateField("批准日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审批人",
    )
    reason = models.TextField("打回理由", blank=True)
    note = models.CharField("审批意见", max_length=500, blank=True)
    payload = models.JSONField("报送内容", default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="报送人",
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["submitted_on", "id"]
        verbose_name = "报批事项"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(state__in=["pending", "returned"]),
                name="approvals_one_open",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "returned", "approved", "withdrawn"]), name="approvals_state_known"
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="approvals_decided_after_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(decided_on__isnull=False), name="approvals_approved_dated"
            ),
            models.CheckConstraint(condition=~Q(state="returned") | ~Q(reason=""), name="approvals_returned_reason"),
            models.CheckConstraint(condition=~Q(kind=""), name="approvals_kind_named"),
        ]
        indexes = [
            models.Index(fields=["approver", "state", "submitted_on"]),
            models.Index(fields=["branch", "state"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def overdue(self, today) -> bool:
        return self.state == State.PENDING and self.due_on is not None and self.due_on < today


class EventAction(models.TextChoices):
    SUBMIT = "submit", "报送"
    RESUBMIT = "resubmit", "重新报送"
    RETURN = "return", "打回"
    APPROVE = "approve", "批准"
    WITHDRAW = "withdraw", "撤回"


class ApprovalEvent(models.Model):
    """One line of a request's log."""

    approval = models.ForeignKey(Approval, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="操作人",
    )
    on = models.DateField("日期")
    reason = models.TextField("理由/意见", blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["approval_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["submit", "resubmit", "return", "approve", "withdraw"]),
                name="approvals_event_action_known",
            ),
            models.CheckConstraint(condition=~Q(action="return") | ~Q(reason=""), name="approvals_event_return_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.on}"
