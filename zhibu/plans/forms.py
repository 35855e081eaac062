"""Forms of the plans app (labels and errors in Chinese)."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from zhibu.core.forms import ZhibuFormMixin
from zhibu.plans.models import Half, PlanKind
from zhibu.plans.parser import KIND_LABELS, KINDS

KIND_CHOICES = [(k, KIND_LABELS.get(k, k)) for k in KINDS]
MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]
MAX_UPLOAD = 5 * 1024 * 1024
MAX_TEXT = 200_000

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}


def parse_months(value: str) -> list[int]:
    """"3" "7、8" "7,8" "9-12" "7-8月" "七、八月" -> sorted months; ValidationError otherwise."""
    text = (value or "").strip().replace("月份", "").replace("月", "")
    text = re.sub(r"\s*(?:~|~|至|到|—|–|－)\s*", "-", text)
    parts = [p for p in re.split(r"[、,,;;/\s]+", text) if p]
    months: set[int] = set()
    error = ValidationError("月份须为1–12，例如“3”“7、8”或“9-12”")
    if not parts:
        raise ValidationError("请填写月份")

    def one(s: str) -> int:
        s = s.strip()
        n = int(s) if s.isdigit() else _CN.get(s)
        if n is None or not 1 <= n <= 12:
            raise error
        return n

    for part in parts:
        if "-" in part:
            a, _, b = part.partition("-")
            lo, hi = one(a), one(b)
            if lo > hi:
                raise error
            months.update(range(lo, hi + 1))
        else:
            months.add(one(part))
    return sorted(months)


def months_value(months) -> str:
    return "、".join(str(m) for m in sorted(months))


class MonthsField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return parse_months(value) if value else []

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return months_value(value)
        return value


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label="年度", min_value=2000, max_value=2100, **kwargs)


class PlanForm(ZhibuFormMixin, forms.Form):
    kind = forms.TypedChoiceField(label="计划类型", choices=PlanKind.choices, initial=PlanKind.ANNUAL,
                                  required=False, empty_value=PlanKind.ANNUAL,
                                  help_text="主题教育、党纪学习教育、专项整治等方案选“专项/主题教育方案”，与年度计划显示在同一行事历上")
    year = year_field()
    half = forms.ChoiceField(label="期间", choices=Half.choices, initial=Half.FULL)
    title = forms.CharField(label="标题", max_length=200, required=False,
                            help_text="年度计划不填则为“支部名称+年度+工作计划”；专项方案须填写")
    label = forms.CharField(label="简称", max_length=20, required=False,
                            help_text="专项方案在行事历上的简称，如“主题教育”；不填取标题")


class CopyForm(ZhibuFormMixin, forms.Form):
    source = forms.ModelChoiceField(label="复制哪一份计划", queryset=None, empty_label=None)
    year = year_field()
    half = forms.ChoiceField(label="期间", choices=Half.choices, initial=Half.FULL)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = plans
        self.fields["source"].label_from_instance = lambda p: f"{p.period_label}:{p}"


class ImportForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="粘贴计划全文", required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 12, "placeholder": "把工作计划全文（含行事历）粘贴到这里"}))
    file = forms.FileField(label="或上传文件（.txt 或 .docx）", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("file"):
            raise ValidationError("请粘贴计划文本，或上传 .txt / .docx 文件")
        upload = data.get("file")
        if upload is not None:
            name = upload.name.lower()
            if not name.endswith((".txt", ".docx")):
                raise ValidationError("只支持 .txt 或 .docx 文件（旧版 .doc 请先另存为 .docx）")
            if upload.size > MAX_UPLOAD:
                raise ValidationError("文件过大（上限5MB）")
        return data


class PreviewHeaderForm(PlanForm):
    source_text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_TEXT, strip=False)


class PreviewItemForm(ZhibuFormMixin, forms.Form):
    months = MonthsField(label="月份", max_length=60, widget=forms.TextInput(attrs={"inputmode": "text", "size": 8}))
    text = forms.CharField(label="工作内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kinds = forms.MultipleChoiceField(label="类别", choices=KIND_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    theme = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


PreviewItemFormSet = forms.formset_factory(PreviewItemForm, extra=0, can_delete=True, max_num=1000,
                                           validate_max=True)


class ItemForm(ZhibuFormMixin, forms.Form):
    """Add or edit one calendar item."""
    months = MonthsField(label="月份", max_length=60, help_text="例如“3”“7、8”或“9-12”")
    text = forms.CharField(label="工作内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kinds = forms.MultipleChoiceField(label="类别", choices=KIND_CHOICES, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text="新增时不选则按内容自动识别")
    owner = forms.ModelChoiceField(label="负责人", queryset=None, required=False, empty_label="（未指定）")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class ItemActionForm(ZhibuFormMixin, forms.Form):
    """The calendar page's one-click controls."""
    ACTIONS = [("done", "完成"), ("cancel", "取消"), ("planned", "恢复为计划"), ("move", "调整月份"), ("owner", "负责人")]
    action = forms.ChoiceField(choices=ACTIONS)
    month = forms.TypedChoiceField(choices=MONTH_CHOICES, coerce=int, required=False)
    owner = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("action") == "move" and not data.get("month"):
            raise ValidationError("请选择调整到的月份")
        return data
