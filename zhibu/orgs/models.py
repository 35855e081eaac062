"""Organisations, people, roles, committee positions and transfers."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhibu.core.crypto import EncryptedCharField, mask


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委/党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


class Organisation(models.Model):
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    unit = models.CharField("服务单位", max_length=100, blank=True)  # the kindergarten/school it serves
    # Materialised path "/1/5/23/" for subtree queries (a district admin sees everything below).
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Local practice per branch, e.g. {"dues_quarterly": true}; rules stay in rules.py.
    settings = models.JSONField("本地设置", default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind == OrgKind.BRANCH

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Standing(models.TextChoices):
    MASSES = "masses", "群众"
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"


MEMBER_STANDINGS = (Standing.PROBATIONARY, Standing.FULL)


class Employment(models.TextChoices):
    IN_SERVICE = "in_service", "在职"
    RETIRED = "retired", "退休"


class Occupation(models.TextChoices):
    """职业 as the 党内统计 and the 全国党员管理信息系统 classify it (教育系统 in the first rows)."""

    PROFESSIONAL = "professional", "专业技术人员"
    MANAGER = "manager", "企事业单位管理人员"
    WORKER = "worker", "工勤技能人员"
    OFFICIAL = "official", "党政机关工作人员"
    FARMER = "farmer", "农牧渔民"
    STUDENT = "student", "学生"
    RETIRED = "retired", "离退休人员"
    OTHER = "other", "其他职业人员"


class Degree(models.TextChoices):
    NONE = "none", "无学位"
    BACHELOR = "bachelor", "学士"
    MASTER = "master", "硕士"
    DOCTOR = "doctor", "博士"


def mask_address(value: str) -> str:
    """An address as pages and the audit log show it: the district part, the rest starred."""
    return value[:6] + "*" * 4 if len(value) > 6 else "*" * len(value)


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    ethnicity = models.CharField("民族", max_length=20, default="汉族", blank=True)
    education = models.CharField("学历", max_length=20, blank=True)
    id_number = EncryptedCharField("身份证号", blank=True, default="")
    id_number_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    phone = EncryptedCharField("手机", blank=True, default="")
    post = models.CharField("岗位", max_length=30, blank=True)  # 园长, 教师, 保育员 …
    employment = models.CharField("在职状态", max_length=20, choices=Employment.choices, default=Employment.IN_SERVICE)
    standing = models.CharField("政治面貌", max_length=20, choices=Standing.choices, default=Standing.MASSES)
    admitted_on = models.DateField("入党日期(预备)", null=True, blank=True)
    full_on = models.DateField("转正日期", null=True, blank=True)
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people", verbose_name="所在支部")
    group = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_people", verbose_name="党小组"
    )
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person")
    # A member who transferred out no longer appears in current rosters; their records remain.
    active = models.BooleanField("在册", default=True)
    left_on = models.DateField("转出日期", null=True, blank=True)
    # What the 全国党员管理信息系统 collects besides the above (all optional; stats.rules.NATIONAL_FIELDS).
    native_place = models.CharField("籍贯", max_length=50, blank=True)
    degree = models.CharField("学位", max_length=20, choices=Degree.choices, blank=True)
    work_started_on = models.DateField("参加工作时间", null=True, blank=True)
    occupation = models.CharField("职业类别", max_length=20, choices=Occupation.choices, blank=True)
    joined_branch = models.CharField("入党时所在支部", max_length=100, blank=True)
    sponsors = models.CharField("入党介绍人", max_length=50, blank=True)
    home_address = EncryptedCharField("家庭住址", blank=True, default="")

    class Meta:
        ordering = ["branch_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_number_digest"], name="person_id_number_unique"),
            models.CheckConstraint(
                condition=Q(full_on__isnull=True) | Q(admitted_on__isnull=True) | Q(full_on__gt=models.F("admitted_on")),
                name="person_full_after_admitted",
            ),
        ]
        indexes = [models.Index(fields=["branch", "active", "standing"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.standing in MEMBER_STANDINGS

    @property
    def has_vote(self) -> bool:
        """预备党员 have no vote (党章 第七条)."""
        return self.standing == Standing.FULL

    @property
    def id_number_masked(self) -> str:
        return mask(self.id_number, 6, 4)

    @property
    def phone_masked(self) -> str:
        return mask(self.phone, 3, 4)

    @property
    def home_address_masked(self) -> str:
        return mask_address(self.home_address)


class RoleKind(models.TextChoices):
    SECRETARY = "secretary", "书记"
    COMMITTEE = "committee", "支委"
    MEMBER = "member", "党员/职工"
    DISTRICT_ADMIN = "district_admin", "上级管理员"
    AUDITOR = "auditor", "审阅(只读)"


MANAGER_ROLES = (RoleKind.SECRETARY, RoleKind.COMMITTEE)
SUBTREE_ROLES = (RoleKind.DISTRICT_ADMIN, RoleKind.AUDITOR)


class Role(models.Model):
    """A user's role in one organisation. A person may hold roles in several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zhibu_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=RoleKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.organisation}"


class Position(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISATION = "organisation", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"


class CommitteePosition(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    position = models.CharField("职务", max_length=20, choices=Position.choices)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        ordering = ["branch_id", "position", "-term_start"]
        constraints = [
            models.CheckConstraint(condition=Q(term_start__lt=models.F("term_end")), name="position_term_start_before_end"),
            # One holder per post at a time, and never the same appointment twice (a double submit).
            models.UniqueConstraint(fields=["branch", "position"], condition=Q(ended_on__isnull=True),
                                    name="position_one_current_holder"),
            models.UniqueConstraint(fields=["branch", "position", "person", "term_start"], name="position_no_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.get_position_display()} {self.person}"

    def is_current(self, on: dt.date) -> bool:
        return self.ended_on is None and self.term_start <= on


class TransferDirection(models.TextChoices):
    IN = "in", "转入"
    OUT = "out", "转出"


class Transfer(models.Model):
    """组织关系接转: the history is kept; a member who left stays in the records."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="transfers")
    direction = models.CharField("方向", max_length=5, choices=TransferDirection.choices)
    date = models.DateField("日期")
    other_org = models.CharField("对方党组织", max_length=100)
    letter_number = models.CharField("介绍信编号", max_length=50, blank=True)
    dues_paid_to = models.DateField("党费交至(月)", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_direction_display()} {self.date}"


class ForcedPasswordChange(models.Model):
    """A password set by someone else (the 书记's reset): the user must choose their own at next login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forced_password_change")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} 须修改密码"
