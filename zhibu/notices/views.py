"""Thin views of notices, guides and tasks: fetch through zhibu.orgs.access, write through services.

Levels: the district admin (ADMIN on the committee) sends notices, guides and tasks and reviews the
answers; the district auditor reads them. A branch's managers sign (签阅) and forward the branch's
notices and answer its tasks; a member sees and signs the notices addressed or forwarded to them."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.core.forms import apply_validation_error
from zhibu.notices import rules, selectors, services
from zhibu.notices.forms import AnswerForm, DecideForm, GuideForm, NoticeForm, TaskForm
from zhibu.notices.models import Answer, AnswerState, Notice, Recipient, RecipientKind, StoredFile, Task
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind, Person


def _can(request, org, need) -> bool:
    return access.get_scope(request).can(org, need)


def _me(request: HttpRequest, org) -> Person | None:
    return Person.objects.filter(user_id=request.user.pk or 0, branch=org, active=True).first()


def _committee(request: HttpRequest, org_id: int, need: str) -> Organisation:
    """A committee's page: a branch (or 党小组) is refused (403, the district acts here)."""
    org = access.get_org(request, org_id, need)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise PermissionDenied("此功能由上级党组织办理")
    return org


def _send_file(f: StoredFile) -> HttpResponseBase:
    try:
        handle = f.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=f.content_type, as_attachment=not f.is_image, filename=f.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the branch's side -------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """The branch's inbox (for its managers), the notices addressed or forwarded to me, this month's
    guide and the tasks to answer."""
    org = access.get_branch(request, org_id, access.VIEW, follow_group=True)
    if org.kind != OrgKind.BRANCH:  # pragma: no cover - get_branch guarantees it
        raise Http404
    manager = _can(request, org, access.AUDIT)
    me = _me(request, org)
    today = clock.today()
    rows = selectors.inbox(org, manager=manager, person=me)
    guide = selectors.guide_for(org, today.year, today.month)
    return render(
        request,
        "notices/index.html",
        {
            "org": org,
            "branch_rows": [r for r in rows if r.kind == RecipientKind.BRANCH],
            "my_rows": [r for r in rows if r.kind != RecipientKind.BRANCH],
            "guide": guide,
            "guide_kinds": selectors.kind_labels(guide.kinds) if guide else [],
            "answers": selectors.branch_answers(org) if manager else [],
            "can_manage": _can(request, org, access.MANAGE),
            "today": today,
        },
    )


def _notice_rows(request: HttpRequest, org, notice_id: int) -> tuple[Notice, list[Recipient]]:
    manager = _can(request, org, access.AUDIT)
    rows = selectors.rows_for(notice_id, org, manager=manager, person=_me(request, org))
    if not rows:
        raise Http404("未找到")
    return rows[0].notice, rows


@login_required
def notice(request: HttpRequest, org_id: int, notice_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    n, rows = _notice_rows(request, org, notice_id)
    branch_row = next((r for r in rows if r.kind == RecipientKind.BRANCH), None)
    my_row = next((r for r in rows if r.kind != RecipientKind.BRANCH), None)
    return render(
        request,
        "notices/notice.html",
        {
            "org": org,
            "notice": n,
            "files": list(n.files.all()),
            "branch_row": branch_row,
            "my_row": my_row,
            "forwarded": selectors.forwarded_rows(n, org) if branch_row else [],
            "can_manage": _can(request, org, access.MANAGE),
        },
    )


@login_required
def notice_file(request: HttpRequest, org_id: int, notice_id: int, file_id: int) -> HttpResponseBase:
    """An attachment: for the committee that sent it, or for a branch (or person) it was sent to."""
    org = access.get_org(request, org_id, access.VIEW)
    found: Notice | None
    if org.kind == OrgKind.BRANCH:
        found, _rows = _notice_rows(request, org, notice_id)
    else:
        access.deny_or_404(access.get_scope(request), org, access.AUDIT)
        found = Notice.objects.filter(pk=notice_id, sender=org).first()
    if found is None:
        raise Http404("未找到")
    f = selectors.file_of_notice(found, file_id)
    if f is None:
        raise Http404("未找到")
    return _send_file(f)


def _recipient(request: HttpRequest, org, recipient_id: int) -> Recipient:
    r = cast(
        Recipient,
        access.get_object(
            request, Recipient.objects.select_related("notice", "branch", "person"), recipient_id, org=org
        ),
    )
    if r.kind == RecipientKind.BRANCH:
        if not _can(request, org, access.MANAGE):
            raise PermissionDenied("由支部书记或支委签阅")
    elif r.person is None or r.person.user_id != request.user.pk:
        raise PermissionDenied("只能签阅发给本人的通知")
    return r


@login_required
@require_POST
def read(request: HttpRequest, org_id: int, recipient_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.VIEW)
    r = _recipient(request, org, recipient_id)
    if services.mark_read(actor=request.user, recipient=r):
        messages.success(request, "已签阅。")
    else:
        messages.info(request, f"此前已签阅（{r.read_at:%Y-%m-%d %H:%M}）。")
    return redirect("notices:notice", org_id=org.pk, notice_id=r.notice_id)


@login_required
@require_POST
def forward(request: HttpRequest, org_id: int, recipient_id: int) -> HttpResponse:
    org = access.get_branch(request, org_id, access.MANAGE)
    r = _recipient(request, org, recipient_id)
    try:
        n = services.forward(actor=request.user, recipient=r)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已转发给{n}名党员，阅读情况见下表。")
    return redirect("notices:notice", org_id=org.pk, notice_id=r.notice_id)


@login_required
def answer(request: HttpRequest, org_id: int, task_id: int) -> HttpResponse:
    """The branch's answer to a task: 报送 (text/file), or confirm what the records say."""
    org = access.get_branch(request, org_id, access.AUDIT if request.method == "GET" else access.MANAGE)
    a = (
        Answer.objects.select_related("task", "task__district", "file", "branch")
        .filter(task_id=task_id, branch=org)
        .first()
    )
    if a is None:
        raise Http404("未找到")
    task = a.task
    derived = task.kind != rules.MATERIAL
    form = AnswerForm(request.POST or None, request.FILES or None) if not derived else None
    status = 200
    if request.method == "POST":
        try:
            if derived:
                services.confirm_answer(actor=request.user, answer=a)
                messages.success(request, "已确认，报送完成。")
                return redirect("notices:answer", org_id=org.pk, task_id=task.pk)
            if form is not None and form.is_valid():
                services.submit_answer(
                    actor=request.user, answer=a, text=form.cleaned_data["text"], upload=form.cleaned_data["upload"]
                )
                messages.success(request, "已报送，等待上级审核。")
                return redirect("notices:answer", org_id=org.pk, task_id=task.pk)
        except ValidationError as exc:
            if form is not None:
                apply_validation_error(form, exc)
            else:
                messages.error(request, "；".join(exc.messages))
        status = 400
    today = clock.today()
    return render(
        request,
        "notices/answer.html",
        {
            "org": org,
            "task": task,
            "answer": a,
            "form": form,
            "derived": derived,
            "derived_text": selectors.derived_answer(task.kind, org, task.year, today) if derived else "",
            "kind_label": rules.TASK_KINDS.get(task.kind, task.kind),
            "open": a.state in (AnswerState.TODO, AnswerState.RETURNED),
            "can_manage": _can(request, org, access.MANAGE),
            "today": today,
        },
        status=status,
    )


@login_required
def answer_file(request: HttpRequest, org_id: int, answer_id: int) -> HttpResponseBase:
    org = access.get_org(request, org_id, access.AUDIT)
    qs = Answer.objects.select_related("file", "task")
    if org.kind == OrgKind.BRANCH:
        qs = qs.filter(branch=org)
    else:
        qs = qs.filter(task__district=org)
    a = qs.filter(pk=answer_id).first()
    if a is None:
        raise Http404("未找到")
    if a.file is None:
        raise Http404("未上传文件")
    return _send_file(a.file)


# --- the district's side ----------------------------------------------------------------------------


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Notices sent with their 签阅 rate, this month's guide, tasks with their completion rate."""
    org = _committee(request, org_id, access.AUDIT)
    today = clock.today()
    return render(
        request,
        "notices/district.html",
        {
            "org": org,
            "notices": selectors.sent_notices(org),
            "tasks": selectors.tasks_of(org)[:10],
            "guides": selectors.guides_of(org)[:3],
            "can_admin": _can(request, org, access.ADMIN),
            "today": today,
        },
    )


@login_required
def notice_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.ADMIN)
    form = NoticeForm(request.POST or None, request.FILES or None, sender=org)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                n = services.send_notice(
                    actor=request.user,
                    sender=org,
                    title=d["title"],
                    body=d["body"],
                    sign_by=d["sign_by"],
                    branches=d["branches"],
                    people=d["people"],
                    uploads=d["attachments"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已发送“{n.title}”。")
                return redirect("notices:sent", org_id=org.pk, notice_id=n.pk)
        status = 400
    return render(request, "notices/notice_form.html", {"org": org, "form": form}, status=status)


@login_required
def sent(request: HttpRequest, org_id: int, notice_id: int) -> HttpResponse:
    """签阅 per branch: who signed and when, the members a branch forwarded it to; the unread first."""
    org = _committee(request, org_id, access.AUDIT)
    n = Notice.objects.filter(pk=notice_id, sender=org).select_related("sent_by").first()
    if n is None:
        raise Http404("未找到")
    return render(
        request,
        "notices/sent.html",
        {
            "org": org,
            "view": selectors.notice_view(n),
            "can_admin": _can(request, org, access.ADMIN),
            "reminded_today": selectors.reminded_on(n, clock.today()),
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest, org_id: int, notice_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.ADMIN)
    n = Notice.objects.filter(pk=notice_id, sender=org).first()
    if n is None:
        raise Http404("未找到")
    try:
        reached = services.remind_unread(actor=request.user, notice=n)
    except ValidationError as exc:
        messages.info(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已提醒{reached}人。")
    return redirect("notices:sent", org_id=org.pk, notice_id=n.pk)


@login_required
def guides(request: HttpRequest, org_id: int) -> HttpResponse:
    """The monthly 组织生活指南: the list, and (district admin) the form for a new month."""
    org = _committee(request, org_id, access.AUDIT if request.method == "GET" else access.ADMIN)
    today = clock.today()
    form = GuideForm(request.POST or None, initial={"year": today.year, "month": today.month})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                g = services.publish_guide(
                    actor=request.user,
                    district=org,
                    year=d["year"],
                    month=d["month"],
                    theme=d["theme"],
                    materials=d["materials"],
                    deadline=d["deadline"],
                    kinds=d["kinds"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已发布{g.year}年{g.month}月组织生活指南。")
                return redirect("notices:guides", org_id=org.pk)
        status = 400
    rows = [(g, selectors.kind_labels(g.kinds)) for g in selectors.guides_of(org)]
    return render(
        request,
        "notices/guides.html",
        {"org": org, "form": form, "guides": rows, "can_admin": _can(request, org, access.ADMIN)},
        status=status,
    )


@login_required
def tasks(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.AUDIT)
    return render(
        request,
        "notices/tasks.html",
        {
            "org": org,
            "tasks": selectors.tasks_of(org),
            "kinds": rules.TASK_KINDS,
            "can_admin": _can(request, org, access.ADMIN),
        },
    )


@login_required
def task_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.ADMIN)
    form = TaskForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                t = services.create_task(
                    actor=request.user,
                    district=org,
                    kind=d["kind"],
                    title=d["title"],
                    body=d["body"],
                    year=d["year"],
                    due_on=d["due_on"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"已发布任务“{t.title}”。")
                return redirect("notices:task", org_id=org.pk, task_id=t.pk)
        status = 400
    return render(
        request, "notices/task_form.html", {"org": org, "form": form, "rule": rules.SOURCE_REPORT_ONCE}, status=status
    )


@login_required
def task(request: HttpRequest, org_id: int, task_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.AUDIT)
    t = Task.objects.filter(pk=task_id, district=org).first()
    if t is None:
        raise Http404("未找到")
    answers = selectors.answers_of(t)
    done = sum(1 for a in answers if a.state in (AnswerState.APPROVED, AnswerState.CONFIRMED))
    return render(
        request,
        "notices/task.html",
        {
            "org": org,
            "task": t,
            "answers": answers,
            "done": done,
            "rate": rules.rate(done, len(answers)),
            "kind_label": rules.TASK_KINDS.get(t.kind, t.kind),
            "can_admin": _can(request, org, access.ADMIN),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, org_id: int, answer_id: int) -> HttpResponse:
    org = _committee(request, org_id, access.ADMIN)
    a = Answer.objects.filter(pk=answer_id, task__district=org).select_related("task", "branch").first()
    if a is None:
        raise Http404("未找到")
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择通过或退回。")
    else:
        try:
            services.decide_answer(
                actor=request.user,
                answer=a,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"{a.branch.name}：{a.get_state_display()}。")
    return redirect("notices:task", org_id=org.pk, task_id=a.task_id)
