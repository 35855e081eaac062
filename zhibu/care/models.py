"""关怀 and community: care flags on people, visit campaigns and visits, 结对 pairs and contacts,
志愿服务 activities and hours, 示范岗/先锋岗 posts, 共建 partners and joint activities. Pair kinds are
data (seeded, a district may add its own)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.care import rules
from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person


class CareFlag(models.Model):
    """One care flag on a person (a person may hold several); ended flags stay as history."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_flags", verbose_name="党支部")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_flags", verbose_name="人员")
    kind = models.CharField("关怀类别", max_length=20, choices=rules.FLAGS)
    since = models.DateField("起始日期", default=clock.today)
    until = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("情况说明", max_length=200, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["branch_id", "person__name", "kind", "id"]
        verbose_name = "关怀标记"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(until__isnull=True), name="care_flag_one_open"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="care_flag_until_after_since"
            ),
        ]
        indexes = [models.Index(fields=["branch", "kind", "until"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class Campaign(models.Model):
    """A visit campaign (元旦春节, 七一): the list of who must be visited is fixed when it starts (and
    may be refreshed from the flags); it closes when everyone on it has been visited."""

    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="care_campaigns", verbose_name="党支部"
    )
    kind = models.CharField("走访类别", max_length=10, choices=rules.CAMPAIGN_KINDS)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=60)
    due = models.DateField("完成期限", null=True, blank=True)
    flags = models.JSONField("走访对象类别", default=list)
    closed_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = "走访慰问"
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "kind", "year"], condition=~Q(kind="other"), name="care_campaign_once_a_year"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="care_campaign_year_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CampaignPerson(models.Model):
    """Someone the campaign must visit, with the flags that put them on the list."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="走访对象")
    reason = models.CharField("走访原因", max_length=60)

    class Meta:
        ordering = ["campaign_id", "person__name", "id"]
        verbose_name = "走访对象"
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="care_target_once")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.person}"


class Visit(models.Model):
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="visits")
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="care_visits", verbose_name="党支部"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_visits", verbose_name="走访对象")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人", max_length=100)
    gifts = models.CharField("慰问品", max_length=200, blank=True)
    amount = models.DecimalField("慰问金（元）", max_digits=9, decimal_places=2, null=True, blank=True)
    fund = models.CharField("经费来源", max_length=10, choices=rules.FUND_SOURCES, blank=True)
    note = models.CharField("走访情况", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "走访记录"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="care_visit_once_per_campaign"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="care_visit_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.visited_on}"


class PairKind(models.Model):
    """What a member is paired with (教职工, 入党积极分子, 幼儿家庭 …): data, seeded and extendable."""

    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("结对类别", max_length=30, unique=True)
    in_roster = models.BooleanField("对象在人员名册中", default=True)  # a family is named, not a Person
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("可用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "结对类别"

    def __str__(self) -> str:
        return self.name


class Pair(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_pairs", verbose_name="党支部")
    member = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_pairs", verbose_name="党员")
    kind = models.ForeignKey(PairKind, on_delete=models.PROTECT, verbose_name="结对类别")
    partner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="care_paired_by", verbose_name="结对对象"
    )
    partner_name = models.CharField("结对对象（名册外）", max_length=50, blank=True)
    started_on = models.DateField("结对日期", default=clock.today)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("结对内容", max_length=200, blank=True)

    class Meta:
        ordering = ["branch_id", "member__name", "id"]
        verbose_name = "结对"
        constraints = [
            models.UniqueConstraint(
                fields=["member", "partner"],
                condition=Q(ended_on__isnull=True, partner__isnull=False),
                name="care_pair_once",
            ),
            models.UniqueConstraint(
                fields=["member", "kind", "partner_name"],
                condition=Q(ended_on__isnull=True, partner__isnull=True),
                name="care_pair_named_once",
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(partner_name=""), name="care_pair_has_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}—{self.partner_label}"

    @property
    def partner_label(self) -> str:
        return self.partner.name if self.partner_id and self.partner else self.partner_name


class PairContact(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField("联系日期")
    way = models.CharField("方式", max_length=20, blank=True)
    content = models.CharField("内容", max_length=300)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["pair_id", "-date", "-id"]
        verbose_name = "结对联系"

    def __str__(self) -> str:
        return f"{self.pair} {self.date}"


class VolunteerActivity(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="care_activities", verbose_name="党支部"
    )
    title = models.CharField("活动名称", max_length=80)
    date = models.DateField("日期")
    place = models.CharField("地点", max_length=80, blank=True)
    content = models.CharField("服务内容", max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "志愿服务活动"
        constraints = [models.UniqueConstraint(fields=["branch", "date", "title"], name="care_activity_once")]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    activity = models.ForeignKey(VolunteerActivity, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="volunteer_hours", verbose_name="参加人员"
    )
    hours = models.DecimalField("服务时长（小时）", max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["activity_id", "person__name", "id"]
        verbose_name = "志愿服务时长"
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="care_participation_once"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="care_hours_range"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.hours}"


class ModelPost(models.Model):
    """示范岗/先锋岗: a named post held by a member for a year, with the 承诺 and the year-end review."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="care_posts", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("类别", max_length=10, choices=rules.POST_KINDS, default="model")
    name = models.CharField("岗位名称", max_length=60)
    holder = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_posts", verbose_name="党员")
    commitment = models.TextField("承诺", max_length=1000)
    review = models.TextField("年终评议", max_length=1000, blank=True)
    result = models.CharField("评议结果", max_length=10, choices=rules.REVIEW_RESULTS, blank=True)
    reviewed_on = models.DateField("评议日期", null=True, blank=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = "党员示范岗"
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "name"], name="care_post_once"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="care_post_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class Partner(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="care_partners", verbose_name="党支部"
    )
    name = models.CharField("共建单位", max_length=80)
    kind = models.CharField("类别", max_length=12, choices=rules.PARTNER_KINDS, default="community")
    contact = models.CharField("联系人", max_length=40, blank=True)
    since = models.DateField("共建起始", default=clock.today)
    note = models.CharField("共建内容", max_length=300, blank=True)

    class Meta:
        ordering = ["branch_id", "name", "id"]
        verbose_name = "共建单位"
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="care_partner_once")]

    def __str__(self) -> str:
        return self.name


class JointActivity(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="activities")
    date = models.DateField("日期")
    title = models.CharField("活动名称", max_length=80)
    content = models.CharField("活动内容", max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "共建活动"
        constraints = [models.UniqueConstraint(fields=["partner", "date", "title"], name="care_joint_once")]

    def __str__(self) -> str:
        return self.title
