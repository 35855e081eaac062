from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from zhibu.core.forms import ZhibuFormMixin
from zhibu.dues import rules
from zhibu.dues.models import PAYMENT_METHODS, Adjustment, Category, EntryKind, Method, PeriodKind
from zhibu.dues.selectors import MemberMonth

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


def money_input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


class MonthField(forms.DateField):
    """A month as YYYY-MM (the <input type=month> value), cleaned to its first day."""

    widget = MONTH
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return rules.add_months(value, 0) if value else value


SHEET_METHODS = [(m, label) for m, label in Method.choices if m in PAYMENT_METHODS]


class MonthSheetForm(ZhibuFormMixin, forms.Form):
    """The whole branch on one form. Only what the user types is recorded: amounts start empty (the
    按应交额填入 link fills what each row still owes, `prefill`), a row paid in full has no amount
    field (a second save cannot pay it again) but takes a receipt number where its payment has none,
    a 少交 row takes the rest. Tab order: amount → receipt → next member's amount."""

    paid_on = forms.DateField(label="交纳日期", widget=DATE)
    default_method = forms.ChoiceField(label="默认方式", choices=SHEET_METHODS, required=False)

    def __init__(self, *args, rows: list[MemberMonth], entries: dict | None = None, can_edit: bool = True,
                 prefill: str | int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.collectable = [r for r in rows if r.left_on is None]  # who transferred out is history here
        entries = entries or {}
        reversed_ids = {e.reverses_id for es in entries.values() for e in es if e.reverses_id}
        self.settled: set[int] = set()  # paid in full: no amount field
        self.receipt_only: set[int] = set()  # paid in full, a live payment without a receipt
        tab = 0
        for r in self.collectable:
            pid = r.person_id
            settled = r.is_paid and r.shortfall == 0
            if settled:
                self.settled.add(pid)
                live = [e for e in entries.get(pid, []) if e.reverses_id is None and e.pk not in reversed_ids
                        and e.kind == EntryKind.PAYMENT]
                if not any(not e.receipt_number for e in live):
                    continue
                self.receipt_only.add(pid)
            else:
                owed = r.shortfall if r.is_paid else (r.due if (not r.elsewhere and r.due is not None and r.due > 0) else None)
                wanted = prefill == "all" or str(prefill) == str(pid)
                tab += 1
                self.fields[f"amount_{pid}"] = forms.DecimalField(
                    label=f"{r.name} 实交", required=False, initial=owed if wanted else None, **MONEY,
                    widget=money_input(tabindex=tab, size=8, **{"aria-label": f"{r.name} 实交金额", "data-due": str(owed or "")}),
                )
                self.fields[f"method_{pid}"] = forms.ChoiceField(
                    label=f"{r.name} 方式", choices=[("", "默认")] + SHEET_METHODS, required=False,
                    widget=forms.Select(attrs={"aria-label": f"{r.name} 交纳方式"}),
                )
            tab += 1
            attrs = {"tabindex": tab, "size": 10, "autocomplete": "off", "aria-label": f"{r.name} 收据号"}
            if settled:
                attrs["data-receipt-only"] = ""
            self.fields[f"receipt_{pid}"] = forms.CharField(
                label=f"{r.name} 收据号", required=False, max_length=40, widget=forms.TextInput(attrs=attrs))
        self.submit_tabindex = tab + 1
        if not can_edit:
            for f in self.fields.values():
                f.disabled = True

    def _bound(self, name: str):
        return self[name] if name in self.fields else None

    def lines(self):
        for r in self.rows:
            pid = r.person_id
            if r.left_on is not None:
                yield r, None, None, None
            else:
                yield r, self._bound(f"amount_{pid}"), self._bound(f"receipt_{pid}"), self._bound(f"method_{pid}")

    def payments(self) -> list[tuple[int, Decimal, str, str]]:
        """(person id, amount, method, receipt) for every row with an amount typed (> 0)."""
        default = self.cleaned_data.get("default_method") or Method.CASH
        out = []
        for r in self.collectable:
            pid = r.person_id
            amount = self.cleaned_data.get(f"amount_{pid}")
            if amount:
                out.append((pid, amount, self.cleaned_data.get(f"method_{pid}") or default,
                            (self.cleaned_data.get(f"receipt_{pid}") or "").strip()))
        return out

    def receipts(self) -> dict[int, str]:
        """Receipt numbers typed for rows already paid in full."""
        out = {}
        for pid in self.receipt_only:
            text = (self.cleaned_data.get(f"receipt_{pid}") or "").strip()
            if text:
                out[pid] = text
        return out


class CloseMonthForm(ZhibuFormMixin, forms.Form):
    month = MonthField(label="结账月份", widget=forms.HiddenInput)
    note = forms.CharField(label="备注", required=False, max_length=200)


class OverpaymentForm(ZhibuFormMixin, forms.Form):
    MODES = [("credit", "抵扣后续月份（不足抵扣的部分退还）"), ("refund", "退还本人")]
    mode = forms.ChoiceField(label="处理方式", choices=MODES, widget=forms.RadioSelect, initial="credit")
    approval = forms.CharField(label="批准人/批准文件", max_length=200, help_text="多交党费的退还或抵扣须经批准，批准情况记入台账")


class VoluntaryReverseForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="冲正原因", max_length=150)


class ProfileForm(ZhibuFormMixin, forms.Form):
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    base = forms.DecimalField(label="计算基数（元）", required=False, help_text="在职：税后工资收入；离退休：离退休费",
                              widget=money_input(), **MONEY)
    farmer_amount = forms.DecimalField(label="农民党员月交金额（元）", required=False, help_text="0.20–1.00 元，由支部确定",
                                       widget=money_input(), **MONEY)
    effective_month = MonthField(label="生效月份", help_text="新基数从发放新工资的当月起执行（中组发〔2008〕3号 第10条）")
    adjustment = forms.ChoiceField(label="减交/免交", choices=Adjustment.choices, initial=Adjustment.NONE)
    reduction = forms.DecimalField(label="每月减交金额（元）", required=False, widget=money_input(), **MONEY)
    approval_note = forms.CharField(label="批准文件/说明", required=False, max_length=200,
                                    help_text="减交、免交须经支部讨论、上级党委批准（第7条）")


class VerifyForm(ZhibuFormMixin, forms.Form):
    person_ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_ids"].choices = choices


class PayrollImportForm(ZhibuFormMixin, forms.Form):
    file = forms.FileField(label="工资表文件（.xlsx）")
    default_month = MonthField(label="默认生效月份", help_text="表中“生效月份”为空的行使用此月份")


class ReverseForm(ZhibuFormMixin, forms.Form):
    reason = forms.CharField(label="冲正原因", max_length=150)
    amount = forms.DecimalField(label="正确金额（元，可空：只冲正不重记）", required=False, widget=money_input(), **MONEY)
    method = forms.ChoiceField(label="方式", choices=[("", "同原记录")] + SHEET_METHODS, required=False)
    receipt_number = forms.CharField(label="收据号（可空：同原记录）", max_length=40, required=False)

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError("金额须大于0;只冲正请留空")
        return amount


class RemittanceForm(ZhibuFormMixin, forms.Form):
    period_kind = forms.ChoiceField(label="周期", choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    period_start = MonthField(label="月份（按季：季度第一个月）")
    amount = forms.DecimalField(label="上缴金额（元）", widget=money_input(), **MONEY)
    remitted_on = forms.DateField(label="上缴日期", widget=DATE)
    receipt_number = forms.CharField(label="回执号", required=False, max_length=40)
    note = forms.CharField(label="备注", required=False, max_length=200)


class VoluntaryForm(ZhibuFormMixin, forms.Form):
    """自愿多交党费 (中组发〔2008〕3号 第11条)."""

    person = forms.TypedChoiceField(label="党员", coerce=int, choices=[])
    amount = forms.DecimalField(label="金额（元）", widget=money_input(), help_text="单笔1000元以上（含）的全额上缴中央（第11条）",
                                **{**MONEY, "min_value": Decimal("0.01")})
    paid_on = forms.DateField(label="交纳日期", widget=DATE)
    receipt_number = forms.CharField(label="收据号", required=False, max_length=40)
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "请选择")] + [(p.pk, p.name) for p in people]


def parse_month(value: str | None, default: dt.date) -> dt.date:
    """?month=YYYY-MM, else `default` (as its month). Bounded by core's PeriodQueryForm (?month=9999-12
    falls back; the page says why)."""
    from zhibu.core.forms import PeriodQueryForm

    return PeriodQueryForm.first_of_month({"month": value or ""}, default=rules.add_months(default, 0))[0]


def parse_year(value: str | None, default: int) -> int:
    from zhibu.core.forms import PeriodQueryForm

    return PeriodQueryForm.period({"year": value or ""}, default_year=default)[0]
