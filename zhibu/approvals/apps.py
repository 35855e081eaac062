from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.approvals"
    label = "approvals"
    verbose_name = "报批审批"
