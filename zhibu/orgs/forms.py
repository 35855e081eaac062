import datetime as dt

from django import forms

from zhibu.core import clock
from zhibu.core.forms import ZhibuFormMixin
from zhibu.orgs import rules
from zhibu.orgs.models import Organisation, OrgKind, Person, Position, Standing

# <input type="date"> takes ISO values only: any other format is dropped by the browser (and a saved
# form then clears the date).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(ZhibuFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "ethnicity", "education", "id_number", "phone", "post",
                  "employment", "standing", "admitted_on", "full_on", "group",
                  # 全国党员管理信息系统 fields (optional)
                  "native_place", "degree", "work_started_on", "occupation", "joined_branch", "sponsors", "home_address"]
        widgets = {"birth_date": DATE, "admitted_on": DATE, "full_on": DATE, "work_started_on": DATE,
                   "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                   "home_address": forms.TextInput(attrs={"autocomplete": "off", "maxlength": 100})}
        help_texts = {"sponsors": "两名介绍人，用顿号分隔；有发展党员档案的，以档案中的入党介绍人为准",
                      "joined_branch": "入党时所在党支部的全称"}

    SENSITIVE = ("id_number", "phone", "home_address")

    def __init__(self, *args, branch: Organisation, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Editing: the stored ID number and phone are never sent to the page (masked placeholder, an
        # empty field keeps them); the full value is seen through the logged reveal only.
        self.editing = self.instance.pk is not None
        if not sensitive:
            del self.fields["id_number"], self.fields["phone"], self.fields["home_address"]
        elif self.editing:
            for name, shown in (("id_number", self.instance.id_number_masked), ("phone", self.instance.phone_masked),
                                ("home_address", self.instance.home_address_masked)):
                self.initial[name] = ""
                self.fields[name].widget.attrs["placeholder"] = shown or "未填写"
                self.fields[name].help_text = "留空则保持不变；填写新值则替换（原值可在人员详情页点“查看”，会记入日志）"
        self.fields["group"].queryset = Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP)
        self.fields["group"].required = False

    def clean_id_number(self):
        value = rules.normalise_id(self.cleaned_data.get("id_number") or "")
        if value and (error := rules.validate_id_number(value)):
            raise forms.ValidationError(error)
        return value

    def clean_home_address(self):
        value = (self.cleaned_data.get("home_address") or "").strip()
        if len(value) > 100:
            raise forms.ValidationError("家庭住址不超过100字")
        return value

    def clean_phone(self):
        value = rules.normalise_phone(self.cleaned_data.get("phone") or "")
        if value and (error := rules.validate_phone(value)):
            raise forms.ValidationError(error)
        return value

    def clean(self):
        data = super().clean()
        if data.get("standing") in ("probationary", "full") and not data.get("admitted_on"):
            self.add_error("admitted_on", "党员须填写入党日期")
        if data.get("admitted_on") and data.get("full_on") and data["full_on"] <= data["admitted_on"]:
            self.add_error("full_on", "转正日期应晚于入党日期")
        today = clock.today()
        for name in ("admitted_on", "full_on"):
            if data.get(name) and not dt.date(1921, 7, 1) <= data[name] <= today:
                self.add_error(name, f"日期应在1921年7月1日至今天（{today:%Y-%m-%d}）之间")
        started = data.get("work_started_on")
        if started and not dt.date(1930, 1, 1) <= started <= today:
            self.add_error("work_started_on", f"参加工作时间应在1930年至今天（{today:%Y-%m-%d}）之间")
        elif started and data.get("birth_date") and started.year < data["birth_date"].year + 14:
            self.add_error("work_started_on", "参加工作时间应在年满14周岁之后")
        if data.get("birth_date") and "birth_date" not in self.errors:
            id_number = data.get("id_number") or (self.instance.id_number if self.instance.pk else "")
            if error := rules.validate_birth_date(data["birth_date"], today, id_number or ""):
                self.add_error("birth_date", error)
        return data

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        group = data.pop("group", None)
        data["group_id"] = group.pk if group else None
        if self.editing:
            for name in self.SENSITIVE:
                if not data.get(name):
                    data.pop(name, None)  # left empty: keep the stored value
        return data


def _not_in_the_future(value: dt.date | None) -> dt.date | None:
    """A transfer is recorded once it has happened."""
    if value and value > clock.today():
        raise forms.ValidationError(f"日期不能晚于今天（{clock.today():%Y-%m-%d}）")
    return value


class TransferOutForm(ZhibuFormMixin, forms.Form):
    date = forms.DateField(label="转出日期", widget=DATE, validators=[_not_in_the_future])
    other_org = forms.CharField(label="转往党组织", max_length=100)
    letter_number = forms.CharField(label="介绍信编号", max_length=50, required=False)
    dues_paid_to = forms.DateField(label="党费交至（月份，任一日）", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class TransferInForm(PersonForm):
    date = forms.DateField(label="转入日期", widget=DATE, validators=[_not_in_the_future])
    other_org = forms.CharField(label="原党组织", max_length=100)
    letter_number = forms.CharField(label="介绍信编号", max_length=50, required=False)
    dues_paid_to = forms.DateField(label="党费交至（月份，任一日）", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    TRANSFER_FIELDS = ("date", "other_org", "letter_number", "dues_paid_to", "note")

    def transfer_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.TRANSFER_FIELDS}


class AppointForm(ZhibuFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="党员", queryset=Person.objects.none())
    position = forms.ChoiceField(label="职务", choices=Position.choices)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_years = forms.IntegerField(label="任期（年）", min_value=1, max_value=5, initial=3)
    replace = forms.BooleanField(label="确认接任（现任人员将于任期开始日离任）", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(branch=branch, active=True, standing=Standing.FULL)

    def ask_confirmation(self, message: str) -> None:
        """The post is held: show the checkbox that confirms the replacement."""
        self.fields["replace"].widget = forms.CheckboxInput()
        self.add_error("replace", message)


class CorrectAppointmentForm(ZhibuFormMixin, forms.Form):
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_end = forms.DateField(label="任期届满", widget=DATE)
    ended_on = forms.DateField(label="离任日期", widget=DATE, required=False, help_text="仍在任则留空")


class GroupForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="党小组名称", max_length=100)


STANDING_FILTER = [("", "全部政治面貌"), *Standing.choices]


class PeopleFilterForm(ZhibuFormMixin, forms.Form):
    """The people list's query string: unknown values are ignored, never an error page."""

    q = forms.CharField(label="姓名", max_length=50, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "按姓名搜索"}))
    standing = forms.ChoiceField(label="政治面貌", choices=STANDING_FILTER, required=False)
    group = forms.ModelChoiceField(label="党小组", queryset=Organisation.objects.none(), required=False, empty_label="全部党小组")

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP).order_by("id")

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}


class OrganisationForm(ZhibuFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=OrgKind.choices)
    unit = forms.CharField(label="服务单位", max_length=100, required=False)


class RosterImportForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="花名册文件（.xlsx）")


class AccountForm(ZhibuFormMixin, forms.Form):
    """Open a sign-in account for a person of the branch, with their role in the branch."""

    username = forms.RegexField(label="登录名", max_length=50, regex=r"^[A-Za-z0-9_.@-]+$",
                                error_messages={"invalid": "登录名只能包含字母、数字和 _ . @ -"})
    password = forms.CharField(label="初始密码", min_length=8, widget=forms.PasswordInput(render_value=False),
                               help_text="至少8位；本人首次登录时须修改")
    role = forms.ChoiceField(label="角色", choices=[("member", "党员/职工（只看本人和支部概况）"),
                                                    ("committee", "支委（管理本支部）"), ("secretary", "书记（须已任命为书记）")])

    def __init__(self, *args, may_grant_managers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant_managers:  # a 组织委员 opens member accounts only
            self.fields["role"].choices = self.fields["role"].choices[:1]

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("该登录名已被使用")
        return name


class PasswordResetForm(ZhibuFormMixin, forms.Form):
    """The 书记 sets a temporary password; the person must change it at their next login."""

    password1 = forms.CharField(label="新的临时密码", widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label="再输入一次", widget=forms.PasswordInput(render_value=False), strip=False)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致")
        return data
