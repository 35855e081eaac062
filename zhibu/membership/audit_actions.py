"""The audit actions of 组织关系, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    START = "membership.start", "发起组织关系转接"
    MOVE = "membership.move", "区内转接完成"
    RECEIPT = "membership.receipt", "登记介绍信回执"
    CANCEL = "membership.cancel", "撤销组织关系转接"
    ASK = "membership.ask", "申请组织关系转接"
    ANSWER = "membership.answer", "答复转接申请"
    STATUS = "membership.status", "登记党籍状态"
    MERIT = "membership.merit", "登记党内奖励/处分"
