"""组织关系转接 (the workflow; zhibu.orgs.Transfer keeps the history rows), the status register
(出党, 停止党籍, 失联, death) and 党内奖励/处分."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.membership import rules


class CaseKind(models.TextChoices):
    WITHIN = "within", "区内转接"
    OUT = "out", "转出本区（介绍信）"
    TEMPORARY = "temporary", "临时介绍信（短期外出）"


class CaseState(models.TextChoices):
    PENDING = "pending", "待上级审批"
    ISSUED = "issued", "介绍信已开出，待回执"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已撤销"


OPEN_STATES = (CaseState.PENDING, CaseState.ISSUED)


class TransferCase(models.Model):
    """One 组织关系转接 or 临时介绍信 started by a branch. Within the district it waits for the
    district's approval (zhibu.approvals, kind "membership.transfer") and then moves the person;
    out of the district it is a 介绍信 whose 回执 the branch tracks."""

    branch = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="membership_cases", verbose_name="转出支部"
    )
    district = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="上级党组织"
    )
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="membership_cases", verbose_name="党员"
    )
    kind = models.CharField("类别", max_length=10, choices=CaseKind.choices)
    state = models.CharField("状态", max_length=10, choices=CaseState.choices)
    to_branch = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="转往支部"
    )
    to_org = models.CharField("转往党组织", max_length=100, blank=True)
    dues_paid_to = models.DateField("党费交至(月)", null=True, blank=True)
    reason = models.CharField("转接原因", max_length=200)
    started_on = models.DateField("发起日期")
    letter_year = models.PositiveSmallIntegerField("介绍信年份", null=True, blank=True)
    letter_seq = models.PositiveIntegerField("介绍信序号", null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField("有效期(天)", null=True, blank=True)
    issued_on = models.DateField("开具日期", null=True, blank=True)
    receipt_on = models.DateField("回执收到日期", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "letter_year", "letter_seq"],
                condition=Q(letter_seq__isnull=False),
                name="membership_letter_number_unique",
            ),
            # One open 转接 per person (a temporary letter may run beside it).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state__in=["pending", "issued"]) & ~Q(kind="temporary"),
                name="membership_one_open_transfer",
            ),
            models.CheckConstraint(
                condition=Q(kind="within", to_branch__isnull=False) | ~Q(kind="within"),
                name="membership_within_needs_branch",
            ),
        ]
        indexes = [models.Index(fields=["district", "state"]), models.Index(fields=["branch", "state"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.started_on}"

    @property
    def letter_number(self) -> str:
        return rules.letter_number(self.letter_year, self.letter_seq) if self.letter_seq else ""

    @property
    def destination(self) -> str:
        return self.to_branch.name if self.to_branch is not None else self.to_org

    @property
    def valid_until(self) -> dt.date | None:
        if self.issued_on is None or not self.valid_days:
            return None
        return self.issued_on + dt.timedelta(days=self.valid_days)

    def overdue(self, today: dt.date) -> bool:
        until = self.valid_until
        return self.state == CaseState.ISSUED and until is not None and today > until


class RequestState(models.TextChoices):
    OPEN = "open", "待支部办理"
    STARTED = "started", "已发起转接"
    DECLINED = "declined", "未办理"


class TransferRequest(models.Model):
    """A member asks for a transfer from their own page; the branch managers start it (or say why not)."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="membership_requests")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="membership_requests", verbose_name="党员"
    )
    destination = models.CharField("拟转往", max_length=100)
    reason = models.CharField("原因", max_length=200)
    asked_on = models.DateField("申请日期")
    state = models.CharField("状态", max_length=10, choices=RequestState.choices, default=RequestState.OPEN)
    answer = models.CharField("支部答复", max_length=200, blank=True)
    case = models.ForeignKey(TransferCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-asked_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(state="open"), name="membership_one_open_request"),
        ]

    def __str__(self) -> str:
        return f"{self.person} 申请转往 {self.destination}"


class StatusKind(models.TextChoices):
    WITHDREW = "withdrew", "退党"
    REMOVED = "removed", "除名"
    EXPELLED = "expelled", "开除党籍"
    STOPPED = "stopped", "停止党籍"
    LOST = "lost", "失联"
    FOUND = "found", "恢复联系"
    DIED = "died", "去世"


class StatusEvent(models.Model):
    """The status register: each change with its date and reason. Every kind but 失联/恢复联系 takes the
    person off the register (zhibu.orgs.services.leave_register_step); the rows stay."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="membership_status")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="membership_status", verbose_name="党员"
    )
    kind = models.CharField("类别", max_length=10, choices=StatusKind.choices)
    on = models.DateField("日期")
    reason = models.CharField("原因/依据", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "on"], name="membership_status_once"),
        ]
        indexes = [models.Index(fields=["branch", "kind", "on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.on}"


class MeritKind(models.TextChoices):
    AWARD = "award", "党内奖励"
    PENALTY = "penalty", "党纪处分"


class Merit(models.Model):
    """党内奖励 or 党纪处分 on a member's record, with its dates (处分 feed eligibility; 留党察看
    suspends voting rights: see rules.PENALTIES)."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="membership_merits")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="membership_merits", verbose_name="党员"
    )
    kind = models.CharField("类别", max_length=10, choices=MeritKind.choices)
    title = models.CharField("名称", max_length=100)  # 优秀共产党员 …, or the penalty (rules.PENALTIES)
    decided_on = models.DateField("决定日期")
    decided_by = models.CharField("决定机关", max_length=100)
    reason = models.CharField("事由", max_length=300)
    ends_on = models.DateField("期满日期", null=True, blank=True)  # 留党察看
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "title", "decided_on"], name="membership_merit_once"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("decided_on")),
                name="membership_merit_ends_after",
            ),
        ]
        indexes = [models.Index(fields=["branch", "kind", "decided_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.title} {self.decided_on}"
