"""Forms of 廉政与师德 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.integrity import rules
from zhibu.orgs.models import Organisation, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR = {"min_value": 2000, "max_value": 2100}


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%Y-%m-%d} {obj.get_kind_display()}：{obj.topic}"


def _people(branch: Organisation):
    return Person.objects.filter(branch=branch, active=True).order_by("name", "id")


class DutyForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", **YEAR)
    person = PersonChoice(label="责任人", queryset=Person.objects.none())
    role_title = forms.CharField(label="岗位及责任", max_length=50, help_text="如：支部书记（第一责任人）、园长（一岗双责）")
    duties = forms.CharField(
        label="责任事项（每行一项）", max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = _people(branch)


class DutyEditForm(ZhibuFormMixin, forms.Form):
    role_title = forms.CharField(label="岗位及责任", max_length=50)
    duties = forms.CharField(label="责任事项（每行一项）", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))


class CheckForm(ZhibuFormMixin, forms.Form):
    result = forms.ChoiceField(label="检查结果", choices=rules.CHECK_RESULTS)
    note = forms.CharField(label="检查意见", max_length=300, required=False)


class IssueForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", **YEAR)
    text = forms.CharField(label="承诺内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))


class ViolationForm(ZhibuFormMixin, forms.Form):
    person = PersonChoice(label="当事人", queryset=Person.objects.none())
    date = forms.DateField(label="发生日期", widget=DATE_WIDGET)
    description = forms.CharField(label="失范行为", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(label="处理结果", max_length=300, required=False)
    veto = forms.BooleanField(label="当年评奖评优一票否决", required=False, initial=True)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = _people(branch)


class WithdrawForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=300)


class DecisionForm(ZhibuFormMixin, forms.Form):
    category = forms.ChoiceField(label="类别", choices=rules.DECISION_CATEGORIES)
    item = forms.CharField(label="决策事项", max_length=200)
    meeting = MeetingChoice(label="决策会议（党员大会或支委会）", queryset=None)
    votes_for = forms.IntegerField(label="赞成", min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label="反对", min_value=0, max_value=1000, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, max_value=1000, initial=0)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        from zhibu.orglife.models import Meeting

        field = cast(forms.ModelChoiceField, self.fields["meeting"])
        field.queryset = Meeting.objects.filter(pk__in=[m.pk for m in meetings]).order_by("-starts_at", "-id")
