"""The 落款 date a user may change before downloading (`?date=2026-10-08` or a posted `date`).

when, error = signing_date(request.GET, default=meeting.date)
if error: return refused(request, org, error, back=…)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django import forms

from zhibu.core.forms import ZhibuFormMixin

FIRST, LAST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class SigningDateForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(
        label="落款日期",
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "落款日期格式不正确，请按“2026-10-08”的格式填写。"},
        widget=forms.DateInput(attrs={"type": "date", "min": FIRST.isoformat(), "max": LAST.isoformat()}),
    )

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value is not None and not FIRST <= value <= LAST:
            raise forms.ValidationError("落款日期须在2000年至2100年之间。")
        return value


def signing_date(data: Mapping[str, str], default: dt.date | None) -> tuple[dt.date | None, str]:
    """(the date to sign with, '' or the Chinese reason the given one is refused)."""
    if not data.get("date"):
        return default, ""
    form = SigningDateForm({"date": data.get("date", "")})
    if not form.is_valid():
        error = "；".join(str(e) for e in form.errors.get("date", ["格式不正确。"]))
        return default, error if error.startswith("落款日期") else f"落款日期：{error}"
    return form.cleaned_data["date"] or default, ""
