"""The audit actions of 报批审批, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    SUBMIT = "approvals.submit", "报上级党委"
    RESUBMIT = "approvals.resubmit", "重新报送"
    APPROVE = "approvals.approve", "上级党委批准"
    RETURN = "approvals.return", "上级党委打回"
    WITHDRAW = "approvals.withdraw", "撤回报批"
