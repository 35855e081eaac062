"""Thin views: fetch through zhibu.orgs.access, write through services, render."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.core.documents import web as documents_web
from zhibu.core.documents.dates import signing_date
from zhibu.core.http import docx_response, download
from zhibu.approvals import selectors as approval_selectors
from zhibu.development import approvals as approval_steps
from zhibu.development import documents, rules, selectors, services, timeline
from zhibu.development.forms import (
    AssessmentForm,
    FrequencyForm,
    OpenFileForm,
    QuotaForm,
    StepForm,
    SubmitForm,
    TemplateForm,
    ThoughtReportForm,
    UploadForm,
)
from zhibu.development.models import (
    GENERATED_KINDS,
    Candidate,
    DocKind,
    DocTemplate,
    Document,
)
from zhibu.orgs.models import OrgKind
from zhibu.workdays.selectors import get_calendar


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need)


can_override = access.can_override  # who may: zhibu.orgs.access


def _candidate(request: HttpRequest, org, candidate_id: int) -> Candidate:
    return access.get_object(request, selectors.candidates(org, include_archived=True), candidate_id, org=org)


@login_required
def board(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    if org.kind != OrgKind.BRANCH:
        return redirect("development:templates", org_id=org.pk)
    data = selectors.board(org, calendar=get_calendar(request), today=today)
    return render(request, "development/board.html", {
        "org": org, "board": data, "today": today, "can_manage": access.get_scope(request).can(org, access.MANAGE),
    })


@login_required
def candidate_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    form = OpenFileForm(request.POST or None, people=selectors.eligible_applicants(org),
                        initial={"application_date": clock.today()})
    blocked = []
    override = can_override(request, org)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.open_file(
                actor=request.user, branch=org, person=form.cleaned_data["person"],
                application_date=form.cleaned_data["application_date"], notes=form.cleaned_data["notes"],
                override_reason=request.POST.get("override_reason", "") if override else "",
                calendar=get_calendar(request))
        except services.StepBlocked as exc:
            blocked = exc.violations
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已为 {candidate.person.name} 建立发展党员档案")
            return redirect("development:candidate", org_id=org.pk, candidate_id=candidate.pk)
    return render(request, "development/open_file.html", {"org": org, "form": form, "blocked": blocked,
                                                          "can_override": override})


@login_required
def candidate(request: HttpRequest, org_id: int, candidate_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    return _candidate_page(request, org, _candidate(request, org, candidate_id))


def _candidate_page(request: HttpRequest, org, c: Candidate, status: int = 200, **bound) -> HttpResponse:
    """The candidate's page; `bound` replaces one of its forms with the one just posted (with its
    errors and what was typed)."""
    today = clock.today()
    calendar = get_calendar(request)
    card = selectors.card(c, calendar=calendar, today=today, months=services.thought_report_months(org))
    result = card.result
    records = {s.step: s for s in c.steps.all()}
    meetings = {m: {"passed": timeline.passed(records[m]), "label": "通过" if timeline.passed(records[m]) else "未通过"}
                for m in timeline.MEETINGS if m in records and timeline.passed(records[m]) is not None}
    publicity = next((s for s in c.steps.all() if s.step == rules.PUBLICITY), None)
    suggested_start = publicity.date if publicity else today
    return render(request, "development/candidate.html", {
        "org": org, "c": c, "card": card, "status": card.status, "result": result,
        "rows": selectors.step_rows(c, result),
        "today": today, "documents": selectors.documents(c), "meetings": meetings,
        "can_manage": access.get_scope(request).can(org, access.MANAGE),
        "thought_form": ThoughtReportForm(initial={"received_on": today}),
        "assessment_form": AssessmentForm(initial={"date": today}),
        "upload_form": UploadForm(), "generated_kinds": [(k, DocKind(k).label) for k in GENERATED_KINDS],
        "publicity_start": suggested_start,
        "publicity_end": documents.publicity_end(suggested_start, calendar),
        "next_keys": [n.step for n in result.next],
        "recordable": [(k, rules.step_name(k, result.rules)) for k in timeline.RECORDABLE],
        "outcomes": _outcomes(card.status, records),
        **_approval_context(c, records),
        **bound,
    }, status=status)


def _approval_context(c: Candidate, records) -> dict:
    """The file's requests to the 上级党委 (latest per step) and which steps are sent up, not recorded."""
    latest = approval_selectors.for_subject_by_kind(c, list(approval_steps.KIND_STEPS))
    by_step = {approval_steps.KIND_STEPS[k]: a for k, a in latest.items()}
    awaiting = [s for s in approval_steps.APPROVED_ON
                if s in records and records[s].approved_on is None and timeline.passed(records[s]) is not False
                and not (s in by_step and by_step[s].state == "pending")]
    return {"step_approvals": by_step, "approval_steps": approval_steps.STEPS,
            "created_by_approval": approval_steps.CREATED_BY_APPROVAL, "awaiting_approval": awaiting,
            "open_approvals": [a for a in by_step.values() if a.is_open]}


def _outcomes(status, records) -> list[tuple[str, str]]:
    """At the end of 预备期 (once approved as 预备党员): the 支部大会's choices not yet decided —
    转正, 延长预备期 (once), 取消预备党员资格 (rules2.md §9)."""
    if status.cancelled or "approval" not in records or "full_approval" in records:
        return []
    extended = rules.EXTENSION in records and timeline.passed(records[rules.EXTENSION]) is not False
    steps = {rules.ProbationOutcome.CONFIRM: "full_meeting", rules.ProbationOutcome.EXTEND: rules.EXTENSION,
             rules.ProbationOutcome.CANCEL: rules.CANCELLATION}
    return [(steps[o], rules.OUTCOME_LABELS[o]) for o in rules.probation_options(extended=extended)]


def _default_should_attend(org) -> int:
    return selectors.full_members(org).count()


@login_required
def record_step(request: HttpRequest, org_id: int, candidate_id: int, step: str) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    if step not in timeline.RECORDABLE:
        raise Http404("未知步骤")
    if step in approval_steps.CREATED_BY_APPROVAL:  # decided by the 上级党委: sent up, not recorded here
        return _submit(request, org, c, step)
    existing = next((s for s in c.steps.all() if s.step == step), None)
    override = can_override(request, org)
    initial = {"date": clock.today(), "secret_ballot": True}
    if existing is not None:
        initial.update(date=existing.date, end_date=existing.end_date, actor_name=existing.actor, notes=existing.notes,
                       should_attend=existing.should_attend, present=existing.present, votes_for=existing.votes_for,
                       against=existing.against, abstain=existing.abstain, secret_ballot=existing.secret_ballot,
                       training_days=existing.training_days, training_hours=existing.training_hours,
                       months=existing.months, approved_on=existing.approved_on)
    elif step in timeline.MEETINGS:
        initial["should_attend"] = _default_should_attend(org)
    if step in timeline.COUNTED:
        role = timeline.COUNTED[step]
        initial["people"] = [link.person_id for link in c.links.all() if link.role == role]
    calendar = get_calendar(request)
    if step == rules.PUBLICITY and existing is None:
        initial["end_date"] = documents.publicity_end(initial["date"], calendar).date
    motions = selectors.branch_motions(org, clock.today()) if step in timeline.MEETINGS else None
    form = StepForm(request.POST or None, step=step, initial=initial, can_override=override,
                    members=selectors.full_members(org).exclude(pk=c.person_id), motions=motions)
    blocked = []
    if request.method == "POST" and form.is_valid():
        try:
            values = form.values()
            if step in approval_steps.APPROVED_ON:  # the 上级党委's date stays as its approval set it
                values["approved_on"] = existing.approved_on if existing is not None else None
            record = services.record_step(
                actor=request.user, candidate=c, step=step, calendar=calendar,
                override_reason=form.cleaned_data.get("override_reason", "") if override else "", **values)
        except services.StepBlocked as exc:
            blocked = exc.violations
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if timeline.passed(record) is False:
                messages.warning(request, f"已记录：{rules.step_name(step)}——表决未通过，未作出决议")
            else:
                messages.success(request, f"已记录：{rules.step_name(step)}")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "development/step_form.html", {
        "org": org, "c": c, "form": form, "step": step, "step_name": rules.step_name(step), "blocked": blocked,
        "can_override": override, "existing": existing,
    }, status=status)


@login_required
def submit(request: HttpRequest, org_id: int, candidate_id: int, step: str) -> HttpResponse:
    """报上级党委: a step the 上级党委 decides (development/approvals.py)."""
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    if step not in approval_steps.STEPS:
        raise Http404("该步骤不需报上级党委")
    return _submit(request, org, c, step)


def _submit(request: HttpRequest, org, c: Candidate, step: str) -> HttpResponse:
    latest = approval_selectors.for_subject(c, kind=approval_steps.STEP_KINDS[step])
    record = next((s for s in c.steps.all() if s.step == step), None)
    done = record is not None and (step not in approval_steps.APPROVED_ON or record.approved_on is not None)
    override = can_override(request, org)
    initial: dict = {"date": clock.today()}
    if latest is not None and latest.state == "returned":  # fix and send again: what was sent, to edit
        initial.update(notes=latest.payload.get("notes", ""), documents=latest.payload.get("documents", []))
    form = SubmitForm(request.POST or None, documents=selectors.documents(c), can_override=override,
                      initial=initial)
    blocked = []
    if request.method == "POST" and form.is_valid():
        try:
            services.request_approval(
                actor=request.user, candidate=c, step=step, submitted_on=form.cleaned_data["date"],
                notes=form.cleaned_data["notes"], documents=list(form.cleaned_data["documents"]),
                override_reason=form.cleaned_data.get("override_reason", "") if override else "",
                calendar=get_calendar(request))
        except services.StepBlocked as exc:
            blocked = exc.violations
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"已报上级党委：{rules.step_name(step)}，等待审批")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    return render(request, "development/submit_form.html", {
        "org": org, "c": c, "form": form, "step": step, "step_name": rules.step_name(step), "blocked": blocked,
        "can_override": override, "approval": latest, "record": record, "done": done,
        "pending": latest is not None and latest.state == "pending",
        "needs_meeting": step in approval_steps.APPROVED_ON and record is None,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def thought_report(request: HttpRequest, org_id: int, candidate_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    form = ThoughtReportForm(request.POST)
    if form.is_valid():
        try:
            services.record_thought_report(actor=request.user, candidate=c, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "已登记思想汇报")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    return _candidate_page(request, org, c, status=400, thought_form=form)


@login_required
@require_POST
def assessment(request: HttpRequest, org_id: int, candidate_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.record_assessment(actor=request.user, candidate=c, calendar=get_calendar(request),
                                       **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "已登记培养考察")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    return _candidate_page(request, org, c, status=400, assessment_form=form)


@login_required
@require_POST
def generate(request: HttpRequest, org_id: int, candidate_id: int, kind: str) -> HttpResponse:
    """Generate a document from the template, keep it in the file, and download it."""
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    if kind not in GENERATED_KINDS:
        raise Http404("未知文书")
    start = None
    if request.POST.get("start"):
        try:
            start = dt.date.fromisoformat(request.POST["start"])
        except ValueError:
            messages.error(request, "公示开始日期格式不正确")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    meeting = request.POST.get("meeting") or ("full_meeting" if c.stage == 5 else "admission_meeting")
    if meeting not in timeline.MEETINGS:
        raise Http404("未知会议")
    signed_on, date_error = signing_date(request.POST, None)
    if date_error:
        messages.error(request, date_error)
        return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    calendar, today = get_calendar(request), clock.today()
    reasons = documents.refusals(c, kind, calendar=calendar, today=today, meeting=meeting, start=start)
    if reasons:
        # only what the record supports; the secretary may proceed with a recorded reason
        reason = (request.POST.get("override_reason") or "").strip()[:500]
        if not (reason and can_override(request, org)):
            hidden = {k: request.POST.get(k, "") for k in ("start", "meeting", "date") if request.POST.get(k)}
            return documents_web.refused(
                request, heading=f"暂不能生成{DocKind(kind).label}", reasons=reasons,
                back_url=reverse("development:candidate", args=[org.pk, c.pk]), back_label="返回发展档案",
                hint="请先在发展档案中登记上述步骤。" if not can_override(request, org) else "",
                override_action=reverse("development:generate", args=[org.pk, c.pk, kind])
                if can_override(request, org) else "", hidden=hidden)
        documents.record_override(actor=request.user, candidate=c, kind=kind, reason=reason, refused=reasons)
    copies = None
    if kind == DocKind.BALLOT and not any(s.step == meeting and s.should_attend for s in c.steps.all()):
        copies = max(_default_should_attend(org), 1)
    try:
        filename, content = documents.generate(c, kind, calendar=calendar, today=today, start=start, meeting=meeting,
                                               copies=copies, signed_on=signed_on)
    except Exception as exc:  # noqa: BLE001 - a broken uploaded template must not be a 500
        if isinstance(exc, (Http404, PermissionDenied)):
            raise
        messages.error(request, f"生成失败，请检查模板：{exc}")
        return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    step = {DocKind.PUBLICITY: rules.PUBLICITY, DocKind.TALK: "application_talk", DocKind.ASSESSMENT: "assessments",
            DocKind.FULL_PUBLICITY: "full_application"}.get(kind, meeting)
    services.save_document(actor=request.user, candidate=c, kind=kind, name=filename, content=content,
                           generated=True, step=step)
    return docx_response(content, filename)


@login_required
@require_POST
def upload(request: HttpRequest, org_id: int, candidate_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    c = _candidate(request, org, candidate_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            services.save_document(actor=request.user, candidate=c, kind=form.cleaned_data["kind"], name=f.name,
                                   content=f.read(), generated=False, step=form.cleaned_data["step"])
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(request, f"已上传：{f.name}")
            return redirect("development:candidate", org_id=org.pk, candidate_id=c.pk)
    return _candidate_page(request, org, c, status=400, upload_form=form)


CONTENT_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@login_required
def document(request: HttpRequest, org_id: int, candidate_id: int, doc_id: int) -> HttpResponse:
    org = access.get_org(request, org_id, access.AUDIT)
    c = _candidate(request, org, candidate_id)
    doc = Document.objects.filter(pk=doc_id, candidate=c).first()
    if doc is None:
        raise Http404("未找到")
    ext = "." + doc.name.rsplit(".", 1)[-1].lower() if "." in doc.name else ""
    return download(bytes(doc.content), doc.name, CONTENT_TYPES.get(ext, "application/octet-stream"))


@login_required
def quota(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    today = clock.today()
    current = selectors.quota(org, today.year)
    quota_form = QuotaForm(request.POST if request.POST.get("form") == "quota" else None,
                           initial={"year": today.year, "planned": current.planned or 2})
    freq_form = FrequencyForm(request.POST if request.POST.get("form") == "frequency" else None,
                              initial={"months": services.thought_report_months(org)})
    if request.method == "POST":
        try:
            if quota_form.is_bound and quota_form.is_valid():
                services.set_quota(actor=request.user, branch=org, **quota_form.cleaned_data)
                messages.success(request, "已保存年度计划")
                return redirect("development:quota", org_id=org.pk)
            if freq_form.is_bound and freq_form.is_valid():
                services.set_thought_report_months(actor=request.user, branch=org, **freq_form.cleaned_data)
                messages.success(request, "已保存思想汇报频次")
                return redirect("development:quota", org_id=org.pk)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    quotas = org.dev_quotas.all()
    return render(request, "development/quota.html", {"org": org, "quota": current, "quota_form": quota_form,
                                                      "freq_form": freq_form, "quotas": quotas})


def _template_org(request: HttpRequest, org_id: int):
    """Branch templates: the branch's managers; district templates: the district admin."""
    org = access.get_org(request, org_id, access.VIEW)
    need = access.MANAGE if org.kind == OrgKind.BRANCH else access.ADMIN
    access.deny_or_404(access.get_scope(request), org, need)
    if org.kind == OrgKind.GROUP:
        raise Http404("党小组不设文书模板")
    return org


@login_required
def templates(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _template_org(request, org_id)
    form = TemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if request.POST.get("remove"):
            services.remove_template(actor=request.user, organisation=org, kind=request.POST["remove"])
            messages.success(request, "已删除，恢复使用上级或系统默认模板")
            return redirect("development:templates", org_id=org.pk)
        if form.is_valid():
            f = form.cleaned_data["file"]
            try:
                services.upload_template(actor=request.user, organisation=org, kind=form.cleaned_data["kind"],
                                         name=f.name, content=f.read())
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(request, "已上传模板")
                return redirect("development:templates", org_id=org.pk)
    own = {t.kind: t for t in DocTemplate.objects.filter(organisation=org).defer("content")}
    rows = []
    for kind in GENERATED_KINDS:
        _content, where = documents.resolve_template(org, kind)
        rows.append({"kind": kind, "label": DocKind(kind).label, "own": own.get(kind), "where": where,
                     "url": reverse("development:template_file", kwargs={"org_id": org.pk, "kind": kind})})
    return render(request, "development/templates.html", {"org": org, "form": form, "rows": rows,
                                                           "placeholders": documents.PLACEHOLDERS,
                                                           "status": 400 if form.errors else 200},
                  status=400 if form.errors else 200)


@login_required
def template_file(request: HttpRequest, org_id: int, kind: str) -> HttpResponse:
    org = _template_org(request, org_id)
    if kind not in GENERATED_KINDS:
        raise Http404("未知文书")
    content, _where = documents.resolve_template(org, kind)
    return docx_response(content, f"模板-{DocKind(kind).label}.docx")
