from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.elections"
    label = "elections"
    verbose_name = "换届选举"
