"""Every study URL, pointing at the cast's branch and its objects (see core/tests/test_access_all_urls.py)."""

import datetime as dt

PUBLIC: set[str] = set()

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def cases(cast):
    from django.core.files.base import ContentFile

    from zhibu.study.models import Attendee, Category, Session, StudyFile, Training

    b = cast.branch.pk
    session = Session.objects.create(
        branch=cast.branch,
        date=dt.date(2026, 2, 10),
        hours=2,
        credited=2,
        category=Category.objects.get(code="theory"),
        topic="政治理论学习",
    )
    Attendee.objects.create(session=session, person=cast.member_person)
    f = StudyFile(branch=cast.branch, session=session, name="照片.png", content_type="image/png", size=len(PNG))
    f.file.save("照片.png", ContentFile(PNG), save=True)
    training = Training.objects.create(
        branch=cast.branch,
        person=cast.member_person,
        date=dt.date(2026, 1, 20),
        title="区委党校培训",
        provider="区委党校",
        hours=16,
    )
    return {
        "study:index": {"org_id": b},
        "study:session_new": {"org_id": b},
        "study:session": {"org_id": b, "session_id": session.pk},
        "study:session_delete": {"org_id": b, "session_id": session.pk},
        "study:file": {"org_id": b, "file_id": f.pk},
        "study:hours": {"org_id": b},
        "study:hours_export": {"org_id": b},
        "study:exempt": {"org_id": b, "person_id": cast.member_person.pk},
        "study:training_new": {"org_id": b},
        "study:training_decide": {"org_id": b, "training_id": training.pk},
        "study:targets": {"org_id": b},
        "study:me": {"org_id": b},
        "study:xuexi_import": {"org_id": b},
        "study:yearbook": {"org_id": b},
        "study:bulletin": {"org_id": b},
        "study:district": {"org_id": b},
    }
