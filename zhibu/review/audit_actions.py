"""The audit actions of 民主评议党员, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    OPEN = "review.open", "开始民主评议"
    SETTINGS = "review.settings", "修改民主评议设置"
    STEP = "review.step", "登记民主评议步骤"
    EXCLUDE = "review.exclude", "登记不计入应到会人员"
    UNEXCLUDE = "review.unexclude", "取消不计入应到会"
    SELF = "review.self", "提交个人自评"
    ISSUE = "review.issue", "发放测评票码"
    CLOSE = "review.close", "结束民主测评"
    GRADE = "review.grade", "评定等次"
    FINALISE = "review.finalise", "民主评议定稿"
    FOLLOWUP = "review.followup", "登记评议后续处置"
