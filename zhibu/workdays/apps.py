from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.workdays"
    label = "workdays"
