"""The audit actions of 党内统计, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    EXPORT_MEMBERS = "stats.export_members", "导出党员信息（全国党员管理信息系统）"
