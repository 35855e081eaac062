"""The one query form of 党内统计: ?year=2025&report=half (bounded, never a 500)."""

from __future__ import annotations

from django import forms

from zhibu.core.forms import PeriodQueryForm

PERIODS = (("year", "年报（截至12月31日）"), ("half", "半年报（截至6月30日）"))


class StatsQueryForm(PeriodQueryForm):
    report = forms.ChoiceField(
        label="报表", choices=PERIODS, required=False, error_messages={"invalid_choice": "报表只能选年报或半年报。"}
    )

    @classmethod
    def read(cls, query, *, half_allowed: bool) -> tuple[int, bool, str]:
        """(year, half-year?, message): the valid values, else this year's 年报 and the reason."""
        year, _month, message = cls.period(query)
        form = cls(query)
        half = False
        if form.is_valid():
            half = form.cleaned_data.get("report") == "half"
        elif "report" in form.errors:
            message = "；".join(str(e) for e in form.errors["report"])
        if half and not half_allowed:
            return year, False, "本党委未设半年报，显示年报。"
        return year, half, message
