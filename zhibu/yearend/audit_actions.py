"""The audit actions of 年终材料, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    BUILD = "yearend.build", "生成年终材料"
    SUBMIT = "yearend.submit", "报送年终材料"
