"""Issue 13, done when: a sample of the documents rendered to PDF through LibreOffice — a one-meeting
minute is one page, 表决票 come 2–4 to an A4 page, the 会议记录本 gives each meeting its own page.
Skipped, with the reason shown, when LibreOffice (soffice) is not installed (scripts/test.sh installs
libreoffice-writer-nogui)."""
from __future__ import annotations

import math

import pytest
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.documents.pdf import page_count, soffice, to_pdfs
from zhibu.core.tests.test_documents_every_kind import TODAY, _client, _is_docx, demo  # noqa: F401 - fixture

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed: "
                                "the PDF page-count checks of the documents did not run")


def test_page_counts_of_a_sample_rendered_by_libreoffice(demo):  # noqa: F811
    from zhibu.development.models import Candidate
    from zhibu.orglife.models import Meeting

    branch = demo.branches[0]
    client = _client("secretary")
    minutes: dict[str, bytes] = {}
    with clock.frozen(TODAY):
        held = list(Meeting.objects.filter(branch=branch, date__year=2026, date__lte=TODAY).order_by("date"))
        for m in held:
            if f"minute-{m.kind}" in minutes:
                continue
            r = client.get(reverse("orglife:minutes_docx", args=[branch.pk, m.pk]))
            if _is_docx(r):
                minutes[f"minute-{m.kind}"] = r.content
        assert len(minutes) >= 3, minutes.keys()
        # written up (three paragraphs and a resolution), a 党员大会 with its vote still fits on the page
        m = next(m for m in held if m.kind == "party_congress")
        Meeting.objects.filter(pk=m.pk).update(
            minutes="\n".join(["书记传达上级党委关于做好年度党建工作的通知精神，对本支部下一阶段工作作出部署。"] * 3),
            resolutions="会议同意按计划开展本季度主题党日活动。")
        r = client.get(reverse("orglife:minutes_docx", args=[branch.pk, m.pk]))
        assert _is_docx(r)
        minutes["minute-written"] = r.content

        c = next(c for c in Candidate.objects.filter(branch=branch)
                 if "admission_meeting" in {s.step for s in c.steps.all()})
        voters = next(s.should_attend for s in c.steps.all() if s.step == "admission_meeting")
        ballots = client.post(reverse("development:generate", args=[branch.pk, c.pk, "ballot"]),
                              {"meeting": "admission_meeting"})
        yearbook = client.get(reverse("orglife:yearbook_docx", args=[branch.pk]) + "?year=2026")
    assert _is_docx(ballots) and _is_docx(yearbook)

    pdfs = to_pdfs({**minutes, "ballots": ballots.content, "yearbook": yearbook.content})
    for name in minutes:
        assert page_count(pdfs[name]) == 1, name
    pages = page_count(pdfs["ballots"])
    assert math.ceil(voters / 4) <= pages <= math.ceil(voters / 2), (voters, pages)
    assert page_count(pdfs["yearbook"]) >= len(held) + 2  # cover, 目录, a page or more per meeting
