"""Background jobs (zhibu.core.jobs): one active job per key, run to a result file with progress, a
failure recorded in Chinese, a runner that stopped marked failed, and a real thread after commit."""

import datetime as dt
import time

import pytest

from zhibu.core import clock, jobs
from zhibu.core.models import Job

FUNC = "zhibu.core.tests.test_jobs"


def make_file(progress, *, name: str, parts: int):
    for i in range(parts):
        progress(i, parts, f"第{i + 1}部分")
    return f"{name}.txt", ("内容" * parts).encode()


def fail(progress, **kwargs):
    raise RuntimeError("boom")


@pytest.fixture
def inline(settings):
    settings.ZHIBU_JOBS_INLINE = True


def test_starting_a_key_twice_while_it_is_queued_gives_the_same_job(db):
    job, started = jobs.start(key="k:1", func=f"{FUNC}.make_file", arguments={"name": "a", "parts": 2})
    again, started_again = jobs.start(key="k:1", func=f"{FUNC}.make_file", arguments={"name": "a", "parts": 2})
    assert (started, started_again) == (True, False) and again.pk == job.pk
    other, _ = jobs.start(key="k:2", func=f"{FUNC}.make_file", arguments={"name": "b", "parts": 1})
    assert other.pk != job.pk


def test_a_job_runs_after_commit_to_its_result_file(db, inline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = jobs.start(key="k:1", func=f"{FUNC}.make_file", arguments={"name": "结果", "parts": 3})
    job.refresh_from_db()
    assert (job.state, job.progress, job.result_name, job.result_size) == (Job.DONE, 100, "结果.txt", 18)
    assert jobs.read_result(job) == ("内容" * 3).encode()
    assert jobs.run(job.pk) is None  # claimed once: a second runner does nothing
    with django_capture_on_commit_callbacks(execute=True):
        _next, started = jobs.start(key="k:1", func=f"{FUNC}.make_file", arguments={"name": "结果", "parts": 1})
    assert started  # a finished job does not block the next one
    job.refresh_from_db()
    assert not job.result and jobs.read_result(job) is None  # the rebuild replaced the earlier file
    assert jobs.read_result(Job.objects.get(pk=_next.pk)) == "内容".encode()


def test_a_failing_job_is_failed_with_a_chinese_message(db, inline, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = jobs.start(key="k:1", func=f"{FUNC}.fail")
    job.refresh_from_db()
    assert job.state == Job.FAILED and job.message == jobs.FAILED_MESSAGE
    assert jobs.read_result(job) is None


def test_a_job_whose_runner_stopped_beating_is_failed_when_read(db):
    long_ago = clock.now() - dt.timedelta(minutes=20)
    running = Job.objects.create(
        key="k:1",
        func=f"{FUNC}.make_file",
        state=Job.RUNNING,
        created_at=long_ago,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    assert jobs.latest("k:1").state == Job.FAILED
    running.refresh_from_db()
    assert running.message == jobs.STALE_MESSAGE
    fresh = Job.objects.create(
        key="k:2", func=f"{FUNC}.make_file", state=Job.RUNNING, created_at=clock.now(), heartbeat_at=clock.now()
    )
    assert jobs.latest("k:2").state == Job.RUNNING
    assert jobs.get(fresh.pk, "k:1") is None  # another key's job is not this one


def test_a_job_runs_in_a_thread_of_its_own_after_commit(transactional_db, settings):
    settings.ZHIBU_JOBS_INLINE = False
    job, _ = jobs.start(key="k:thread", func=f"{FUNC}.make_file", arguments={"name": "t", "parts": 2})
    for _ in range(100):
        job.refresh_from_db()
        if not job.active:
            break
        time.sleep(0.1)
    assert job.state == Job.DONE and jobs.read_result(job) == ("内容" * 2).encode()
