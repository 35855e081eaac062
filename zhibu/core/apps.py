from django.apps import AppConfig


class Config(AppConfig):
    name = "zhibu.core"
    label = "core"

    def ready(self) -> None:
        # The empty choice of every select reads 请选择 instead of Django's "---------": model field
        # choices take BLANK_CHOICE_DASH (a list, mutated in place so every default argument sees
        # it) and ModelChoiceField takes its empty_label default from here.
        from django.db.models import fields
        from django.forms import models as form_models

        from zhibu.core import checks  # noqa: F401  (registers the encryption-key check)

        fields.BLANK_CHOICE_DASH[:] = [("", "请选择")]
        original = form_models.ModelChoiceField.__init__
        if not getattr(original, "_zhibu", False):
            def __init__(self, queryset, *, empty_label="请选择", **kwargs):
                original(self, queryset, empty_label=empty_label, **kwargs)

            __init__._zhibu = True
            form_models.ModelChoiceField.__init__ = __init__
