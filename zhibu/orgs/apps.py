from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.orgs"
    label = "orgs"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from zhibu.orgs.middleware import on_login

        user_logged_in.connect(on_login, dispatch_uid="zhibu.orgs.force_password_change")
