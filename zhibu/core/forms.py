"""Forms: the one mixin every Zhibu form has (ZhibuFormMixin, through `Form` and `ModelForm`), the
sign-in form, the query-string form for periods."""
from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from zhibu.core import clock, throttle

# Control characters (C0 but tab/newline/carriage return, DEL, C1): invisible, they break exports
# (XML forbids most of them) and searches. Tab and new lines are allowed in text areas only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "不能包含不可见的控制字符（常见于从别处复制的文字），请删除后重新输入。"
LINE_MESSAGE = "这里只能填一行文字，请去掉换行和制表符。"
MIN_YEAR, MAX_YEAR = 1900, 2100
YEAR_MESSAGE = f"年份应在{MIN_YEAR}—{MAX_YEAR}年之间。"
ISO_DATE = "%Y-%m-%d"


def refuse_control_characters(value: str, *, multiline: bool) -> None:
    if not isinstance(value, str):
        return
    if _CONTROL.search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")
    if not multiline and _CONTROL_OR_LINE.search(value):
        raise ValidationError(LINE_MESSAGE, code="control_characters")


def check_year(value) -> None:
    year = getattr(value, "year", value)
    if isinstance(year, int) and not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(YEAR_MESSAGE, code="year_out_of_range")


class _TextValidator:
    def __init__(self, multiline: bool):
        self.multiline = multiline

    def __call__(self, value):
        refuse_control_characters(value, multiline=self.multiline)

    def __eq__(self, other):
        return isinstance(other, _TextValidator) and other.multiline == self.multiline


class ZhibuFormMixin:
    """What every form in Zhibu does, in one place:

    - every text field refuses control characters (tab and new lines only in text areas and hidden
      fields);
    - every date input shows ISO values (2026-03-01), which `<input type="date">` needs (a localised
      1993/03/25 is dropped by the browser and the date silently cleared on save), and plain date
      inputs become date pickers;
    - dates (and integer `year` fields) outside 1900–2100 are refused in Chinese.

    Django's stock messages are reworded once for all forms in zhibu/locale (LOCALE_PATHS).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._adapt_fields()

    def _adapt_fields(self) -> None:
        # Also for fields a form adds after __init__ (rows built from data): again before cleaning
        # and when a field is rendered. Adapting twice changes nothing.
        for name, field in self.fields.items():
            _adapt_field(name, field)

    def full_clean(self):
        self._adapt_fields()
        return super().full_clean()

    def __getitem__(self, name):
        if name in self.fields:
            _adapt_field(name, self.fields[name])
        return super().__getitem__(name)


def _adapt_field(name: str, field: forms.Field) -> None:
    if isinstance(field, forms.CharField):
        # Text areas, and hidden fields that carry a text area's value between steps (a previewed plan).
        multiline = isinstance(field.widget, (forms.Textarea, forms.HiddenInput))
        field.validators = [v for v in field.validators if not isinstance(v, (ProhibitNullCharactersValidator, _TextValidator))]
        field.validators.append(_TextValidator(multiline))
    dated = isinstance(field, (forms.DateField, forms.DateTimeField))
    if (dated or (isinstance(field, forms.IntegerField) and name == "year")) and check_year not in field.validators:
        field.validators.append(check_year)
    widget = field.widget
    if isinstance(widget, forms.DateInput) and not isinstance(widget, forms.DateTimeInput):
        if widget.input_type in ("text", "date") and isinstance(field, forms.DateField):
            # A format given on purpose (a month input's %Y-%m) stays; the locale's 1993/03/25 does not.
            widget.format = widget.format or ISO_DATE
            widget.input_type = "date"


class Form(ZhibuFormMixin, forms.Form):
    pass


class ModelForm(ZhibuFormMixin, forms.ModelForm):
    pass


class PeriodQueryForm(Form):
    """Year and month in a query string (?year=2026&month=2026-03 or ?month=3): bounded, never a 500.
    `period(request.GET)` gives (year, month or None, error message or "")."""

    # Records (plans, quotas, holidays) exist for 2000–2100: the one place this bound is written for queries.
    MIN_YEAR, MAX_YEAR = 2000, 2100
    year = forms.IntegerField(required=False, min_value=MIN_YEAR, max_value=MAX_YEAR,
                              error_messages={"min_value": f"年份应在{MIN_YEAR}—{MAX_YEAR}年之间。",
                                              "max_value": f"年份应在{MIN_YEAR}—{MAX_YEAR}年之间。"})
    month = forms.CharField(required=False, max_length=7)

    MONTH_MESSAGE = "月份格式不正确，应为 2026-03 这样的年月。"

    def clean_month(self):
        raw = (self.cleaned_data.get("month") or "").strip()
        if not raw:
            return None
        m = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})", raw)
        if not m:
            raise ValidationError(self.MONTH_MESSAGE, code="invalid")
        if m.group(3):
            month = int(m.group(3))
            year = None
        else:
            year, month = int(m.group(1)), int(m.group(2))
            if not self.MIN_YEAR <= year <= self.MAX_YEAR:
                raise ValidationError(f"年份应在{self.MIN_YEAR}—{self.MAX_YEAR}年之间。", code="year_out_of_range")
        if not 1 <= month <= 12:
            raise ValidationError("月份应在1—12月之间。", code="invalid")
        return (year, month)

    @classmethod
    def period(cls, query, *, default_year: int | None = None, default_month: int | None = None):
        """(year, month, message): the valid values, else the defaults and the Chinese message why."""
        today = clock.today()
        year = default_year if default_year is not None else today.year
        month = default_month
        form = cls(query)
        if not form.is_valid():
            errors = [e for errs in form.errors.values() for e in errs]
            return year, month, "；".join(errors)
        if form.cleaned_data.get("year") is not None:
            year = form.cleaned_data["year"]
        parsed = form.cleaned_data.get("month")
        if parsed:
            year = parsed[0] if parsed[0] is not None else year
            month = parsed[1]
        return year, month, ""

    @classmethod
    def first_of_month(cls, query, *, default: dt.date | None = None) -> tuple[dt.date, str]:
        """The first day of ?month=YYYY-MM (default: this month), and the message when it was refused."""
        default = default or clock.today().replace(day=1)
        year, month, message = cls.period(query, default_year=default.year, default_month=default.month)
        return dt.date(year, month or default.month, 1), message


def client_address(request) -> str:
    """The client's address for the login throttle. Behind the documented proxy (ZHIBU_HTTPS=1: nginx
    in front, docs/DEPLOY.md) every request comes from the proxy, so the address nginx saw is taken
    from the last X-Forwarded-For entry (the one nginx appends; earlier entries are the client's word)."""
    if not request:
        return ""
    from django.conf import settings

    if getattr(settings, "TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip() if forwarded else ""
        if last:
            return last[:64]
    return request.META.get("REMOTE_ADDR", "")


class LoginForm(ZhibuFormMixin, AuthenticationForm):
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
