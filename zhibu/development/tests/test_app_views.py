"""Pages: board (query count pinned), file page, recording steps with blocking/override, documents,
templates, quota; panels, reminders and demo."""
import datetime as dt
import io
import random

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry
from zhibu.orgs.testing import PersonFactory
from zhibu.development import reminders, services
from zhibu.development.models import Candidate, Document, Override, StepRecord
from zhibu.development.tests.test_app_services import CAL, admitted, open_, walk_to_candidate
from zhibu.orgs.models import Standing

D = dt.date.fromisoformat
pytestmark = pytest.mark.django_db
BOARD_QUERIES = 17  # fixed, whatever the number of candidates


def url(name, cast, **kw):
    return reverse(f"development:{name}", kwargs={"org_id": cast.branch.pk, **kw})


def test_board_shows_stages_next_step_and_overdue_first(cast, client_for):
    c = open_(cast, "2026-10-01")  # talk due 2026-11-02: overdue on 2026-11-26
    other = services.open_file(actor=cast.secretary, branch=cast.branch,
                               person=next(p for p in cast.people if p.name == "冯积极"),
                               application_date=D("2026-11-20"), calendar=CAL)
    services.set_quota(actor=cast.secretary, branch=cast.branch, year=2026, planned=2)
    with clock.frozen(D("2026-11-26")):
        r = client_for("secretary").get(url("board", cast))
    html = r.content.decode()
    assert r.status_code == 200
    assert "第1阶段 · 申请入党" in html and "下一步：党组织派人谈话" in html
    assert html.index(f'data-candidate="{c.pk}"') < html.index(f'data-candidate="{other.pk}"')
    assert "已逾期" in html and "2026年计划发展" in html and "尚差 2 名" in html


def test_board_query_count_is_fixed(cast, client_for):
    client = client_for("secretary")
    walk_to_candidate(cast)
    client.get(url("board", cast))
    with CaptureQueriesContext(connection) as small:
        client.get(url("board", cast))
    for i in range(6):
        p = PersonFactory(branch=cast.branch, name=f"申请人{i}", standing=Standing.MASSES, admitted_on=None, full_on=None)
        c = services.open_file(actor=cast.secretary, branch=cast.branch, person=p, application_date=D("2025-03-03"),
                               calendar=CAL)
        services.record_step(actor=cast.secretary, candidate=c, step="activist", date=D("2025-04-10"), calendar=CAL)
        services.record_thought_report(actor=cast.secretary, candidate=c, received_on=D("2025-07-01"))
    with CaptureQueriesContext(connection) as big:
        client.get(url("board", cast))
    assert len(big.captured_queries) == len(small.captured_queries)
    assert len(big.captured_queries) <= BOARD_QUERIES, [q["sql"] for q in big.captured_queries]


def test_member_and_outsider_cannot_see_the_board(cast, client_for):
    assert client_for("member").get(url("board", cast)).status_code == 403
    assert client_for("outsider").get(url("board", cast)).status_code == 404
    assert client_for("auditor").get(url("board", cast)).status_code == 200


def test_step_form_blocks_with_source_and_secretary_overrides(cast, client_for):
    c = walk_to_candidate(cast)
    step_url = url("step", cast, candidate_id=c.pk, step="candidate_publicity")
    committee = client_for("committee")
    r = committee.post(step_url, {"date": "2026-09-29", "end_date": "2026-10-09", "override_reason": "x"})
    html = r.content.decode()
    assert r.status_code == 400
    assert "仅 4 个工作日" in html and "发展党员工作细则（2026） 第13条" in html
    assert "override_reason" not in html  # only the secretary may override
    assert not Override.objects.exists()
    secretary = client_for("secretary")
    assert 'name="override_reason"' in secretary.get(step_url).content.decode()
    r = secretary.post(step_url, {"date": "2026-09-29", "end_date": "2026-10-09", "override_reason": "上级党委同意"})
    assert r.status_code == 302
    assert Override.objects.get(candidate=c).reason == "上级党委同意"
    page = secretary.get(url("candidate", cast, candidate_id=c.pk)).content.decode()
    assert "已按例外办理" in page and "上级党委同意" in page and 'data-rule="publicity_5_workdays"' in page


def test_file_page_and_forms(cast, client_for):
    c = walk_to_candidate(cast)
    s = client_for("secretary")
    page = s.get(url("candidate", cast, candidate_id=c.pk)).content.decode()
    assert "确定为发展对象" in page and "生成公示" in page
    r = s.post(url("thought_report", cast, candidate_id=c.pk), {"received_on": "2026-10-01"})
    assert r.status_code == 302 and c.thought_reports.count() == 1
    r = s.post(url("assessment", cast, candidate_id=c.pk), {"date": "2026-04-10", "assessor": "李组织"})
    assert r.status_code == 302 and c.assessments.count() == 2
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = s.post(url("upload", cast, candidate_id=c.pk),
               {"file": SimpleUploadedFile("申请书.pdf", b"%PDF-1.4"), "kind": "other", "step": "application"})
    assert r.status_code == 302
    doc = Document.objects.get(candidate=c, generated=False)
    r = s.get(url("document", cast, candidate_id=c.pk, doc_id=doc.pk))
    assert r.content == b"%PDF-1.4" and r["Content-Type"] == "application/pdf"


def test_generate_downloads_and_keeps_the_document(cast, client_for):
    c, _ = admitted(cast)
    s = client_for("secretary")
    r = s.post(url("generate", cast, candidate_id=c.pk, kind="publicity"), {"start": "2026-09-29"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "2026年9月29日至2026年10月10日" in text
    r = s.post(url("generate", cast, candidate_id=c.pk, kind="ballot"))
    assert len(docx.Document(io.BytesIO(r.content)).tables) == 12
    assert Document.objects.filter(candidate=c, generated=True).count() == 2
    assert AuditEntry.objects.filter(action="development.generate_document").count() == 2
    assert client_for("member").post(url("generate", cast, candidate_id=c.pk, kind="ballot")).status_code == 403


def test_open_file_page(cast, client_for):
    s = client_for("secretary")
    person = next(p for p in cast.people if p.name == "陈老师")
    r = s.post(url("candidate_new", cast), {"person": person.pk, "application_date": "2025-03-03"})
    assert r.status_code == 302
    assert Candidate.objects.get(person=person).steps.get().step == "application"


def test_quota_and_frequency_page(cast, client_for):
    s = client_for("secretary")
    assert s.post(url("quota", cast), {"form": "quota", "year": 2026, "planned": 2}).status_code == 302
    assert s.post(url("quota", cast), {"form": "frequency", "months": 1}).status_code == 302
    cast.branch.refresh_from_db()
    assert services.thought_report_months(cast.branch) == 1
    assert "计划发展 2 名" in s.get(url("quota", cast)).content.decode()


def test_templates_page_branch_and_district(cast, client_for):
    d = docx.Document()
    d.add_paragraph("本区表决票 {{name}}")
    out = io.BytesIO()
    d.save(out)
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin = client_for("district_admin")
    district_url = reverse("development:templates", kwargs={"org_id": cast.district.pk})
    r = admin.post(district_url, {"kind": "ballot", "file": SimpleUploadedFile("b.docx", out.getvalue())})
    assert r.status_code == 302
    page = client_for("secretary").get(url("templates", cast)).content.decode()
    assert cast.district.name in page
    r = client_for("secretary").get(url("template_file", cast, kind="ballot"))
    assert "本区表决票" in docx.Document(io.BytesIO(r.content)).paragraphs[0].text
    assert client_for("secretary").get(district_url).status_code == 404
    assert client_for("member").get(url("templates", cast)).status_code == 403


def test_branch_panel_on_home_and_fixed_queries(cast, client_for):
    walk_to_candidate(cast)
    s = client_for("secretary")
    home = reverse("orgs:home", args=[cast.branch.pk])
    html = s.get(home).content.decode()
    assert 'id="development-panel"' in html and "发展对象的确定和考察 1" in html
    from zhibu.development.panels import branch_panel
    from django.test import RequestFactory

    request = RequestFactory().get(home)
    request.user = cast.secretary
    branch_panel(request, cast.branch)
    with CaptureQueriesContext(connection) as ctx:
        branch_panel(request, cast.branch)
    assert len(ctx.captured_queries) == 1
    assert 'id="development-panel"' not in client_for("member").get(home).content.decode()
    district = client_for("district_admin").get(reverse("orgs:home", args=[cast.district.pk])).content.decode()
    assert "节假日与调休维护" in district


def test_reminders_are_unique_and_cover_each_kind(cast):
    c, _ = admitted(cast)
    services.record_step(actor=cast.secretary, candidate=c, step="approval_talk", date=D("2026-11-05"), calendar=CAL)
    items = list(reminders.collect(D("2027-10-10")))
    keys = [r.key for r in items]
    assert len(keys) == len(set(keys))
    assert any(k.startswith("development:probation:2027-10-28") for k in keys)
    assert any(k.startswith("development:thought:") for k in keys)
    assert any(k.startswith("development:approval:approval:") for k in keys)
    assert all(cast.secretary in r.users for r in items)
    from zhibu.core import notify

    with clock.frozen(D("2027-10-10")):
        first = notify.run(D("2027-10-10"))
        second = notify.run(D("2027-10-10"))
    assert first.sent >= 3 and second.sent == 0


def test_assessment_reminder_for_an_activist(cast):
    c = open_(cast)
    services.record_step(actor=cast.secretary, candidate=c, step="activist", date=D("2025-04-10"), calendar=CAL)
    keys = [r.key for r in reminders.collect(D("2025-10-01"))]
    assert f"development:assessment:2025-10-10:c={c.pk}" in keys


def test_demo_generates_files_at_varied_stages(db):
    from zhibu.orgs import demo as org_demo
    from zhibu.development import demo

    ctx = org_demo.generate(branches=3, members=15, year=2026, seed=3, progress=io.StringIO())
    ctx.rng = random.Random(1)
    demo.generate(ctx)
    stages = set(Candidate.objects.values_list("stage", flat=True))
    assert len(stages) >= 3
    assert StepRecord.objects.count() > 20
    assert Candidate.objects.filter(open_violations=0).count() == Candidate.objects.count()
    # an extension case, and the stored status is the one `timeline.derive` gives (not re-derived)
    extension = StepRecord.objects.get(step="extension")
    assert extension.months == 6
    from zhibu.development import timeline

    for c in Candidate.objects.select_related("person").prefetch_related("steps", "links", "assessments", "overrides"):
        status = timeline.derive(c, calendar=CAL, as_of=min(clock.today(), D("2026-12-31")))
        assert status.stored() == {k: getattr(c, k) for k in status.stored()}, c
        if c.pk == extension.candidate_id:
            assert status.extended_months == 6
