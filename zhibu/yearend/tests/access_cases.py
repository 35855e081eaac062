"""Every yearend URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

PUBLIC: set[str] = set()


def cases(cast):
    from django.core.files.base import ContentFile

    from zhibu.core import clock
    from zhibu.core.models import Job
    from zhibu.yearend import services
    from zhibu.yearend.models import Submission

    b = cast.branch.pk
    job = Job(
        key=services.pack_key(b, 2026),
        func=services.BUILD_FUNC,
        arguments={"branch_id": b, "year": 2026},
        state=Job.DONE,
        progress=100,
        created_at=clock.now(),
        result_name="材料包.zip",
    )
    job.result.save("pack.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    job.result_size = 22
    job.save()
    sub = Submission(
        branch=cast.branch,
        year=2026,
        filename="材料包.zip",
        sha256="0" * 64,
        size=22,
        submitted_by=cast.secretary,
        submitted_at=clock.now(),
        job=job,
    )
    sub.file.save("pack.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    sub.save()
    j = {"org_id": b, "job_id": job.pk}
    return {
        "yearend:index": {"org_id": b},
        "yearend:build": {"org_id": b},
        "yearend:job": j,
        "yearend:download": j,
        "yearend:submit": j,
        "yearend:submission_file": {"org_id": b, "submission_id": sub.pk},
        "yearend:district": {"org_id": b},
    }
