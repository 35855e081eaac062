from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.dues"
    label = "dues"
