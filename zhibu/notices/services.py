"""Every write of notices, guides and tasks: keyword-only, durable entry points, audited in the same
transaction. Refusals are `ValidationError`s with a Chinese message and a `code`; nothing is written
then. Who may call what is checked by the views through `access`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from zhibu.core import audit, clock, notify
from zhibu.core.models import ReminderLog
from zhibu.notices import rules, selectors
from zhibu.notices.audit_actions import Action
from zhibu.notices.models import (
    FILE_TYPES,
    Answer,
    AnswerState,
    Guide,
    Notice,
    Recipient,
    RecipientKind,
    StoredFile,
    Task,
)
from zhibu.orgs.models import Organisation, OrgKind

_MAGIC = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
    FILE_TYPES["docx"]: b"PK\x03\x04",
    FILE_TYPES["xlsx"]: b"PK\x03\x04",
}


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    if field:
        return ValidationError({field: [ValidationError(message, code=code)]})
    return ValidationError(message, code=code)


def _committee_only(org: Organisation) -> None:
    if org.kind == OrgKind.BRANCH or org.kind == OrgKind.GROUP:
        raise _error("此项工作由上级党组织办理。", "not_committee")


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- files -----------------------------------------------------------------------------------------


def check_upload(upload, field: str = "files") -> str:
    """The content type of an allowed file (jpg/png/pdf/docx/xlsx, size-limited, content matching)."""
    from zhibu.core.uploads import UploadError, check_zip_bomb

    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_TYPES:
        raise _error("只能上传 jpg、png、pdf、docx 或 xlsx 文件。", "upload_type", field)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise _error(
            f"文件过大（上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1}MB）。", "upload_too_large", field
        )
    if upload.size == 0:
        raise _error("文件为空。", "upload_empty", field)
    content_type = FILE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_MAGIC[content_type]):
        raise _error("文件内容与扩展名不符。", "upload_content_mismatch", field)
    if ext in ("docx", "xlsx"):
        try:
            check_zip_bomb(upload)
        except UploadError as exc:
            raise _error(str(exc), exc.code, field) from None
    return content_type


def _store(*, owner: Organisation, upload, field: str = "files") -> StoredFile:
    content_type = check_upload(upload, field)
    name = (getattr(upload, "name", "") or "文件").replace("/", "_").replace("\\", "_")[-150:]
    f = StoredFile(owner=owner, name=name, content_type=content_type, size=upload.size)
    f.file.save(name, upload, save=False)
    stored = f.file
    try:
        f.save()
    except Exception:
        stored.delete(save=False)
        raise
    return f


# --- notices ---------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def send_notice(
    *,
    actor,
    sender: Organisation,
    title: str,
    body: str,
    sign_by: dt.date | None = None,
    branches=None,
    people=None,
    uploads=(),
) -> Notice:
    """Send a notice to branches below the sender (`branches`: a list, or None/[] with people only)
    and to people of those branches; each addressee is told through the notification interface."""
    _committee_only(sender)
    title, body = _text(title), _text(body)
    if not title or not body:
        raise _error("请填写标题和正文。", "empty", "title")
    today = clock.today()
    if sign_by is not None and sign_by < today:
        raise _error("签阅截止日期不能早于今天。", "sign_by_past", "sign_by")
    branches = list(branches or [])
    people = list(people or [])
    if not branches and not people:
        raise _error("请选择接收的支部或人员。", "no_recipients", "branches")
    if any(b.kind != OrgKind.BRANCH or not b.path.startswith(sender.path) for b in branches):
        raise _error("只能发给本单位所属的党支部。", "branch_elsewhere", "branches")
    if any(not p.branch.path.startswith(sender.path) or not p.active for p in people):
        raise _error("只能发给本单位所属支部的在册人员。", "person_elsewhere", "people")
    notice = Notice.objects.create(
        sender=sender, title=title[:200], body=body, sign_by=sign_by, sent_on=today, sent_by=actor
    )
    files = [_store(owner=sender, upload=u) for u in uploads or ()]
    if files:
        notice.files.add(*files)
    Recipient.objects.bulk_create(
        [Recipient(notice=notice, kind=RecipientKind.BRANCH, branch=b) for b in branches]
        + [Recipient(notice=notice, kind=RecipientKind.PERSON, branch_id=p.branch_id, person=p) for p in people]
    )
    audit.record(
        actor=actor,
        action=Action.SEND,
        obj=notice,
        organisation=sender,
        changes={
            "title": notice.title,
            "branches": len(branches),
            "people": len(people),
            "sign_by": str(sign_by) if sign_by else None,
            "files": [f.name for f in files],
        },
    )
    managers = selectors.manager_users(b.pk for b in branches)
    body_text = f"{sender.name}：{notice.title}" + (f"，请于{sign_by:%Y年%-m月%-d日}前签阅。" if sign_by else "。")
    for b in branches:
        url = reverse("notices:notice", kwargs={"org_id": b.pk, "notice_id": notice.pk})
        notify.send(
            notify.Message(
                title=f"新通知：{notice.title}",
                body=body_text,
                url=url,
                organisation=b,
                key=f"notices:sent:notice={notice.pk}:branch={b.pk}",
            ),
            managers.get(b.pk, []),
        )
    for p in people:
        if p.user_id:
            url = reverse("notices:notice", kwargs={"org_id": p.branch_id, "notice_id": notice.pk})
            notify.send(
                notify.Message(
                    title=f"新通知：{notice.title}",
                    body=body_text,
                    url=url,
                    organisation=p.branch,
                    key=f"notices:sent:notice={notice.pk}:person={p.pk}",
                ),
                [p.user],
            )
    return notice


@transaction.atomic(durable=True)
def mark_read(*, actor, recipient: Recipient) -> bool:
    """签阅: one click, timestamped; a second click changes nothing (False)."""
    now = clock.now()
    changed = Recipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(read_at=now, read_by=actor)
    if not changed:
        recipient.refresh_from_db()
        return False
    recipient.read_at, recipient.read_by = now, actor
    audit.record(
        actor=actor,
        action=Action.READ,
        obj=recipient,
        organisation=recipient.branch,
        changes={"notice": recipient.notice.title, "kind": recipient.kind, "read_at": now.isoformat()},
    )
    return True


@transaction.atomic(durable=True)
def forward(*, actor, recipient: Recipient) -> int:
    """A branch forwards a notice to its Party members: each gets their own 签阅 row (members added
    since a first forward are added by a second one). Returns how many were added."""
    if recipient.kind != RecipientKind.BRANCH:
        raise _error("只能转发发给本支部的通知。", "not_branch_row")
    branch = recipient.branch
    members = selectors.members_of(branch)
    have = set(
        Recipient.objects.filter(notice=recipient.notice, person__in=members).values_list("person_id", flat=True)
    )
    new = [p for p in members if p.pk not in have]
    if not new and recipient.forwarded_at:
        raise _error("已转发给全体党员，没有新增人员。", "forwarded")
    Recipient.objects.bulk_create(
        [Recipient(notice=recipient.notice, kind=RecipientKind.FORWARDED, branch=branch, person=p) for p in new],
        ignore_conflicts=True,
    )
    now = clock.now()
    Recipient.objects.filter(pk=recipient.pk).update(forwarded_at=now, forwarded_by=actor)
    recipient.forwarded_at, recipient.forwarded_by = now, actor
    audit.record(
        actor=actor,
        action=Action.FORWARD,
        obj=recipient,
        organisation=branch,
        changes={"notice": recipient.notice.title, "members": len(new)},
    )
    url = reverse("notices:notice", kwargs={"org_id": branch.pk, "notice_id": recipient.notice_id})
    notify.send(
        notify.Message(
            title=f"支部转发通知：{recipient.notice.title}",
            url=url,
            organisation=branch,
            body=f"{branch.name}转发了通知“{recipient.notice.title}”，请阅读后点击“已阅”。",
            key=f"notices:forward:notice={recipient.notice_id}:branch={branch.pk}",
        ),
        [p.user for p in new if p.user_id],
    )
    return len(new)


def _remind(notice: Notice, key: str) -> int | None:
    """Remind the unread addressees once per key (one reminder per branch, opening that branch's
    copy): the number of accounts reminded, None when this key was sent before."""
    if ReminderLog.objects.filter(key__startswith=f"{key}:").exists():
        return None
    by_branch = selectors.unread_users_by_branch(notice)
    deadline = f"签阅截止日期为{notice.sign_by:%Y年%-m月%-d日}，" if notice.sign_by else ""
    reached = 0
    for branch_id, users in by_branch.items():
        reminder = notify.Reminder(
            key=f"{key}:branch={branch_id}",
            users=tuple(users),
            title=f"请签阅通知：{notice.title}",
            body=f"{notice.sender.name}发送的通知“{notice.title}”尚未签阅，{deadline}请打开通知点击“已阅”。",
            url=reverse("notices:notice", kwargs={"org_id": branch_id, "notice_id": notice.pk}),
            organisation=notice.sender,
        )
        if notify.send_once(reminder):
            reached += len(users)
    return reached


@transaction.atomic(durable=True)
def remind_unread(*, actor, notice: Notice) -> int:
    """One click: remind every addressee who has not signed (at most once a day)."""
    if not Recipient.objects.filter(
        notice=notice, read_at__isnull=True, kind__in=[RecipientKind.BRANCH, RecipientKind.PERSON]
    ).exists():
        raise _error("全部已签阅，无需提醒。", "all_read")
    reached = _remind(notice, rules.remind_key(notice.pk, clock.today()))
    if reached is None:
        raise _error("今天已经提醒过未签阅的单位和人员，明天可再次提醒。", "reminded_today")
    if reached == 0:
        raise _error("未签阅的支部和人员都没有系统账号，无法在系统中提醒，请电话联系。", "nobody_to_remind")
    audit.record(actor=actor, action=Action.REMIND, obj=notice, organisation=notice.sender, changes={"users": reached})
    return reached


# --- guides ----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def publish_guide(
    *, actor, district: Organisation, year: int, month: int, theme: str, materials: str, deadline: dt.date, kinds
) -> Guide:
    _committee_only(district)
    kinds = [k for k in dict.fromkeys(kinds or [])]
    try:
        rules.check_guide(year, month, deadline, kinds, set(selectors.GUIDE_KIND_LABELS))
    except rules.RuleError as exc:
        raise _error(exc.message, exc.code, "deadline" if exc.code == "deadline" else None) from None
    theme = _text(theme)
    if not theme:
        raise _error("请填写主题。", "empty", "theme")
    try:
        with transaction.atomic():
            guide = Guide.objects.create(
                district=district,
                year=year,
                month=month,
                theme=theme[:200],
                materials=_text(materials),
                deadline=deadline,
                kinds=kinds,
                created_by=actor,
            )
    except IntegrityError:
        raise _error(f"{year}年{month}月的组织生活指南已经发布。", "guide_exists", "month") from None
    audit.record(
        actor=actor,
        action=Action.GUIDE,
        obj=guide,
        organisation=district,
        changes={"year": year, "month": month, "theme": guide.theme, "kinds": kinds},
    )
    return guide


# --- tasks -----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_task(*, actor, district: Organisation, kind: str, title: str, body: str, year: int, due_on: dt.date) -> Task:
    """A task for every branch below the district. A 报送材料 task may not ask for a figure the records
    hold (rules2.md §5)."""
    _committee_only(district)
    title, body = _text(title), _text(body)
    if not title:
        raise _error("请填写任务名称。", "empty", "title")
    try:
        rules.check_question(kind, title, body)
    except rules.RuleError as exc:
        raise _error(exc.message, exc.code, "title" if exc.code == "derivable" else "kind") from None
    if due_on < clock.today():
        raise _error("报送截止日期不能早于今天。", "due_past", "due_on")
    task = Task.objects.create(
        district=district, kind=kind, title=title[:200], body=body, year=year, due_on=due_on, created_by=actor
    )
    branches = list(selectors.branches_below(district))
    Answer.objects.bulk_create([Answer(task=task, branch=b) for b in branches])
    audit.record(
        actor=actor,
        action=Action.TASK,
        obj=task,
        organisation=district,
        changes={"title": task.title, "kind": kind, "branches": len(branches), "due_on": str(due_on)},
    )
    managers = selectors.manager_users(b.pk for b in branches)
    for b in branches:
        url = reverse("notices:answer", kwargs={"org_id": b.pk, "task_id": task.pk})
        notify.send(
            notify.Message(
                title=f"报送任务：{task.title}",
                url=url,
                organisation=b,
                body=f"{district.name}：请于{due_on:%Y年%-m月%-d日}前完成“{task.title}”。",
                key=f"notices:task={task.pk}:branch={b.pk}",
            ),
            managers.get(b.pk, []),
        )
    return task


def _open_for_branch(answer: Answer) -> None:
    if answer.state in (AnswerState.APPROVED, AnswerState.CONFIRMED):
        raise _error("该任务已完成，不能再次报送。", "done")
    if answer.state == AnswerState.SUBMITTED:
        raise _error("已报送，等待上级审核。", "submitted")


@transaction.atomic(durable=True)
def submit_answer(*, actor, answer: Answer, text: str = "", upload=None) -> Answer:
    """报送 a 报送材料 task: text and/or a file (a returned answer is sent again)."""
    if answer.task.kind != rules.MATERIAL:
        raise _error("此任务由记录生成，请核对后点击“确认”。", "derived")
    _open_for_branch(answer)
    text = _text(text)
    if not text and upload is None:
        raise _error("请填写报送内容或上传文件。", "empty", "text")
    f = _store(owner=answer.branch, upload=upload, field="upload") if upload is not None else None
    with audit.updating(
        answer,
        actor=actor,
        action=Action.SUBMIT,
        organisation=answer.branch,
        fields=["state", "text", "file", "submitted_at"],
    ):
        answer.state = AnswerState.SUBMITTED
        answer.text = text
        if f is not None:
            answer.file = f
        answer.submitted_at, answer.submitted_by = clock.now(), actor
    return answer


@transaction.atomic(durable=True)
def confirm_answer(*, actor, answer: Answer) -> Answer:
    """A derived task: the branch confirms what the records say; the text is kept as confirmed."""
    if answer.task.kind == rules.MATERIAL:
        raise _error("此任务需要报送材料。", "not_derived")
    _open_for_branch(answer)
    text = selectors.derived_answer(answer.task.kind, answer.branch, answer.task.year, clock.today())
    now = clock.now()
    with audit.updating(
        answer,
        actor=actor,
        action=Action.CONFIRM,
        organisation=answer.branch,
        fields=["state", "text", "submitted_at", "decided_at"],
    ):
        answer.state = AnswerState.CONFIRMED
        answer.text = text
        answer.submitted_at, answer.submitted_by = now, actor
        answer.decided_at = now
    return answer


@transaction.atomic(durable=True)
def decide_answer(*, actor, answer: Answer, approve: bool, reason: str = "") -> Answer:
    """审核: 通过, or 退回 with a reason (required)."""
    if answer.state != AnswerState.SUBMITTED:
        raise _error("只有已报送待审核的材料可以审核。", "not_submitted")
    reason = _text(reason)
    if not approve and not reason:
        raise _error("退回须填写理由。", "reason_required", "reason")
    with audit.updating(
        answer,
        actor=actor,
        action=Action.APPROVE if approve else Action.RETURN,
        organisation=answer.task.district,
        fields=["state", "reason", "decided_at"],
    ):
        answer.state = AnswerState.APPROVED if approve else AnswerState.RETURNED
        answer.reason = "" if approve else reason[:300]
        answer.decided_at, answer.decided_by = clock.now(), actor
    if not approve:
        url = reverse("notices:answer", kwargs={"org_id": answer.branch_id, "task_id": answer.task_id})
        notify.send(
            notify.Message(
                title=f"报送被退回：{answer.task.title}",
                body=f"退回理由：{answer.reason}",
                url=url,
                organisation=answer.branch,
            ),
            selectors.manager_users([answer.branch_id]).get(answer.branch_id, []),
        )
    return answer
