from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.orglifemeeting"
    label = "orglifemeeting"
    verbose_name = "组织生活会"
