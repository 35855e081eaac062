from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.review"
    label = "review"
    verbose_name = "民主评议"
