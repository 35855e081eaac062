"""Thin views: fetch through zhibu.orgs.access, write through services, render."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.core.forms import apply_validation_error
from zhibu.core.documents import web as documents_web
from zhibu.core.http import docx_response, xlsx_response
from zhibu.orglife import documents, exports, rules, selectors, services
from zhibu.orglife.forms import (
    AttachmentForm,
    AttendanceForm,
    ConfigForm,
    DistrictFilterForm,
    HeartTalkForm,
    LeaveForm,
    MakeUpDoneForm,
    MeetingForm,
    MotionForm,
)
from zhibu.orglife.models import Attachment, MakeUpTask, Meeting, MeetingKind, MeetingState, Motion
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
        "today": clock.today(),
    })


@login_required
def meeting_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    initial = {"kind": request.GET.get("kind")} if request.GET.get("kind") in MeetingKind.values else {}
    form = MeetingForm(request.POST or None, branch=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_meeting_with_notice(actor=request.user, branch=org, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            meeting = result.meeting
            if meeting.is_scheduled():
                messages.success(request, f"已安排会议（{meeting.date.month}月{meeting.date.day}日），"
                                          f"已向{result.notified}人发送会议通知")
            elif result.notified:
                messages.success(request, f"已新建会议记录，已向{result.notified}人发送会议通知；会后请登记出勤")
            else:
                messages.success(request, "已新建会议记录，请登记出勤")
            return redirect("orglife:meeting", org_id=org.pk, meeting_id=meeting.pk)
    return render(request, "orglife/form.html", {"org": org, "form": form, "title": "新建组织生活记录",
                                                  "back": reverse("orglife:index", args=[org.pk])})


def _to_meeting(org, meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("orglife:meeting", args=[org.pk, meeting.pk]) + anchor)


@login_required
def meeting_edit(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    if meeting.finalised_at is not None:
        messages.error(request, "会议记录已定稿，不能再修改")
        return _to_meeting(org, meeting)
    form = MeetingForm(request.POST or None, instance=meeting, branch=org)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.update_meeting_with_notice(actor=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            note = f"，已向{result.notified}人发送更新后的会议通知" if result.notified else ""
            messages.success(request, "已保存" + note)
            return _to_meeting(org, meeting)
    return render(request, "orglife/form.html", {"org": org, "form": form, "title": f"编辑：{meeting.topic}",
                                                  "back": reverse("orglife:meeting", args=[org.pk, meeting.pk])})


@login_required
@require_POST
def meeting_delete(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    try:
        services.delete_meeting(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _to_meeting(org, meeting)
    messages.success(request, "已删除会议记录")
    return redirect("orglife:index", org_id=org.pk)


@login_required
@require_POST
def meeting_finalise(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    try:
        services.finalise_meeting(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "会议记录已定稿，表决不再更改")
    return _to_meeting(org, meeting)


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg = img.to_string(encoding="unicode")
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


def public_url(request: HttpRequest, path: str) -> tuple[str, bool]:
    """An address a phone can open: settings.ZHIBU_BASE_URL + path when configured (True), else the
    address this request came in on (False: the page says so, it may be 127.0.0.1)."""
    base = (getattr(settings, "ZHIBU_BASE_URL", "") or "").strip().rstrip("/")
    if base:
        return base + path, True
    return request.build_absolute_uri(path), False


@login_required
def meeting_detail(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    meeting = _meeting(request, org, meeting_id)
    scope = access.get_scope(request)
    can_manage = scope.can(org, access.MANAGE)
    detail = selectors.meeting_detail(meeting)
    config = selectors.get_config(org)
    signin_url, configured = public_url(request, reverse("orglife:signin", args=[org.pk, meeting.signin_token]))
    opens, closes = selectors.signin_window(meeting, config)
    state = meeting.state()
    open_for_votes = can_manage and meeting.kind == MeetingKind.PARTY_CONGRESS and state == MeetingState.HELD
    return render(request, "orglife/meeting_detail.html", {
        "org": org, "m": meeting, "d": detail, "can_manage": can_manage, "state": state,
        "state_label": MeetingState(state).label,
        "full_view": scope.sees_sensitive_lists(org), "minutes_missing": documents.missing(detail),
        "signin_url": signin_url, "base_url_configured": configured,
        "qr": _qr_svg(signin_url) if can_manage and state != MeetingState.SCHEDULED else "",
        "signin_state": selectors.signin_state(meeting, config), "opens": opens, "closes": closes,
        "motion_form": MotionForm() if open_for_votes else None, "motions_editable": open_for_votes,
        "attachment_form": AttachmentForm() if can_manage else None,
        "plan_items": selectors.plan_items_for(meeting),
        "me": Person.objects.filter(user=request.user, branch=org, active=True).first(),
    })


def _scheduled_redirect(request, org, meeting: Meeting, what: str) -> HttpResponse | None:
    if meeting.is_scheduled():
        messages.error(request, f"会议定于{meeting.date.month}月{meeting.date.day}日召开，尚未召开，不能{what}")
        return _to_meeting(org, meeting)
    return None


@login_required
def attendance(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    refused = _scheduled_redirect(request, org, meeting, "登记出勤")
    if refused:
        return refused
    rows = selectors.attendance_rows(meeting)
    form = AttendanceForm(request.POST or None, rows=rows, recorded=meeting.attendance_recorded_at is not None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_attendance_checked(actor=request.user, meeting=meeting, entries=form.entries())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "出勤已保存")
            for motion in result.stale_motions:
                messages.warning(request, f"表决“{motion.title}”按表决时的出勤（应到会有表决权党员{motion.should_attend}人，"
                                          f"实到{motion.present}人）计算，不随出勤更正而改变；更正已记入日志。"
                                          "如表决时的人数确有错误，请在表决处修改并选择按更正后的出勤重新计算。")
            return _to_meeting(org, meeting)
    return render(request, "orglife/attendance.html", {"org": org, "m": meeting, "form": form})


@login_required
def signin_sheet(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    """A blank 签到表 to print for members without phones."""
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    return render(request, "orglife/signin_sheet.html", {"org": org, "m": meeting,
                                                         "rows": selectors.attendance_rows(meeting)})


@login_required
def leave(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    """The 会议通知 on a phone, with 请假: a member on the meeting's list asks for leave before it starts."""
    org = _branch(request, org_id)
    meeting = _meeting(request, org, meeting_id)
    me = Person.objects.filter(user=request.user, branch=org, active=True).first()
    row = meeting.attendances.filter(person=me).first() if me else None
    form = LeaveForm(request.POST or None, initial={"reason": row.leave_reason if row else ""})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_leave(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "请假已提交，支部委员会可在会议页面看到")
                return redirect("orglife:leave", org_id=org.pk, meeting_id=meeting.pk)
    title, body = services.notice_text(meeting)
    return render(request, "orglife/leave.html", {
        "org": org, "m": meeting, "me": me, "row": row, "form": form, "notice_title": title,
        "agenda": (meeting.agenda or meeting.topic).splitlines(), "started": clock.now() >= meeting.starts_at,
    })


@login_required
@require_POST
def motion_new(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    meeting = _meeting(request, org, meeting_id)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            motion = services.add_motion(actor=request.user, meeting=meeting, **form.values())
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            (messages.success if motion.passed else messages.error)(
                request, f"表决结果：{'通过' if motion.passed else '未通过'}。{motion.reason}")
    else:
        messages.error(request, "表决票数填写有误：" + "；".join(e for errs in form.errors.values() for e in errs))
    return _to_meeting(org, meeting, "#motions")


def _motion(request, org, meeting_id: int, motion_id: int) -> Motion:
    meeting = _meeting(request, org, meeting_id)
    motion = Motion.objects.filter(pk=motion_id, meeting=meeting).select_related("meeting__branch").first()
    if motion is None:
        raise Http404("未找到")
    return motion


@login_required
def motion_edit(request: HttpRequest, org_id: int, meeting_id: int, motion_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    motion = _motion(request, org, meeting_id, motion_id)
    meeting = motion.meeting
    if meeting.finalised_at is not None:
        messages.error(request, "会议记录已定稿，表决不能再修改")
        return _to_meeting(org, meeting, "#motions")
    form = MotionForm(request.POST or None, editing=True, initial={
        "title": motion.title, "votes_for": motion.votes_for, "votes_against": motion.votes_against,
        "votes_abstain": motion.votes_abstain, "written_votes": motion.written_votes})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_motion(actor=request.user, motion=motion, **form.values())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, "表决已修改")
            return _to_meeting(org, meeting, "#motions")
    return render(request, "orglife/form.html", {
        "org": org, "form": form, "title": f"修改表决：{motion.title}",
        "intro": f"表决时应到会有表决权党员{motion.should_attend}人，实到{motion.present}人；结果按这一人数重新计算。",
        "back": reverse("orglife:meeting", args=[org.pk, meeting.pk]) + "#motions"})


@login_required
@require_POST
def motion_delete(request: HttpRequest, org_id: int, meeting_id: int, motion_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    motion = _motion(request, org, meeting_id, motion_id)
    try:
        services.delete_motion(actor=request.user, motion=motion)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "表决已删除（已记入日志）")
    return _to_meeting(org, motion.meeting, "#motions")


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
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "签到成功")
        return redirect("orglife:signin", org_id=org.pk, token=token)
    row = meeting.attendances.filter(person=person).first() if person else None
    config = selectors.get_config(org)
    opens, closes = selectors.signin_window(meeting, config)
    return render(request, "orglife/signin.html", {
        "org": org, "m": meeting, "person": person, "row": row, "state": selectors.signin_state(meeting, config),
        "opens": opens, "closes": closes, "today": clock.today(),
    })


@login_required
def minutes_docx(request: HttpRequest, org_id: int, meeting_id: int) -> HttpResponse:
    org = _branch(request, org_id)
    meeting = _meeting(request, org, meeting_id)
    refused = _scheduled_redirect(request, org, meeting, "下载会议记录")
    if refused:
        return refused
    detail = selectors.meeting_detail(meeting)
    lacking = documents.missing(detail)
    if lacking:
        return documents_web.refused(request, heading="会议记录暂不能导出", reasons=lacking, back_label="返回会议记录",
                                     back_url=reverse("orglife:meeting", args=[org.pk, meeting.pk]),
                                     hint="补全后即可下载；未登记出勤的会议不会按“全部缺席”导出。")
    content = documents.minutes_docx(detail, full_view=access.get_scope(request).sees_sensitive_lists(org))
    return docx_response(content, f"会议记录-{meeting.date:%Y%m%d}-{meeting.get_kind_display()}.docx")


@login_required
def yearbook_docx(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    year = _year(request)
    meetings = documents.year_meetings(org, year)
    if not meetings:
        return documents_web.refused(request, heading="会议记录本暂不能导出", reasons=[f"{year}年度还没有已召开的会议记录。"],
                                     back_url=reverse("orglife:index", args=[org.pk]) + f"?year={year}",
                                     back_label="返回组织生活")
    content = documents.yearbook_docx(org, year, meetings=meetings,
                                      full_view=access.get_scope(request).sees_sensitive_lists(org))
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
    recent = selectors.talks_of(org, year)
    return render(request, "orglife/talks.html", {
        "org": org, "year": year, "form": form if can_manage else None, "pairs": pairs,
        "missing": pairs.named(pairs.missing), "recent": recent,
        "source": rules.OBLIGATIONS_BY_KIND["heart_talk"].source,
    })


@login_required
def settings_view(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.MANAGE)
    config = selectors.get_config(org)
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
