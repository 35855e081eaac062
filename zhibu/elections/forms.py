from __future__ import annotations

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.elections import rules
from zhibu.elections.models import RescheduleKind
from zhibu.orgs.models import Organisation, Person, Position, Standing

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_PEOPLE = 999


class PersonMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def full_members(branch: Organisation):
    return Person.objects.filter(branch=branch, active=True, standing=Standing.FULL).order_by("name", "id")


class ElectionForm(ZhibuFormMixin, forms.Form):
    seats = forms.IntegerField(
        label="应选委员人数",
        min_value=rules.MIN_SEATS,
        max_value=rules.MAX_SEATS,
        initial=3,
        help_text="正式党员7人以上设支部委员会（一般3至5人）；不足7人只选书记（可设副书记）",
    )
    planned_date = forms.DateField(label="计划召开党员大会日期", widget=DATE_WIDGET)
    nomination_method = forms.CharField(
        label="候选人提名方式",
        max_length=200,
        required=False,
        help_text="留空为：党员推荐、支委会研究提出候选人预备人选、报上级党委审查",
    )


class StepForm(ZhibuFormMixin, forms.Form):
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    ref = forms.CharField(label="文号", max_length=100, required=False)

    def __init__(self, *args, with_ref: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_ref:
            del self.fields["ref"]


class NominationsForm(ZhibuFormMixin, forms.Form):
    """How many members nominated each 正式党员 (blank = none)."""

    on = forms.DateField(label="推荐完成日期", widget=DATE_WIDGET)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(full_members(branch))
        for p in self.people:
            self.fields[f"n_{p.pk}"] = forms.IntegerField(
                label=p.name, min_value=0, max_value=MAX_PEOPLE, required=False
            )

    def counts(self) -> dict[int, int]:
        return {p.pk: self.cleaned_data.get(f"n_{p.pk}") or 0 for p in self.people}


class CandidatesForm(ZhibuFormMixin, forms.Form):
    candidates = forms.TypedMultipleChoiceField(label="候选人", coerce=int, widget=forms.CheckboxSelectMultiple)
    on = forms.DateField(label="日期", widget=DATE_WIDGET)
    ref = forms.CharField(label="审查意见文号", max_length=100, required=False)

    def __init__(self, *args, choices, with_ref: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["candidates"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = choices
        if not with_ref:
            del self.fields["ref"]


class MeetingForm(ZhibuFormMixin, forms.Form):
    meeting_date = forms.DateField(label="党员大会日期", widget=DATE_WIDGET)
    place = forms.CharField(label="地点", max_length=100, required=False)
    method_adopted = forms.BooleanField(label="大会已通过选举办法", required=False)
    secret_ballot = forms.BooleanField(label="采用无记名投票", required=False, initial=True)
    scrutineers = PersonMultiple(
        label="监票人",
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="从不是候选人的党员中推选",
    )
    tellers = PersonMultiple(label="计票人", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple)
    excluded = PersonMultiple(
        label="经批准不计入应到会的党员",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    suspended = PersonMultiple(
        label="留党察看或被停止党员权利的党员",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exclusion_reason = forms.CharField(label="不计入应到会的原因", max_length=200, required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("scrutineers", "tellers", "excluded", "suspended"):
            field = self.fields[name]
            assert isinstance(field, PersonMultiple)
            field.queryset = full_members(branch)


class RoundForm(ZhibuFormMixin, forms.Form):
    present = forms.IntegerField(label="到会有选举权的党员", min_value=0, max_value=MAX_PEOPLE)
    issued = forms.IntegerField(label="发出选票", min_value=0, max_value=MAX_PEOPLE)
    returned = forms.IntegerField(label="收回选票", min_value=0, max_value=MAX_PEOPLE)
    invalid = forms.IntegerField(label="无效票", min_value=0, max_value=MAX_PEOPLE, initial=0)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.ballot = list(ballot or [])
        for c in self.ballot:
            self.fields[f"votes_{c.pk}"] = forms.IntegerField(
                label=f"{c.person.name} 得票", min_value=0, max_value=MAX_PEOPLE
            )

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"votes_{c.pk}"] for c in self.ballot}


class PostsForm(ZhibuFormMixin, forms.Form):
    on = forms.DateField(label="新一届支委会选举日期", widget=DATE_WIDGET)

    def __init__(self, *args, elected, **kwargs):
        super().__init__(*args, **kwargs)
        self.elected = list(elected)
        for c in self.elected:
            self.fields[f"post_{c.pk}"] = forms.ChoiceField(label=c.person.name, choices=Position.choices)

    def posts(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"post_{c.pk}"] for c in self.elected}


class RescheduleForm(ZhibuFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RescheduleKind.choices)
    to_end = forms.DateField(label="调整后的任期届满日", widget=DATE_WIDGET)
    approved_on = forms.DateField(label="上级批准日期", widget=DATE_WIDGET)
    approval_ref = forms.CharField(label="批准文号", max_length=100)
    reason = forms.CharField(label="原因", max_length=300)
