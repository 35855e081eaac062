"""Thin views of 年终材料: fetch through zhibu.orgs.access, write through services, render.

Levels: the branch page, the job's progress and the downloads are read by the branch's managers and
the district admin/auditor above (AUDIT); building and submitting by the branch managers (MANAGE);
the district page by the district (AUDIT on a committee). Another branch's job or pack is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhibu.core import clock, jobs
from zhibu.core.forms import PeriodQueryForm
from zhibu.core.http import download as download_response
from zhibu.core.models import Job
from zhibu.orgs import access
from zhibu.yearend import rules, selectors, services
from zhibu.yearend.forms import SubmitForm
from zhibu.yearend.models import Submission

ZIP = "application/zip"


def _year(request: HttpRequest) -> tuple[int, str]:
    year, _month, error = PeriodQueryForm.period(request.GET, default_year=rules.default_year(clock.today()))
    return year, error


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need)


def _job(org, job_id: int) -> Job:
    """A job of this branch's packs (any other job is 404, like everything not visible)."""
    job = Job.objects.filter(pk=job_id, key__startswith=services.key_prefix(org.pk)).first()
    if job is None:
        raise Http404("未找到")
    return jobs.get(job.pk, job.key) or job


def _job_year(job: Job) -> int:
    return int(job.arguments.get("year") or job.key.rsplit(":", 1)[-1])


def _job_context(org, job: Job | None) -> dict:
    if job is None:
        return {"job": None}
    return {
        "job": job,
        "poll_url": reverse("yearend:job", args=[org.pk, job.pk]),
        "download_url": reverse("yearend:download", args=[org.pk, job.pk]) if job.state == Job.DONE else "",
    }


def _page(
    request: HttpRequest, org, year: int, *, form: SubmitForm | None = None, status: int = 200, error: str = ""
) -> HttpResponse:
    scope = access.get_scope(request)
    job = jobs.latest(services.pack_key(org.pk, year))
    return render(
        request,
        "yearend/index.html",
        {
            "org": org,
            "year": year,
            "years": [year - 1, year + 1],
            "error": error,
            "can_manage": scope.can(org, access.MANAGE),
            "submissions": selectors.submissions(org, year),
            "form": form or SubmitForm(),
            **_job_context(org, job),
        },
        status=status,
    )


@login_required
@require_GET
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """The year's pack: build it, follow the progress, download it, submit it; earlier submissions."""
    org = _branch(request, org_id, access.AUDIT)
    year, error = _year(request)
    return _page(request, org, year, error=error)


@login_required
@require_POST
def build(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    year, error = _year(request)
    if error:
        messages.error(request, error)
        return redirect(reverse("yearend:index", args=[org.pk]))
    _job_, started = services.start_build(actor=request.user, branch=org, year=year)
    messages.success(request, "已开始生成，请稍候。" if started else "材料包正在生成中，请稍候。")
    return redirect(reverse("yearend:index", args=[org.pk]) + f"?year={year}")


@login_required
@require_GET
def job(request: HttpRequest, org_id: int, job_id: int) -> HttpResponse:
    """The job's progress (polled by the page every second while it runs); once it has finished, an
    htmx poll reloads the page so that the download and the submission form appear."""
    org = _branch(request, org_id, access.AUDIT)
    found = _job(org, job_id)
    response = render(request, "core/job.html", _job_context(org, found))
    if request.headers.get("HX-Request") and not found.active:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def download(request: HttpRequest, org_id: int, job_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    found = _job(org, job_id)
    content = jobs.read_result(found)
    if content is None:
        raise Http404("材料包尚未生成或已不存在")
    return download_response(content, found.result_name or services.pack_filename(org.name, _job_year(found)), ZIP)


@login_required
@require_POST
def submit(request: HttpRequest, org_id: int, job_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    found = _job(org, job_id)
    year = _job_year(found)
    form = SubmitForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, org, year, form=form, status=400)
    try:
        sub = services.submit(
            actor=request.user,
            branch=org,
            year=year,
            job=found,
            summary=form.cleaned_data["summary"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(reverse("yearend:index", args=[org.pk]) + f"?year={year}")
    messages.success(request, f"{sub.year}年年终材料已报送上级党组织。")
    return redirect(reverse("yearend:index", args=[org.pk]) + f"?year={year}")


@login_required
@require_GET
def submission_file(request: HttpRequest, org_id: int, submission_id: int) -> HttpResponse:
    """The pack exactly as submitted."""
    org = _branch(request, org_id, access.AUDIT)
    sub = Submission.objects.filter(pk=submission_id, branch=org).first()
    if sub is None:
        raise Http404("未找到")
    try:
        with sub.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404("文件不存在") from None
    return download_response(content, sub.filename, ZIP)


@login_required
@require_GET
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Which branches below have submitted the year's pack (not yet submitted first); opened on a
    branch, its own row (like the other district pages)."""
    org = access.get_org(request, org_id, access.AUDIT)
    year, error = _year(request)
    rows = selectors.district_rows(org, year)
    return render(
        request,
        "yearend/district.html",
        {
            "org": org,
            "year": year,
            "error": error,
            "rows": rows,
            "years": [year - 1, year + 1],
            "submitted": sum(1 for r in rows if r.latest is not None),
        },
    )
