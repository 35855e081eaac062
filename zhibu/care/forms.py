"""Forms of 关怀与共建 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms

from zhibu.care import rules
from zhibu.care.models import PairKind
from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NamedMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def people(branch: Organisation, *, members: bool = False):
    qs = Person.objects.filter(branch=branch, active=True).only("id", "name", "branch_id", "standing", "active")
    if members:
        qs = qs.filter(standing__in=MEMBER_STANDINGS)
    return qs.order_by("name", "id")


def _year_field(label: str = "年度") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=2000, max_value=2100)


class FlagForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="人员", queryset=Person.objects.none())
    kind = forms.ChoiceField(label="关怀类别", choices=rules.FLAGS)
    since = forms.DateField(label="起始日期", widget=DATE)
    note = forms.CharField(label="情况说明", max_length=200, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people(branch)


class EndForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="结束日期", widget=DATE, required=False)


class CampaignForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="走访类别", choices=rules.CAMPAIGN_KINDS)
    year = _year_field()
    title = forms.CharField(label="名称（可不填）", max_length=60, required=False)
    due = forms.DateField(label="完成期限（可不填：春节前一天、7月1日）", widget=DATE, required=False)
    flags = forms.MultipleChoiceField(
        label="走访对象",
        choices=rules.FLAGS,
        widget=forms.CheckboxSelectMultiple,
        initial=list(rules.DEFAULT_FLAGS[rules.SPRING]),
    )


class VisitForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="走访对象", queryset=Person.objects.none())
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    visitors = forms.CharField(label="走访人", max_length=100)
    gifts = forms.CharField(label="慰问品", max_length=200, required=False)
    amount = forms.DecimalField(
        label="慰问金（元）",
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=rules.MAX_AMOUNT,
        required=False,
    )
    fund = forms.ChoiceField(label="经费来源", choices=[("", "（无）"), *rules.FUND_SOURCES], required=False)
    note = forms.CharField(label="走访情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = queryset


class PairForm(ZhibuFormMixin, forms.Form):
    member = NamedChoice(label="党员", queryset=Person.objects.none())
    kind = NamedChoice(label="结对类别", queryset=PairKind.objects.filter(active=True), empty_label=None)
    partner = NamedChoice(label="结对对象（本支部人员）", queryset=Person.objects.none(), required=False)
    partner_name = forms.CharField(label="结对对象（名册外，如“张小明家庭”）", max_length=50, required=False)
    started_on = forms.DateField(label="结对日期", widget=DATE)
    note = forms.CharField(label="结对内容", max_length=200, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = people(branch, members=True)
        cast(forms.ModelChoiceField, self.fields["partner"]).queryset = people(branch)


class ContactForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="联系日期", widget=DATE)
    way = forms.CharField(label="方式（面谈、电话、家访…）", max_length=20, required=False)
    content = forms.CharField(label="内容", max_length=300)


class ActivityForm(ZhibuFormMixin, forms.Form):
    title = forms.CharField(label="活动名称", max_length=80)
    date = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点", max_length=80, required=False)
    content = forms.CharField(label="服务内容", max_length=300, required=False)
    people = NamedMultiple(
        label="参加人员（党员和教职工）",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.DecimalField(
        label="每人服务时长（小时）",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=rules.MAX_HOURS,
        initial=Decimal(2),
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["people"]).queryset = people(branch)


class HoursForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="人员", queryset=Person.objects.none())
    hours = forms.DecimalField(
        label="服务时长（小时）", max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=rules.MAX_HOURS
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people(branch)


class PostForm(ZhibuFormMixin, forms.Form):
    year = _year_field()
    kind = forms.ChoiceField(label="类别", choices=rules.POST_KINDS)
    name = forms.CharField(label="岗位名称", max_length=60)
    holder = NamedChoice(label="党员", queryset=Person.objects.none())
    commitment = forms.CharField(label="承诺", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["holder"]).queryset = people(branch, members=True)


class PostReviewForm(ZhibuFormMixin, forms.Form):
    result = forms.ChoiceField(label="评议结果", choices=rules.REVIEW_RESULTS)
    review = forms.CharField(label="评议意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    reviewed_on = forms.DateField(label="评议日期", widget=DATE, required=False)


class PartnerForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="共建单位", max_length=80)
    kind = forms.ChoiceField(label="类别", choices=rules.PARTNER_KINDS)
    contact = forms.CharField(label="联系人", max_length=40, required=False)
    since = forms.DateField(label="共建起始", widget=DATE)
    note = forms.CharField(label="共建内容", max_length=300, required=False)


class JointForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    title = forms.CharField(label="活动名称", max_length=80)
    content = forms.CharField(label="活动内容", max_length=300, required=False)


def today_initial(*names: str) -> dict:
    today = clock.today()
    return dict.fromkeys(names, today)
