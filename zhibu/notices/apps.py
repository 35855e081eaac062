from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.notices"
    label = "notices"
    verbose_name = "通知与任务"
