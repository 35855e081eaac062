"""Forms of notices, guides and tasks (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin
from zhibu.notices import rules, selectors
from zhibu.orgs.models import Organisation, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class BranchChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.branch.name}）"


class NoticeForm(ZhibuFormMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    sign_by = forms.DateField(label="签阅截止日期（可不填）", required=False, widget=DATE_WIDGET)
    to_all = forms.BooleanField(label="发给全部党支部", required=False, initial=True)
    branches = BranchChoice(
        label="或选择党支部", queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    people = PersonChoice(
        label="发给个人（有账号的人员，可不选）",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    attachments = MultipleFileField(label="附件（pdf、docx、xlsx、jpg、png，可多选，可不传）", required=False)

    def __init__(self, *args, sender: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["branches"]).queryset = selectors.branches_below(sender)
        cast(forms.ModelMultipleChoiceField, self.fields["people"]).queryset = (
            Person.objects.filter(branch__path__startswith=sender.path, active=True, user__isnull=False)
            .select_related("branch")
            .order_by("branch__name", "name", "id")
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("to_all"):
            data["branches"] = list(cast(forms.ModelMultipleChoiceField, self.fields["branches"]).queryset or [])
        if not data.get("branches") and not data.get("people") and not self.errors:
            self.add_error("branches", "请选择接收的支部或人员。")
        return data


class GuideForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)
    theme = forms.CharField(label="主题", max_length=200)
    materials = forms.CharField(
        label="参考学习材料（一行一项）", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateField(label="完成时限", widget=DATE_WIDGET)
    kinds = forms.MultipleChoiceField(
        label="要求开展的组织生活（计入支部的组织生活完成情况）",
        choices=selectors.GUIDE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TaskForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="任务类型", choices=list(rules.TASK_KINDS.items()), widget=forms.RadioSelect, initial=rules.MATERIAL
    )
    title = forms.CharField(label="任务名称", max_length=200)
    body = forms.CharField(label="要求", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    due_on = forms.DateField(label="报送截止日期", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("year", clock.today().year)
        super().__init__(*args, **kwargs)


class AnswerForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="报送内容", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    upload = forms.FileField(label="材料文件（pdf、docx、xlsx、jpg、png，可不传）", required=False)


class DecideForm(ZhibuFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="审核", choices=[("approve", "通过"), ("return", "退回")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="退回理由（退回时必填）", required=False, max_length=300)
