"""民主评议党员 (rules2.md §1): a branch's year's review with its checklist, the members excluded from
应到会, the members' 自评, the anonymous 民主测评 (codes, ballots), the grades within the cap and the
follow-up of 基本合格/不合格. Rules in rules.py.

The poll is unlinkable by construction:
- `BallotCode` keeps only a hash of each printed code and whether it was voided at closing;
- `CodeUse` marks a code used — its primary key *is* the code, so the database refuses a second
  ballot for one code; it holds nothing else (no time, no ballot);
- `Ballot` rows are created empty when the codes are issued (one per code, random UUID keys, in one
  insert), and a submission fills a randomly chosen empty one: a ballot holds no code, no user, no
  address, only the day — neither its key nor its physical position reveals the order of voting.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person
from zhibu.review import rules

GRADE_CHOICES = [(g, g) for g in rules.GRADES]


class Review(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reviews", verbose_name="党支部")
    year = models.PositiveSmallIntegerField("年度")
    held_on = models.DateField("评议日期")
    with_orglife = models.BooleanField("与组织生活会合并召开", default=False)
    orglife_cycle = models.ForeignKey(
        "orglifemeeting.Cycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="组织生活会",
    )
    per_group = models.BooleanField("按党小组开展自评和互评", default=False)
    cap_ratio = models.CharField("优秀比例上限", max_length=20, blank=True, default=rules.DEFAULT_RATIO)
    rounding = models.CharField(
        "取整方式", max_length=10, choices=list(rules.ROUNDING_LABELS.items()), default=rules.DEFAULT_ROUNDING
    )
    deadline = models.DateField("完成期限", null=True, blank=True)
    opinion_meeting = models.ForeignKey(
        "orglife.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="评定意见会议",
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="review_once_a_year"),
            models.CheckConstraint(condition=Q(rounding__in=rules.ROUNDINGS), name="review_rounding_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度民主评议党员"

    @property
    def finalised(self) -> bool:
        return self.finalised_at is not None

    @property
    def ratio(self):
        return rules.parse_ratio(self.cap_ratio or None)


class Step(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("步骤", max_length=20, choices=rules.STEPS)
    due = models.DateField("计划日期", null=True, blank=True)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="review_step_once")]

    def __str__(self) -> str:
        return self.get_code_display()


class Exclusion(models.Model):
    """A member not counted in 应到会 (rules2.md §1: with higher approval and a 支部大会 decision)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    reason = models.CharField("原因", max_length=20, choices=rules.EXCLUSION_REASONS)
    note = models.CharField("说明（批准情况）", max_length=200, blank=True, default="")

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="review_exclusion_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_reason_display()}"


SELF_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def self_path(instance: SelfAssessment, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"review/{instance.review.branch_id}/{instance.review_id}/{secrets.token_hex(8)}.{ext}"


class SelfAssessment(models.Model):
    """个人自评/党性分析: written on a phone or uploaded (served only through an access-checked view)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="self_assessments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    text = models.TextField("自评内容", blank=True, default="")
    file = models.FileField(upload_to=self_path, max_length=200, blank=True)
    file_name = models.CharField("文件名", max_length=150, blank=True, default="")
    content_type = models.CharField(max_length=100, blank=True, default="")
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["review_id", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "person"], name="review_self_once")]

    def __str__(self) -> str:
        return f"{self.person} 个人自评"


class Grade(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="grades")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    grade = models.CharField("等次", max_length=10, choices=GRADE_CHOICES)

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="review_grade_once"),
            models.CheckConstraint(condition=Q(grade__in=rules.GRADES), name="review_grade_one_of_four"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.grade}"


MEMBER, MASSES = "member", "masses"
VOTER_KINDS = [(MEMBER, "党员"), (MASSES, "群众代表")]


def poll_key() -> str:
    return secrets.token_urlsafe(12)


class Poll(models.Model):
    """民主测评: the anonymous poll of one review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="poll")
    key = models.CharField(max_length=32, unique=True, default=poll_key, editable=False)  # the public link
    masses_enabled = models.BooleanField("群众代表参加测评", default=False)
    opened_on = models.DateField("开始日期", default=clock.today)
    closed_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.review}民主测评"

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


class BallotCode(models.Model):
    """One printed one-time code, kept only as a hash."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=VOTER_KINDS, default=MEMBER)
    void = models.BooleanField(default=False)  # unused when the poll closed

    class Meta:
        ordering = ["poll_id", "id"]

    def __str__(self) -> str:
        return "测评票码"


class CodeUse(models.Model):
    """The mark that a code was used: its primary key is the code, so one ballot per code is a
    database constraint. Holds nothing else."""

    code = models.OneToOneField(BallotCode, primary_key=True, on_delete=models.CASCADE, related_name="use")

    def __str__(self) -> str:
        return "已使用"


class Ballot(models.Model):
    """A ballot slot of a poll: created empty at issue time, filled once by an anonymous voter.
    `grades` maps a person id (as text) to one of the four grades; a member left out is blank."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=10, choices=VOTER_KINDS, default=MEMBER)
    filled = models.BooleanField(default=False)
    day = models.DateField(null=True, blank=True)  # the day only, never the time
    grades = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]  # random
        indexes = [models.Index(fields=["poll", "kind", "filled"])]

    def __str__(self) -> str:
        return "测评票"


class FollowUp(models.Model):
    """基本合格/不合格: the 负面情形 found, the follow-up chosen (教育管理条例 29–31) and its tracking.
    劝退/除名 go to a 党员大会 vote recorded in orglife (its Motion, decided by orglife's vote rules)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="followups")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    negatives = models.JSONField("负面情形", default=list, blank=True)
    action = models.CharField("处置方式", max_length=20, choices=rules.FOLLOWUPS)
    deadline = models.DateField("改正期限", null=True, blank=True)
    help_plan = models.TextField("帮扶措施", blank=True, default="")
    motion = models.ForeignKey(
        "orglife.Motion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="党员大会表决"
    )
    done_on = models.DateField("办结日期", null=True, blank=True)
    note = models.CharField("办理情况", max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "person"], name="review_followup_once"),
            models.CheckConstraint(condition=Q(action__in=[c for c, _ in rules.FOLLOWUPS]), name="review_followup_action"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_action_display()}"
