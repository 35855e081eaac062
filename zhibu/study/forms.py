"""Forms of 学习教育 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.orglife import rules as orglife_rules
from zhibu.orgs.models import Organisation, OrgKind, Person
from zhibu.study import rules
from zhibu.study.models import Audience, Category, Length, StudyForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_member else f"{obj.name}（{obj.get_standing_display()}）"


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's FileField takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class SessionForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    length = forms.ChoiceField(label="时长", choices=Length.choices, initial=Length.HOURS)
    hours = forms.DecimalField(
        label="小时数（按小时计时填写）",
        max_digits=4,
        decimal_places=1,
        required=False,
        min_value=0.5,
        max_value=float(rules.MAX_SESSION_HOURS),
        initial=1,
    )
    form = forms.ChoiceField(label="形式", choices=StudyForm.choices, initial=StudyForm.CENTRAL)
    category = NamedChoice(label="类别", queryset=Category.objects.filter(active=True), empty_label=None)
    topic = forms.CharField(label="主题", max_length=200)
    speaker = forms.CharField(label="主讲人", max_length=50, required=False)
    audience = forms.ChoiceField(label="参学对象", choices=Audience.choices, initial=Audience.MEMBERS)
    group = NamedChoice(label="党小组", queryset=Organisation.objects.none(), required=False)
    attendees = PeopleChoice(
        label="到场人员（含非党员教职工）",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label="内容摘要", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    links = forms.CharField(
        label="学习材料链接（每行一个）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials = MultipleFileField(label="材料、照片（jpg、png、pdf、docx，可多选）", required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = Organisation.objects.filter(
            parent=branch, kind=OrgKind.GROUP
        ).order_by("name")
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = Person.objects.filter(
            branch=branch, active=True
        ).order_by("name", "id")

    def clean(self):
        data = super().clean() or {}
        if data.get("length") == Length.HOURS and not data.get("hours") and "hours" not in self.errors:
            self.add_error("hours", "按小时计时，请填写小时数。")
        return data


class TrainingForm(ZhibuFormMixin, forms.Form):
    person = NamedChoice(label="人员", queryset=Person.objects.none(), empty_label=None)
    date = forms.DateField(label="结业日期", widget=DATE_WIDGET)
    title = forms.CharField(label="培训名称", max_length=200)
    provider = forms.CharField(label="培训机构（如区委党校、线上课程平台）", max_length=100)
    hours = forms.DecimalField(
        label="学时", max_digits=5, decimal_places=1, min_value=0.5, max_value=float(rules.MAX_TRAINING_HOURS)
    )
    certificate = forms.FileField(label="结业证书（jpg、png、pdf）", required=False)

    def __init__(self, *args, branch: Organisation, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Person.objects.filter(branch=branch, active=True).order_by("name", "id")
        if person is not None:
            qs = qs.filter(pk=person.pk)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = qs


class DecideForm(ZhibuFormMixin, forms.Form):
    approve = forms.ChoiceField(choices=[("1", "认定"), ("0", "不予认定")])


class ExemptForm(ZhibuFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="原因", choices=[("", "取消免于考核")] + [(r, r) for r in rules.FRAIL_REASONS], required=False
    )


class ObligationForm(ZhibuFormMixin, forms.Form):
    label = forms.CharField(label="学习制度（如 每两周一次全体教职工政治学习）", max_length=60)
    frequency = forms.ChoiceField(label="检查频次", choices=list(orglife_rules.FREQUENCY_LABELS.items()))


class QuotaForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="要求", choices=[(k, v[0]) for k, v in rules.QUOTA_KINDS.items()])
    value = forms.IntegerField(label="全年数量", min_value=1, max_value=1_000_000)


class AdoptForm(ZhibuFormMixin, forms.Form):
    index = forms.IntegerField(min_value=0, max_value=999)


class PlanForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="本年度学习计划", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class ReadingForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    title = forms.CharField(label="书名/篇目", max_length=200)
    note = forms.CharField(label="摘记", max_length=500, required=False)


class ReflectionForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    title = forms.CharField(label="题目", max_length=200)
    text = forms.CharField(
        label="正文（可直接填写）",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-count": "chars"}),
    )
    file = forms.FileField(label="或上传文件（docx、pdf、jpg、png，手机拍照即可）", required=False)
    share = forms.BooleanField(label="分享到支部学习简报", required=False)


class ImportForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="学习强国积分导出文件（.xlsx 或 .csv，列：姓名、日期、积分）")


class QuarterForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    quarter = forms.IntegerField(min_value=1, max_value=4, required=False)
