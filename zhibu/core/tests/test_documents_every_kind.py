"""Issue 13, done when: every document the app can produce — minutes of every kind, the 会议记录本, the
plan, every 发展党员 document at every stage and the shipped templates — rendered from the demo data
and read back with python-docx: A4, margins, fonts on every run, a page number field, no '____'
where data exists, no zero-padded month or day, no half-width ，：（） between Chinese characters,
Chinese properties. Documents the record does not support are refused with the missing step named.

Set ZHIBU_DOCS_DUMP to a directory to keep the files (for a look through LibreOffice)."""
from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.documents import OUTWARD, RECORD
from zhibu.core.documents.checks import problems, text_of

TODAY = dt.date(2026, 11, 20)
DUMP = os.environ.get("ZHIBU_DOCS_DUMP")


def _dump(name: str, content: bytes) -> None:
    if DUMP:
        Path(DUMP).mkdir(parents=True, exist_ok=True)
        (Path(DUMP) / name).write_bytes(content)


@pytest.fixture
def demo(db):
    from django.db import transaction

    from zhibu.core.hooks import app_label, app_modules
    from zhibu.orgs import demo as orgs_demo

    with clock.frozen(TODAY):
        ctx = orgs_demo.generate(branches=2, members=16, year=2026, seed=5, progress=io.StringIO())
        # the apps that produce documents (and what they read), as `zhibu demo` builds them
        for module in app_modules("demo", exclude=("core", "orgs")):
            if app_label(module) in ("workdays", "plans", "orglife", "development"):
                with transaction.atomic():
                    module.generate(ctx)
        yield ctx


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _is_docx(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_every_minute_and_the_yearbook(demo):
    from zhibu.orglife.models import Meeting

    branch = demo.branches[0]
    client = _client("secretary")
    meetings = list(Meeting.objects.filter(branch=branch, date__lte=TODAY).order_by("date"))
    assert meetings
    made, refused, kinds = 0, 0, set()
    with clock.frozen(TODAY):
        for m in meetings:
            r = client.get(reverse("orglife:minutes_docx", args=[branch.pk, m.pk]))
            if r.status_code == 409:  # the record lacks attendance, host or recorder: the page says so
                refused += 1
                assert "尚未" in r.content.decode()
                page = client.get(reverse("orglife:meeting", args=[branch.pk, m.pk])).content.decode()
                assert "导出会议记录前请补全" in page  # and the meeting's page says it before the download
                continue
            assert _is_docx(r), (m, r.status_code)
            assert problems(r.content, kind=RECORD) == [], m
            text = text_of(r.content)
            assert text.startswith("中共") and "会议记录" in text or "记录" in text
            made += 1
            kinds.add(m.kind)
            _dump(f"minutes-{m.kind}-{m.pk}.docx", r.content)
        r = client.get(reverse("orglife:yearbook_docx", args=[branch.pk]) + "?year=2026")
        assert _is_docx(r)
        assert problems(r.content, kind=RECORD) == []
        _dump("yearbook.docx", r.content)
        d = docx.Document(io.BytesIO(r.content))
        header = d.sections[0].header.paragraphs[0].text
        assert header == f"{branch.name} 2026年度会议记录"
        assert "NUMPAGES" in d.sections[0].footer._element.xml
        assert sum(1 for p in d.paragraphs if p.paragraph_format.page_break_before) >= len(meetings)
        assert "PAGEREF" in d.element.xml  # the 目录 points at each meeting
        # a meeting without a host is not exported; its page says what is missing
        Meeting.objects.filter(pk=meetings[0].pk).update(host=None)
        r = client.get(reverse("orglife:minutes_docx", args=[branch.pk, meetings[0].pk]))
        assert r.status_code == 409 and "尚未填写主持人" in r.content.decode()
        page = client.get(reverse("orglife:meeting", args=[branch.pk, meetings[0].pk])).content.decode()
        assert "导出会议记录前请补全：尚未填写主持人" in page
        empty = client.get(reverse("orglife:yearbook_docx", args=[branch.pk]) + "?year=2019")
        assert empty.status_code == 409 and "2019年度还没有" in empty.content.decode()
    assert made >= 3 and len(kinds) >= 3, (made, kinds, refused)


def test_members_see_absentee_counts_not_names_or_reasons(demo):
    from zhibu.orglife.models import Attendance, Meeting

    branch = demo.branches[0]
    leave = (Attendance.objects.filter(meeting__branch=branch, status="leave", meeting__date__lte=TODAY)
             .exclude(leave_reason="").select_related("meeting", "person").first())
    if leave is None:
        pytest.skip("the demo has no leave in this branch")
    m: Meeting = leave.meeting
    with clock.frozen(TODAY):
        committee = _client("secretary").get(reverse("orglife:minutes_docx", args=[branch.pk, m.pk]))
        member = _client("member").get(reverse("orglife:minutes_docx", args=[branch.pk, m.pk]))
    if committee.status_code == 409:
        pytest.skip("that meeting's record is incomplete")
    assert leave.leave_reason in text_of(committee.content)
    assert leave.leave_reason not in text_of(member.content) and "请假" in text_of(member.content)


def test_the_plan(demo):
    from zhibu.plans.models import Plan

    branch = demo.branches[0]
    plan = Plan.objects.filter(branch=branch).first()
    assert plan is not None
    client = _client("secretary")
    with clock.frozen(TODAY):
        r = client.get(reverse("plans:export_docx", args=[branch.pk, plan.pk]) + "?date=2026-01-08")
        bad = client.get(reverse("plans:export_docx", args=[branch.pk, plan.pk]) + "?date=2026-02-30")
    assert _is_docx(r) and problems(r.content, kind=OUTWARD) == []
    body = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs if p.text.strip()]
    at = body.index("附：行事历")  # the 行事历 is an attachment after the 落款
    assert body[at - 2:at] == [f"中共{branch.name}", "2026年1月8日"]  # 落款: full name, the date given, not padded
    assert bad.status_code == 400 and "落款日期" in bad.content.decode()
    _dump("plan.docx", r.content)


def _to_stage_five(candidate) -> None:
    """A 预备党员 of the demo who applied for full membership and was voted on (test set-up rows)."""
    from zhibu.development.models import StepRecord

    steps = {s.step: s for s in candidate.steps.all()}
    admitted = steps["admission_meeting"].date
    due = dt.date(admitted.year + 1, admitted.month, min(admitted.day, 28))
    StepRecord.objects.create(candidate=candidate, step="full_application", date=due - dt.timedelta(days=10))
    StepRecord.objects.create(candidate=candidate, step="full_meeting", date=due + dt.timedelta(days=3),
                              should_attend=10, present=9, votes_for=9, against=0, abstain=0, secret_ballot=True)
    candidate.stage = 5
    candidate.save(update_fields=["stage"])


def _to_stage_four(candidate) -> None:
    """A 发展对象 of the demo taken on to the 支部大会 that admitted them, on the demo's own timetable."""
    from zhibu.development import demo as dev_demo
    from zhibu.development.models import StepRecord

    steps = {s.step: s for s in candidate.steps.all()}
    start = steps["application"].date
    for key in ("candidate_publicity", "candidate_approved", "sponsors", "political_review", "training",
                "committee_review", "pre_review", "application_form", "admission_meeting"):
        if key in steps:
            continue
        d = start + dt.timedelta(days=dev_demo.OFFSETS[key])
        extra = {}
        if key == "candidate_publicity":
            extra["end_date"] = d + dt.timedelta(days=7)
        elif key == "training":
            extra.update(end_date=d + dt.timedelta(days=2), training_days=3)
        elif key == "admission_meeting":
            extra.update(should_attend=10, present=9, votes_for=8, against=1, abstain=0, secret_ballot=True)
        StepRecord.objects.create(candidate=candidate, step=key, date=d, **extra)
    candidate.stage = 4
    candidate.save(update_fields=["stage"])


def test_every_development_document_at_every_stage(demo):
    from zhibu.development.models import GENERATED_KINDS, Candidate, Document

    branch = demo.branches[0]
    candidates = list(Candidate.objects.filter(branch=branch).select_related("person"))
    probationary = [c for c in candidates if "admission_meeting" in {s.step for s in c.steps.all()}]
    assert probationary, "the demo has a 预备党员 with a file"
    _to_stage_five(probationary[0])
    # the second branch's 发展对象 goes on to stage 4 (its files too are generated by the secretary)
    from zhibu.orgs.models import Role, RoleKind

    other = demo.branches[1]
    Role.objects.create(user=get_user_model().objects.get(username="secretary"), organisation=other,
                        role=RoleKind.SECRETARY)
    later = [c for c in Candidate.objects.filter(branch=other) if c.stage == 3]
    assert later, "the demo has a 发展对象"
    _to_stage_four(later[0])
    files = list(Candidate.objects.filter(branch__in=demo.branches).select_related("person", "branch"))
    stages = {c.stage for c in files}
    assert {1, 2, 3, 4, 5} - stages <= {1}, stages  # every stage the demo data reaches, and 转正
    client = _client("secretary")
    produced, refused = set(), set()
    with clock.frozen(TODAY):
        for c in files:
            branch = c.branch
            meetings = ["full_meeting"] if c.stage == 5 else ["admission_meeting"]
            for kind in GENERATED_KINDS:
                for meeting in meetings:
                    url = reverse("development:generate", args=[branch.pk, c.pk, kind])
                    r = client.post(url, {"meeting": meeting})
                    if r.status_code == 409:
                        html = r.content.decode()
                        assert "尚未登记" in html or "未满一年" in html or "不符合规定" in html, html[-800:]
                        refused.add(kind)
                        continue
                    assert _is_docx(r), (c, kind, r.status_code)
                    layout = OUTWARD if kind in ("publicity", "full_publicity", "resolution") else RECORD
                    assert problems(r.content, kind=layout) == [], (c, kind)
                    text = text_of(r.content)
                    assert "党支部支部" not in text and "{{" not in text
                    produced.add(kind)
                    _dump(f"dev-{c.stage}-{c.pk}-{kind}.docx", r.content)
    assert produced == set(GENERATED_KINDS), set(GENERATED_KINDS) - produced
    assert "full_publicity" in refused or "publicity" in refused  # some files are not there yet
    assert Document.objects.filter(candidate__branch__in=demo.branches, generated=True).exists()


def test_a_refused_document_names_the_step_and_the_secretary_may_override_with_a_reason(demo):
    from zhibu.core.models import AuditEntry
    from zhibu.development.models import Candidate

    branch = demo.branches[0]
    c = Candidate.objects.filter(branch=branch, stage__lte=2).first()
    assert c is not None
    url = reverse("development:generate", args=[branch.pk, c.pk, "full_publicity"])
    client = _client("secretary")
    with clock.frozen(TODAY):
        r = client.post(url)
        assert r.status_code == 409
        html = r.content.decode()
        assert "尚未登记“支部大会讨论接收预备党员”" in html and 'name="override_reason"' in html
        committee = _client("committee").post(url)
        assert committee.status_code == 409 and 'name="override_reason"' not in committee.content.decode()
        assert _client("committee").post(url, {"override_reason": "上级要求"}).status_code == 409
        before = AuditEntry.objects.filter(action="development.override").count()
        r = client.post(url, {"override_reason": "上级党委同意先行公示"})
    assert _is_docx(r)
    entry = AuditEntry.objects.filter(action="development.override").order_by("-id").first()
    assert AuditEntry.objects.filter(action="development.override").count() == before + 1
    assert "上级党委同意先行公示" in str(entry.changes)


def test_every_shipped_template_and_the_placeholder_list(demo):
    from zhibu.development import documents
    from zhibu.development.models import GENERATED_KINDS

    for kind in GENERATED_KINDS:
        layout = OUTWARD if kind in ("publicity", "full_publicity", "resolution") else RECORD
        assert problems(documents.default_template(kind), kind=layout, placeholders_ok=True) == [], kind
    branch = demo.branches[0]
    html = _client("secretary").get(reverse("development:templates", args=[branch.pk])).content.decode()
    for p in documents.PLACEHOLDERS:
        assert "{{" + p.name + "}}" in html and p.meaning in html
