"""The audit actions of 关怀与共建, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    FLAG = "care.flag", "登记关怀标记"
    UNFLAG = "care.unflag", "结束关怀标记"
    CAMPAIGN = "care.campaign", "发起走访慰问"
    REFRESH = "care.refresh", "更新走访名单"
    VISIT = "care.visit", "登记走访慰问"
    CLOSE = "care.close", "走访慰问完成"
    PAIR = "care.pair", "登记结对"
    UNPAIR = "care.unpair", "结束结对"
    CONTACT = "care.contact", "登记结对联系"
    ACTIVITY = "care.activity", "登记志愿服务"
    HOURS = "care.hours", "登记志愿服务时长"
    POST = "care.post", "设立示范岗"
    POST_REVIEW = "care.post_review", "示范岗年终评议"
    PARTNER = "care.partner", "登记共建单位"
    JOINT = "care.joint", "登记共建活动"
