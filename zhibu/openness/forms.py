"""Forms of 三务公开, the mailbox and the 恳谈会 (every one with ZhibuFormMixin)."""

from __future__ import annotations

from typing import cast

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.openness import rules
from zhibu.openness.models import CatalogEntry, Category, Channel, Frequency, Scope
from zhibu.orgs.models import Organisation, Person

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)


class CategoryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{rules.channel_label(obj.channel, self.unit)} · {obj.name}"

    unit = ""


class NoticeForm(ZhibuFormMixin, forms.Form):
    channel = forms.ChoiceField(label="公开类别", choices=Channel.choices)
    category = CategoryChoice(label="公开内容", queryset=Category.objects.none(), empty_label=None)
    catalog_entry = NamedChoice(
        label="对应公开目录事项", queryset=CatalogEntry.objects.none(), required=False, empty_label="（不对应目录事项）"
    )
    scope = forms.ChoiceField(label="公开范围", choices=Scope.choices, initial=rules.MEMBERS)
    title = forms.CharField(label="标题", max_length=80)
    body = forms.CharField(label="公开内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    means = forms.CharField(label="公开方式", max_length=60, required=False, initial="公开栏、支部工作平台")

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        unit = branch.unit
        self.fields["channel"].choices = [(c, rules.channel_label(c, unit)) for c in rules.CHANNELS]
        category = cast(CategoryChoice, self.fields["category"])
        category.queryset = Category.objects.filter(active=True)
        category.unit = unit
        cast(forms.ModelChoiceField, self.fields["catalog_entry"]).queryset = CatalogEntry.objects.filter(
            district_id__in=branch.ancestor_ids(), active=True
        )

    def clean(self):
        data = super().clean() or {}
        category, channel = data.get("category"), data.get("channel")
        if category is not None and channel and category.channel != channel:
            self.add_error("category", "所选公开内容不属于该公开类别。")
        entry = data.get("catalog_entry")
        if entry is not None and category is not None and entry.category_id != category.pk:
            self.add_error("catalog_entry", "目录事项与公开内容类别不一致。")
        return data


class ReviewForm(ZhibuFormMixin, forms.Form):
    secrecy_checked = forms.BooleanField(
        label="已进行保密审查：内容不涉及党和国家秘密、工作秘密和个人隐私", required=False
    )


class PublishForm(ZhibuFormMixin, forms.Form):
    starts_on = forms.DateField(label="发布日期", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="公开截止日期", widget=DATE_WIDGET)

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            try:
                rules.check_period(start, end)
            except rules.RuleError as exc:
                self.add_error("ends_on", exc.message)
        return data


class ReasonForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=200)


class DuesDraftForm(ZhibuFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class LinkForm(ZhibuFormMixin, forms.Form):
    box_name = forms.CharField(label="信箱名称（空则为园长信箱或校长信箱）", max_length=20, required=False)
    mailbox_open = forms.BooleanField(label="信箱开放", required=False)
    reply_days = forms.IntegerField(label="答复期限（天）", min_value=1, max_value=rules.MAX_REPLY_DAYS)


class CatalogEntryForm(ZhibuFormMixin, forms.Form):
    category = NamedChoice(label="公开内容类别", queryset=Category.objects.filter(active=True), empty_label=None)
    title = forms.CharField(label="公开事项", max_length=60)
    frequency = forms.ChoiceField(label="公开频次", choices=Frequency.choices)


class MailboxForm(ZhibuFormMixin, forms.Form):
    """The public form. `website` is a honeypot: hidden from people by the stylesheet, filled by robots."""

    subject = forms.CharField(label="主题", max_length=rules.SUBJECT_MAX, required=False)
    body = forms.CharField(
        label="意见建议或问题",
        max_length=rules.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": rules.BODY_MAX}),
    )
    anonymous = forms.BooleanField(
        label="匿名（不留姓名和联系方式，也不记录任何能识别您的信息）", required=False, initial=True
    )
    name = forms.CharField(label="姓名（署名时填写）", max_length=rules.NAME_MAX, required=False)
    contact = forms.CharField(label="联系方式（可不填）", max_length=rules.CONTACT_MAX, required=False)
    website = forms.CharField(
        label="网址（请勿填写）",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        data = super().clean() or {}
        if not data.get("anonymous") and not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", "署名来信请填写姓名，或勾选匿名。")
        return data


class TrackForm(ZhibuFormMixin, forms.Form):
    code = forms.CharField(label="查询码", max_length=30)


class AssignForm(ZhibuFormMixin, forms.Form):
    assignee = NamedChoice(label="承办人", queryset=Person.objects.none())

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = Person.objects.filter(
            branch=branch, active=True
        ).order_by("name", "id")


class ReplyForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="答复", max_length=rules.REPLY_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label="同时公开这组问答（不显示来信人）", required=False)


class PublishQAForm(ZhibuFormMixin, forms.Form):
    published = forms.BooleanField(label="公开问答", required=False)


class ForumRectifyForm(ZhibuFormMixin, forms.Form):
    """A 恳谈会 opinion to a 整改 item: the opinion is the problem."""

    responsible = NamedChoice(label="责任人", queryset=Person.objects.none(), required=False)
    deadline = forms.DateField(label="整改时限", widget=DATE_WIDGET)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = Person.objects.filter(
            branch=branch, active=True
        ).order_by("name", "id")


class RectifyForm(ForumRectifyForm):
    problem = forms.CharField(label="问题表现", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["problem", "responsible", "deadline"]


class ForumForm(ZhibuFormMixin, forms.Form):
    held_on = forms.DateField(label="召开日期", widget=DATE_WIDGET)
    topic = forms.CharField(label="主题", max_length=80)
    place = forms.CharField(label="地点", max_length=60, required=False)
    host = forms.CharField(label="主持人", max_length=20, required=False)
    summary = forms.CharField(
        label="会议情况", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ParticipantForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=20, required=False)
    identity = forms.CharField(label="身份（家长代表、教职工、社区居民……）", max_length=30)
    person = NamedChoice(label="本支部人员（可不选）", queryset=Person.objects.none(), required=False)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(
            branch=branch, active=True
        ).order_by("name", "id")

    def clean(self):
        data = super().clean() or {}
        if not (data.get("name") or "").strip() and data.get("person") is None and "name" not in self.errors:
            self.add_error("name", "请填写姓名，或选择本支部人员。")
        return data


class ForumItemForm(ZhibuFormMixin, forms.Form):
    text = forms.CharField(label="意见建议", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label="答复或措施", max_length=500, required=False)
