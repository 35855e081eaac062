"""年终材料: what a branch reported to the district for a year — the pack (a .zip of the 工作总结 and
every 台账), who submitted it, when, its SHA-256 and size. The pack itself is built by a background
job (zhibu.core.jobs); a submission keeps its own copy, so what the district downloads is exactly what
was submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhibu.orgs.models import Organisation


def pack_path(instance: Submission, filename: str) -> str:
    return f"yearend/{instance.branch_id}/{instance.year}/{instance.sha256[:16]}.zip"


class Submission(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="yearend_submissions", verbose_name="党支部"
    )
    year = models.PositiveSmallIntegerField("年度")
    file = models.FileField("材料包", upload_to=pack_path, max_length=200)
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    summary_edited = models.BooleanField("工作总结已修改", default=False)
    note = models.CharField("说明", max_length=300, blank=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="报送人"
    )
    submitted_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "年终材料报送"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # the same pack is reported once (a double click, a resubmission of the same file)
            models.UniqueConstraint(fields=["branch", "year", "sha256"], name="yearend_submission_once"),
        ]
        indexes = [models.Index(fields=["year", "branch"])]

    def __str__(self) -> str:
        return f"{self.year}年年终材料"

    @property
    def size_label(self) -> str:
        kb = self.size / 1024
        return f"{kb / 1024:.1f} MB" if kb >= 1024 else f"{kb:.0f} KB"
