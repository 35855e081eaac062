"""学习教育: collective study sessions (with everyone on the staff, not only members), external training,
exemptions, the branch's study obligations and personal quotas (from its plan's targets), and each
person's own study: 学习计划, reading, 心得, 学习强国 monthly points.

Categories are data (seeded from rules.CATEGORIES, a district may rename or add). Files are served
only through access-checked views."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person
from zhibu.study import rules


class Category(models.Model):
    code = models.SlugField("代码", max_length=30, unique=True)
    name = models.CharField("类别", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("可用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "学习类别"

    def __str__(self) -> str:
        return self.name


class StudyForm(models.TextChoices):
    CENTRAL = "central", "集中学习"
    LECTURE = "lecture", "党课"
    TALK = "talk", "专题讲座"
    CENTRE_GROUP = "centre_group", "中心组学习"
    READING_CLASS = "reading_class", "读书班"
    ONLINE = "online", "线上学习"
    VISIT = "visit", "参观/现场教学"


class Audience(models.TextChoices):
    MEMBERS = "members", "全体党员"
    COMMITTEE = "committee", "支委"
    GROUP = "group", "党小组"
    STAFF = "staff", "全体教职工"
    CHOSEN = "chosen", "指定人员"


class Length(models.TextChoices):
    FULL_DAY = rules.FULL_DAY, "全天"
    HALF_DAY = rules.HALF_DAY, "半天"
    HOURS = rules.HOURS, "按小时"


class Session(models.Model):
    branch = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="study_sessions", verbose_name="党支部"
    )
    date = models.DateField("日期")
    length = models.CharField("时长", max_length=10, choices=Length.choices, default=Length.HOURS)
    hours = models.DecimalField("小时数", max_digits=4, decimal_places=1)
    credited = models.DecimalField("计入学时", max_digits=4, decimal_places=1)
    form = models.CharField("形式", max_length=20, choices=StudyForm.choices, default=StudyForm.CENTRAL)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name="类别")
    topic = models.CharField("主题", max_length=200)
    speaker = models.CharField("主讲人", max_length=50, blank=True)
    audience = models.CharField("参学对象", max_length=20, choices=Audience.choices, default=Audience.MEMBERS)
    group = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="党小组"
    )
    summary = models.TextField("内容摘要", blank=True)
    links = models.TextField("学习材料链接", blank=True)
    attendees = models.ManyToManyField(Person, through="Attendee", related_name="study_sessions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "集中学习"
        indexes = [models.Index(fields=["branch", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=rules.MAX_SESSION_HOURS), name="study_session_hours"
            ),
            models.CheckConstraint(condition=Q(credited__gt=0) & Q(credited__lte=24), name="study_session_credited"),
            models.UniqueConstraint(fields=["branch", "date", "topic"], name="study_session_unique_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"


class Attendee(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="study_attendance")

    class Meta:
        verbose_name = "参学人员"
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="study_attendee_once")]


FILE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def file_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"study/{instance.branch_id}/{secrets.token_hex(8)}.{ext}"


class StudyFile(models.Model):
    """A material or photo of a session, a training certificate or an uploaded 心得."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=file_path, max_length=200)
    name = models.CharField("文件名", max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["id"]
        verbose_name = "学习材料"

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TrainingStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "不予认定"


class Training(models.Model):
    """External training (党校, 线上 courses): counts once the branch approves it."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="study_trainings", verbose_name="人员")
    date = models.DateField("结业日期")
    title = models.CharField("培训名称", max_length=200)
    provider = models.CharField("培训机构", max_length=100)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    certificate = models.ForeignKey(
        StudyFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="证书"
    )
    status = models.CharField("状态", max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "外出培训"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=rules.MAX_TRAINING_HOURS), name="study_training_hours"
            ),
            models.UniqueConstraint(fields=["person", "date", "title"], name="study_training_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Exemption(models.Model):
    """A frail member (rules2.md §11): no hours requirement for the year."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="study_exemptions", verbose_name="人员")
    year = models.PositiveSmallIntegerField("年度")
    reason = models.CharField("原因", max_length=20)

    class Meta:
        verbose_name = "学时免于考核"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="study_exemption_once")]


class Obligation(models.Model):
    """A collective study frequency (每两周一次全体教职工政治学习): checked in the obligations grid."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    label = models.CharField("学习制度", max_length=60)
    frequency = models.CharField("检查频次", max_length=20)
    text = models.CharField("计划原文", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "学习制度"
        constraints = [models.UniqueConstraint(fields=["branch", "year", "label"], name="study_obligation_once")]

    def __str__(self) -> str:
        return self.label


class Quota(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("要求", max_length=20, choices=[(k, v[0]) for k, v in rules.QUOTA_KINDS.items()])
    value = models.PositiveIntegerField("数量")
    text = models.CharField("计划原文", max_length=300, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "个人学习要求"
        constraints = [
            models.UniqueConstraint(fields=["branch", "year", "kind"], name="study_quota_once"),
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=1_000_000), name="study_quota_value"),
        ]

    @property
    def unit(self) -> str:
        return rules.QUOTA_KINDS[self.kind][1]


class PersonalPlan(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    text = models.TextField("学习计划", max_length=5000)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = "个人学习计划"
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="study_plan_once")]


class Reading(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    date = models.DateField("日期")
    title = models.CharField("书名/篇目", max_length=200)
    note = models.CharField("摘记", max_length=500, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "读书记录"
        constraints = [models.UniqueConstraint(fields=["person", "date", "title"], name="study_reading_once")]


class Reflection(models.Model):
    """A 心得/学习体会: text typed on the page (characters counted) or an uploaded file."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name="作者")
    date = models.DateField("日期")
    title = models.CharField("题目", max_length=200)
    text = models.TextField("正文", blank=True, max_length=20000)
    chars = models.PositiveIntegerField("字数", default=0)
    file = models.ForeignKey(StudyFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField("分享到学习简报", null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "学习心得"
        constraints = [models.UniqueConstraint(fields=["person", "date", "title"], name="study_reflection_once")]

    def __str__(self) -> str:
        return self.title


class XuexiMonth(models.Model):
    """学习强国 points of one person in one month (a resource, not a source of hours: rules2.md §4)."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份")  # the first of the month
    points = models.PositiveIntegerField("积分")

    class Meta:
        ordering = ["month"]
        verbose_name = "学习强国积分"
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="study_xuexi_once")]
