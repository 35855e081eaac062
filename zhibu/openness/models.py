"""三务公开 (notices through 提出 → 审核 → 审批 → 发布, the district's 公开目录), the branch's public
link, the mailbox (园长信箱/意见箱) and the 民主恳谈会.

Privacy of the mailbox: an anonymous message keeps no name, no contact, no address, no account and
no browser data — only what was written and a digest of its tracking code (the code itself is shown
once to the writer). tests/test_mailbox.py checks every column."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.openness import rules
from zhibu.orgs.models import Organisation, Person


class Channel(models.TextChoices):
    PARTY = rules.PARTY, "党务"
    SCHOOL = rules.SCHOOL, "园务/校务"
    FINANCE = rules.FINANCE, "财务"


class Scope(models.TextChoices):
    MEMBERS = rules.MEMBERS, rules.SCOPE_LABELS[rules.MEMBERS]
    STAFF = rules.STAFF, rules.SCOPE_LABELS[rules.STAFF]
    PUBLIC = rules.PUBLIC, rules.SCOPE_LABELS[rules.PUBLIC]


class Status(models.TextChoices):
    PROPOSED = rules.PROPOSED, rules.STATUS_LABELS[rules.PROPOSED]
    REVIEWED = rules.REVIEWED, rules.STATUS_LABELS[rules.REVIEWED]
    APPROVED = rules.APPROVED, rules.STATUS_LABELS[rules.APPROVED]
    PUBLISHED = rules.PUBLISHED, rules.STATUS_LABELS[rules.PUBLISHED]
    RETURNED = rules.RETURNED, rules.STATUS_LABELS[rules.RETURNED]


class Frequency(models.TextChoices):
    YEARLY = rules.YEARLY, rules.FREQUENCY_LABELS[rules.YEARLY]
    SEMESTER = rules.SEMESTER, rules.FREQUENCY_LABELS[rules.SEMESTER]
    QUARTERLY = rules.QUARTERLY, rules.FREQUENCY_LABELS[rules.QUARTERLY]
    MONTHLY = rules.MONTHLY, rules.FREQUENCY_LABELS[rules.MONTHLY]


class Category(models.Model):
    """What a notice is about (rules2.md §7 as data, seeded by apps.seed_categories)."""

    code = models.SlugField("代码", max_length=30, unique=True)
    channel = models.CharField("公开类别", max_length=10, choices=Channel.choices)
    name = models.CharField("公开内容", max_length=60)
    basis = models.CharField("依据", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("可用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "公开内容类别"

    def __str__(self) -> str:
        return self.name


class CatalogEntry(models.Model):
    """One line of a district's 公开目录: what every branch below must publish and how often."""

    district = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="openness_catalog", verbose_name="党组织"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name="公开内容类别")
    title = models.CharField("公开事项", max_length=60)
    frequency = models.CharField("公开频次", max_length=12, choices=Frequency.choices, default=Frequency.YEARLY)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["district_id", "category__order", "id"]
        verbose_name = "公开目录事项"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "title"], condition=Q(active=True), name="openness_catalog_unique_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="openness_notices", verbose_name="党支部"
    )
    channel = models.CharField("公开类别", max_length=10, choices=Channel.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name="公开内容")
    catalog_entry = models.ForeignKey(
        CatalogEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="notices", verbose_name="目录事项"
    )
    scope = models.CharField("公开范围", max_length=10, choices=Scope.choices, default=Scope.MEMBERS)
    title = models.CharField("标题", max_length=80)
    body = models.TextField("公开内容", max_length=5000)
    means = models.CharField("公开方式", max_length=60, blank=True, default="公开栏、支部工作平台")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    secrecy_checked = models.BooleanField("已保密审查", default=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="提出人"
    )
    proposed_on = models.DateField("提出日期", default=clock.today)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="审批人",
    )
    approved_on = models.DateField("审批日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    starts_on = models.DateField("发布日期", null=True, blank=True)
    ends_on = models.DateField("公开截止日期", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=200, blank=True)
    # Generated drafts say what generated them (e.g. "dues:2026"): one yearly 党费 publication a year.
    generated = models.CharField("生成来源", max_length=30, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["branch_id", "-starts_on", "-id"]
        verbose_name = "公开事项"
        indexes = [models.Index(fields=["branch", "status", "ends_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "generated"], condition=~Q(generated=""), name="openness_one_generated_draft"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")),
                name="openness_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in rules.EDITABLE

    def channel_label(self) -> str:
        return rules.channel_label(self.channel, self.branch.unit)


def new_token() -> str:
    return secrets.token_urlsafe(18)  # 24 URL-safe characters


class BranchLink(models.Model):
    """The branch's public link (board, mailbox, reply look-up) and its mailbox settings."""

    branch = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="openness_link", verbose_name="党支部"
    )
    token = models.CharField("公开链接令牌", max_length=40, unique=True, default=new_token)
    box_name = models.CharField("信箱名称", max_length=20, blank=True)
    mailbox_open = models.BooleanField("信箱开放", default=True)
    reply_days = models.PositiveSmallIntegerField("答复期限（天）", default=rules.DEFAULT_REPLY_DAYS)

    class Meta:
        verbose_name = "公开链接"

    def __str__(self) -> str:
        return self.branch.name

    def name(self) -> str:
        return self.box_name or rules.box_name(self.branch.unit)


class MessageStatus(models.TextChoices):
    NEW = rules.NEW, rules.MESSAGE_STATUS_LABELS[rules.NEW]
    ASSIGNED = rules.ASSIGNED, rules.MESSAGE_STATUS_LABELS[rules.ASSIGNED]
    REPLIED = rules.REPLIED, rules.MESSAGE_STATUS_LABELS[rules.REPLIED]


class Message(models.Model):
    """A mailbox message. Anonymous: `name` and `contact` empty, nothing else about the writer."""

    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="openness_messages", verbose_name="党支部"
    )
    subject = models.CharField("主题", max_length=rules.SUBJECT_MAX)
    body = models.TextField("内容", max_length=rules.BODY_MAX)
    anonymous = models.BooleanField("匿名", default=True)
    name = models.CharField("署名", max_length=rules.NAME_MAX, blank=True)
    contact = models.CharField("联系方式", max_length=rules.CONTACT_MAX, blank=True)
    code_digest = models.CharField(max_length=64, unique=True, editable=False)
    received_on = models.DateField("收到日期", default=clock.today)
    due_on = models.DateField("答复期限")
    status = models.CharField(
        "状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.NEW, db_index=True
    )
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="承办人"
    )
    reply = models.TextField("答复", max_length=rules.REPLY_MAX, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="答复人",
    )
    published = models.BooleanField("公开问答", default=False)
    rectify_item_id = models.PositiveBigIntegerField("整改事项", null=True, blank=True)

    class Meta:
        ordering = ["branch_id", "-received_on", "-id"]
        verbose_name = "信箱来信"
        indexes = [models.Index(fields=["branch", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(name="", contact=""), name="openness_anonymous_keeps_no_identity"
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def overdue(self, today) -> bool:
        return rules.message_overdue(self.status, self.due_on, today)


class Forum(models.Model):
    """民主恳谈会: staff, parents and community representatives with the branch, and what came of it."""

    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="openness_forums", verbose_name="党支部"
    )
    held_on = models.DateField("召开日期")
    place = models.CharField("地点", max_length=60, blank=True)
    topic = models.CharField("主题", max_length=80)
    host = models.CharField("主持人", max_length=20, blank=True)
    summary = models.TextField("会议情况", max_length=3000, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["branch_id", "-held_on", "-id"]
        verbose_name = "民主恳谈会"

    def __str__(self) -> str:
        return self.topic


class ForumParticipant(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField("姓名", max_length=20)
    identity = models.CharField("身份", max_length=30, help_text="如：家长代表、教职工、社区居民、党员")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["forum_id", "id"]
        verbose_name = "恳谈会参加人员"
        constraints = [models.UniqueConstraint(fields=["forum", "name", "identity"], name="openness_participant_once")]

    def __str__(self) -> str:
        return self.name


class ForumItem(models.Model):
    """An opinion or request raised at the 恳谈会, the branch's answer, and the 整改 item it became."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="items")
    text = models.CharField("意见建议", max_length=500)
    answer = models.CharField("答复或措施", max_length=500, blank=True)
    rectify_item_id = models.PositiveBigIntegerField("整改事项", null=True, blank=True)

    class Meta:
        ordering = ["forum_id", "id"]
        verbose_name = "恳谈会意见"

    def __str__(self) -> str:
        return self.text[:40]
