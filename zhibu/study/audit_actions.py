"""The audit actions of 学习教育, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    SESSION = "study.session", "登记集中学习"
    SESSION_DELETE = "study.session_delete", "删除集中学习记录"
    TRAINING = "study.training", "登记外出培训学时"
    TRAINING_DECIDE = "study.training_decide", "审核外出培训学时"
    EXEMPT = "study.exempt", "设置学时免于考核"
    OBLIGATION = "study.obligation", "设置学习制度（频次）"
    QUOTA = "study.quota", "设置个人学习要求"
    PLAN = "study.plan", "保存个人学习计划"
    READING = "study.reading", "登记读书记录"
    REFLECTION = "study.reflection", "提交学习心得"
    SHARE = "study.share", "心得分享到学习简报"
    XUEXI_IMPORT = "study.xuexi_import", "导入学习强国积分"
