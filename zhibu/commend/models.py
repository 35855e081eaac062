"""评优 (两优一先): rounds a district opens, branches' nominations, the district's decisions and the
公示; and the optional 积分 scheme (configured as data per district, off by default)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.commend import rules
from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person


class Round(models.Model):
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="发起单位")
    year = models.PositiveSmallIntegerField("评选年度")
    title = models.CharField("名称", max_length=100)
    opens_on = models.DateField("推荐开始日期")
    closes_on = models.DateField("推荐截止日期")
    quota_kind = models.CharField("名额方式", max_length=10, choices=rules.QUOTA_KINDS, default=rules.FIXED)
    percent = models.DecimalField("比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    quota_member = models.PositiveSmallIntegerField("优秀共产党员名额", default=0)
    quota_worker = models.PositiveSmallIntegerField("优秀党务工作者名额", default=0)
    quota_org = models.PositiveSmallIntegerField("先进基层党组织名额", default=0)
    approval_ref = models.CharField("表彰方案批准文号", max_length=100)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    publicity_start = models.DateField("公示开始日期", null=True, blank=True)
    publicity_end = models.DateField("公示结束日期", null=True, blank=True)
    publicity_days = models.PositiveSmallIntegerField("公示工作日", default=rules.DEFAULT_PUBLICITY_WORKDAYS)

    class Meta:
        ordering = ["-year", "-opens_on", "-id"]
        verbose_name = "评优表彰"
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "title"], name="commend_round_once"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="commend_window_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quotas(self) -> rules.Quotas:
        return rules.Quotas(
            self.quota_kind,
            self.percent,
            {rules.MEMBER: self.quota_member, rules.WORKER: self.quota_worker, rules.ORG: self.quota_org},
        )

    @property
    def publicised(self) -> bool:
        return self.publicity_start is not None


class Nomination(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="nominations")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="推荐支部")
    award_type = models.CharField("表彰类别", max_length=10, choices=rules.AWARD_TYPES)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="推荐人选"
    )
    reason = models.TextField("推荐理由", max_length=1000)
    status = models.CharField("状态", max_length=15, choices=rules.STATUSES, default=rules.NOMINATED)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审定时间", null=True, blank=True)
    decision_note = models.CharField("审定意见", max_length=300, blank=True)

    class Meta:
        ordering = ["round_id", "award_type", "branch_id", "id"]
        verbose_name = "评优推荐"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "award_type", "person"],
                condition=Q(person__isnull=False) & ~Q(status=rules.WITHDRAWN),
                name="commend_person_once",
            ),
            models.UniqueConstraint(
                fields=["round", "branch"],
                condition=Q(award_type=rules.ORG) & ~Q(status=rules.WITHDRAWN),
                name="commend_org_once",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.branch.name
        return f"{who} {rules.AWARD_LABELS.get(self.award_type, '')}"

    @property
    def nominee(self) -> str:
        return self.person.name if self.person_id else self.branch.name


class PointsScheme(models.Model):
    """A district's 积分 settings (off by default; the nearest one above a branch applies)."""

    org = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="党组织")
    enabled = models.BooleanField("启用党员积分", default=False)
    base = models.PositiveSmallIntegerField("基础分", default=60)

    class Meta:
        verbose_name = "积分设置"

    def __str__(self) -> str:
        return f"{self.org} 积分设置"


class PointsRule(models.Model):
    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField("项目", max_length=50)
    source = models.CharField("来源", max_length=20, choices=rules.POINT_SOURCES, default=rules.MANUAL)
    points = models.SmallIntegerField("分值（加分为正，减分为负）")
    cap = models.PositiveSmallIntegerField("全年上限（分）", null=True, blank=True)
    active = models.BooleanField("使用中", default=True)

    class Meta:
        ordering = ["scheme_id", "id"]
        verbose_name = "积分项目"
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="commend_rule_name_once")]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """A manual 积分 item for one person, with its evidence (a sentence; photos are never required)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    rule = models.ForeignKey(PointsRule, on_delete=models.PROTECT, related_name="+", verbose_name="项目")
    points = models.SmallIntegerField("分值")
    date = models.DateField("日期")
    evidence = models.CharField("依据", max_length=300)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "date", "id"]
        verbose_name = "积分登记"
        indexes = [models.Index(fields=["person", "year"])]

    def __str__(self) -> str:
        return f"{self.person} {self.rule} {self.points:+d}"
