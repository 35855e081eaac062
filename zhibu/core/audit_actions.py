"""Audit actions every app uses (each app owns its own in `<app>/audit_actions.py`; core collects
them: zhibu.core.audit.action_labels)."""

from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
