"""Organisational life: meetings (三会一课, 主题党日, 组织生活会 …), attendance, votes, attachments,
补课, 谈心谈话 and each branch's obligation settings. Rules live in rules.py; writes in services.py."""
from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from zhibu.core import clock
from zhibu.orgs.models import Organisation, Person


class MeetingKind(models.TextChoices):
    # The kinds vocabulary of spec/plan-import.md.
    PARTY_CONGRESS = "party_congress", "党员大会"
    COMMITTEE_MEETING = "committee_meeting", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    ORG_LIFE_MEETING = "org_life_meeting", "组织生活会"
    DEMOCRATIC_LIFE_MEETING = "democratic_life_meeting", "民主生活会"
    MEMBER_EVALUATION = "member_evaluation", "民主评议党员"
    HEART_TALK = "heart_talk", "谈心谈话"
    OTHER = "other", "其他"


# Absentees of these get a 补课 task.
MAKE_UP_KINDS = (MeetingKind.PARTY_LECTURE, MeetingKind.THEME_DAY)


class MeetingState(models.TextChoices):
    """Derived, not stored: the date against today, and whether the minutes were finalised."""

    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已召开"
    FINALISED = "finalised", "已定稿"


def new_token() -> str:
    return secrets.token_urlsafe(6)  # 8 URL-safe characters


class Meeting(models.Model):
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="meetings", verbose_name="党支部")
    kind = models.CharField("类别", max_length=30, choices=MeetingKind.choices)
    group = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="group_meetings",
                              verbose_name="党小组")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    # The local (Asia/Shanghai) date and month of starts_at, stored for the obligation grids' aggregation.
    date = models.DateField("日期", editable=False)
    month = models.PositiveSmallIntegerField(editable=False)
    place = models.CharField("地点", max_length=100, blank=True)
    topic = models.CharField("议题/主题", max_length=200)
    # What the 会议通知 lists as the agenda (one item a line); the topic when empty.
    agenda = models.TextField("议程", blank=True, default="", db_default="")
    host = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="主持人")
    recorder = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="记录人")
    minutes = models.TextField("会议内容", blank=True)
    resolutions = models.TextField("决议", blank=True)
    # 组织生活会 combined with 民主评议党员 (rules.md §1: "may be combined") counts for both obligations.
    with_evaluation = models.BooleanField("同时开展民主评议党员", default=False)
    signin_token = models.CharField(max_length=16, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=clock.now, editable=False)
    # The host confirmed the attendance list (from 全部出席 with exceptions); until then the rows are
    # as created, signed in or asked for leave.
    attendance_recorded_at = models.DateTimeField("出勤登记时间", null=True, blank=True, editable=False)
    # 定稿: the minutes are final; motions no longer change (an explicit action, audited).
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False, verbose_name="定稿人")

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="meeting_month_range"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=MeetingKind.GROUP_MEETING) & Q(group__isnull=False))
                | (~Q(kind=MeetingKind.GROUP_MEETING) & Q(group__isnull=True)),
                name="meeting_group_iff_group_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["branch", "date"]),
            # covers the district grid's aggregation: date range → branch, kind, month
            models.Index(fields=["date", "branch", "kind", "month", "with_evaluation"], name="meeting_grid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.topic}"

    def is_scheduled(self, today=None) -> bool:
        """已安排: the meeting's date has not come yet (attendance, sign-in, votes and the 会议记录本 wait)."""
        return self.date > (today or clock.today())

    def state(self, today=None) -> str:
        """"scheduled" (已安排), "held" (已召开) or "finalised" (已定稿)."""
        if self.finalised_at is not None:
            return MeetingState.FINALISED
        return MeetingState.SCHEDULED if self.is_scheduled(today) else MeetingState.HELD

    def get_state_display(self) -> str:
        return MeetingState(self.state()).label

    def set_date(self) -> None:
        local = self.starts_at.astimezone(clock.TZ)
        self.date = local.date()
        self.month = local.month

    def save(self, *args, **kwargs):
        self.set_date()
        super().save(*args, **kwargs)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class SignInSource(models.TextChoices):
    SELF = "self", "本人签到"
    HOST = "host", "主持人登记"
    REQUEST = "request", "本人请假"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField("出勤", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ABSENT)
    leave_reason = models.CharField("请假原因", max_length=100, blank=True)
    # 正式党员 at the time of the meeting; 预备党员 attend without a vote (党章 第七条).
    voting = models.BooleanField("有表决权", default=True)
    # Approved exclusion from 应到会 (abroad >6 months, long-term ill, …), with its reason.
    excluded = models.BooleanField("不计入应到", default=False)
    excluded_reason = models.CharField("不计入应到的原因", max_length=100, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    source = models.CharField("登记方式", max_length=10, choices=SignInSource.choices, default=SignInSource.HOST)
    # A member asked for leave from the 会议通知 (shown on the meeting for the committee).
    leave_requested_at = models.DateTimeField("请假申请时间", null=True, blank=True)

    class Meta:
        ordering = ["meeting_id", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_meeting"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
            models.CheckConstraint(condition=Q(excluded=False) | ~Q(excluded_reason=""), name="attendance_exclusion_has_reason"),
            models.CheckConstraint(condition=~Q(status=AttendanceStatus.LEAVE) | ~Q(leave_reason=""), name="attendance_leave_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_status_display()}"


class Motion(models.Model):
    """A vote at a 党员大会 with its result computed by rules.motion_result and stored with the reason.

    A fact of the meeting: the counts it was computed on are stored at vote time and a later
    attendance correction never recomputes it (it warns and is audited); an edit before the minutes
    are finalised recomputes on the stored counts unless asked to recount."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField("表决事项", max_length=200)
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对")
    votes_abstain = models.PositiveIntegerField("弃权")
    # Written opinions of absent voting members counted in the votes (发展党员工作细则 第二十五条).
    written_votes = models.PositiveIntegerField("书面意见", default=0, db_default=0)
    # The counts the result was computed on (应到会有表决权党员, 实到 of those), kept with the result.
    should_attend = models.PositiveIntegerField("应到会有表决权党员")
    present = models.PositiveIntegerField("实到有表决权党员")
    quorum_met = models.BooleanField("达到法定人数")
    passed = models.BooleanField("通过")
    reason = models.CharField("结果说明", max_length=300)
    source = models.CharField("依据", max_length=100)
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(passed=False) | Q(quorum_met=True), name="motion_passed_needs_quorum"),
            models.CheckConstraint(condition=Q(present__lte=F("should_attend")), name="motion_present_le_should"),
            models.CheckConstraint(
                condition=Q(should_attend__gte=F("votes_for") + F("votes_against") + F("votes_abstain")),
                name="motion_votes_le_should",
            ),
            models.CheckConstraint(
                condition=Q(present__gte=F("votes_for") + F("votes_against") + F("votes_abstain") - F("written_votes")),
                name="motion_votes_le_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}:{'通过' if self.passed else '未通过'}"


ATTACHMENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def attachment_path(instance: "Attachment", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"orglife/{instance.meeting.branch_id}/{instance.meeting_id}/{secrets.token_hex(8)}.{ext}"


class Attachment(models.Model):
    """A photo or scanned sign-in sheet; the file lives under MEDIA_ROOT, served only through an
    access-checked view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField("文件名", max_length=150)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(content_type__in=sorted(set(ATTACHMENT_TYPES.values()))), name="attachment_type_whitelist"),
        ]

    def __str__(self) -> str:
        return self.name


class MakeUpTask(models.Model):
    """补课: an absentee of a 党课 or 主题党日 makes it up; tracked until done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="makeup_tasks")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="makeup_tasks")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(default=clock.today)
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("补课方式/说明", max_length=200, blank=True)

    class Meta:
        ordering = ["done_on", "-meeting__date", "person__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="makeup_once_per_meeting")]
        indexes = [models.Index(fields=["branch", "done_on"])]

    def __str__(self) -> str:
        return f"{self.person} 补课 {self.meeting}"


class HeartTalk(models.Model):
    """谈心谈话 between two people (支部工作条例 第19条). Stored with person_a.id < person_b.id."""

    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="heart_talks")
    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="谈话人")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="谈话对象")
    date = models.DateField("日期")
    note = models.CharField("主要内容", max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="heart_talk_ordered_pair"),
        ]
        indexes = [models.Index(fields=["branch", "date"])]

    def __str__(self) -> str:
        return f"{self.date} 谈心谈话"


class BranchObligationConfig(models.Model):
    """A branch's local settings: frequency overrides (validated through rules.with_frequencies, only
    where the rules allow it) and the sign-in window around a meeting."""

    branch = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="obligation_config")
    frequencies = models.JSONField("频次调整", default=dict, blank=True)
    signin_before_minutes = models.PositiveIntegerField("会前可签到(分钟)", default=30)
    signin_after_minutes = models.PositiveIntegerField("会后可签到(分钟)", default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(signin_before_minutes__lte=24 * 60) & Q(signin_after_minutes__lte=24 * 60),
                                   name="obligation_config_window_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} 组织生活设置"
