"""The audit actions of 评优 (两优一先) and 积分, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    ROUND_OPEN = "commend.round_open", "发起评优表彰"
    NOMINATE = "commend.nominate", "推荐评优人选"
    WITHDRAW = "commend.withdraw", "撤回评优推荐"
    DECIDE = "commend.decide", "评优审定"
    PUBLICISE = "commend.publicise", "评优结果公示"
    POINTS_SETTINGS = "commend.points_settings", "设置党员积分"
    POINTS_RULE = "commend.points_rule", "设置积分项目"
    POINTS_ENTRY = "commend.points_entry", "登记积分"
    POINTS_ENTRY_REMOVE = "commend.points_entry_remove", "删除积分登记"
