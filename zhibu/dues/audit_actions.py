"""The audit actions of 党费, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    REVERSE = "reverse", "冲正"
    VERIFY = "verify", "核对基数"
