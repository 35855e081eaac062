"""Thin views: fetch through zhibu.core.access, write through services, render."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import access, clock
from zhibu.core.forms import apply_validation_error
from zhibu.core.http import docx_response, xlsx_response
from zhibu.orglife import documents, exports, rules, selectors, services
from zhibu.orglife.forms import (
    AttachmentForm,
    AttendanceForm,
    ConfigForm,
    DistrictFilterForm,
    HeartTalkForm,
    MakeUpDoneForm,
    MeetingForm,
    MotionForm,
)
from zhibu.orglife.models import Attachment, MakeUpTask, Meeting, MeetingKind
from zhibu.orgs.models import OrgKind, Person

DISTRICT_PAGE_SIZE = 50


def _year(request: HttpRequest) -> int:
    from zhibu.core.forms import PeriodQueryForm

    return PeriodQueryForm.period(request.GET)[0]


def _branch(request: HttpRequest, org_id: int, need: str = access.VIEW):
    return access.get_branch(request, org_id, need)


def _meeting(request: HttpRequest, org, meeting_id: int) -> Meeting:
    return access.get_object(request, Meeting.objects.select_related("branch", "group", "host", "recorder"), meeting_id, org=org)


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    org = access.get_org(request, org_id)
    if org.kind == OrgKind.GROUP:
        return redirect("orglife:index", org_id=org.parent_id)
    if org.kind != OrgKind.BRANCH:
        return redirect("orglife:district", org_id=org.pk)
    year = _year(request)
    kind = request.GET.get("kind") or ""
    if kind not in MeetingKind.values:
        kind = ""
    scope = access.get_scope(request)
    return render(request, "orglife/index.html", {
        "org": org, "year": year, "kind": kind, "kinds": MeetingKind.choices,
        "meetings": selectors.meetings_of(org, year, kind or None),
        "can_manage": scope.can(org, access.MANAGE), "can_audit": scope.can(org, access.AUDIT),
    })


@login_required
def meeting_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in MeetingKind.values else {}
    form = MeetingForm(request.POST or None, branch=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(actor=request.user, branch=org, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已新建会议记录，请登记出勤")
            return redirect("orglife:meeting", org_id=org.pk, meeting_id=meeting.pk)
    return render(request, "orglife/form.html", {"org": org, "form": form, "title": "新建组织生活记录",
                                                  "back": reverse("orglife:index", args=[org.pk])})


@login_required
def meeting_edit(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    form = MeetingForm(request.POST or None, instance=meeting, branch=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orglife:meeting", org_id=org.pk, meeting_id=meeting.pk)
    return render(request, "orglife/form.html", {"org": org, "form": form, "title": f"编辑：{meeting.topic}",
                                                  "back": reverse("orglife:meeting", args=[org.pk, meeting.pk])})


@login_required
@require_POST
def meeting_delete(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    services.delete_meeting(actor=request.user, meeting=meeting)
    messages.success(request, "已删除会议记录")
    return redirect("orglife:index", org_id=org.pk)


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = img.to_string(encoding="unicode")
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


@login_required
def meeting_detail(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    meeting = _meeting(request, org, meeting_id)
    scope = access.get_scope(request)
    can_manage = scope.can(org, access.MANAGE)
    detail = selectors.meeting_detail(meeting)
    config = services.get_config(org)
    signin_url = request.build_absolute_uri(reverse("orglife:signin", args=[org.pk, meeting.signin_token]))
    opens, closes = services.signin_window(meeting, config)
    return render(request, "orglife/meeting_detail.html", {
        "org": org, "m": meeting, "d": detail, "can_manage": can_manage,
        "full_view": scope.sees_sensitive_lists(org),
        "signin_url": signin_url, "qr": _qr_svg(signin_url) if can_manage else "",
        "signin_state": services.signin_state(meeting, config), "opens": opens, "closes": closes,
        "motion_form": MotionForm() if can_manage and meeting.kind == MeetingKind.PARTY_CONGRESS else None,
        "attachment_form": AttachmentForm() if can_manage else None,
    })


@login_required
def attendance(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    if request.method == "POST":
        form = AttendanceForm(request.POST, rows=selectors.attendance_rows(meeting))
        if form.is_valid():
            try:
                services.record_attendance(actor=request.user, meeting=meeting, entries=form.entries())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "出勤已保存")
                return redirect("orglife:meeting", org_id=org.pk, meeting_id=meeting.pk)
    else:
        rows = selectors.attendance_rows(meeting)
        form = AttendanceForm(rows=rows)
    return render(request, "orglife/attendance.html", {"org": org, "m": meeting, "form": form})


@login_required
@require_POST
def motion_new(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            motion = services.add_motion(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            (messages.success if motion.passed else messages.error)(
                request, f"表决结果：{'通过' if motion.passed else '未通过'}。{motion.reason}")
    else:
        messages.error(request, "表决票数填写有误：" + ";".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("orglife:meeting", args=[org.pk, meeting.pk]) + "#motions")


@login_required
@require_POST
def attachment_new(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(request, "附件已上传")
    else:
        messages.error(request, ";".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("orglife:meeting", args=[org.pk, meeting.pk]) + "#attachments")


def _attachment(request, org, meeting_id: int, attachment_id: int) -> Attachment:
    meeting = _meeting(request, org, meeting_id)
    att = Attachment.objects.filter(pk=attachment_id, meeting=meeting).select_related("meeting").first()
    if att is None:
        raise Http404("未找到")
    return att


@login_required
def attachment_download(request: HttpRequest, org_id: int, meeting_id: int, attachment_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    att = _attachment(request, org, meeting_id, attachment_id)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, content_type=att.content_type, as_attachment=att.content_type == "application/pdf",
                            filename=att.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, org_id: int, meeting_id: int, attachment_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    att = _attachment(request, org, meeting_id, attachment_id)
    services.delete_attachment(actor=request.user, attachment=att)
    messages.success(request, "附件已删除")
    return redirect(reverse("orglife:meeting", args=[org.pk, meeting_id]) + "#attachments")


@login_required
def signin(request: HttpRequest, org_id: int, token: str) -> HttpResponse:
    """The meeting link (QR code): a logged-in member of the branch marks themselves present."""
    org = _branch(request, org_id)
    meeting = Meeting.objects.select_related("branch", "group").filter(branch=org, signin_token=token).first()
    if meeting is None:
        raise Http404("未找到该会议")
    person = Person.objects.filter(user=request.user, branch=org, active=True).first()
    if person is None and not access.get_scope(request).can(org, access.MANAGE):
        raise PermissionDenied("只有本支部在册人员可以签到")
    if request.method == "POST":
        try:
            services.sign_in(actor=request.user, meeting=meeting)
        except ValidationError as exc:
            messages.error(request, ";".join(exc.messages))
        else:
            messages.success(request, "签到成功")
        return redirect("orglife:signin", org_id=org.pk, token=token)
    row = meeting.attendances.filter(person=person).first() if person else None
    config = services.get_config(org)
    opens, closes = services.signin_window(meeting, config)
    return render(request, "orglife/signin.html", {
        "org": org, "m": meeting, "person": person, "row": row, "state": services.signin_state(meeting, config),
        "opens": opens, "closes": closes,
    })


@login_required
def minutes_docx(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    meeting = _meeting(request, org, meeting_id)
    content = documents.minutes_docx(selectors.meeting_detail(meeting))
    return docx_response(content, f"会议记录-{meeting.date:%Y%m%d}-{meeting.get_kind_display()}.docx")


@login_required
def yearbook_docx(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year = _year(request)
    content = documents.yearbook_docx(org, year)
    return docx_response(content, f"{org.name}-{year}年会议记录本.docx")


@login_required
def makeups(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    scope = access.get_scope(request)
    can_manage = scope.can(org, access.MANAGE)
    if scope.sees_sensitive_lists(org):
        tasks = selectors.makeups_of(org)
    else:
        me = Person.objects.filter(user=request.user, branch=org).first()
        tasks = selectors.makeups_of(org, person=me) if me else MakeUpTask.objects.none()
    return render(request, "orglife/makeups.html", {"org": org, "tasks": tasks, "can_manage": can_manage,
                                                     "today": clock.today()})


@login_required
def makeup_done(request: HttpRequest, org_id: int, task_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    task = access.get_object(request, MakeUpTask.objects.select_related("meeting", "person", "branch"), task_id, org=org)
    form = MakeUpDoneForm(request.POST or None, initial={"done_on": clock.today(), "note": task.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_makeup(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"{task.person.name} 的补课已登记完成")
            return redirect("orglife:makeups", org_id=org.pk)
    return render(request, "orglife/form.html", {
        "org": org, "form": form, "title": f"补课完成：{task.person.name} · {task.meeting}",
        "back": reverse("orglife:makeups", args=[org.pk])})


@login_required
def talks(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    can_manage = access.get_scope(request).can(org, access.MANAGE)
    year = _year(request)
    today = clock.today()
    as_of = today if year == today.year else dt.date(year, 12, 31)
    form = HeartTalkForm(request.POST or None, branch=org, initial={"date": today})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("没有权限")
        if form.is_valid():
            try:
                services.record_heart_talk(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已登记谈心谈话")
                return redirect(reverse("orglife:talks", args=[org.pk]) + f"?year={year}")
    pairs = selectors.talk_pairs(org, year, as_of)
    from zhibu.orglife.models import HeartTalk

    recent = HeartTalk.objects.filter(branch=org, date__year=year).select_related("person_a", "person_b")
    return render(request, "orglife/talks.html", {
        "org": org, "year": year, "form": form if can_manage else None, "pairs": pairs,
        "missing": pairs.named(pairs.missing), "recent": recent,
        "source": rules.OBLIGATIONS_BY_KIND["heart_talk"].source,
    })


@login_required
def settings_view(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    config = services.get_config(org)
    obligations = {o.kind: o.frequency for o in selectors.obligations_of(config.frequencies)}
    initial = {"signin_before_minutes": config.signin_before_minutes, "signin_after_minutes": config.signin_after_minutes}
    initial |= {f"freq_{k}": v for k, v in obligations.items()}
    form = ConfigForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_config(actor=request.user, branch=org, frequencies=form.frequencies(),
                                signin_before_minutes=form.cleaned_data["signin_before_minutes"],
                                signin_after_minutes=form.cleaned_data["signin_after_minutes"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "设置已保存")
            return redirect("orglife:index", org_id=org.pk)
    return render(request, "orglife/settings.html", {"org": org, "form": form,
                                                      "obligations": selectors.obligations_of(config.frequencies),
                                                      "labels": rules.FREQUENCY_LABELS,
                                                      "back": reverse("orglife:index", args=[org.pk])})


# --- district ---------------------------------------------------------------------------------------


def district_params(request: HttpRequest) -> tuple[int, str, int | None, list[int] | None, dt.date]:
    today = clock.today()
    f = DistrictFilterForm(request.GET or None)
    data = f.cleaned_data if f.is_valid() else {}
    year = data.get("year") or today.year
    period = data.get("period") or "month"
    n = data.get("n")
    if period == "month":
        n = n or (today.month if year == today.year else 12)
    elif period == "quarter":
        n = min(n or ((today.month - 1) // 3 + 1 if year == today.year else 4), 4)
    else:
        n = None
    return year, period, n, selectors.months_for(period, n), today


def _district_org(request: HttpRequest, org_id: int):
    org = access.get_org(request, org_id)
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        return org, redirect("orglife:index", org_id=org.pk if org.kind == OrgKind.BRANCH else org.parent_id)
    return org, None


def period_label(year: int, period: str, n: int | None) -> str:
    if period == "month":
        return f"{year}年{n}月"
    if period == "quarter":
        return f"{year}年第{n}季度"
    return f"{year}年全年"


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    org, redirect_to = _district_org(request, org_id)
    if redirect_to:
        return redirect_to
    year, period, n, months, today = district_params(request)
    rows = selectors.district_grid(org, year=year, as_of=today, months=months)
    page = Paginator(rows, DISTRICT_PAGE_SIZE).get_page(request.GET.get("page"))
    overdue_branches = sum(1 for r in rows if r.overdue)
    query = f"year={year}&period={period}" + (f"&n={n}" if n else "")
    return render(request, "orglife/district.html", {
        "org": org, "page": page, "rows": page.object_list, "total": len(rows), "overdue_branches": overdue_branches,
        "obligations": rules.DEFAULT_OBLIGATIONS, "year": year, "period": period, "n": n,
        "label": period_label(year, period, n), "query": query, "status_labels": rules.STATUS_LABELS,
        "months": range(1, 13), "quarters": range(1, 5),
    })


@login_required
def district_export(request: HttpRequest, org_id: int) -> HttpResponse:
    org, redirect_to = _district_org(request, org_id)
    if redirect_to:
        org = access.get_org(request, org_id, access.AUDIT)
    year, period, n, months, today = district_params(request)
    rows = selectors.district_grid(org, year=year, as_of=today, months=months)
    label = period_label(year, period, n)
    return xlsx_response(exports.district_xlsx(org, rows, label), f"{org.name}-组织生活-{label}.xlsx")
