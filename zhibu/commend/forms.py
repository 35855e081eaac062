"""Forms of 评优 and 积分 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.commend import rules
from zhibu.commend.models import PointsRule
from zhibu.core.forms import ZhibuFormMixin
from zhibu.orgs.models import Organisation, Person, Standing

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class RoundForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="评选年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=100, help_text="如：2026年度“两优一先”评选表彰")
    opens_on = forms.DateField(label="推荐开始日期", widget=DATE_WIDGET)
    closes_on = forms.DateField(label="推荐截止日期", widget=DATE_WIDGET)
    quota_kind = forms.ChoiceField(label="名额方式", choices=rules.QUOTA_KINDS, initial=rules.FIXED)
    percent = forms.DecimalField(label="比例（占正式党员的%，按比例时填写）", required=False, min_value=0,
                                 max_value=100, max_digits=5, decimal_places=2)
    quota_member = forms.IntegerField(label="优秀共产党员名额（固定名额时填写）", min_value=0, max_value=999, initial=0)
    quota_worker = forms.IntegerField(label="优秀党务工作者名额（固定名额时填写）", min_value=0, max_value=999, initial=0)
    quota_org = forms.IntegerField(label="先进基层党组织名额", min_value=0, max_value=999, initial=0)
    approval_ref = forms.CharField(label="表彰方案批准文号", max_length=100)
    publicity_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30,
                                        initial=rules.DEFAULT_PUBLICITY_WORKDAYS)

    def clean(self):
        data = super().clean() or {}
        a, b = data.get("opens_on"), data.get("closes_on")
        if a and b and b < a:
            self.add_error("closes_on", "推荐截止日期不能早于开始日期。")
        if data.get("quota_kind") == rules.RATIO and not data.get("percent"):
            self.add_error("percent", "按比例确定名额时请填写比例。")
        return data


class NominateForm(ZhibuFormMixin, forms.Form):
    award_type = forms.ChoiceField(label="表彰类别", choices=rules.AWARD_TYPES)
    person = PersonChoice(label="推荐人选（先进基层党组织不填）", queryset=Person.objects.none(), required=False)
    reason = forms.CharField(label="推荐理由（主要事迹）", max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, branch: Organisation, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["award_type"]).choices = [(t, rules.AWARD_LABELS[t]) for t in offered]
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(
            branch=branch, active=True, standing=Standing.FULL
        ).order_by("name", "id")


class DecideForm(ZhibuFormMixin, forms.Form):
    result = forms.ChoiceField(label="审定", choices=[("award", "同意表彰"), ("reject", "不予表彰")])
    note = forms.CharField(label="意见", max_length=300, required=False)


class PubliciseForm(ZhibuFormMixin, forms.Form):
    start = forms.DateField(label="公示开始日期", widget=DATE_WIDGET)
    days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30)


class SchemeForm(ZhibuFormMixin, forms.Form):
    enabled = forms.BooleanField(label="启用党员积分（本地做法，默认不启用）", required=False)
    base = forms.IntegerField(label="基础分", min_value=0, max_value=1000)


class RuleForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="项目", max_length=50)
    source = forms.ChoiceField(label="来源", choices=rules.POINT_SOURCES)
    points = forms.IntegerField(label="分值（加分为正，减分为负）", min_value=-100, max_value=100)
    cap = forms.IntegerField(label="全年上限（分，可不填）", min_value=1, max_value=1000, required=False)


class ActiveForm(ZhibuFormMixin, forms.Form):
    active = forms.BooleanField(required=False)


class EntryForm(ZhibuFormMixin, forms.Form):
    rule = forms.ModelChoiceField(label="项目", queryset=PointsRule.objects.none())
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    evidence = forms.CharField(label="依据（活动名称、时间等；照片等材料不是必需的）", max_length=300)

    def __init__(self, *args, rules_qs, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["rule"])
        field.queryset = rules_qs
        field.label_from_instance = lambda r: f"{r.name}（{r.points:+d}分）"
