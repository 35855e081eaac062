from __future__ import annotations

from django import forms

from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin
from zhibu.orglifemeeting import rules
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, Person
from zhibu.rectify.models import Kind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _people(branch: Organisation):
    return Person.objects.filter(branch=branch, active=True).order_by("name", "id")


def _members(branch: Organisation):
    return Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS).order_by("name", "id")


class CycleForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1900, max_value=2100)
    term = forms.TypedChoiceField(
        label="期次",
        choices=rules.TERMS,
        coerce=int,
        initial=0,
        help_text="每年一次选“全年”；按学期召开的选上半年或下半年",
    )
    topic = forms.CharField(label="主题", max_length=200)
    planned_date = forms.DateField(label="计划召开日期", widget=DATE_WIDGET)
    notice_date = forms.DateField(label="上级通知日期", widget=DATE_WIDGET, required=False)
    notice_requirements = forms.CharField(
        label="上级通知要求", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    request_days = forms.IntegerField(
        label="提前几天向上级请示", min_value=0, max_value=60, initial=rules.DEFAULT_REQUEST_DAYS
    )
    required_steps = forms.MultipleChoiceField(
        label="必须完成的准备事项",
        choices=rules.STEPS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        initial=list(rules.DEFAULT_REQUIRED),
    )
    readings = forms.MultipleChoiceField(
        label="谈心谈话覆盖要求",
        choices=rules.READINGS,
        widget=forms.CheckboxSelectMultiple,
        initial=list(rules.DEFAULT_READINGS),
        help_text="依据：" + rules.SOURCE_TALKS,
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
            del self.fields["term"]


class StepForm(ZhibuFormMixin, forms.Form):
    owner = PersonChoice(label="负责人", queryset=Person.objects.none(), required=False)
    due = forms.DateField(label="完成期限", widget=DATE_WIDGET, required=False)
    done_on = forms.DateField(label="完成日期", widget=DATE_WIDGET, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, branch: Organisation, manual: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(branch)
        if not manual:
            del self.fields["done_on"]


class TalkForm(ZhibuFormMixin, forms.Form):
    """A 谈心谈话 in two clicks: the pair comes from the missing list, today is the default date."""

    person_a = PersonChoice(label="谈话人", queryset=Person.objects.none())
    person_b = PersonChoice(label="谈话对象", queryset=Person.objects.none())
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    topic = forms.CharField(label="谈话主题", max_length=100, required=False)
    notes = forms.CharField(label="备注", max_length=190, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_a"].queryset = _members(branch)
        self.fields["person_b"].queryset = _members(branch)

    def clean(self):
        d = super().clean()
        if d.get("person_a") and d.get("person_a") == d.get("person_b"):
            raise forms.ValidationError("谈心谈话须为两个人")
        return d

    def note(self) -> str:
        topic, notes = self.cleaned_data.get("topic", ""), self.cleaned_data.get("notes", "")
        return "：".join(x for x in (topic, notes) if x)[:300]


class MaterialForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=20000)
    upload = forms.FileField(
        label="或上传文件（PDF、Word、照片）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,image/*"}),
    )


class OpinionForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="提出人（可不填）", max_length=50, required=False)
    text = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)


class MeetingForm(ZhibuFormMixin, forms.Form):
    format = forms.ChoiceField(label="召开形式", choices=rules.FORMATS)
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    start = forms.TimeField(label="开始时间", widget=TIME_WIDGET, initial="15:00")
    end = forms.TimeField(label="结束时间", widget=TIME_WIDGET, initial="17:00")
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = PersonChoice(label="主持人", queryset=Person.objects.none(), required=False)
    upper_attendee = forms.CharField(label="上级党组织参会人员", max_length=100, required=False)
    secretary_report = forms.CharField(
        label="书记报告（对照检查）", widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
    )

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = _members(branch)

    def clean(self):
        d = super().clean()
        if d.get("start") and d.get("end") and d["end"] <= d["start"]:
            self.add_error("end", "结束时间须晚于开始时间")
        if d.get("date") and d["date"] > clock.today():
            self.add_error("date", "会议尚未召开，请在会后登记")
        return d


class NoteForm(ZhibuFormMixin, forms.Form):
    self_criticism = forms.CharField(
        label="自我批评", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )
    criticism = forms.CharField(
        label="相互批评意见", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )


class ProblemForm(ZhibuFormMixin, forms.Form):
    problem = forms.CharField(label="问题", max_length=300)
    measures = forms.CharField(label="整改措施", max_length=300, required=False)
    responsible = PersonChoice(label="责任人", queryset=Person.objects.none(), required=False)
    kind = forms.ChoiceField(label="整改类型", choices=Kind.choices, initial=Kind.DEADLINE)
    deadline = forms.DateField(label="整改时限", widget=DATE_WIDGET, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _people(branch)
