"""The 组织生活会 cycle (rules2.md §2): a branch's year's (or semester's) meeting with its
preparation checklist, materials, collected opinions, the meeting record (an orglife Meeting of kind
组织生活会), 批评和自我批评 notes and the problems that become 整改 items. Rules in rules.py."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.orglife.models import Meeting
from zhibu.orglifemeeting import rules
from zhibu.orgs.models import Organisation, Person
from zhibu.rectify.models import Kind


def _default_required() -> list[str]:
    return list(rules.DEFAULT_REQUIRED)


def _default_readings() -> list[str]:
    return list(rules.DEFAULT_READINGS)


class Cycle(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="orglife_cycles", verbose_name="党支部"
    )
    year = models.PositiveSmallIntegerField("年度")
    term = models.PositiveSmallIntegerField("期次", choices=rules.TERMS, default=0)
    topic = models.CharField("主题", max_length=200)
    notice_date = models.DateField("上级通知日期", null=True, blank=True)
    notice_requirements = models.TextField("上级通知要求", blank=True, default="")
    planned_date = models.DateField("计划召开日期")
    request_days = models.PositiveSmallIntegerField("提前请示天数", default=rules.DEFAULT_REQUEST_DAYS)
    required_steps = models.JSONField("必须完成的准备事项", default=_default_required)
    readings = models.JSONField("谈心谈话覆盖要求", default=_default_readings)
    ready_at = models.DateTimeField("准备就绪时间", null=True, blank=True, editable=False)
    meeting = models.OneToOneField(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycle", verbose_name="会议记录"
    )
    format = models.CharField("召开形式", max_length=30, choices=rules.FORMATS, blank=True, default="")
    secretary_report = models.TextField("书记报告", blank=True, default="")
    upper_attendee = models.CharField("上级党组织参会人员", max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-year", "-term", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "term"], name="olm_cycle_once_per_term"),
            models.CheckConstraint(condition=Q(term__in=(0, 1, 2)), name="olm_cycle_term_valid"),
            models.CheckConstraint(condition=Q(request_days__lte=60), name="olm_cycle_request_days_sane"),
        ]

    def __str__(self) -> str:
        term = "" if self.term == 0 else self.get_term_display()
        return f"{self.year}年{term}组织生活会"

    @property
    def request_due(self):
        return rules.request_due(self.planned_date, self.request_days)


class Step(models.Model):
    """A checklist step's owner, due date and (for the steps marked by hand) when it was done."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("事项", max_length=30, choices=rules.STEPS)
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="负责人"
    )
    due = models.DateField("完成期限", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")

    class Meta:
        ordering = ["cycle_id", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="olm_step_once")]

    def __str__(self) -> str:
        return self.get_code_display()


MATERIAL_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def material_path(instance: Material, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"orglifemeeting/{instance.cycle.branch_id}/{instance.cycle_id}/{secrets.token_hex(8)}.{ext}"


class Material(models.Model):
    """对照检查材料 (the committee's: no person; a committee member's) or a member's 党性分析/个人问题清单:
    written on the page, or an uploaded file (served only through an access-checked view)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField("材料", max_length=20, choices=rules.MATERIAL_KINDS)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="本人"
    )
    text = models.TextField("内容", blank=True, default="")
    file = models.FileField(upload_to=material_path, max_length=200, blank=True)
    file_name = models.CharField("文件名", max_length=150, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["cycle_id", "kind", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind", "person"], name="olm_material_once"),
            models.UniqueConstraint(
                fields=["cycle", "kind"], condition=Q(person__isnull=True), name="olm_material_committee_once"
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=True) & Q(kind=rules.MATERIAL_COMMITTEE))
                | (Q(person__isnull=False) & ~Q(kind=rules.MATERIAL_COMMITTEE)),
                name="olm_material_person_iff",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person or ''}".strip()


class Opinion(models.Model):
    """征求意见: an opinion from anyone of the branch (members and non-member staff) or typed in by the
    committee from a paper form or the mailbox."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField("提出人", max_length=50, blank=True, default="")
    text = models.TextField("意见建议")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["cycle_id", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class CriticismNote(models.Model):
    """批评和自我批评 at the meeting, per person."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    self_criticism = models.TextField("自我批评", blank=True, default="")
    criticism = models.TextField("相互批评意见", blank=True, default="")

    class Meta:
        ordering = ["cycle_id", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="olm_note_once")]

    def __str__(self) -> str:
        return f"{self.person} 批评和自我批评"


class Problem(models.Model):
    """A problem the meeting raised, with its measures; turned into a 整改 item in one step."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="problems")
    problem = models.CharField("问题", max_length=300)
    measures = models.CharField("整改措施", max_length=300, blank=True, default="")
    responsible = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="责任人"
    )
    kind = models.CharField("整改类型", max_length=20, choices=Kind.choices, default=Kind.DEADLINE)
    deadline = models.DateField("整改时限", null=True, blank=True)
    item = models.ForeignKey(
        "rectify.Item",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name="整改事项",
    )

    class Meta:
        ordering = ["cycle_id", "id"]

    def __str__(self) -> str:
        return self.problem
