"""Notices with 签阅, the monthly 组织生活指南 and tasks (最多报一次).

A notice goes from a committee (the district) to branches or to people; each addressee is a
`Recipient` row with its own 签阅 (read_at, read_by). A branch row is read by the branch's managers;
when the branch forwards the notice, each member gets a row of their own (kind "forwarded").
A task asks every branch below the district for something; each branch has one `Answer` row."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person

FILE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"notices/{secrets.token_hex(8)}.{ext}"


class StoredFile(models.Model):
    """An attachment of a notice or the material a branch sent for a task."""

    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="上传单位")
    file = models.FileField(upload_to=file_path, max_length=200)
    name = models.CharField("文件名", max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "附件"

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Notice(models.Model):
    sender = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="发文单位")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    sign_by = models.DateField("签阅截止日期", null=True, blank=True)
    sent_on = models.DateField("发送日期")
    sent_at = models.DateTimeField("发送时间", default=clock.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="发送人"
    )
    files = models.ManyToManyField(StoredFile, blank=True, related_name="+", verbose_name="附件")

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "通知"

    def __str__(self) -> str:
        return self.title


class RecipientKind(models.TextChoices):
    BRANCH = "branch", "支部"
    PERSON = "person", "个人"
    FORWARDED = "forwarded", "支部转发"


class Recipient(models.Model):
    """One addressee of a notice and its 签阅. `branch` is always set (a person's branch), so every
    row is scoped to a branch."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField("类别", max_length=10, choices=RecipientKind.choices)
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="人员"
    )
    forwarded_at = models.DateTimeField("转发时间", null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="转发人",
    )
    read_at = models.DateTimeField("签阅时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="签阅人",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "通知签阅"
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "branch"], condition=Q(kind="branch"), name="notices_recipient_branch_once"
            ),
            models.UniqueConstraint(
                fields=["notice", "person"], condition=Q(person__isnull=False), name="notices_recipient_person_once"
            ),
            models.CheckConstraint(
                condition=(Q(kind="branch") & Q(person__isnull=True)) | (~Q(kind="branch") & Q(person__isnull=False)),
                name="notices_recipient_person_iff_not_branch",
            ),
        ]
        indexes = [models.Index(fields=["branch", "kind"]), models.Index(fields=["notice", "kind"])]

    def __str__(self) -> str:
        return f"{self.notice} → {self.person or self.branch}"


class Guide(models.Model):
    """The district's 组织生活指南 for one month."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="发布单位")
    year = models.PositiveSmallIntegerField("年份")
    month = models.PositiveSmallIntegerField("月份")
    theme = models.CharField("主题", max_length=200)
    materials = models.TextField("参考学习材料", blank=True)
    deadline = models.DateField("完成时限")
    kinds = models.JSONField("要求开展的组织生活", default=list, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-month", "-id"]
        verbose_name = "组织生活指南"
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "month"], name="notices_guide_once_a_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="notices_guide_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月组织生活指南：{self.theme}"


class Task(models.Model):
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="发布单位")
    kind = models.CharField("任务类型", max_length=30)
    title = models.CharField("任务名称", max_length=200)
    body = models.TextField("要求", blank=True)
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("报送截止日期")
    created_at = models.DateTimeField(default=clock.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "报送任务"

    def __str__(self) -> str:
        return self.title


class AnswerState(models.TextChoices):
    TODO = "todo", "未报送"
    SUBMITTED = "submitted", "已报送待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"
    CONFIRMED = "confirmed", "已确认（由记录生成）"


DONE_STATES = (AnswerState.APPROVED, AnswerState.CONFIRMED)


class Answer(models.Model):
    """One branch's answer to a task: 报送 (text and/or a file) → 审核 → 退回 (reason) / 通过; for a
    task the records answer, the derived text the branch confirmed."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="answers")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    state = models.CharField("状态", max_length=10, choices=AnswerState.choices, default=AnswerState.TODO)
    text = models.TextField("报送内容", blank=True)
    file = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="报送材料"
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="报送人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    reason = models.CharField("退回理由", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "任务报送"
        constraints = [models.UniqueConstraint(fields=["task", "branch"], name="notices_answer_once")]

    def __str__(self) -> str:
        return f"{self.task} · {self.branch}"
