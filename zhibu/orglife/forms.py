from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings

from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin
from zhibu.orglife import rules
from zhibu.orglife.models import AttendanceStatus, Meeting, MeetingKind
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FORM_KINDS = [(v, label) for v, label in MeetingKind.choices if v != MeetingKind.HEART_TALK]


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeetingForm(ZhibuFormMixin, forms.ModelForm):
    kind = forms.ChoiceField(label="类别", choices=FORM_KINDS)
    starts_at = forms.DateTimeField(label="开始时间", widget=DT_WIDGET, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    ends_at = forms.DateTimeField(label="结束时间", widget=DT_WIDGET, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    class Meta:
        model = Meeting
        fields = ["kind", "group", "topic", "starts_at", "ends_at", "place", "agenda", "host", "recorder", "minutes",
                  "resolutions", "with_evaluation"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 8}), "resolutions": forms.Textarea(attrs={"rows": 3}),
                   "agenda": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = forms.ModelChoiceField(
            label="党小组（党小组会必选）", required=False,
            queryset=Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP).order_by("name"))
        people = Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS).order_by("name", "id")
        self.fields["host"] = PersonChoice(label="主持人", queryset=people, required=False)
        self.fields["recorder"] = PersonChoice(label="记录人", queryset=people, required=False)
        self.fields["with_evaluation"].help_text = "组织生活会或党员大会同时开展民主评议党员时勾选"
        self.fields["agenda"].help_text = "会议通知中列出的议程，每行一项；不填则为议题"
        self.fields["minutes"].help_text = "会后填写；安排在今天以后的会议不能填写"
        if not self.instance.pk and not self.is_bound:
            start = clock.now().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", start)
            self.initial.setdefault("ends_at", start + dt.timedelta(hours=1, minutes=30))

    def clean(self):
        data = super().clean()
        if data.get("kind") == MeetingKind.GROUP_MEETING and not data.get("group"):
            self.add_error("group", "党小组会须选择党小组")
        s, e = data.get("starts_at"), data.get("ends_at")
        if s and e and e <= s:
            self.add_error("ends_at", "结束时间须晚于开始时间")
        return data

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        if d["kind"] != MeetingKind.GROUP_MEETING:
            d["group"] = None
        return d

    def _post_clean(self):  # the service validates and saves; skip ModelForm's instance validation
        pass


class AttendanceForm(ZhibuFormMixin, forms.Form):
    """One compact row per person on the meeting's list: 出席/请假/缺席 and a leave reason; approved
    exclusions from 应到 in a section of their own. Until the host first records attendance, everyone
    starts as 出席 except who signed in (出席) or asked for leave (请假): the host marks the exceptions."""

    def __init__(self, *args, rows, recorded: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for a in rows:
            p = a.person_id
            status = a.status
            if not recorded and a.status == AttendanceStatus.ABSENT and not a.signed_in_at:
                status = AttendanceStatus.PRESENT  # 全部出席 with exceptions
            self.fields[f"status_{p}"] = forms.ChoiceField(label=a.person.name, choices=AttendanceStatus.choices,
                                                           initial=status, widget=forms.RadioSelect)
            self.fields[f"leave_reason_{p}"] = forms.CharField(
                label="请假原因", required=False, max_length=100, initial=a.leave_reason,
                widget=forms.TextInput(attrs={"placeholder": "请假原因", "aria-label": f"{a.person.name}的请假原因"}))
            self.fields[f"excluded_{p}"] = forms.BooleanField(label="经批准不计入应到", required=False, initial=a.excluded)
            self.fields[f"excluded_reason_{p}"] = forms.CharField(
                label="原因", required=False, max_length=100, initial=a.excluded_reason,
                widget=forms.TextInput(attrs={"aria-label": f"{a.person.name}不计入应到的原因"}))

    def table(self):
        return [(a, self[f"status_{a.person_id}"], self[f"leave_reason_{a.person_id}"], self[f"excluded_{a.person_id}"],
                 self[f"excluded_reason_{a.person_id}"]) for a in self.rows]

    def any_exclusion(self) -> bool:
        return any(self[f"excluded_{a.person_id}"].value() or self[f"excluded_reason_{a.person_id}"].errors
                   for a in self.rows)

    def entries(self) -> list[dict]:
        d = self.cleaned_data
        return [{"person_id": a.person_id, "status": d[f"status_{a.person_id}"],
                 "leave_reason": d[f"leave_reason_{a.person_id}"], "excluded": d[f"excluded_{a.person_id}"],
                 "excluded_reason": d[f"excluded_reason_{a.person_id}"]} for a in self.rows]


# Votes: far above any branch, and inside the columns (integer on PostgreSQL).
MAX_VOTES = 9999


class MotionForm(ZhibuFormMixin, forms.Form):
    title = forms.CharField(label="表决事项", max_length=200)
    votes_for = forms.IntegerField(label="赞成", min_value=0, max_value=MAX_VOTES)
    votes_against = forms.IntegerField(label="反对", min_value=0, max_value=MAX_VOTES, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, max_value=MAX_VOTES, initial=0)
    written_votes = forms.IntegerField(
        label="其中书面意见", min_value=0, max_value=MAX_VOTES, initial=0, required=False,
        help_text="未到会的有表决权党员会前正式提交的书面意见，计入票数（发展党员工作细则第二十五条）")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["recount"] = forms.BooleanField(
                label="按更正后的出勤重新计算应到、实到人数", required=False,
                help_text="只在表决时登记的出勤确有错误时勾选；不勾选则按表决时的人数计算")

    def values(self) -> dict:
        d = dict(self.cleaned_data)
        d["written_votes"] = d.get("written_votes") or 0
        return d


class LeaveForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="请假原因", max_length=100, widget=forms.TextInput(attrs={"placeholder": "如：外出培训"}))


class AttachmentForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="附件（照片或签到表扫描件：jpg、png、pdf）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(f"文件过大（上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1}MB）")
        return f


class MakeUpDoneForm(ZhibuFormMixin, forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE_WIDGET)
    note = forms.CharField(label="补课方式/说明", max_length=200, required=False)


class HeartTalkForm(ZhibuFormMixin, forms.Form):
    person_a = PersonChoice(label="谈话人", queryset=Person.objects.none())
    person_b = PersonChoice(label="谈话对象", queryset=Person.objects.none())
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    note = forms.CharField(label="主要内容", max_length=300, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(branch=branch, active=True, standing__in=MEMBER_STANDINGS).order_by("name", "id")
        self.fields["person_a"].queryset = people
        self.fields["person_b"].queryset = people

    def clean(self):
        d = super().clean()
        if d.get("person_a") and d.get("person_a") == d.get("person_b"):
            raise forms.ValidationError("谈心谈话须为两个人")
        return d


class ConfigForm(ZhibuFormMixin, forms.Form):
    signin_before_minutes = forms.IntegerField(label="会前多少分钟起可签到", min_value=0, max_value=24 * 60)
    signin_after_minutes = forms.IntegerField(label="会后多少分钟内仍可签到", min_value=0, max_value=24 * 60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f, rules.FREQUENCY_LABELS[f]) for f in rules.FREQUENCIES]
        for ob in rules.DEFAULT_OBLIGATIONS:
            if ob.configurable:
                self.fields[f"freq_{ob.kind}"] = forms.ChoiceField(
                    label=f"{ob.label}频次", choices=choices, initial=ob.frequency,
                    help_text=f"默认{rules.FREQUENCY_LABELS[ob.frequency]}（依据：{ob.source}）")

    def frequencies(self) -> dict[str, str]:
        return {k[5:]: v for k, v in self.cleaned_data.items() if k.startswith("freq_")}


PERIOD_CHOICES = [("month", "月"), ("quarter", "季度"), ("year", "全年")]


class DistrictFilterForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    period = forms.ChoiceField(choices=PERIOD_CHOICES, required=False)
    n = forms.IntegerField(min_value=1, max_value=12, required=False)
