"""Forms of 报批审批 (every one has ZhibuFormMixin)."""

from __future__ import annotations

from django import forms

from zhibu.approvals import kinds, rules
from zhibu.approvals.models import State
from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_future(value):
    if value and value > clock.today():
        raise forms.ValidationError("批准日期晚于今天，尚未发生的事项不能登记。", code="future_date")
    return value


class FilterForm(ZhibuFormMixin, forms.Form):
    """The inbox's query string: by kind and state (unknown values are ignored, not an error page)."""

    kind = forms.ChoiceField(label="事项", required=False)
    state = forms.ChoiceField(label="状态", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部事项")] + kinds.choices()  # type: ignore[attr-defined]
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            (State.PENDING, "待审批"),
            (State.RETURNED, "已打回"),
            (State.APPROVED, "已批准"),
            (State.WITHDRAWN, "已撤回"),
            ("all", "全部状态"),
        ]

    def values(self) -> tuple[str, str]:
        if not self.is_valid():
            return "", State.PENDING
        state = self.cleaned_data.get("state") or State.PENDING
        return self.cleaned_data.get("kind") or "", "" if state == "all" else state


class ApproveForm(ZhibuFormMixin, forms.Form):
    on = forms.DateField(label="批准日期", widget=DATE, help_text="上级党委作出决定的日期，记入对方的档案")
    note = forms.CharField(
        label="审批意见", max_length=500, required=False, widget=forms.TextInput(attrs={"placeholder": "可不填"})
    )

    def clean_on(self):
        return _not_future(self.cleaned_data.get("on"))


class ReturnForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(
        label="打回理由",
        max_length=rules.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明需要补正的材料或问题，支部据此补正后重新报送",
        error_messages={"required": "打回须填写理由，说明需要补正的内容。"},
    )

    def clean_reason(self):
        text = (self.cleaned_data.get("reason") or "").strip()
        if not text:
            raise forms.ValidationError("打回须填写理由，说明需要补正的内容。", code="reason_required")
        return text


class BulkApproveForm(ZhibuFormMixin, forms.Form):
    ids = forms.TypedMultipleChoiceField(
        label="选中的事项", coerce=int, choices=(), error_messages={"required": "请先勾选要批准的事项。"}
    )
    on = forms.DateField(label="批准日期", widget=DATE)
    note = forms.CharField(label="审批意见", max_length=500, required=False)

    def __init__(self, *args, ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in ids]  # type: ignore[attr-defined]

    def clean_on(self):
        return _not_future(self.cleaned_data.get("on"))
