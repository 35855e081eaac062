from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.membership"
    label = "membership"
    verbose_name = "组织关系与党籍"
