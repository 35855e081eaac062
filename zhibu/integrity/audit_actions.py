"""The audit actions of 廉政与师德, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    DUTY_CREATE = "integrity.duty_create", "登记廉政责任清单"
    DUTY_UPDATE = "integrity.duty_update", "修改廉政责任清单"
    DUTY_SIGN = "integrity.duty_sign", "确认廉政责任清单"
    DUTY_CHECK = "integrity.duty_check", "年终检查廉政责任清单"
    COMMITMENTS_ISSUE = "integrity.commitments_issue", "发放师德承诺书"
    COMMITMENT_SIGN = "integrity.commitment_sign", "签署师德承诺书"
    VIOLATION_RECORD = "integrity.violation_record", "登记师德失范行为"
    VIOLATION_WITHDRAW = "integrity.violation_withdraw", "撤销师德失范登记"
    DECISION_RECORD = "integrity.decision_record", "登记“三重一大”决策"
