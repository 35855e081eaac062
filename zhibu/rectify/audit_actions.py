"""The audit actions of 整改台账, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    RAISE = "rectify.raise", "登记整改问题"
    UPDATE = "rectify.update", "修改整改问题"
    START = "rectify.start", "开始整改"
    NOTE = "rectify.note", "记录整改进展"
    SUBMIT = "rectify.submit", "提交销号"
    CLOSE = "rectify.close", "整改销号"
    SEND_BACK = "rectify.send_back", "退回整改"
    CONFIRM = "rectify.confirm", "回头看确认"
    REOPEN = "rectify.reopen", "回头看重新整改"
    ATTACH = "rectify.attach", "上传整改佐证"
    IMPORT = "rectify.import", "导入整改台账"
