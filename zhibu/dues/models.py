"""党费: members' dues bases (with history), the monthly ledger and remittances to the committee above.

Money is DecimalField everywhere (no float). A month is stored as the first day of that month.
A ledger entry is never edited: a correction is a reversing entry (`reverses`) with the negated
amounts, optionally followed by a new entry with the right values.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhibu.dues import rules
from zhibu.orgs.models import Organisation, Person

MONEY = {"max_digits": 14, "decimal_places": 2}


class Category(models.TextChoices):
    IN_SERVICE = rules.IN_SERVICE, rules.CATEGORY_LABELS[rules.IN_SERVICE]
    RETIRED = rules.RETIRED, rules.CATEGORY_LABELS[rules.RETIRED]
    STUDENT = rules.STUDENT, rules.CATEGORY_LABELS[rules.STUDENT]
    UNEMPLOYED = rules.UNEMPLOYED, rules.CATEGORY_LABELS[rules.UNEMPLOYED]
    LOW_INCOME = rules.LOW_INCOME, rules.CATEGORY_LABELS[rules.LOW_INCOME]
    FARMER = rules.FARMER, rules.CATEGORY_LABELS[rules.FARMER]


class Adjustment(models.TextChoices):
    NONE = "none", "无"
    REDUCTION = "reduction", "减交(经上级党委批准)"
    EXEMPTION = "exemption", "免交(经上级党委批准)"


class DuesBase(models.Model):
    """A member's dues profile from `effective_month` on (第10条: a new base applies from the month the
    new salary is paid). The profile in force for a month is the latest one with effective_month <= it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_bases", verbose_name="党员")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    base = models.DecimalField("计算基数（元）", null=True, blank=True, **MONEY)
    farmer_amount = models.DecimalField("农民党员月交金额（元）", null=True, blank=True, max_digits=6, decimal_places=2)
    effective_month = models.DateField("生效月份")
    verified_on = models.DateField("核定日期", null=True, blank=True)
    adjustment = models.CharField("减免", max_length=10, choices=Adjustment.choices, default=Adjustment.NONE)
    reduction = models.DecimalField("每月减交金额（元）", null=True, blank=True, **MONEY)
    approval_note = models.CharField("批准文件/说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["person_id", "-effective_month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "effective_month"], name="dues_base_one_per_month"),
            models.CheckConstraint(condition=Q(effective_month__day=1), name="dues_base_month_first_day"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="dues_base_category_valid"),
            models.CheckConstraint(condition=Q(base__isnull=True) | Q(base__gte=0), name="dues_base_base_non_negative"),
            models.CheckConstraint(
                condition=~Q(category__in=[Category.IN_SERVICE, Category.RETIRED]) | Q(base__isnull=False),
                name="dues_base_rate_categories_need_base",
            ),
            models.CheckConstraint(
                condition=Q(farmer_amount__isnull=True)
                | Q(category=Category.FARMER, farmer_amount__gte=rules.RANGE_DUES[rules.FARMER].minimum,
                    farmer_amount__lte=rules.RANGE_DUES[rules.FARMER].maximum),
                name="dues_base_farmer_amount_in_range",
            ),
            models.CheckConstraint(
                condition=(Q(adjustment=Adjustment.REDUCTION) & Q(reduction__gt=0))
                | (~Q(adjustment=Adjustment.REDUCTION) & Q(reduction__isnull=True)),
                name="dues_base_reduction_iff_reduction",
            ),
            models.CheckConstraint(
                condition=Q(adjustment=Adjustment.NONE) | ~Q(approval_note=""),
                name="dues_base_adjustment_needs_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.get_category_display()} {self.base} 自{self.effective_month:%Y-%m}"

    def due(self) -> rules.DueResult:
        return rules.monthly_due(
            category=self.category, base=self.base, farmer_amount=self.farmer_amount,
            reduction=self.reduction if self.adjustment == Adjustment.REDUCTION else None,
            exempt=self.adjustment == Adjustment.EXEMPTION,
        )


class Method(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    PROXY = "proxy", "委托代交"
    QUARTERLY = "quarterly", "按季交纳"
    LATE = "late", "补交"
    CREDIT = "credit", "多交抵扣"
    REFUND = "refund", "退还"


# What a member pays with (the sheet, a correction); credit and refund are written by the overpayment correction only.
PAYMENT_METHODS = [Method.CASH, Method.TRANSFER, Method.PROXY, Method.QUARTERLY, Method.LATE]


class EntryKind(models.TextChoices):
    """What a ledger row is. Amounts of a month add up: the month's net paid is the sum of its rows'
    amount_paid, what was due as recorded the sum of their amount_due (a top-up of a 少交 month records
    amount_due 0: the due is on the first payment)."""

    PAYMENT = "payment", "交纳"
    REVERSAL = "reversal", "冲正"
    # An overpayment from a wrong base (中组发〔2008〕3号 没有规定; rules2 §10): the excess leaves the
    # month it was paid for (negative, with the approval) and is refunded or credited to later months.
    EXCESS = "excess", "多交调出"
    CREDIT = "credit", "多交抵扣"


class LedgerEntry(models.Model):
    """One payment for one member and one month, or the reversal of one (amounts negated)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_entries", verbose_name="党员")
    # The branch that collected it (people can transfer; the ledger stays where it was kept).
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_entries")
    month = models.DateField("所属月份")
    amount_due = models.DecimalField("应交（元）", **MONEY)
    amount_paid = models.DecimalField("实交（元）", **MONEY)
    paid_on = models.DateField("交纳日期")
    method = models.CharField("方式", max_length=10, choices=Method.choices, default=Method.CASH)
    receipt_number = models.CharField("收据号", max_length=40, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name="冲正的记录"
    )
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices, default=EntryKind.PAYMENT)
    # The row's place among the rows of (person, month): 1, 2, 3… The service writes count + 1 of the
    # rows it saw, so two writes from the same state (a double submission, parallel requests) clash on
    # the unique constraint and only one is kept.
    seq = models.PositiveSmallIntegerField("序号", default=1)
    approval = models.CharField("批准", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["month", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="dues_entry_month_first_day"),
            models.CheckConstraint(condition=Q(method__in=Method.values), name="dues_entry_method_valid"),
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="dues_entry_kind_valid"),
            # A payment or a credit is positive; a reversal points at what it reverses; an excess is
            # negative and names its approval.
            models.CheckConstraint(
                condition=(Q(kind__in=[EntryKind.PAYMENT, EntryKind.CREDIT], reverses__isnull=True, amount_paid__gt=0,
                             amount_due__gte=0))
                | Q(kind=EntryKind.REVERSAL, reverses__isnull=False)
                | (Q(kind=EntryKind.EXCESS, reverses__isnull=True, amount_paid__lt=0, amount_due__lte=0) & ~Q(approval="")),
                name="dues_entry_sign_matches_kind",
            ),
            models.CheckConstraint(condition=~Q(reverses=F("id")), name="dues_entry_not_self_reversing"),
            models.UniqueConstraint(fields=["person", "month", "seq"], name="dues_entry_one_per_seq"),
        ]
        indexes = [
            models.Index(fields=["branch", "month"]),
            models.Index(fields=["person", "month"]),
            models.Index(fields=["month", "person"]),
            # The few rows whose paid differs from their due (short payments, top-ups, their reversals):
            # the month close reads them to find the months paid short (少交).
            models.Index(fields=["month", "person"], condition=~Q(amount_due=F("amount_paid")), name="dues_entry_gap_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_id} {self.month:%Y-%m} {self.amount_paid}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class PeriodKind(models.TextChoices):
    MONTH = "month", "按月"
    QUARTER = "quarter", "按季"


class Remittance(models.Model):
    """上缴: what a branch hands to the committee above for a month or a quarter, with the collection
    figures at the time."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_remittances")
    period_kind = models.CharField("周期", max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField("起始月份")
    amount_due = models.DecimalField("应收合计（元）", **MONEY)
    collected = models.DecimalField("实收合计（元）", **MONEY)
    outstanding = models.DecimalField("未收合计（元）", **MONEY)
    # 自愿多交党费 paid in the period (第11条), and of it the single payments ≥1000 元 that go wholly to
    # the Centre; neither is part of amount_due/collected.
    voluntary = models.DecimalField("自愿多交合计（元）", default=0, **MONEY)
    voluntary_to_centre = models.DecimalField("其中全额上缴中央（元）", default=0, **MONEY)
    amount = models.DecimalField("上缴金额（元）", **MONEY)
    remitted_on = models.DateField("上缴日期")
    receipt_number = models.CharField("回执号", max_length=40, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "period_kind", "period_start"], name="dues_remittance_once_per_period"),
            models.CheckConstraint(condition=Q(period_start__day=1), name="dues_remittance_month_first_day"),
            models.CheckConstraint(condition=Q(period_kind__in=PeriodKind.values), name="dues_remittance_kind_valid"),
            models.CheckConstraint(
                condition=Q(period_kind=PeriodKind.MONTH) | Q(period_start__month__in=[1, 4, 7, 10]),
                name="dues_remittance_quarter_starts_quarter",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(collected__gte=0) & Q(amount_due__gte=0) & Q(outstanding__gte=0),
                name="dues_remittance_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.get_period_kind_display()} {self.period_start:%Y-%m} {self.amount}"

    @property
    def months(self) -> int:
        return 3 if self.period_kind == PeriodKind.QUARTER else 1


class VoluntaryPayment(models.Model):
    """自愿多交党费 (第11条): a member's voluntary payment on top of the monthly due. It never counts
    toward the monthly due or arrears (it is not a LedgerEntry). A single payment of 1000 元 or more
    goes wholly to the Centre (`to_centre`, fixed from the amount by `rules.goes_wholly_to_centre`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_voluntary", verbose_name="党员")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_voluntary")
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("交纳日期")
    receipt_number = models.CharField("收据号", max_length=40, blank=True)
    to_centre = models.BooleanField("全额上缴中央", default=False)
    # A reversal (冲正) carries the negated amount and the original's flag; the original stays.
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", verbose_name="冲正的记录"
    )
    # count + 1 of the member's rows of that day, as the service saw them: parallel duplicates clash.
    seq = models.PositiveSmallIntegerField("序号", default=1)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0) | Q(reverses__isnull=False, amount__lt=0),
                name="dues_voluntary_amount_sign",
            ),
            # 第11条: the flag follows the (absolute) amount, whoever writes the row.
            models.CheckConstraint(
                condition=Q(amount__gte=rules.VOLUNTARY_CENTRE_THRESHOLD, to_centre=True)
                | Q(amount__lte=-rules.VOLUNTARY_CENTRE_THRESHOLD, to_centre=True)
                | Q(amount__lt=rules.VOLUNTARY_CENTRE_THRESHOLD, amount__gt=-rules.VOLUNTARY_CENTRE_THRESHOLD, to_centre=False),
                name="dues_voluntary_centre_flag_matches_amount",
            ),
            models.UniqueConstraint(fields=["person", "paid_on", "seq"], name="dues_voluntary_one_per_seq"),
        ]
        indexes = [models.Index(fields=["branch", "paid_on"])]

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    def __str__(self) -> str:
        if self.reverses_id:
            return f"冲正自愿多交 {self.person_id} {self.paid_on:%Y-%m-%d} {self.amount}"
        return f"自愿多交 {self.person_id} {self.paid_on:%Y-%m-%d} {self.amount}" + (" 全额上缴中央" if self.to_centre else "")


class MonthClosing(models.Model):
    """结账: a branch's month, closed. From then on the month's entries change only by reversal (and
    a correction's replacement, or a 补交 paid in a later month); `zhibu.dues.services` enforces it.
    The figures are those of the close at the time, for the signed 党费收缴登记表."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_closings")
    month = models.DateField("月份")
    members = models.PositiveIntegerField("应交人数", default=0)
    paid = models.PositiveIntegerField("已交人数", default=0)
    due_total = models.DecimalField("应收合计（元）", **MONEY)
    collected = models.DecimalField("实收合计（元）", **MONEY)
    note = models.CharField("备注", max_length=200, blank=True)
    closed_at = models.DateTimeField("结账时间")
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "month"], name="dues_closing_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="dues_closing_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.month:%Y-%m} 结账"
