from django import forms
from django.contrib.auth.forms import AuthenticationForm

from zhibu.core import throttle


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
        "locked": "登录失败次数过多，请15分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if not username or not self.cleaned_data.get("password"):
            return self.cleaned_data  # the field errors say what is missing
        address = client_address(self.request)
        # Counted before the password is checked: parallel attempts each take a number.
        if not throttle.attempt(username, address):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        cleaned = super().clean()
        throttle.succeeded(username, address)
        return cleaned


def apply_validation_error(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
