"""发展党员 records: a candidate's file and what happened at each of the 25 steps.

The rules themselves live in `zhibu.development.rules` (pure). `zhibu.development.timeline` turns these
rows into the dict `rules.check_timeline` takes, so the web app and `zhibu develop check` judge a file
by the same functions. Writes go through `zhibu.development.services` (audited).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhibu.development import rules

# Steps recorded as StepRecord rows: every input key except the half-yearly assessments (Assessment),
# and the cancellation of a 预备党员's status (an outcome at the end of 预备期, rules2.md §9).
RECORDED_STEPS = tuple(k for k in rules.SEQUENCE if k != "assessments") + (rules.CANCELLATION,)
STEP_CHOICES = [(k, rules.step_name(k)) for k in RECORDED_STEPS]
STAGE_CHOICES = [(n, name) for n, name in rules.STAGES.items()]


class Candidate(models.Model):
    """One person's 发展党员 file, from 入党申请书 to 材料归档."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="dev_candidates",
                               verbose_name="党支部")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="dev_files", verbose_name="申请人")
    stage = models.PositiveSmallIntegerField("阶段", choices=STAGE_CHOICES, default=1)
    last_step = models.CharField("最近步骤", max_length=30, choices=STEP_CHOICES, blank=True)
    # Denormalised by services after every write (for the home panel and reminders); the board and the
    # file page recompute them live from the rules.
    next_step = models.CharField("下一步", max_length=30, blank=True)
    next_due = models.DateField("下一步期限", null=True, blank=True)
    next_provisional = models.BooleanField("期限暂定", default=False)
    open_violations = models.PositiveSmallIntegerField("未处理的违规", default=0)
    archived = models.BooleanField("已归档", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["branch_id", "-stage", "id"]
        verbose_name = "发展党员档案"
        constraints = [
            models.UniqueConstraint(fields=["person"], name="development_candidate_one_file_per_person"),
            models.CheckConstraint(condition=Q(stage__gte=1) & Q(stage__lte=5), name="development_candidate_stage_1_5"),
        ]
        indexes = [models.Index(fields=["branch", "archived", "stage"])]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_stage_display()}）" if self.person_id else "发展党员档案"


class StepRecord(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("步骤", max_length=30, choices=STEP_CHOICES)
    date = models.DateField("日期")  # publicity/training: start
    end_date = models.DateField("结束日期", null=True, blank=True)  # publicity/training end
    actor = models.CharField("经办人/组织", max_length=100, blank=True)
    notes = models.TextField("备注", blank=True)
    # 支部大会 (admission_meeting, full_meeting): the tally.
    should_attend = models.PositiveSmallIntegerField("应到会有表决权党员", null=True, blank=True)
    present = models.PositiveSmallIntegerField("实到会有表决权党员", null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("赞成", null=True, blank=True)
    against = models.PositiveSmallIntegerField("反对", null=True, blank=True)
    abstain = models.PositiveSmallIntegerField("弃权", null=True, blank=True)
    secret_ballot = models.BooleanField("无记名投票", null=True, blank=True)
    # 延长预备期 (extension): by how many months; extension and cancellation: the 上级党委's approval.
    months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    approved_on = models.DateField("上级党委批准日期", null=True, blank=True)
    # 集中培训 (training).
    training_days = models.DecimalField("培训天数", max_digits=5, decimal_places=1, null=True, blank=True)
    training_hours = models.DecimalField("培训学时", max_digits=5, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["candidate_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "step"], name="development_step_once"),
            models.CheckConstraint(condition=Q(step__in=RECORDED_STEPS), name="development_step_known"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                                   name="development_step_end_after_start"),
            models.CheckConstraint(condition=Q(approved_on__isnull=True) | Q(approved_on__gte=F("date")),
                                   name="development_step_approved_after_meeting"),
            models.CheckConstraint(
                condition=Q(present__isnull=True) | Q(should_attend__isnull=True) | Q(present__lte=F("should_attend")),
                name="development_step_present_le_should"),
            models.CheckConstraint(
                condition=Q(present__isnull=True) | Q(votes_for__isnull=True) | Q(against__isnull=True)
                | Q(abstain__isnull=True) | Q(present__gte=F("votes_for") + F("against") + F("abstain")),
                name="development_step_votes_le_present"),
        ]

    def __str__(self) -> str:
        return f"{rules.step_name(self.step)} {self.date}"


class LinkRole(models.TextChoices):
    CONTACT = "contact", "培养联系人"
    SPONSOR = "sponsor", "入党介绍人"


LINK_LIMITS = {LinkRole.CONTACT: 2, LinkRole.SPONSOR: 2}  # 细则 第9条 (1–2), 第14条 (2)


class Link(models.Model):
    """培养联系人 (1–2) and 入党介绍人 (2): 正式党员 of the branch."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="dev_links")
    role = models.CharField("角色", max_length=10, choices=LinkRole.choices)
    since = models.DateField("确定日期")

    class Meta:
        ordering = ["candidate_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "role", "person"], name="development_link_once")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person}"


class ThoughtReport(models.Model):
    """思想汇报 received."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="thought_reports")
    received_on = models.DateField("收到日期")
    notes = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["candidate_id", "received_on"]
        constraints = [models.UniqueConstraint(fields=["candidate", "received_on"], name="development_thought_once_a_day")]


class Assessment(models.Model):
    """培养教育考察: the branch's half-yearly assessment (细则 第11条)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField("考察日期")
    assessor = models.CharField("考察人", max_length=100, blank=True)
    summary = models.TextField("考察意见", blank=True)

    class Meta:
        ordering = ["candidate_id", "date"]
        constraints = [models.UniqueConstraint(fields=["candidate", "date"], name="development_assessment_once_a_day")]


class Override(models.Model):
    """The secretary's decision to proceed despite a rule violation, with a reason (audited)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField("规则", max_length=40, choices=[(r, r) for r in rules.RULE_IDS])
    step = models.CharField("步骤", max_length=30)
    reason = models.TextField("理由")
    message = models.TextField("违规内容", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["candidate_id", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "rule", "step"], name="development_override_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="development_override_reason_required"),
        ]


class DocKind(models.TextChoices):
    TALK = "talk", "谈话记录"
    ASSESSMENT = "assessment", "培养考察记录"
    PUBLICITY = "publicity", "发展对象公示"
    BALLOT = "ballot", "表决票"
    TALLY = "tally", "计票单"
    RESOLUTION = "resolution", "支部大会决议摘要"
    FULL_PUBLICITY = "full_publicity", "预备党员转正公示"
    OTHER = "other", "其他材料"


GENERATED_KINDS = tuple(k for k in DocKind.values if k != DocKind.OTHER)


class Document(models.Model):
    """A file in the candidate's file: uploaded, or generated from a template."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("类别", max_length=20, choices=DocKind.choices)
    step = models.CharField("步骤", max_length=30, blank=True)
    name = models.CharField("文件名", max_length=150)
    content = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小")
    generated = models.BooleanField("系统生成", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["candidate_id", "-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="development_document_named")]

    def __str__(self) -> str:
        return self.name


class DocTemplate(models.Model):
    """A branch's or district's own .docx template for one kind; the branch's wins over the
    district's, which wins over the shipped default."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="dev_templates")
    kind = models.CharField("类别", max_length=20, choices=[(k, DocKind(k).label) for k in GENERATED_KINDS])
    name = models.CharField("文件名", max_length=150)
    content = models.BinaryField("内容")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="development_template_once")]


class AnnualQuota(models.Model):
    """本年度计划发展党员 N 名."""

    branch = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="dev_quotas")
    year = models.PositiveSmallIntegerField("年度")
    planned = models.PositiveSmallIntegerField("计划发展人数")

    class Meta:
        ordering = ["branch_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="development_quota_once_a_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="development_quota_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年计划发展{self.planned}名"
