"""换届选举 (rules2.md §8): one record per branch election with its checklist dates, the candidates,
the voters not counted, the ballots (rounds: the regular count, a runoff among the tied, 另行选举 for
the seats left) and the new committee's posts; and approved reschedules of the term (延期/提前换届).

The committee's term itself lives in orgs (CommitteePosition.term_start/term_end); positions change
only through zhibu.orgs.services."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhibu.core import clock
from zhibu.elections import rules
from zhibu.orgs.models import Organisation, Person, Position


class Election(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="elections", verbose_name="党支部")
    term_end = models.DateField("本届任期届满")
    seats = models.PositiveSmallIntegerField("应选委员人数")
    planned_date = models.DateField("计划召开党员大会日期")
    nomination_method = models.CharField(
        "候选人提名方式", max_length=200, default="党员推荐、支委会研究提出候选人预备人选、报上级党委审查"
    )
    decided_on = models.DateField("支委会研究日期", null=True, blank=True)
    request_on = models.DateField("请示报送日期", null=True, blank=True)
    reply_on = models.DateField("上级批复日期", null=True, blank=True)
    reply_ref = models.CharField("批复文号", max_length=100, blank=True, default="")
    nominations_on = models.DateField("党员推荐完成日期", null=True, blank=True)
    preliminary_on = models.DateField("确定预备人选日期", null=True, blank=True)
    reviewed_on = models.DateField("上级审查日期", null=True, blank=True)
    review_ref = models.CharField("审查意见文号", max_length=100, blank=True, default="")
    meeting_date = models.DateField("党员大会日期", null=True, blank=True)
    place = models.CharField("会议地点", max_length=100, blank=True, default="")
    method_adopted = models.BooleanField("通过选举办法", default=False)
    secret_ballot = models.BooleanField("无记名投票", default=False)
    full_voters = models.PositiveSmallIntegerField("正式党员人数", null=True, blank=True)
    scrutineers = models.ManyToManyField(Person, related_name="+", blank=True, verbose_name="监票人")
    tellers = models.ManyToManyField(Person, related_name="+", blank=True, verbose_name="计票人")
    officers_on = models.DateField("选举书记副书记日期", null=True, blank=True)
    report_on = models.DateField("报告选举结果日期", null=True, blank=True)
    approved_on = models.DateField("上级批复日期（书记、副书记）", null=True, blank=True)
    approval_ref = models.CharField("批复文号（书记、副书记）", max_length=100, blank=True, default="")
    filed_on = models.DateField("委员备案日期", null=True, blank=True)
    installed_on = models.DateField("新任期开始", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期（年）", default=rules.TERM_YEARS)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-term_end", "-id"]
        constraints = [
            # one election per term of a branch (a double submission creates nothing twice)
            models.UniqueConstraint(fields=["branch", "term_end"], name="election_once_per_term"),
            models.CheckConstraint(condition=Q(seats__gte=1) & Q(seats__lte=7), name="election_seats_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.name}换届选举（{self.term_end.year}年）"

    @property
    def finished(self) -> bool:
        return self.installed_on is not None


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    nominations = models.PositiveSmallIntegerField("推荐人数", default=0)
    preliminary = models.BooleanField("列为预备人选", default=False)
    approved = models.BooleanField("上级审查同意", default=False)
    post = models.CharField("分工", max_length=20, choices=Position.choices, blank=True, default="")

    class Meta:
        ordering = ["election_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="election_candidate_once"),
            models.UniqueConstraint(fields=["election", "post"], condition=~Q(post=""), name="election_post_once"),
        ]

    def __str__(self) -> str:
        return self.person.name


class VoterKind(models.TextChoices):
    EXCLUDED = "excluded", "经批准不计入应到会"
    SUSPENDED = "suspended", "留党察看或被停止党员权利"


class VoterExclusion(models.Model):
    """A 正式党员 who does not count in 应到会 (election.md voters.excluded / voters.suspended)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    kind = models.CharField("类别", max_length=20, choices=VoterKind.choices)
    reason = models.CharField("原因", max_length=200)

    class Meta:
        ordering = ["election_id", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="election_exclusion_once")]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}）"


class Round(models.Model):
    """One ballot at the meeting: the regular count, a runoff among the tied or 另行选举."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("轮次")
    kind = models.CharField("类别", max_length=20, choices=rules.ROUND_KINDS)
    seats = models.PositiveSmallIntegerField("本轮应选人数")
    present = models.PositiveSmallIntegerField("到会有选举权党员")
    issued = models.PositiveSmallIntegerField("发出选票")
    returned = models.PositiveSmallIntegerField("收回选票")
    invalid = models.PositiveSmallIntegerField("无效票", default=0)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["election_id", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="election_round_once")]

    def __str__(self) -> str:
        return f"第{self.number}轮（{self.get_kind_display()}）"


class Vote(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="votes")
    votes = models.PositiveSmallIntegerField("得票")

    class Meta:
        ordering = ["round_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "candidate"], name="election_vote_once")]

    def __str__(self) -> str:
        return f"{self.candidate}：{self.votes}票"


class RescheduleKind(models.TextChoices):
    POSTPONE = "postpone", "延期换届"
    ADVANCE = "advance", "提前换届"


class Reschedule(models.Model):
    """An approved postponement or early election (选举条例 第3条): the term end moves ≤ 12 months."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="党支部")
    kind = models.CharField("类别", max_length=20, choices=RescheduleKind.choices)
    from_end = models.DateField("原任期届满")
    regular_end = models.DateField("按期届满日")
    to_end = models.DateField("调整后届满")
    approved_on = models.DateField("上级批准日期")
    approval_ref = models.CharField("批准文号", max_length=100)
    reason = models.CharField("原因", max_length=300)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "from_end", "to_end"], name="election_reschedule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}至{self.to_end}"
