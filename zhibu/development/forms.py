from __future__ import annotations

from django import forms
from django.conf import settings

from zhibu.core.forms import ZhibuFormMixin
from zhibu.core.uploads import UploadError, check_zip_bomb
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
    rules.EXTENSION: "预备期满时召开；延长只能一次，6—12个月；无记名投票，赞成票须超过应到会有表决权党员的半数",
    rules.CANCELLATION: "无记名投票；赞成票须超过应到会有表决权党员的半数；报上级党委批准",
}


class MotionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        result = "通过" if obj.passed else "未通过"
        return (f"{obj.meeting.date:%Y-%m-%d} 党员大会：{obj.title}（应到{obj.should_attend} 实到{obj.present} "
                f"赞成{obj.votes_for} 反对{obj.votes_against} 弃权{obj.votes_abstain}，{result}）")


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
    motion = MotionChoiceField(label="引用党员大会的表决", queryset=None, required=False, empty_label="（不引用，手工填写）",
                               help_text="已在“组织生活”中登记的党员大会表决：日期和计票结果按该表决填入")
    months = forms.IntegerField(label="延长预备期（个月）", min_value=6, max_value=12, required=False,
                                help_text="不少于6个月，不超过12个月（党章第七条）")
    approved_on = forms.DateField(label="上级党委批准日期", widget=DATE, required=False,
                                  help_text="上级党委批准后填写（应在支部大会后三个月内）")
    actor_name = forms.CharField(label="经办人/组织", max_length=100, required=False)
    notes = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    override_reason = forms.CharField(
        label="例外理由（书记）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在确需不按上述规则办理时填写；将记入操作日志")

    def __init__(self, *args, step: str, members=None, motions=None, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.motions = {m.pk: m for m in (motions or [])}
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
            if self.motions:
                keep |= {"motion"}
                from zhibu.orglife.models import Motion

                self.fields["motion"].queryset = Motion.objects.filter(pk__in=list(self.motions))
            for f in ("should_attend", "present", "votes_for", "against", "abstain"):
                self.fields[f].required = not self.motions
            self.fields["date"].label = "会议日期"
            if self.motions:
                self.fields["date"].required = False
        if step == rules.EXTENSION:  # (the 上级党委's approval date comes with its approval: 报上级党委)
            keep |= {"months"}
            self.fields["months"].required = True
        if can_override:
            keep |= {"override_reason"}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].help_text = STEP_HELP.get(step, "")

    def clean(self):
        data = super().clean()
        if self.step in timeline.MEETINGS and not data.get("motion"):
            for name in ("date", "should_attend", "present", "votes_for", "against", "abstain"):
                if name in self.fields and data.get(name) is None and name not in self.errors:
                    self.add_error(name, "请填写此项，或引用党员大会的表决")
        return data

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("override_reason", None)
        if "people" in data:
            data["people"] = list(data["people"])
        if data.get("motion") is not None:
            data["motion"] = self.motions[data["motion"].pk]  # the instance read with its meeting
        else:
            data.pop("motion", None)
        return data


class SubmitForm(ZhibuFormMixin, forms.Form):
    """报上级党委: a step the 上级党委 decides, with notes and the file's documents as materials."""

    date = forms.DateField(label="报送日期", widget=DATE, help_text="材料报送上级党委的日期；批准日期由上级党委填写")
    notes = forms.CharField(label="报送说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="如：已附支委会会议记录、公示情况；被打回的，写明如何补正")
    documents = forms.ModelMultipleChoiceField(label="报送材料（档案中的文件）", queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    override_reason = forms.CharField(
        label="例外理由（书记）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在确需不按上述规则办理时填写；将记入操作日志")

    def __init__(self, *args, documents, can_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents
        self.fields["documents"].label_from_instance = lambda d: d.name
        if not documents.exists():
            self.fields["documents"].help_text = "档案中暂无文件；可先在档案页“材料”处上传扫描件，也可只写报送说明。"
        if not can_override:
            del self.fields["override_reason"]


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
        return _bounded(f, docx=ext == "docx")


class QuotaForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned = forms.IntegerField(label="计划发展党员（名）", min_value=0, max_value=100)


class FrequencyForm(ZhibuFormMixin, forms.Form):
    months = forms.IntegerField(label="思想汇报频次（每几个月一次）", min_value=1, max_value=12,
                                help_text="默认每季度（3个月）一次")


class TemplateForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="文书类别", choices=[(k, DocKind(k).label) for k in GENERATED_KINDS])
    file = forms.FileField(label="模板文件（.docx，使用 {{name}} 等占位符）")

    def clean_file(self):
        return _bounded(self.cleaned_data["file"], docx=True)


def _bounded(f, *, docx: bool):
    """Size checked before the upload is read whole; a .docx's zip directory checked before it is
    parsed (a small file can unpack to hundreds of megabytes)."""
    limit = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    if f.size > limit:
        raise forms.ValidationError(f"文件过大（上限{limit // (1024 * 1024)}MB）")
    if docx:
        try:
            check_zip_bomb(f)
        except UploadError as exc:
            raise forms.ValidationError("不是有效的 .docx 文件" if exc.code == "not_zip" else str(exc)) from None
    return f
