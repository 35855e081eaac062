from __future__ import annotations

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.development import rules, timeline
from zhibu.development.models import GENERATED_KINDS, DocKind
from zhibu.orgs.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Head counts and votes: far above any branch, and inside the columns (smallint on PostgreSQL).
MAX_COUNT = 9999

STEP_HELP = {
    "application": "收到入党申请书的日期",
    rules.PUBLICITY: "公示不少于5个工作日，首尾两日均计算在内（2026年细则第13条）",
    "contacts": "从本支部正式党员中指定一至两名",
    "sponsors": "从本支部正式党员中确定两名",
    "training": "不少于3天或不少于24学时",
    "admission_meeting": "无记名投票；赞成票须超过应到会有表决权党员的半数",
    "full_meeting": "无记名投票；赞成票须超过应到会有表决权党员的半数",
}


class OpenFileForm(ZhibuFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="申请人", queryset=Person.objects.none())
    application_date = forms.DateField(label="递交入党申请书日期", widget=DATE)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class StepForm(ZhibuFormMixin, forms.Form):
    """The fields of one step; which ones depends on the step."""

    date = forms.DateField(label="日期", widget=DATE)
    end_date = forms.DateField(label="结束日期", widget=DATE, required=False)
    training_days = forms.DecimalField(label="培训天数", required=False, min_value=0, max_digits=5, decimal_places=1)
    training_hours = forms.DecimalField(label="培训学时", required=False, min_value=0, max_digits=5, decimal_places=1)
    people = forms.ModelMultipleChoiceField(label="人选", queryset=Person.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    should_attend = forms.IntegerField(label="应到会有表决权党员（人）", min_value=0, max_value=MAX_COUNT, required=False)
    present = forms.IntegerField(label="实到会有表决权党员（人）", min_value=0, max_value=MAX_COUNT, required=False)
    votes_for = forms.IntegerField(label="赞成（票）", min_value=0, max_value=MAX_COUNT, required=False)
    against = forms.IntegerField(label="反对（票）", min_value=0, max_value=MAX_COUNT, required=False)
    abstain = forms.IntegerField(label="弃权（票）", min_value=0, max_value=MAX_COUNT, required=False)
    secret_ballot = forms.BooleanField(label="采取无记名投票", required=False, initial=True)
    actor_name = forms.CharField(label="经办人/组织", max_length=100, required=False)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label="例外理由（书记）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在确需不按上述规则办理时填写；将记入操作日志")

    def __init__(self, *args, step: str, members=None, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        keep = {"date", "actor_name", "notes"}
        if step in timeline.SPANS:
            keep |= {"end_date"}
            self.fields["date"].label, self.fields["end_date"].required = "开始日期", True
        if step == "training":
            keep |= {"training_days", "training_hours"}
        if step in timeline.COUNTED:
            keep |= {"people"}
            self.fields["people"].queryset = members if members is not None else Person.objects.none()
            self.fields["people"].label = "培养联系人" if step == "contacts" else "入党介绍人"
        if step in timeline.MEETINGS:
            keep |= {"should_attend", "present", "votes_for", "against", "abstain", "secret_ballot"}
            for f in ("should_attend", "present", "votes_for", "against", "abstain"):
                self.fields[f].required = True
            self.fields["date"].label = "会议日期"
        if can_override:
            keep |= {"override_reason"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].help_text = STEP_HELP.get(step, "")

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("override_reason", None)
        if "people" in data:
            data["people"] = list(data["people"])
        return data


class ThoughtReportForm(ZhibuFormMixin, forms.Form):
    received_on = forms.DateField(label="收到日期", widget=DATE)
    notes = forms.CharField(label="备注", max_length=200, required=False)


class AssessmentForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="考察日期", widget=DATE)
    assessor = forms.CharField(label="考察人", max_length=100, required=False)
    summary = forms.CharField(label="考察意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


# What a candidate's file keeps: scans and photos of the paper materials, and Word documents; the
# content has to match the extension (a renamed file would not open when downloaded).
UPLOAD_TYPES = {"docx": (b"PK\x03\x04",), "pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",),
                "png": (b"\x89PNG\r\n\x1a\n",)}


class UploadForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="文件", max_length=150, help_text="docx、pdf、jpg 或 png")
    kind = forms.ChoiceField(label="类别", choices=DocKind.choices, initial=DocKind.OTHER)
    step = forms.ChoiceField(label="所属步骤", required=False,
                             choices=[("", "（不限）")] + [(k, rules.step_name(k)) for k in rules.SEQUENCE])

    def clean_file(self):
        f = self.cleaned_data["file"]
        ext = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        if ext not in UPLOAD_TYPES:
            raise forms.ValidationError("只能上传 docx、pdf、jpg 或 png 文件（旧版 .doc 请先另存为 .docx）")
        head = f.read(16)
        f.seek(0)
        if not head.startswith(UPLOAD_TYPES[ext]):
            raise forms.ValidationError("文件内容与扩展名不符，请上传原始文件")
        return f


class QuotaForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned = forms.IntegerField(label="计划发展党员（名）", min_value=0, max_value=100)


class FrequencyForm(ZhibuFormMixin, forms.Form):
    months = forms.IntegerField(label="思想汇报频次（每几个月一次）", min_value=1, max_value=12,
                                help_text="默认每季度（3个月）一次")


class TemplateForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="文书类别", choices=[(k, DocKind(k).label) for k in GENERATED_KINDS])
    file = forms.FileField(label="模板文件（.docx，使用 {{name}} 等占位符）")
