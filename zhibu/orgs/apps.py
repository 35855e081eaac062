from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"
