"""The audit actions of notices, guides and tasks, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    SEND = "notices.send", "发送通知"
    READ = "notices.read", "签阅通知"
    FORWARD = "notices.forward", "转发通知给党员"
    REMIND = "notices.remind", "提醒未签阅"
    GUIDE = "notices.guide", "发布组织生活指南"
    TASK = "notices.task", "发布报送任务"
    SUBMIT = "notices.submit", "报送任务材料"
    CONFIRM = "notices.confirm", "确认由记录生成的报送内容"
    APPROVE = "notices.approve", "审核通过报送"
    RETURN = "notices.return", "退回报送"
