from django import forms

from zhibu.core.forms import ZhibuFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HolidayForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    is_workday = forms.TypedChoiceField(label="类别", choices=[("0", "放假"), ("1", "调休上班")],
                                        coerce=lambda v: v == "1", initial="0")
    name = forms.CharField(label="名称", max_length=50, help_text="如：春节、国庆节、春节调休上班")
