"""A district's yearly rubric as data (items with points, grouped, derived or manual), the manual
scores with their optional evidence, and each branch secretary's 述职 with the district's grade.
Derived scores are not stored: they are computed from the records (zhibu.assessment.selectors)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.assessment import rules
from zhibu.core import clock
from zhibu.orgs.models import Organisation


class Rubric(models.Model):
    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessment_rubrics", verbose_name="上级党组织"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=100)
    advanced = models.PositiveSmallIntegerField("先进线（得分率%）", default=rules.DEFAULT_ADVANCED)
    backward = models.PositiveSmallIntegerField("后进线（得分率%）", default=rules.DEFAULT_BACKWARD)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = "考核评分细则"
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="assessment_rubric_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="assessment_rubric_year_range"),
            models.CheckConstraint(
                condition=Q(backward__lte=models.F("advanced"), advanced__lte=100), name="assessment_rubric_tiers_sane"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="items")
    group = models.CharField("类别", max_length=30)
    label = models.CharField("考核内容", max_length=100)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)
    # The key of a zhibu.<app>.assessment measure; empty: a manual item scored by the district.
    measure = models.CharField("数据来源", max_length=40, blank=True, default="")
    guidance = models.CharField("评分说明", max_length=200, blank=True, default="")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["rubric_id", "order", "id"]
        verbose_name = "评分项目"
        constraints = [
            models.UniqueConstraint(fields=["rubric", "group", "label"], name="assessment_item_unique_label"),
            models.CheckConstraint(condition=Q(points__gt=0, points__lte=100), name="assessment_item_points_range"),
        ]

    def __str__(self) -> str:
        return f"{self.group}·{self.label}"

    @property
    def is_manual(self) -> bool:
        return not self.measure


EVIDENCE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _path(kind: str, branch_id: int, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"assessment/{branch_id}/{kind}-{secrets.token_hex(8)}.{ext}"


def evidence_path(instance: ManualScore, filename: str) -> str:
    return _path("evidence", instance.branch_id, filename)


def report_path(instance: Report, filename: str) -> str:
    return _path("report", instance.branch_id, filename)


class ManualScore(models.Model):
    """The district's score of a manual item for one branch, with optional evidence (rules2.md §5:
    留痕 is optional evidence, never required proof)."""

    item = models.ForeignKey(RubricItem, on_delete=models.CASCADE, related_name="scores")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    points = models.DecimalField("得分", max_digits=5, decimal_places=1)
    note = models.CharField("评分依据", max_length=300, blank=True, default="")
    file = models.FileField(upload_to=evidence_path, max_length=200, blank=True)
    file_name = models.CharField("佐证文件", max_length=150, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "手工评分"
        constraints = [
            models.UniqueConstraint(fields=["item", "branch"], name="assessment_manual_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="assessment_manual_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.points}"


class Report(models.Model):
    """书记抓党建述职: the branch secretary's report (a file) and the district's grade."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)
    file_name = models.CharField("述职报告", max_length=150, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(null=True, blank=True)
    grade = models.CharField("评议等次", max_length=20, choices=rules.GRADES, blank=True, default="")
    comment = models.CharField("评议意见", max_length=500, blank=True, default="")
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "书记述职"
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="assessment_report_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="assessment_report_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年书记述职"
