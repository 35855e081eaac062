from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.development"
    label = "development"
