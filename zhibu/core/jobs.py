"""Background jobs: a task that takes longer than a page should wait (a year-end pack, …) runs
outside the request while the page polls its progress (htmx, every second) — the page never times
out. Infrastructure only: a job knows a key, a dotted function and JSON arguments, never a domain.

    job = jobs.start(key=f"yearend:{branch.pk}:{year}", func="zhibu.yearend.services.build_pack",
                     arguments={"branch_id": branch.pk, "year": year}, actor=request.user)

`func(progress, **arguments) -> (filename, bytes)`; it calls `progress(done, total, message)` as it
goes. The bytes become the job's result file. Starting a key that already has a queued or running
job returns that job (a second click shows the running one; a unique constraint settles two clicks
at the same instant). The job runs in a thread of the process that started it, after the starting
transaction commits (`settings.ZHIBU_JOBS_INLINE = True` runs it right there, for tests and
commands). A runner that stopped beating (the server restarted mid-job) leaves a job that is marked
failed when it is next read, so the next click starts afresh. A new job of a key discards the files
of the earlier finished ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils.module_loading import import_string

from zhibu.core import clock
from zhibu.core.models import Job

log = logging.getLogger(__name__)

STALE_RUNNING = dt.timedelta(minutes=5)  # no heartbeat for this long: the runner is gone
STALE_QUEUED = dt.timedelta(minutes=2)  # never picked up (its process ended before the commit hook ran)
FAILED_MESSAGE = "生成失败，请重新生成；如仍失败，请联系系统管理员。"
STALE_MESSAGE = "生成中断（服务曾重新启动），请重新生成。"

Progress = Callable[[int, int, str], None]


def _stale(job: Job, now: dt.datetime) -> bool:
    if job.state == Job.RUNNING:
        return now - (job.heartbeat_at or job.started_at or job.created_at) > STALE_RUNNING
    if job.state == Job.QUEUED:
        return now - job.created_at > STALE_QUEUED
    return False


def _fail_if_stale(job: Job) -> Job:
    now = clock.now()
    if job.active and _stale(job, now):
        Job.objects.filter(pk=job.pk, state=job.state).update(state=Job.FAILED, message=STALE_MESSAGE, finished_at=now)
        job.state, job.message, job.finished_at = Job.FAILED, STALE_MESSAGE, now
    return job


def latest(key: str) -> Job | None:
    """The newest job for `key` (a stale one marked failed first), or None. 1 query (2 when stale)."""
    job = Job.objects.filter(key=key).order_by("-created_at", "-id").first()
    return _fail_if_stale(job) if job is not None else None


def get(pk: int, key: str) -> Job | None:
    """Job `pk` if it is one of `key` (callers check access to what the key names)."""
    job = Job.objects.filter(pk=pk, key=key).first()
    return _fail_if_stale(job) if job is not None else None


def start(*, key: str, func: str, arguments: dict[str, Any] | None = None, actor=None) -> tuple[Job, bool]:
    """(the job for `key`, whether it was started now). Idempotent while a job for `key` is queued or
    running: that job is returned."""
    current = latest(key)
    if current is not None and current.active:
        return current, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                key=key,
                func=func,
                arguments=arguments or {},
                created_by=actor,
                created_at=clock.now(),
                message="排队中",
            )
    except IntegrityError:  # a parallel click won the race
        existing = latest(key)
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: _discard_older(key, job.pk))
    transaction.on_commit(lambda: _launch(job.pk))
    return job, True


def _discard_older(key: str, newest: int) -> None:
    """The files of earlier finished jobs of `key` (a rebuild replaces them; whoever keeps a result,
    such as a submission, keeps its own copy). The rows stay as the history."""
    for old in Job.objects.filter(key=key, state=Job.DONE, pk__lt=newest).exclude(result=""):
        old.result.delete(save=False)
        Job.objects.filter(pk=old.pk).update(result="")


def _launch(pk: int) -> None:
    if getattr(settings, "ZHIBU_JOBS_INLINE", False):
        run(pk)
        return
    threading.Thread(target=_thread_main, args=(pk,), name=f"zhibu-job-{pk}", daemon=True).start()


def _thread_main(pk: int) -> None:
    try:
        run(pk)
    finally:
        connection.close()  # the thread's own connection


def _reporter(pk: int) -> Progress:
    def progress(done: int, total: int, message: str = "") -> None:
        percent = max(0, min(99, int(100 * done / total))) if total else 0
        Job.objects.filter(pk=pk, state=Job.RUNNING).update(
            progress=percent, message=message[:200], heartbeat_at=clock.now()
        )

    return progress


def run(pk: int) -> Job | None:
    """Run queued job `pk` to the end (claimed by one update, so two runners never both run it)."""
    now = clock.now()
    if not Job.objects.filter(pk=pk, state=Job.QUEUED).update(
        state=Job.RUNNING, started_at=now, heartbeat_at=now, message="开始生成"
    ):
        return None
    job = Job.objects.get(pk=pk)
    try:
        func = import_string(job.func)
        filename, content = func(_reporter(pk), **job.arguments)
        job.result.save(filename, ContentFile(content), save=False)
    except Exception:
        log.exception("job %s (%s) failed", pk, job.key)
        Job.objects.filter(pk=pk).update(state=Job.FAILED, message=FAILED_MESSAGE, finished_at=clock.now())
    else:
        Job.objects.filter(pk=pk).update(
            state=Job.DONE,
            progress=100,
            message="已完成",
            result=job.result.name,
            result_name=filename,
            result_size=len(content),
            finished_at=clock.now(),
        )
    return Job.objects.get(pk=pk)


def read_result(job: Job) -> bytes | None:
    """The bytes of a finished job's file (None when it is gone)."""
    if job.state != Job.DONE or not job.result:
        return None
    try:
        with job.result.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
