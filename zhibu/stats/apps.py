from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.stats"
    label = "stats"
    verbose_name = "党内统计"
