from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.plans"
    label = "plans"
