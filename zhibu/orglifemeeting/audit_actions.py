"""The audit actions of the 组织生活会 cycle, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    CYCLE_READY = "orglifemeeting.ready", "组织生活会准备就绪"
    CYCLE_MEETING = "orglifemeeting.meeting", "登记组织生活会"
    CYCLE_RAISE = "orglifemeeting.raise", "问题转为整改事项"
    CYCLE_STEP = "orglifemeeting.step", "更新准备事项"
