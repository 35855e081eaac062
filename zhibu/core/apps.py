from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.core"
    label = "core"
