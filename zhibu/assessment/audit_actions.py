"""The audit actions of the district assessment, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    RUBRIC_CREATE = "assessment.rubric_create", "制定考核评分细则"
    RUBRIC_UPDATE = "assessment.rubric_update", "修改考核分档线"
    ITEM_ADD = "assessment.item_add", "增加评分项目"
    ITEM_UPDATE = "assessment.item_update", "修改评分项目"
    ITEM_DELETE = "assessment.item_delete", "删除评分项目"
    MANUAL_SCORE = "assessment.manual_score", "登记手工评分"
    REPORT_UPLOAD = "assessment.report_upload", "上传书记述职报告"
    REPORT_GRADE = "assessment.report_grade", "评定述职等次"
    FINDING = "assessment.finding", "考核发现问题转为整改事项"
