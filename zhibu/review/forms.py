from __future__ import annotations

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.review import rules
from zhibu.review.services import MAX_CODES

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ObjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(getattr(obj, "name", obj))


class ReviewForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=1900, max_value=2100)
    held_on = forms.DateField(label="民主评议（党员大会）日期", widget=DATE_WIDGET)
    with_orglife = forms.BooleanField(label="与组织生活会合并召开", required=False)
    orglife_cycle = forms.ChoiceField(label="组织生活会", required=False, choices=[("", "—")])
    per_group = forms.BooleanField(label="按党小组开展自评和互评", required=False,
                                   help_text="党员较多的支部，个人自评和党员互评可以在党小组内进行（支部条例第18条）")
    cap_ratio = forms.CharField(label="优秀比例上限", max_length=20, required=False,
                                help_text="如 1/3、10%、0.15；留空表示不设上限（仅当上级未规定时）")
    rounding = forms.ChoiceField(label="取整方式", choices=list(rules.ROUNDING_LABELS.items()))
    deadline = forms.DateField(label="完成期限", widget=DATE_WIDGET, required=False)
    opinion_meeting = forms.ChoiceField(label="评定意见会议（支委会或党员大会）", required=False, choices=[("", "—")])

    def __init__(self, *args, cycles=(), meetings=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._cycles = {str(c.pk): c for c in cycles}
        self._meetings = {str(m.pk): m for m in meetings}
        self.fields["orglife_cycle"].choices = [("", "—")] + [(k, str(c)) for k, c in self._cycles.items()]
        self.fields["opinion_meeting"].choices = [("", "—")] + [
            (k, f"{m.date:%Y-%m-%d} {m.get_kind_display()} {m.topic}") for k, m in self._meetings.items()
        ]
        if editing:
            del self.fields["year"]
        else:
            del self.fields["opinion_meeting"]

    def clean_orglife_cycle(self):
        value = self.cleaned_data.get("orglife_cycle") or ""
        return self._cycles.get(value)

    def clean_opinion_meeting(self):
        value = self.cleaned_data.get("opinion_meeting") or ""
        return self._meetings.get(value)


class StepForm(ZhibuFormMixin, forms.Form):
    due = forms.DateField(label="计划日期", widget=DATE_WIDGET, required=False)
    done_on = forms.DateField(label="完成日期", widget=DATE_WIDGET, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ExclusionForm(ZhibuFormMixin, forms.Form):
    person = forms.ChoiceField(label="党员")
    reason = forms.ChoiceField(label="原因", choices=rules.EXCLUSION_REASONS)
    note = forms.CharField(label="说明（上级批准、支部大会决定）", max_length=200, required=False)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._people = {str(p.pk): p for p in people}
        self.fields["person"].choices = [("", "—")] + [(k, p.name) for k, p in self._people.items()]

    def clean_person(self):
        person = self._people.get(self.cleaned_data.get("person") or "")
        if person is None:
            raise forms.ValidationError("请选择党员")
        return person


class SelfForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="个人自评（党性分析）", widget=forms.Textarea(attrs={"rows": 10}), required=False,
                           max_length=20000,
                           help_text="对照党员标准和入党誓词，总结一年来的思想、工作、学习和作风，查找差距，提出努力方向")
    upload = forms.FileField(label="或上传文件（Word、PDF、照片）", required=False)


class IssueForm(ZhibuFormMixin, forms.Form):
    count = forms.IntegerField(label="党员票码（张）", min_value=0, max_value=MAX_CODES,
                               help_text="按到会参加测评的党员人数发放")
    masses_count = forms.IntegerField(label="群众代表票码（张，可选）", min_value=0, max_value=MAX_CODES, required=False,
                                      initial=0, help_text="支部邀请群众代表参加测评时填写，单独统计")

    def clean(self):
        data = super().clean()
        if (data.get("count") or 0) + (data.get("masses_count") or 0) == 0 and not self.errors:
            raise forms.ValidationError("请填写要发放的票码数")
        return data


class CodeForm(ZhibuFormMixin, forms.Form):
    code = forms.CharField(label="票码", max_length=20, help_text="票码条上的8位字符，不区分大小写")


class FollowUpForm(ZhibuFormMixin, forms.Form):
    negatives = forms.MultipleChoiceField(label="负面情形", widget=forms.CheckboxSelectMultiple, required=False)
    action = forms.ChoiceField(label="处置方式", choices=rules.FOLLOWUPS,
                               help_text="批评教育（第29条）；限期改正，不超过1年（第30条）；劝退、除名须经党员大会表决（第31条）")
    deadline = forms.DateField(label="改正期限", widget=DATE_WIDGET, required=False)
    help_plan = forms.CharField(label="帮扶措施", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    motion = forms.ChoiceField(label="党员大会表决", required=False, choices=[("", "—")],
                               help_text="先在“组织生活”的党员大会中记录表决，再在这里选择")
    done_on = forms.DateField(label="办结日期", widget=DATE_WIDGET, required=False)
    note = forms.CharField(label="办理情况", max_length=300, required=False)

    def __init__(self, *args, negatives=(), motions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["negatives"].choices = [(n, n) for n in negatives]
        self._motions = {str(m.pk): m for m in motions}
        self.fields["motion"].choices = [("", "—")] + [
            (k, f"{m.meeting.date:%Y-%m-%d} {m.title}（{'通过' if m.passed else '未通过'}）") for k, m in self._motions.items()
        ]

    def clean_motion(self):
        return self._motions.get(self.cleaned_data.get("motion") or "")
