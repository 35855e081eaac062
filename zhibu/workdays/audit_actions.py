"""The audit actions of the working-day calendar, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    SET_HOLIDAY = "workdays.set_holiday", "设置节假日"
    REMOVE_HOLIDAY = "workdays.remove_holiday", "删除节假日"
    SET_YEAR_COMPLETE = "workdays.set_year_complete", "确认年度节假日"
