"""The 整改台账: items (问题 → 措施 → 责任人/时限 → 佐证 → 销号 → 回头看), their evidence files and
progress notes. Sources are data (rules2.md §6 lists them), seeded by migration 0002."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person
from zhibu.rectify import rules


class Source(models.Model):
    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("来源", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("可用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "问题来源"

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    IMMEDIATE = "immediate", "立行立改"
    DEADLINE = "deadline", "限期整改"
    ONGOING = "ongoing", "长期坚持"


class Status(models.TextChoices):
    OPEN = rules.OPEN, rules.STATUS_LABELS[rules.OPEN]
    IN_PROGRESS = rules.IN_PROGRESS, rules.STATUS_LABELS[rules.IN_PROGRESS]
    SUBMITTED = rules.SUBMITTED, rules.STATUS_LABELS[rules.SUBMITTED]
    CLOSED = rules.CLOSED, rules.STATUS_LABELS[rules.CLOSED]
    CONFIRMED = rules.CONFIRMED, rules.STATUS_LABELS[rules.CONFIRMED]


class Item(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rectify_items", verbose_name="党支部"
    )
    raised_by_org = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="交办单位"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name="问题来源")
    link_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    link_id = models.PositiveBigIntegerField(null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")  # the source record (a meeting, …) where there is one
    raised_on = models.DateField("发现日期", default=clock.today)
    problem = models.TextField("问题表现", max_length=1000)
    category = models.CharField("问题类别", max_length=50, blank=True)
    measures = models.TextField("整改措施", max_length=2000, blank=True)
    responsible = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="rectify_items", verbose_name="责任人"
    )
    kind = models.CharField("整改类型", max_length=20, choices=Kind.choices, default=Kind.DEADLINE)
    deadline = models.DateField("整改时限", null=True, blank=True)
    report_due = models.DateField("整改报告期限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    evidence = models.TextField("整改成效及佐证", max_length=2000, blank=True)
    submitted_on = models.DateField("提交销号日期", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="销号人",
    )
    sent_back_reason = models.CharField("退回原因", max_length=300, blank=True)
    review_due = models.DateField("回头看日期", null=True, blank=True)
    reviewed_on = models.DateField("回头看完成日期", null=True, blank=True)
    review_note = models.CharField("回头看意见", max_length=300, blank=True)
    reopened = models.PositiveSmallIntegerField("重新整改次数", default=0)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["branch_id", "deadline", "id"]
        verbose_name = "整改问题"
        indexes = [models.Index(fields=["branch", "status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("raised_on")),
                name="rectify_deadline_not_before_raised",
            ),
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def kind_label(self) -> str:
        return rules.KIND_LABELS.get(self.kind, self.kind)

    def overdue(self, today) -> bool:
        return rules.is_overdue(self.status, self.deadline, today)

    @property
    def editable(self) -> bool:
        return rules.can_edit(self.status)


EVIDENCE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"rectify/{instance.item.branch_id}/{instance.item_id}/{secrets.token_hex(8)}.{ext}"


class EvidenceFile(models.Model):
    """A photo or scan proving the rectification; served only through an access-checked view."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField("文件名", max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["item_id", "id"]
        verbose_name = "整改佐证"

    def __str__(self) -> str:
        return self.name


class Note(models.Model):
    """A progress note, or the reason of a transition (退回原因, 回头看意见)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(default=clock.now)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField("操作", max_length=20, blank=True)
    text = models.CharField("内容", max_length=500)

    class Meta:
        ordering = ["item_id", "at", "id"]
        verbose_name = "整改进展"

    def __str__(self) -> str:
        return self.text[:40]
