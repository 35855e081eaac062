from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.rectify"
    label = "rectify"
    verbose_name = "整改台账"
