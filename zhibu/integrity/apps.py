from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.integrity"
    label = "integrity"
    verbose_name = "廉政与师德"
