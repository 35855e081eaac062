"""Forms of the district assessment (every one with ZhibuFormMixin through zhibu.core.forms)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator

from zhibu.assessment import rules
from zhibu.assessment.hooks import KNOWN, MISSING, measures
from zhibu.core.forms import Form

POINTS_MESSAGES = {
    "max_digits": "分值最多保留一位小数，且不超过100分。",
    "max_decimal_places": "分值最多保留一位小数。",
}


class CreateRubricForm(Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    default = forms.BooleanField(label="采用默认的“五好”评分细则（5类×20分）", required=False, initial=True)


class ThresholdsForm(Form):
    advanced = forms.IntegerField(label="先进线（得分率%，不低于）", min_value=0, max_value=100)
    backward = forms.IntegerField(label="后进线（得分率%，低于）", min_value=0, max_value=100)

    def clean(self):
        data = super().clean()
        a, b = data.get("advanced"), data.get("backward")
        if a is not None and b is not None and b > a:
            raise forms.ValidationError("后进线不能高于先进线。", code="thresholds")
        return data


def measure_choices() -> list[tuple[str, str]]:
    found = measures()
    choices = [("", "手工评分（由上级评定，可附佐证）")]
    for key, column in KNOWN:
        m = found.get(key)
        choices.append((key, f"按记录计算：{m.label}" if m else f"按记录计算：{column}（{MISSING}）"))
    choices += [(k, f"按记录计算：{m.label}") for k, m in found.items() if k not in dict(KNOWN)]
    return choices


class ItemForm(Form):
    group = forms.CharField(label="类别", max_length=30)
    label = forms.CharField(label="考核内容", max_length=100)
    points = forms.DecimalField(
        label="分值",
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        error_messages=POINTS_MESSAGES,
    )
    measure = forms.ChoiceField(label="数据来源", required=False)
    guidance = forms.CharField(label="评分说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = measure_choices()
        self.fields["group"].widget.attrs["list"] = "groups"


class ManualScoreForm(Form):
    points = forms.DecimalField(
        label="得分", min_value=Decimal("0"), max_digits=4, decimal_places=1, error_messages=POINTS_MESSAGES
    )
    note = forms.CharField(label="评分依据", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(label="佐证材料（可不上传；PDF、Word、JPG、PNG）", required=False)

    def __init__(self, *args, maximum: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].max_value = maximum
        self.fields["points"].validators.append(
            MaxValueValidator(maximum, message=f"得分不能超过该项分值{maximum}分。")
        )
        self.fields["points"].widget.attrs["max"] = str(maximum)


class ReportForm(Form):
    upload = forms.FileField(label="述职报告（PDF、Word、JPG、PNG）")


class GradeForm(Form):
    grade = forms.ChoiceField(label="评议等次", choices=rules.GRADES)
    comment = forms.CharField(
        label="评议意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(Form):
    problem = forms.CharField(label="发现的问题", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="整改要求", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label="整改时限", required=False)
