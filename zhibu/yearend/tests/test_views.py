"""The year-end pages: build (a job, idempotent while it runs), progress, download, submit; who may
do what (a pack is 404 to outsiders); the district's view of who has submitted, in pinned queries."""

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from zhibu.core import clock
from zhibu.core.models import AuditEntry, Job
from zhibu.orgs.models import OrgKind
from zhibu.orgs.testing import make_org
from zhibu.yearend import panels, services
from zhibu.yearend.models import Submission
from zhibu.yearend.tests.helpers import docx_text, open_pack

YEAR = 2026


def _url(name, org, **kw):
    return reverse(f"yearend:{name}", kwargs={"org_id": org.pk, **kw})


@pytest.fixture
def built(cast, settings, client_for, django_capture_on_commit_callbacks):
    """The cast branch's pack for 2026, built inline (the job runs when the request's transaction commits)."""
    settings.ZHIBU_JOBS_INLINE = True
    c = client_for("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(_url("build", cast.branch) + f"?year={YEAR}")
    assert response.status_code == 302
    job = Job.objects.get(key=services.pack_key(cast.branch.pk, YEAR))
    assert job.state == Job.DONE, job.message
    return c, job


def test_a_second_click_while_the_build_runs_shows_the_running_job(cast, client_for, settings):
    settings.ZHIBU_JOBS_INLINE = False
    c = client_for("secretary")
    first = c.post(_url("build", cast.branch) + f"?year={YEAR}")
    second = c.post(_url("build", cast.branch) + f"?year={YEAR}")
    assert first.status_code == second.status_code == 302
    assert Job.objects.filter(key=services.pack_key(cast.branch.pk, YEAR)).count() == 1
    assert AuditEntry.objects.filter(action="yearend.build").count() == 1
    page = c.get(_url("index", cast.branch) + f"?year={YEAR}").content.decode()
    job = Job.objects.get()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    assert _url("job", cast.branch, job_id=job.pk) in page
    assert 'id="build"' not in page  # no second build button while it runs
    partial = c.get(_url("job", cast.branch, job_id=job.pk), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "HX-Refresh" not in partial
    assert "排队中" in partial.content.decode()


def test_the_progress_poll_reloads_the_page_once_the_pack_is_ready(built, cast):
    c, job = built
    partial = c.get(_url("job", cast.branch, job_id=job.pk), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"
    page = c.get(_url("index", cast.branch) + f"?year={YEAR}").content.decode()
    assert 'id="job-download"' in page and 'id="submit"' in page and "hx-trigger" not in page


def test_the_pack_downloads_and_submits_with_who_what_and_when_and_the_same_pack_only_once(built, cast, client_for):
    c, job = built
    response = c.get(_url("download", cast.branch, job_id=job.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    content = response.content
    texts = open_pack(content)
    assert any("工作总结" in p for p in texts)
    with clock.frozen(dt.datetime(2027, 1, 5, 10, 0, tzinfo=clock.TZ)):
        r = c.post(_url("submit", cast.branch, job_id=job.pk), {"note": "按时报送"})
    assert r.status_code == 302
    sub = Submission.objects.get()
    assert (sub.branch, sub.year, sub.submitted_by) == (cast.branch, YEAR, cast.secretary)
    assert sub.sha256 == hashlib.sha256(content).hexdigest() and sub.size == len(content)
    assert sub.submitted_at == dt.datetime(2027, 1, 5, 10, 0, tzinfo=clock.TZ)
    assert AuditEntry.objects.filter(action="yearend.submit", object_id=str(sub.pk)).exists()
    assert c.get(_url("submission_file", cast.branch, submission_id=sub.pk)).content == content
    again = c.post(_url("submit", cast.branch, job_id=job.pk), {}, follow=True)
    assert "无需重复报送" in again.content.decode()
    assert Submission.objects.count() == 1
    district = client_for("district_admin").get(_url("district", cast.district) + f"?year={YEAR}").content.decode()
    assert "已报送" in district and "未报送" in district  # 阳光幼儿园 submitted, 育才小学 not


def test_an_edited_summary_replaces_the_draft_in_the_submitted_pack(built, cast):
    c, job = built
    from zhibu.core.documents import OUTWARD, Doc

    doc = Doc(kind=OUTWARD, title="总结", creator="中共阳光幼儿园党支部", created=clock.now())
    doc.para("阳光幼儿园党支部2026年度工作总结（修改稿）")
    edited = doc.to_bytes()
    r = c.post(_url("submit", cast.branch, job_id=job.pk), {"summary": ContentFile(edited, name="总结.docx")})
    assert r.status_code == 302
    sub = Submission.objects.get()
    assert sub.summary_edited
    with sub.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        summary = next(n for n in archive.namelist() if n.endswith("工作总结.docx"))
        assert "修改稿" in docx_text(archive.read(summary))
        assert not any("初稿" in n for n in archive.namelist())


@pytest.mark.parametrize("upload", [b"not a word file", b"PK\x03\x04broken"])
def test_a_summary_that_is_not_a_word_document_is_refused_in_chinese(built, cast, upload):
    c, job = built
    r = c.post(_url("submit", cast.branch, job_id=job.pk), {"summary": ContentFile(upload, name="总结.docx")})
    assert r.status_code == 400
    assert "Word" in r.content.decode() or "文件已损坏" in r.content.decode()
    assert not Submission.objects.exists()


def test_the_pack_is_404_to_outsiders_and_403_to_a_plain_member(built, cast, client_for):
    _c, job = built
    outsider = client_for("outsider")
    for name in ("download", "job"):
        assert outsider.get(_url(name, cast.branch, job_id=job.pk)).status_code == 404
        assert client_for("member").get(_url(name, cast.branch, job_id=job.pk)).status_code == 403
    assert outsider.post(_url("submit", cast.branch, job_id=job.pk)).status_code == 404
    # the job through another branch's address: 404 too, even for that branch's own secretary
    other = Job.objects.create(
        key=services.pack_key(cast.other_branch.pk, YEAR),
        func=services.BUILD_FUNC,
        created_at=clock.now(),
        state=Job.DONE,
    )
    assert _c.get(_url("download", cast.branch, job_id=other.pk)).status_code == 404
    assert client_for("district_admin").get(_url("download", cast.branch, job_id=job.pk)).status_code == 200


def test_a_year_out_of_range_builds_nothing_and_says_why(cast, client_for):
    c = client_for("secretary")
    r = c.post(_url("build", cast.branch) + "?year=1800", follow=True)
    assert "年份应在" in r.content.decode()
    assert not Job.objects.exists()


def test_a_job_whose_runner_stopped_is_marked_failed_and_the_next_click_starts_afresh(cast, client_for):
    start = clock.now() - dt.timedelta(minutes=30)
    stale = Job.objects.create(
        key=services.pack_key(cast.branch.pk, YEAR),
        func=services.BUILD_FUNC,
        created_at=start,
        started_at=start,
        heartbeat_at=start,
        state=Job.RUNNING,
    )
    c = client_for("secretary")
    page = c.get(_url("index", cast.branch) + f"?year={YEAR}").content.decode()
    assert "生成中断" in page and 'id="build"' in page
    stale.refresh_from_db()
    assert stale.state == Job.FAILED
    c.post(_url("build", cast.branch) + f"?year={YEAR}")
    assert Job.objects.filter(state=Job.QUEUED).count() == 1


def _submitted(branch, user, digest="a"):
    sub = Submission(
        branch=branch,
        year=YEAR,
        filename="p.zip",
        sha256=digest * 64,
        size=3,
        submitted_by=user,
        submitted_at=clock.now(),
    )
    sub.file.save("p.zip", ContentFile(b"abc"), save=False)
    sub.save()
    return sub


def test_the_district_page_reads_every_branch_in_pinned_queries(cast, client_for, django_assert_max_num_queries):
    c = client_for("district_admin")
    url = _url("district", cast.district) + f"?year={YEAR}"
    c.get(url)
    _submitted(cast.branch, cast.secretary)
    with django_assert_max_num_queries(20) as few:
        c.get(url)
    for i in range(8):
        b = make_org(f"新增{i}幼儿园党支部", OrgKind.BRANCH, cast.district)
        _submitted(b, cast.secretary, digest=str(i))
    with django_assert_max_num_queries(20) as many:
        r = c.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    page = r.content.decode()
    assert page.count("已报送</span>") == 9 and page.count("未报送</span>") == 1
    assert page.index("育才小学党支部") < page.index("阳光幼儿园党支部")  # not yet submitted first


def test_the_district_page_opened_on_a_branch_shows_its_own_row_and_nothing_to_outsiders(cast, client_for):
    page = client_for("secretary").get(_url("district", cast.branch)).content.decode()
    assert "阳光幼儿园党支部" in page and "育才小学党支部" not in page
    assert client_for("outsider").get(_url("district", cast.district)).status_code in (403, 404)
    assert client_for("outsider").get(_url("district", cast.branch)).status_code in (403, 404)


def test_the_panels_say_whether_the_year_is_submitted(cast, rf):
    def request_for(user):
        request = rf.get("/")
        request.user = user
        return request

    with clock.frozen(dt.date(2027, 1, 10)):  # January: the pack of the year just ended
        branch_html = panels.branch_panel(request_for(cast.secretary), cast.branch)
        assert "2026年度材料尚未报送" in branch_html
        assert panels.branch_panel(request_for(cast.member), cast.branch) is None
        sub = _submitted(cast.branch, cast.secretary)
        Submission.objects.filter(pk=sub.pk).update(year=2026)
        assert "2026年度材料已于" in panels.branch_panel(request_for(cast.secretary), cast.branch)
        assert "已报送 1/2 个支部" in panels.district_panel(request_for(cast.district_admin), cast.district)
        assert panels.district_panel(request_for(cast.secretary), cast.branch) is None
