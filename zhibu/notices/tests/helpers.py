"""Objects for the notices tests and the access walk."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from zhibu.core import clock
from zhibu.notices import rules, services
from zhibu.notices.models import Recipient, RecipientKind

PDF = b"%PDF-1.4\n% test\n"


def pdf(name: str = "通知附件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_all(cast) -> dict:
    today = clock.today()
    notice = services.send_notice(
        actor=cast.district_admin,
        sender=cast.district,
        title="关于开展主题党日的通知",
        body="请按时开展。",
        sign_by=today + dt.timedelta(days=7),
        branches=[cast.branch, cast.other_branch],
        people=[cast.member_person],
        uploads=[pdf()],
    )
    branch_row = Recipient.objects.get(notice=notice, branch=cast.branch, kind=RecipientKind.BRANCH)
    task = services.create_task(
        actor=cast.district_admin,
        district=cast.district,
        kind=rules.MATERIAL,
        title="特色做法材料",
        body="请报送。",
        year=today.year,
        due_on=today + dt.timedelta(days=7),
    )
    answer = task.answers.get(branch=cast.branch)
    services.submit_answer(actor=cast.secretary, answer=answer, text="材料", upload=pdf("材料.pdf"))
    return {"notice": notice, "branch_row": branch_row, "file": notice.files.get(), "task": task, "answer": answer}
