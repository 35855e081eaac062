"""Forms of 组织关系 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.membership import rules
from zhibu.membership.models import CaseKind, MeritKind, StatusKind
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def members(branch: Organisation):
    return (
        Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS)
        .only("id", "name", "branch_id", "standing", "active")
        .order_by("name", "id")
    )


class CaseForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="党员", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="类别", choices=CaseKind.choices)
    to_branch = NamedChoice(label="转往支部（区内转接）", queryset=Organisation.objects.none(), required=False)
    to_org = forms.CharField(label="转往党组织（转出本区）或外出去处（临时介绍信）", max_length=100, required=False)
    dues_paid_to = forms.DateField(label="党费交至（月份，任一日）", widget=DATE, required=False)
    reason = forms.CharField(label="转接原因", max_length=200)
    valid_days = forms.IntegerField(
        label="介绍信有效期（天，可不填：按上级设定）",
        required=False,
        min_value=rules.LETTER_DAYS_RANGE[0],
        max_value=rules.LETTER_DAYS_RANGE[1],
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = members(branch)
        cast(forms.ModelChoiceField, self.fields["to_branch"]).queryset = (
            Organisation.objects.filter(parent_id=branch.parent_id, kind=OrgKind.BRANCH)
            .exclude(pk=branch.pk)
            .order_by("path")
        )


class ReceiptForm(ZhibuFormMixin, forms.Form):
    on = forms.DateField(label="回执收到日期", widget=DATE)


class CancelForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="撤销原因", max_length=200)


class StatusForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="党员", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="类别", choices=StatusKind.choices)
    on = forms.DateField(label="日期", widget=DATE)
    reason = forms.CharField(label="原因/依据（如支部大会决议、上级批复文号）", max_length=300)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = (
            Person.objects.filter(branch=branch).only("id", "name", "branch_id").order_by("-active", "name", "id")
        )


class MeritForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=MeritKind.choices)
    title = forms.CharField(label="名称（奖励名称，或处分：" + "、".join(rules.PENALTIES) + "）", max_length=100)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    decided_by = forms.CharField(label="决定机关", max_length=100)
    reason = forms.CharField(label="事由", max_length=300)
    ends_on = forms.DateField(label="期满日期（仅留党察看）", widget=DATE, required=False)


class AskForm(ZhibuFormMixin, forms.Form):
    destination = forms.CharField(label="拟转往的单位或党组织", max_length=100)
    reason = forms.CharField(label="原因（如工作调动、居住地变化）", max_length=200)


class DeclineForm(ZhibuFormMixin, forms.Form):
    answer = forms.CharField(label="答复（暂不办理的原因）", max_length=200)
