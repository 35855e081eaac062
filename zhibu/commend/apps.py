from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.commend"
    label = "commend"
    verbose_name = "评优（两优一先）"
