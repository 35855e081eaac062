"""廉政责任清单 / 一岗双责, 师德 commitments, the register of 师德 violations (一票否决 on that year's
评优) and the 三重一大 decisions register (each linked to the orglife meeting it was decided at)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.integrity import rules
from zhibu.orglife.models import Meeting
from zhibu.orgs.models import Organisation, Person


class DutyList(models.Model):
    """One responsible person's 廉政责任清单 for a year, confirmed by that person in the app."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="责任人")
    role_title = models.CharField("岗位及责任", max_length=50)
    duties = models.TextField("责任事项", max_length=2000)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    signed_at = models.DateTimeField("本人确认时间", null=True, blank=True)
    checked_on = models.DateField("年终检查日期", null=True, blank=True)
    check_result = models.CharField("检查结果", max_length=20, choices=rules.CHECK_RESULTS, blank=True)
    check_note = models.CharField("检查意见", max_length=300, blank=True)

    class Meta:
        ordering = ["branch_id", "-year", "person__name", "id"]
        verbose_name = "廉政责任清单"
        constraints = [models.UniqueConstraint(fields=["branch", "year", "person"], name="integrity_duty_once")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.person.name} 廉政责任清单"

    @property
    def lines(self) -> list[str]:
        return rules.duty_lines(self.duties)


class Commitment(models.Model):
    """A staff member's 师德承诺书 for a year (members and non-members alike), signed in the app."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="教职工")
    text = models.TextField("承诺内容", max_length=2000)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)

    class Meta:
        ordering = ["branch_id", "-year", "person__name", "id"]
        verbose_name = "师德承诺书"
        constraints = [models.UniqueConstraint(fields=["branch", "year", "person"], name="integrity_commitment_once")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.person.name} 师德承诺书"


class Violation(models.Model):
    """A 师德失范 finding. With `veto` (the default) it bars the person from that year's 评优."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="当事人")
    date = models.DateField("发生日期")
    year = models.PositiveSmallIntegerField("影响评优年度")
    description = models.CharField("失范行为", max_length=500)
    handling = models.CharField("处理结果", max_length=300, blank=True)
    veto = models.BooleanField("评优一票否决", default=True)
    withdrawn_reason = models.CharField("撤销原因", max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["branch_id", "-date", "-id"]
        verbose_name = "师德失范登记"
        indexes = [models.Index(fields=["branch", "year"])]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date:%Y-%m-%d} 师德失范"

    @property
    def vetoes(self) -> bool:
        return self.veto and not self.withdrawn_reason


class Decision(models.Model):
    """A 三重一大 decision: the item, the meeting it was decided at and the vote."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    category = models.CharField("类别", max_length=20, choices=rules.DECISION_CATEGORIES)
    item = models.CharField("决策事项", max_length=200)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+", verbose_name="决策会议")
    date = models.DateField("决策日期")
    should_attend = models.PositiveIntegerField("应到会有表决权人数")
    present = models.PositiveIntegerField("实到有表决权人数")
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对")
    votes_abstain = models.PositiveIntegerField("弃权")
    passed = models.BooleanField("通过")
    reason = models.CharField("结果说明", max_length=300)
    source = models.CharField("依据", max_length=100)
    note = models.CharField("备注", max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["branch_id", "-date", "-id"]
        verbose_name = "“三重一大”决策"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "item"], name="integrity_decision_once"),
            models.CheckConstraint(condition=Q(present__lte=models.F("should_attend")), name="integrity_present_le_should"),
        ]

    def __str__(self) -> str:
        return self.item[:40]
