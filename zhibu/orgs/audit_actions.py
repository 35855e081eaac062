"""The audit actions of organisations and people, with their Chinese labels (collected by core)."""

from django.db import models


class Action(models.TextChoices):
    REVEAL = "reveal", "查看敏感信息"
    TRANSFER_IN = "transfer_in", "组织关系转入"
    TRANSFER_OUT = "transfer_out", "组织关系转出"
    GRANT_ROLE = "grant_role", "授权"
    REVOKE_ROLE = "orgs.revoke_role", "撤销授权"
    END_TERM = "end_term", "离任"
    CREATE_ACCOUNT = "create_account", "开通账号"
    APPOINT = "orgs.appoint", "任命支委"
    CORRECT_APPOINTMENT = "orgs.correct_appointment", "更正任职"
    REMOVE_APPOINTMENT = "orgs.remove_appointment", "撤销任职"
    RENAME_GROUP = "orgs.rename_group", "修改党小组名称"
    CHANGE_PASSWORD = "orgs.change_password", "修改密码"
    RESET_PASSWORD = "orgs.reset_password", "重置密码"
