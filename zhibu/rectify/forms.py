"""Forms of the 整改台账 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings

from zhibu.core.forms import ZhibuFormMixin
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person
from zhibu.rectify.models import Kind, Source

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SourceChoice(forms.ModelChoiceField):  # sources and branches: by name
    def label_from_instance(self, obj):
        return obj.name


class ItemForm(ZhibuFormMixin, forms.Form):
    source = SourceChoice(label="问题来源", queryset=Source.objects.filter(active=True), empty_label=None)
    raised_on = forms.DateField(label="发现日期", widget=DATE_WIDGET)
    problem = forms.CharField(label="问题表现", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.CharField(label="问题类别", max_length=50, required=False)
    measures = forms.CharField(
        label="整改措施", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = PersonChoice(label="责任人", queryset=Person.objects.none(), required=False)
    kind = forms.ChoiceField(label="整改类型", choices=Kind.choices, initial=Kind.DEADLINE)
    deadline = forms.DateField(label="整改时限", widget=DATE_WIDGET, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = Person.objects.filter(
            branch=branch, active=True
        ).order_by("name", "id")

    def clean(self):
        data = super().clean() or {}
        raised_on, deadline = data.get("raised_on"), data.get("deadline")
        if raised_on and deadline and deadline < raised_on:
            self.add_error("deadline", f"整改时限（{deadline:%Y-%m-%d}）早于问题登记日期（{raised_on:%Y-%m-%d}）。")
        if data.get("kind") == Kind.DEADLINE and not deadline and "deadline" not in self.errors:
            self.add_error("deadline", "限期整改的问题须填写整改时限。")
        return data


class DistrictItemForm(ItemForm):
    """巡察/督查 findings the district assigns to one of its branches."""

    branch = SourceChoice(label="党支部", queryset=Organisation.objects.none())
    field_order = ["branch", "source"]

    def __init__(self, *args, district: Organisation, **kwargs):
        super().__init__(*args, branch=district, **kwargs)
        cast(forms.ModelChoiceField, self.fields["branch"]).queryset = Organisation.objects.filter(
            path__startswith=district.path, kind=OrgKind.BRANCH
        ).order_by("path")
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = Person.objects.filter(
            branch__path__startswith=district.path, active=True, standing__in=MEMBER_STANDINGS
        )


class NoteForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="整改进展", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(ZhibuFormMixin, forms.Form):
    evidence = forms.CharField(
        label="整改成效及佐证说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label="佐证文件（jpg、png、pdf，可不传）", required=False)

    def clean_file(self):
        f = self.cleaned_data.get("file")
        if f and f.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(f"文件过大（上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1}MB）。")
        return f


class ReasonForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=300)


class ReviewForm(ZhibuFormMixin, forms.Form):
    result = forms.ChoiceField(
        label="回头看结论", choices=[("confirm", "整改成效巩固，确认销号"), ("reopen", "问题反弹，重新整改")]
    )
    note = forms.CharField(label="回头看意见", max_length=300, required=False)


class ListQueryForm(ZhibuFormMixin, forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("", "全部"), ("active", "未销号"), ("overdue", "已超期"), ("finished", "已销号")],
    )
    source = forms.SlugField(required=False, max_length=30)


class ImportForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="整改台账（.xlsx，与导出的表格同样的列）")
