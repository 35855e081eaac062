"""The audit actions of 发展党员, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    OPEN_FILE = "development.open_file", "建立发展档案"
    RECORD_STEP = "development.record_step", "登记发展步骤"
    OVERRIDE = "development.override", "书记放行"
    ASSESSMENT = "development.assessment", "登记考察"
    THOUGHT_REPORT = "development.thought_report", "登记思想汇报"
    THOUGHT_REPORT_FREQUENCY = "development.thought_report_frequency", "设置思想汇报频次"
    GENERATE_DOCUMENT = "development.generate_document", "生成文书"
    UPLOAD_TEMPLATE = "development.upload_template", "上传文书模板"
    UPLOAD_DOCUMENT = "development.upload_document", "上传材料"
    REMOVE_TEMPLATE = "development.remove_template", "删除文书模板"
    SET_QUOTA = "development.set_quota", "设置发展计划"
