from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.assessment"
    label = "assessment"
    verbose_name = "考核评价"
