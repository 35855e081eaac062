"""Annual work plans (工作计划) and their calendar items (行事历).

A Plan belongs to a branch and a year, or half a year; a PlanItem is one line of its calendar.
`months` keeps the months as written (七、八月份 -> [7, 8]); `month_mask` is derived on save from the
months the item now falls in (the new month once moved) so the database can both check and query it
(bit m-1 set = month m).
"""
from __future__ import annotations

import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from zhibu.orgs.models import Organisation, Person

ALL_MONTHS_MASK = (1 << 12) - 1


def new_token() -> str:
    return secrets.token_urlsafe(24)


def mask_of(months) -> int:
    mask = 0
    for m in months:
        mask |= 1 << (int(m) - 1)
    return mask


class Half(models.TextChoices):
    FULL = "full", "全年"
    FIRST = "first", "上半年"
    SECOND = "second", "下半年"


class PlanKind(models.TextChoices):
    """An annual (or half-year) work plan, one per period; or a campaign plan (专项/主题教育 方案:
    主题教育, 党纪学习教育, a 专项整治), any number per year, on the same calendar (issue 14)."""
    ANNUAL = "annual", "年度工作计划"
    CAMPAIGN = "campaign", "专项/主题教育方案"


HALF_MONTHS = {Half.FULL: list(range(1, 13)), Half.FIRST: list(range(1, 7)), Half.SECOND: list(range(7, 13))}


class Plan(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans", verbose_name="支部")
    year = models.PositiveSmallIntegerField("年度")
    half = models.CharField("期间", max_length=10, choices=Half.choices, default=Half.FULL)
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("计划类型", max_length=10, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    # A campaign plan's short name shown beside each of its items on the calendar (e.g. 主题教育).
    label = models.CharField("简称", max_length=20, blank=True)
    source_text = models.TextField("原文", blank=True)
    # [{"number": "一", "heading": "指导思想", "level": 1, "body": ["段落", ...]}, ...]
    sections = models.JSONField("章节", default=list, blank=True)
    # The secret of the plan's iCalendar feed URL; regenerating it invalidates the old URL.
    ical_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "half", "id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "half"], condition=Q(kind="annual"),
                                    name="plan_unique_branch_year_half"),
            models.UniqueConstraint(fields=["branch", "year", "title"], condition=Q(kind="campaign"),
                                    name="plan_campaign_unique_title"),
            models.CheckConstraint(condition=Q(kind__in=["annual", "campaign"]), name="plan_kind_valid"),
            models.CheckConstraint(condition=Q(kind="annual") | Q(half="full"), name="plan_campaign_full_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_range"),
            models.CheckConstraint(condition=Q(half__in=Half.values), name="plan_half_valid"),
            models.CheckConstraint(condition=~Q(ical_token=""), name="plan_ical_token_set"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.year}年{self.get_half_display()}工作计划"

    @property
    def period_label(self) -> str:
        return f"{self.year}年" if self.half == Half.FULL else f"{self.year}年{self.get_half_display()}"

    @property
    def is_campaign(self) -> bool:
        return self.kind == PlanKind.CAMPAIGN

    @property
    def short_label(self) -> str:
        """What the year calendar shows beside an item of this plan."""
        if self.is_campaign:
            return self.label or self.title[:20]
        return "年度计划" if self.half == Half.FULL else f"{self.get_half_display()}计划"

    @property
    def period_months(self) -> list[int]:
        return HALF_MONTHS[self.half]


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "计划中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"
    MOVED = "moved", "已调整"


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    months = models.JSONField("月份", default=list)  # sorted, distinct, 1–12
    month_mask = models.PositiveSmallIntegerField(editable=False, default=0)  # derived, see module doc
    text = models.CharField("工作内容", max_length=500)
    kinds = models.JSONField("类别", default=list, blank=True)
    theme = models.CharField("专题", max_length=200, blank=True)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_items",
                              verbose_name="负责人")
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    moved_to_month = models.PositiveSmallIntegerField("调整至", null=True, blank=True)
    # The record that fulfilled the item (a meeting record of 组织生活, …): any model with a branch.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    fulfilled_by = GenericForeignKey("content_type", "object_id")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        ordering = ["plan_id", "order", "id"]
        indexes = [models.Index(fields=["plan", "order"]), models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ItemStatus.values), name="planitem_status_valid"),
            models.CheckConstraint(
                condition=(Q(status=ItemStatus.MOVED) & Q(moved_to_month__isnull=False) & Q(moved_to_month__gte=1) & Q(moved_to_month__lte=12))
                | (~Q(status=ItemStatus.MOVED) & Q(moved_to_month__isnull=True)),
                name="planitem_moved_has_month",
            ),
            models.CheckConstraint(condition=Q(month_mask__gte=1) & Q(month_mask__lte=ALL_MONTHS_MASK),
                                   name="planitem_months_valid"),
            models.CheckConstraint(
                condition=(Q(content_type__isnull=True) & Q(object_id__isnull=True))
                | (Q(content_type__isnull=False) & Q(object_id__isnull=False)),
                name="planitem_link_complete",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="planitem_text_set"),
        ]

    def __str__(self) -> str:
        return f"{self.months_label} {self.text}"[:200]

    @property
    def effective_months(self) -> list[int]:
        """The months the item now falls in: its new month once moved."""
        if self.status == ItemStatus.MOVED and self.moved_to_month:
            return [self.moved_to_month]
        return list(self.months)

    @property
    def months_label(self) -> str:
        from zhibu.plans.parser import months_label

        return months_label(self.months)

    def refresh_mask(self) -> None:
        """Normalise `months` and derive `month_mask` (0, which the database refuses, when any month
        is outside 1–12 or there is none). Called by save(); call it before bulk_create."""
        self.months = sorted({int(m) for m in self.months})
        effective = self.effective_months
        valid = bool(effective) and all(1 <= m <= 12 for m in effective) and all(1 <= m <= 12 for m in self.months)
        self.month_mask = mask_of(effective) if valid else 0

    def save(self, *args, **kwargs):
        self.refresh_mask()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = list(set(kwargs["update_fields"]) | {"months", "month_mask"})
        super().save(*args, **kwargs)
