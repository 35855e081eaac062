from django import forms

from zhibu.orgs import rules
from zhibu.orgs.models import Organisation, OrgKind, Person, Position

DATE = forms.DateInput(attrs={"type": "date"})


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "ethnicity", "education", "id_number", "phone", "post",
                  "employment", "standing", "admitted_on", "full_on", "group"]
        widgets = {"birth_date": DATE, "admitted_on": DATE, "full_on": DATE,
                   "id_number": forms.TextInput(attrs={"autocomplete": "off"}),
                   "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}

    def __init__(self, *args, branch: Organisation, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["id_number"], self.fields["phone"]
        self.fields["group"].queryset = Organisation.objects.filter(parent=branch, kind=OrgKind.GROUP)
        self.fields["group"].required = False

    def clean_id_number(self):
        value = rules.normalise_id(self.cleaned_data.get("id_number") or "")
        if value and (error := rules.validate_id_number(value)):
            raise forms.ValidationError(error)
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip().replace(" ", "").replace("-", "")
        if value and (error := rules.validate_phone(value)):
            raise forms.ValidationError(error)
        return value

    def clean(self):
        data = super().clean()
        if data.get("standing") in ("probationary", "full") and not data.get("admitted_on"):
            self.add_error("admitted_on", "党员须填写入党日期")
        if data.get("admitted_on") and data.get("full_on") and data["full_on"] <= data["admitted_on"]:
            self.add_error("full_on", "转正日期应晚于入党日期")
        return data

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        group = data.pop("group", None)
        data["group_id"] = group.pk if group else None
        return data


class TransferOutForm(forms.Form):
    date = forms.DateField(label="转出日期", widget=DATE)
    other_org = forms.CharField(label="转往党组织", max_length=100)
    letter_number = forms.CharField(label="介绍信编号", max_length=50, required=False)
    dues_paid_to = forms.DateField(label="党费交至(月份,任一日)", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)


class TransferInForm(PersonForm):
    date = forms.DateField(label="转入日期", widget=DATE)
    other_org = forms.CharField(label="原党组织", max_length=100)
    letter_number = forms.CharField(label="介绍信编号", max_length=50, required=False)
    dues_paid_to = forms.DateField(label="党费交至(月份,任一日)", widget=DATE, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    TRANSFER_FIELDS = ("date", "other_org", "letter_number", "dues_paid_to", "note")

    def transfer_values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.TRANSFER_FIELDS}


class AppointForm(forms.Form):
    person = forms.ModelChoiceField(label="党员", queryset=Person.objects.none())
    position = forms.ChoiceField(label="职务", choices=Position.choices)
    term_start = forms.DateField(label="任期开始", widget=DATE)
    term_years = forms.IntegerField(label="任期(年)", min_value=1, max_value=5, initial=3)

    def __init__(self, *args, branch: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(branch=branch, active=True, standing="full")


class OrganisationForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类别", choices=OrgKind.choices)
    unit = forms.CharField(label="服务单位", max_length=100, required=False)


class RosterImportForm(forms.Form):
    file = forms.FileField(label="花名册文件(.xlsx)")


class AccountForm(forms.Form):
    """Open a sign-in account for a person of the branch, with their role in the branch."""

    username = forms.RegexField(label="登录名", max_length=50, regex=r"^[A-Za-z0-9_.@-]+$",
                                error_messages={"invalid": "登录名只能包含字母、数字和 _ . @ -"})
    password = forms.CharField(label="初始密码", min_length=8, widget=forms.PasswordInput(render_value=False),
                               help_text="至少8位;请本人登录后修改")
    role = forms.ChoiceField(label="角色", choices=[("member", "党员/职工(只看本人和支部概况)"),
                                                    ("committee", "支委(管理本支部)"), ("secretary", "书记")])

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("该登录名已被使用")
        return name
