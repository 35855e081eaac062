"""Thin views of 三务公开, the mailbox and the 恳谈会: fetch through zhibu.orgs.access (or, for the
public pages, through the branch's public link), write through services, render.

Levels: the board and the archive are read by everyone of the branch, each notice by the readers its
scope names (本支部党员 / 全体教职工 / 向社会公开); the procedure's steps by the roles the district
configured (`may_take`); the mailbox and the 恳谈会 by the branch managers (AUDIT to read); the
公开目录 is set by the district admin. Public pages (no login, reached through the branch's secret
link): the board of "public" notices and answered Q&A, one public notice, the mailbox form and the
reply look-up — no personal data on any of them."""

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
from zhibu.core.forms import PeriodQueryForm, apply_validation_error, client_address
from zhibu.openness import rules, selectors, services
from zhibu.openness.forms import (
    AssignForm,
    CatalogEntryForm,
    DuesDraftForm,
    ForumForm,
    ForumItemForm,
    ForumRectifyForm,
    LinkForm,
    MailboxForm,
    NoticeForm,
    ParticipantForm,
    PublishForm,
    PublishQAForm,
    ReasonForm,
    RectifyForm,
    ReplyForm,
    ReviewForm,
    TrackForm,
)
from zhibu.openness.models import BranchLink, CatalogEntry, Forum, ForumItem, Message, Notice
from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_STANDINGS, Person


def _branch(request: HttpRequest, org_id: int, need: str):
    return access.get_branch(request, org_id, need, follow_group=True)


def reader_scopes(request: HttpRequest, org) -> tuple[str, ...]:
    """Which scopes this reader sees inside the app: managers and the district everything; a member
    of the branch everything; other staff with an account "staff" and "public"."""
    if access.get_scope(request).can(org, access.AUDIT):
        return (rules.MEMBERS, rules.STAFF, rules.PUBLIC)
    standing = Person.objects.filter(user=request.user, branch=org).values_list("standing", flat=True).first()
    return rules.visible_scopes(member=standing in MEMBER_STANDINGS, staff=standing is not None)


def may_take(request: HttpRequest, org, step: str) -> bool:
    """Whether this user may take a step of the procedure for the branch (configured roles)."""
    scope = access.get_scope(request)
    roles = rules.step_roles(services.settings_chain(org))
    positions = {
        "manager": scope.can(org, access.MANAGE),
        "secretary": scope.is_secretary(org),
        "district": scope.can(org, access.ADMIN),
    }
    if step == "return":
        return any(rules.may_take(roles[s], **positions) for s in ("review", "approve", "publish"))
    return rules.may_take(roles[step], **positions)


def access_notice(request: HttpRequest, org, pk: int) -> Notice:
    """A notice of this branch the user may read: managers and the district any; others a published
    one whose scope covers them. Anything else is 404, like a notice that does not exist."""
    notice = access.get_object(
        request, Notice.objects.select_related("category", "branch", "catalog_entry"), pk, org=org
    )
    assert isinstance(notice, Notice)
    if access.get_scope(request).can(org, access.AUDIT):
        return notice
    if notice.status != rules.PUBLISHED or notice.scope not in reader_scopes(request, org):
        raise Http404("未找到")
    return notice


def _year(request: HttpRequest) -> tuple[int, str]:
    year, _month, message = PeriodQueryForm.period(request.GET)
    return year, message


def _errors(form) -> str:
    return "；".join(e for errs in form.errors.values() for e in errs)


# --- The board and the procedure --------------------------------------------------------------------


@login_required
def index(request: HttpRequest, org_id: int) -> HttpResponse:
    """公开栏: the notices on the board for this reader; for the managers also the notices on their
    way, the 公开目录 obligations of the year and the mailbox's open messages."""
    org = _branch(request, org_id, access.VIEW)
    today = clock.today()
    year, year_message = _year(request)
    if year_message:
        messages.warning(request, year_message)
    scope = access.get_scope(request)
    manager_view = scope.can(org, access.AUDIT)
    notices = selectors.board(org, today, reader_scopes(request, org))
    channels = [(rules.channel_label(c, org.unit), [n for n in notices if n.channel == c]) for c in rules.CHANNELS]
    context = {
        "org": org,
        "today": today,
        "year": year,
        "channels": channels,
        "manager_view": manager_view,
        "can_propose": may_take(request, org, "propose"),
    }
    if manager_view:
        link = BranchLink.objects.filter(branch=org).first()
        context.update(
            workflow=selectors.workflow(org),
            lines=selectors.branch_obligations(org, year, today),
            link=link,
            open_messages=Message.objects.filter(branch=org).exclude(status=rules.REPLIED).count(),
            late_messages=Message.objects.filter(branch=org, due_on__lt=today).exclude(status=rules.REPLIED).count(),
            dues_form=DuesDraftForm(initial={"year": today.year - 1}),
        )
    return render(request, "openness/index.html", context)


@login_required
def archive(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    today = clock.today()
    year, year_message = _year(request)
    if year_message:
        messages.warning(request, year_message)
    return render(
        request,
        "openness/archive.html",
        {
            "org": org,
            "year": year,
            "notices": selectors.archive(org, today, reader_scopes(request, org), year),
            "manager_view": access.get_scope(request).can(org, access.AUDIT),
        },
    )


@login_required
def notice(request: HttpRequest, org_id: int, notice_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.VIEW)
    n = access_notice(request, org, notice_id)
    today = clock.today()
    steps = {s: may_take(request, org, s) for s in ("review", "approve", "publish", "return")}
    return render(
        request,
        "openness/notice.html",
        {
            "org": org,
            "notice": n,
            "today": today,
            "manager_view": access.get_scope(request).can(org, access.AUDIT),
            "on_board": rules.on_board(n.status, n.starts_on, n.ends_on, today),
            "archived": rules.archived(n.status, n.ends_on, today),
            "steps": steps,
            "can_edit": n.editable and may_take(request, org, "propose"),
            "roles": {k: rules.ROLE_LABELS[v] for k, v in rules.step_roles(services.settings_chain(org)).items()},
            "review_form": ReviewForm(),
            "publish_form": PublishForm(
                initial={"starts_on": today, "ends_on": today + dt.timedelta(days=rules.DEFAULT_PERIOD_DAYS)}
            ),
            "reason_form": ReasonForm(),
        },
    )


def _proposer(request: HttpRequest, org_id: int):
    org = _branch(request, org_id, access.VIEW)
    if not may_take(request, org, "propose"):
        raise PermissionDenied("没有提出公开事项的权限")
    return org


@login_required
def notice_new(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _proposer(request, org_id)
    form = NoticeForm(request.POST if request.method == "POST" else None, branch=org)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                n = services.propose(actor=request.user, branch=org, data=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "公开事项已提出，待审核。")
                return redirect("openness:notice", org.pk, n.pk)
        status = 400
    return render(
        request, "openness/notice_form.html", {"org": org, "form": form, "title": "提出公开事项"}, status=status
    )


@login_required
def notice_edit(request: HttpRequest, org_id: int, notice_id: int) -> HttpResponse:
    org = _proposer(request, org_id)
    n = access_notice(request, org, notice_id)
    if not n.editable:
        messages.error(request, "已审核的公开事项不能修改；如需修改请先退回。")
        return redirect("openness:notice", org.pk, n.pk)
    initial = {name: getattr(n, name) for name in services.NOTICE_FIELDS}
    form = NoticeForm(request.POST if request.method == "POST" else None, branch=org, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.edit(actor=request.user, notice=n, data=form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("openness:notice", org.pk, n.pk)
        status = 400
    return render(
        request,
        "openness/notice_form.html",
        {"org": org, "form": form, "notice": n, "title": "修改公开事项"},
        status=status,
    )


@login_required
@require_POST
def notice_step(request: HttpRequest, org_id: int, notice_id: int, step: str) -> HttpResponse:
    """审核 (with the 保密审查 tick), 审批, 发布 (with its period) or 退回 (with a reason)."""
    org = _branch(request, org_id, access.VIEW)
    n = access_notice(request, org, notice_id)
    if step not in ("review", "approve", "publish", "return"):
        raise Http404("未找到")
    if not may_take(request, org, step):
        raise PermissionDenied("没有办理这一步的权限")
    back = redirect("openness:notice", org.pk, n.pk)
    try:
        if step == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.review(actor=request.user, notice=n, secrecy_checked=form.cleaned_data["secrecy_checked"])
            messages.success(request, "已审核（保密审查已完成），待审批。")
        elif step == "approve":
            services.approve(actor=request.user, notice=n)
            messages.success(request, "已审批，待发布。")
        elif step == "publish":
            form = PublishForm(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.publish(actor=request.user, notice=n, **form.cleaned_data)
            messages.success(request, "已发布。")
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.send_back(actor=request.user, notice=n, reason=form.cleaned_data["reason"])
            messages.success(request, "已退回修改。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back


@login_required
@require_POST
def dues_draft(request: HttpRequest, org_id: int) -> HttpResponse:
    """The yearly 党费 publication, generated from the dues ledger as a draft at 提出."""
    org = _proposer(request, org_id)
    form = DuesDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("openness:index", org.pk)
    try:
        n = services.dues_draft(actor=request.user, branch=org, year=form.cleaned_data["year"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("openness:index", org.pk)
    messages.success(request, "已按党费台账生成公开草稿，请核对后提交审核。")
    return redirect("openness:notice", org.pk, n.pk)


# --- The public link's settings ----------------------------------------------------------------------


def public_url(request: HttpRequest, link: BranchLink, name: str = "openness:public_board") -> str:
    from django.conf import settings

    path = reverse(name, kwargs={"token": link.token})
    base = (getattr(settings, "ZHIBU_BASE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@login_required
def link_settings(request: HttpRequest, org_id: int) -> HttpResponse:
    """公开设置: the public link (board, mailbox), the mailbox's name and reply deadline."""
    org = _branch(request, org_id, access.AUDIT if request.method == "GET" else access.MANAGE)
    link = BranchLink.objects.filter(branch=org).first()
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        initial={
            "box_name": link.box_name if link else "",
            "mailbox_open": link.mailbox_open if link else True,
            "reply_days": link.reply_days if link else rules.DEFAULT_REPLY_DAYS,
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("do", "")
        if action == "open":
            services.open_link(actor=request.user, branch=org)
            messages.success(request, "公开链接已开通。")
            return redirect("openness:link", org.pk)
        if link is not None and action == "renew":
            services.renew_token(actor=request.user, link=link)
            messages.success(request, "已重新生成公开链接，原链接已失效。")
            return redirect("openness:link", org.pk)
        if link is not None and action == "save" and form.is_valid():
            try:
                services.update_link(actor=request.user, link=link, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("openness:link", org.pk)
        elif link is None:
            form.add_error(None, "请先开通公开链接。")
        elif action != "save":
            form.add_error(None, "请选择要办理的事项。")
        status = 400
    return render(
        request,
        "openness/link.html",
        {
            "org": org,
            "manager_view": True,  # an AUDIT page
            "link": link,
            "form": form,
            "board_url": public_url(request, link) if link else "",
            "mailbox_url": public_url(request, link, "openness:mailbox") if link else "",
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
        },
        status=status,
    )


# --- The mailbox, as the committee handles it -----------------------------------------------------------


def access_message(request: HttpRequest, org, pk: int) -> Message:
    m = access.get_object(request, Message.objects.select_related("assignee", "replied_by", "branch"), pk, org=org)
    assert isinstance(m, Message)
    return m


@login_required
def message_list(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    today = clock.today()
    status = request.GET.get("status", "")
    rows = selectors.messages(org, status=status if status in rules.MESSAGE_STATUS_LABELS else "")
    return render(
        request,
        "openness/messages.html",
        {
            "org": org,
            "manager_view": True,  # an AUDIT page
            "rows": rows,
            "today": today,
            "status": status,
            "labels": rules.MESSAGE_STATUS_LABELS,
            "late": sum(1 for m in rows if m.overdue(today)),
        },
    )


@login_required
def message(request: HttpRequest, org_id: int, message_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    m = access_message(request, org, message_id)
    today = clock.today()
    return render(
        request,
        "openness/message.html",
        {
            "org": org,
            "m": m,
            "today": today,
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
            "assign_form": AssignForm(branch=org, initial={"assignee": m.assignee_id}),
            "reply_form": ReplyForm(initial={"text": m.reply, "publish": m.published}),
            "qa_form": PublishQAForm(initial={"published": m.published}),
            "rectify_form": RectifyForm(
                branch=org,
                initial={
                    "problem": m.body[:1000],
                    "deadline": today + dt.timedelta(days=30),
                    "responsible": m.assignee_id,
                },
            ),
        },
    )


@login_required
@require_POST
def message_act(request: HttpRequest, org_id: int, message_id: int) -> HttpResponse:
    """分办, 答复, 公开问答, 转为整改事项: one POST each, back to the message."""
    org = _branch(request, org_id, access.MANAGE)
    m = access_message(request, org, message_id)
    action = request.POST.get("do", "")
    back = redirect("openness:message", org.pk, m.pk)
    forms_by_action = {
        "assign": lambda: AssignForm(request.POST, branch=org),
        "reply": lambda: ReplyForm(request.POST),
        "publish_qa": lambda: PublishQAForm(request.POST),
        "rectify": lambda: RectifyForm(request.POST, branch=org),
    }
    if action not in forms_by_action:
        messages.error(request, "请选择要办理的事项。")
        return back
    form = forms_by_action[action]()
    if not form.is_valid():
        messages.error(request, _errors(form))
        return back
    data = form.cleaned_data
    try:
        if action == "assign":
            services.assign(actor=request.user, message=m, person=data["assignee"])
            messages.success(request, f"已交{data['assignee'].name}办理。")
        elif action == "reply":
            services.reply(actor=request.user, message=m, text=data["text"], publish=data["publish"])
            messages.success(request, "已答复，来信人可凭查询码查看。")
        elif action == "publish_qa":
            services.publish_qa(actor=request.user, message=m, published=data["published"])
            messages.success(request, "已公开问答。" if data["published"] else "已取消公开。")
        else:
            services.message_to_rectify(
                actor=request.user,
                message=m,
                problem=data["problem"],
                responsible=data["responsible"],
                deadline=data["deadline"],
            )
            messages.success(request, "已转为整改事项。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back


# --- 民主恳谈会 -----------------------------------------------------------------------------------------


@login_required
def forums(request: HttpRequest, org_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT if request.method == "GET" else access.MANAGE)
    form = ForumForm(request.POST if request.method == "POST" else None, initial={"held_on": clock.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                f = services.create_forum(actor=request.user, branch=org, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "民主恳谈会已登记。")
                return redirect("openness:forum", org.pk, f.pk)
        status = 400
    return render(
        request,
        "openness/forums.html",
        {
            "org": org,
            "manager_view": True,  # an AUDIT page
            "rows": selectors.forums(org),
            "form": form,
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
        },
        status=status,
    )


@login_required
def forum(request: HttpRequest, org_id: int, forum_id: int) -> HttpResponse:
    org = _branch(request, org_id, access.AUDIT)
    f = access.get_object(request, Forum.objects.all(), forum_id, org=org)
    today = clock.today()
    return render(
        request,
        "openness/forum.html",
        {
            "org": org,
            "forum": f,
            "participants": list(f.participants.all()),
            "items": list(f.items.all()),
            "can_manage": access.get_scope(request).can(org, access.MANAGE),
            "participant_form": ParticipantForm(branch=org),
            "item_form": ForumItemForm(),
            "rectify_form": ForumRectifyForm(branch=org, initial={"deadline": today + dt.timedelta(days=30)}),
        },
    )


@login_required
@require_POST
def forum_act(request: HttpRequest, org_id: int, forum_id: int) -> HttpResponse:
    """Add a participant, an opinion, or turn an opinion into a 整改 item."""
    org = _branch(request, org_id, access.MANAGE)
    f = access.get_object(request, Forum.objects.all(), forum_id, org=org)
    assert isinstance(f, Forum)
    back = redirect("openness:forum", org.pk, f.pk)
    action = request.POST.get("do", "")
    try:
        if action == "participant":
            form = ParticipantForm(request.POST, branch=org)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.add_participant(actor=request.user, forum=f, **form.cleaned_data)
            messages.success(request, "已登记参加人员。")
        elif action == "item":
            form = ForumItemForm(request.POST)
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.add_item(actor=request.user, forum=f, **form.cleaned_data)
            messages.success(request, "已登记意见建议。")
        elif action == "rectify":
            item = ForumItem.objects.filter(forum=f, pk=_int(request.POST.get("item"))).first()
            form = ForumRectifyForm(request.POST, branch=org)
            if item is None:
                messages.error(request, "请选择要转为整改事项的意见。")
                return back
            if not form.is_valid():
                messages.error(request, _errors(form))
                return back
            services.forum_item_to_rectify(
                actor=request.user,
                item=item,
                responsible=form.cleaned_data["responsible"],
                deadline=form.cleaned_data["deadline"],
            )
            messages.success(request, "已转为整改事项。")
        else:
            messages.error(request, "请选择要办理的事项。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return back


def _int(value) -> int | None:
    try:
        number = int(str(value or ""))
    except ValueError:
        return None
    return number if 0 < number < 2**62 else None


# --- The district ------------------------------------------------------------------------------------


@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Every branch below: 公开目录 periods overdue and due, notices published and on their way,
    the mailbox's open and late messages (overdue first). Branch statistics, never rankings of people."""
    org = access.get_org(request, org_id, access.AUDIT)
    today = clock.today()
    year, year_message = _year(request)
    if year_message:
        messages.warning(request, year_message)
    return render(
        request,
        "openness/district.html",
        {
            "org": org,
            "year": year,
            "today": today,
            "view": selectors.district_view(org, year, today),
        },
    )


@login_required
def catalog(request: HttpRequest, org_id: int) -> HttpResponse:
    """The 公开目录: a committee's own lines (its admin adds and retires them); a branch sees the lines
    that apply to it."""
    org = access.get_org(request, org_id, access.AUDIT if request.method == "GET" else access.ADMIN)
    editable = org.kind != "branch" and access.get_scope(request).can(org, access.ADMIN)
    form = CatalogEntryForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not editable:
            raise Http404("此功能在上级党组织办理")
        action = request.POST.get("do", "")
        try:
            if action == "defaults":
                added = services.load_default_catalog(actor=request.user, district=org)
                messages.success(request, f"已载入默认公开目录 {added} 项。")
                return redirect("openness:catalog", org.pk)
            if action == "retire":
                entry = CatalogEntry.objects.filter(district=org, pk=_int(request.POST.get("entry"))).first()
                if entry is None:
                    messages.error(request, "请选择要停用的目录事项。")
                else:
                    services.retire_catalog_entry(actor=request.user, entry=entry)
                    messages.success(request, f"已停用“{entry.title}”。")
                return redirect("openness:catalog", org.pk)
            if form.is_valid():
                services.add_catalog_entry(actor=request.user, district=org, **form.cleaned_data)
                messages.success(request, "已增加目录事项。")
                return redirect("openness:catalog", org.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        status = 400
    entries = selectors.catalog_for(org) if org.kind == "branch" else selectors.district_catalog(org)
    inherited = [] if org.kind == "branch" else selectors.catalog_for(org)
    return render(
        request,
        "openness/catalog.html",
        {
            "org": org,
            "entries": entries,
            "inherited": inherited,
            "form": form,
            "editable": editable,
        },
        status=status,
    )


# --- Public pages (no login; the branch's secret link) -------------------------------------------------


def _link(token: str) -> BranchLink:
    link = selectors.link_by_token(token)
    if link is None:
        raise Http404("未找到")
    return link


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = (
        "same-origin"  # the secret link never leaves the site (no-referrer would send Origin: null and fail CSRF)
    )
    return response


def public_board(request: HttpRequest, token: str) -> HttpResponse:
    """The noticeboard for the public: notices published "向社会公开" within their period and the
    answered questions the branch published. Works on a phone; prints as a noticeboard sheet."""
    link = _link(token)
    today = clock.today()
    org = link.branch
    notices = selectors.board(org, today, (rules.PUBLIC,))
    channels = [(rules.channel_label(c, org.unit), [n for n in notices if n.channel == c]) for c in rules.CHANNELS]
    return _public(
        render(
            request,
            "openness/public_board.html",
            {
                "link": link,
                "org": org,
                "today": today,
                "channels": channels,
                "qa": selectors.public_qa(org),
            },
        )
    )


def public_notice(request: HttpRequest, token: str, notice_id: int) -> HttpResponse:
    link = _link(token)
    today = clock.today()
    n = (
        Notice.objects.select_related("category", "branch")
        .filter(
            pk=notice_id,
            branch_id=link.branch_id,
            scope=rules.PUBLIC,
            status=rules.PUBLISHED,
            starts_on__lte=today,
        )
        .first()
    )
    if n is None:
        raise Http404("未找到")
    return _public(
        render(request, "openness/public_notice.html", {"link": link, "org": link.branch, "notice": n, "today": today})
    )


def mailbox(request: HttpRequest, token: str) -> HttpResponse:
    """The mailbox form: anyone with the link writes, anonymously or named. Rate-limited and
    spam-checked; an anonymous message keeps nothing about who wrote it. The tracking code is shown
    once, here, and stored only as a digest."""
    link = _link(token)
    form = MailboxForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not link.mailbox_open:
            form.add_error(None, "信箱暂未开放。")
        elif (refusal := services.count_submission(link=link, address=client_address(request))) is not None:
            form.add_error(None, refusal)
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                _m, code = services.receive_message(
                    link=link,
                    subject=data["subject"],
                    body=data["body"],
                    anonymous=data["anonymous"],
                    name=data["name"],
                    contact=data["contact"],
                    honeypot=data["website"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return _public(
                    render(
                        request,
                        "openness/mailbox_sent.html",
                        {
                            "link": link,
                            "org": link.branch,
                            "code": code,
                            "due_on": _m.due_on,
                        },
                    )
                )
        if status == 200:
            status = 400
    return _public(
        render(request, "openness/mailbox.html", {"link": link, "org": link.branch, "form": form}, status=status)
    )


def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reply look-up: the writer types the tracking code; a forged or mistyped code finds nothing
    (the same answer whether or not a message exists), and look-ups are rate-limited."""
    link = _link(token)
    form = TrackForm(request.POST if request.method == "POST" else None)
    found = None
    status = 200
    if request.method == "POST":
        if not services.count_lookup(link=link, address=client_address(request)):
            form.add_error(None, "查询过于频繁，请15分钟后再试。")
            status = 429
        elif form.is_valid():
            found = services.find_message(link, form.cleaned_data["code"])
            if found is None:
                form.add_error("code", "未找到与该查询码对应的来信，请核对后重新输入（查询码形如 ABCD-EFGH-JKMN）。")
                status = 404
        else:
            status = 400
    return _public(
        render(
            request,
            "openness/track.html",
            {
                "link": link,
                "org": link.branch,
                "form": form,
                "found": found,
                "today": clock.today(),
            },
            status=status,
        )
    )
