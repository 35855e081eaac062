from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.orglife"
    label = "orglife"
