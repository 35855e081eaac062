from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.yearend"
    label = "yearend"
    verbose_name = "年终材料"
