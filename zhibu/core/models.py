"""Core models: the audit log (who did what, old and new value, in the same transaction)."""
from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The organisation the change belongs to (the branch whose log shows it).
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)  # create / update / delete / reveal / import / export / ...
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)  # {field: [old, new]}

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_repr}"


class Notification(models.Model):
    """An in-app notification (the bell). E-mail, where the user has an address, is sent alongside."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zhibu_notifications")
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ReminderLog(models.Model):
    """One row per reminder ever sent: the unique key makes `zhibu remind` send each reminder once,
    even when two copies run at the same time (the second insert fails and that copy skips it)."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class SubmissionKey(models.Model):
    """One row per submitted form render (the hidden `_once` token), so that a double click, a
    resubmission after the back button or a retried request never writes twice. The row is written
    before the view runs, in its own transaction: a parallel duplicate waits on the unique key and
    is refused; a later one is sent where the first one went."""

    key = models.CharField(max_length=64, unique=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    path = models.CharField(max_length=300)
    created_at = models.DateTimeField(db_index=True)
    done = models.BooleanField(default=False)
    location = models.CharField(max_length=500, blank=True)  # where the first submission was sent

    def __str__(self) -> str:
        return self.key


class LoginThrottle(models.Model):
    """Login attempts for one user name or one address within a window (zhibu.core.throttle). In the
    database so that every worker process sees the same counts; updated by one atomic upsert."""

    key = models.CharField(max_length=100, unique=True)  # "user:<sha256>" or "addr:<address>"
    count = models.IntegerField(default=0)
    window_end = models.BigIntegerField()  # Unix time the window closes

    def __str__(self) -> str:
        return f"{self.key} {self.count}"


class RemindRun(models.Model):
    """When `zhibu remind` last ran and what it did (the 提醒 page says so)."""

    ran_at = models.DateTimeField(db_index=True)
    sent = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M}"


class Job(models.Model):
    """A long task run in the background (zhibu.core.jobs): what it builds (`key`), how far it got
    (`progress` 0–100 and a Chinese `message`), and the file it produced. At most one queued or
    running job per key (a second click finds the running one); a job whose runner stopped beating
    is marked failed when next read."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "排队中"), (RUNNING, "正在生成"), (DONE, "已完成"), (FAILED, "失败")]
    ACTIVE = (QUEUED, RUNNING)

    key = models.CharField(max_length=200, db_index=True)  # e.g. "yearend:12:2026": the caller's name for the work
    func = models.CharField(max_length=200)  # dotted path of the function that does it
    arguments = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    result = models.FileField(upload_to="jobs/%Y/%m/", max_length=200, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_size = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=models.Q(state__in=("queued", "running")),
                                    name="core_job_one_active_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.state} {self.progress}%"

    @property
    def active(self) -> bool:
        return self.state in self.ACTIVE
