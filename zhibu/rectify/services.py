"""Every write of the 整改台账: keyword-only, atomic, audited (zhibu.core.audit) in the same
transaction. `raise_item` is THE function other apps call to turn a problem into an item:

    from zhibu.rectify import services as rectify
    rectify.raise_item(actor=user, branch=branch, source="org_life_meeting", problem="…", link=meeting)

Refusals are `ValidationError`s with a Chinese message and a `code`; nothing is written then.
Who may do what (the closer, the branch managers) is checked by the views through `access`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from zhibu.core import audit, clock
from zhibu.orgs.models import Organisation, OrgKind, Person
from zhibu.rectify import rules
from zhibu.rectify.audit_actions import Action
from zhibu.rectify.models import EVIDENCE_TYPES, EvidenceFile, Item, Kind, Note, Source, Status

ITEM_FIELDS = ["source", "raised_on", "problem", "category", "measures", "responsible", "kind", "deadline"]
_MAGIC = {"image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",), "application/pdf": (b"%PDF-",)}


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(exc: rules.RuleError) -> ValidationError:
    return _error(exc.message, exc.code)


def settings_chain(branch: Organisation) -> list[dict]:
    """The settings of the branch and its ancestors, nearest first (path holds the ancestry)."""
    ids = [int(p) for p in (branch.path or "").strip("/").split("/") if p.isdigit()]
    by_id = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "settings")) if ids else {}
    chain = [by_id.get(i) or {} for i in reversed(ids)]
    return [branch.settings or {}, *chain]


def resolve_source(source) -> Source:
    if isinstance(source, Source):
        return source
    code = str(source or "").strip()
    found = Source.objects.filter(models.Q(code=code) | models.Q(name=code), active=True).first() if code else None
    if found is None:
        raise _error(f"未知的问题来源：“{code}”。可选：{'、'.join(n for _c, n in rules.SOURCES)}。", "unknown_source")
    return found


def _check(item: Item) -> None:
    if item.branch.kind != OrgKind.BRANCH:
        raise _error("整改问题须落实到党支部。", "not_branch")
    if item.responsible is not None and item.responsible.branch_id != item.branch_id:
        raise _error("责任人不是本支部的人员。", "responsible_elsewhere")
    try:
        rules.check_deadline(item.raised_on, item.deadline, item.kind)
    except rules.RuleError as exc:
        raise _rule(exc) from None
    if not (item.problem or "").strip():
        raise _error("请填写问题表现。", "no_problem")


def raise_item(**kwargs) -> Item:
    """THE function other apps call to raise a 整改 item (orglifemeeting's problems, …): it runs inside
    the caller's transaction (its own when there is none); the rectify pages use `create_item`."""
    with transaction.atomic():
        return _raise_item(**kwargs)


@transaction.atomic(durable=True)
def create_item(**kwargs) -> Item:
    """The pages' entry point for a new item (see `_raise_item`)."""
    return _raise_item(**kwargs)


def _raise_item(
    *,
    actor,
    branch: Organisation,
    source,
    problem: str,
    category: str = "",
    measures: str = "",
    responsible: Person | None = None,
    kind: str = Kind.DEADLINE,
    deadline: dt.date | None = None,
    raised_on: dt.date | None = None,
    raised_by_org: Organisation | None = None,
    link: models.Model | None = None,
) -> Item:
    """Register one problem for a branch (any app may call this; nothing else writes items).
    `source` is a Source, its code ("inspection") or its name ("巡察"); `link` the source record."""
    src = resolve_source(source)
    if kind not in Kind.values:
        raise _error("未知的整改类型。", "unknown_kind")
    raised_on = raised_on or clock.today()
    item = Item(
        branch=branch,
        source=src,
        problem=(problem or "").strip(),
        category=(category or "").strip(),
        measures=(measures or "").strip(),
        responsible=responsible,
        kind=kind,
        deadline=deadline,
        raised_on=raised_on,
        raised_by_org=raised_by_org,
        report_due=rules.report_due(src.code, raised_on),
    )
    if link is not None:
        item.link_type = ContentType.objects.get_for_model(link)
        item.link_id = link.pk
    _check(item)
    item.save()
    audit.record(
        actor=actor,
        action=Action.RAISE,
        obj=item,
        organisation=branch,
        changes={"source": src.name, "deadline": str(deadline or ""), "kind": kind},
    )
    return item


@transaction.atomic(durable=True)
def update_item(*, actor, item: Item, data: dict) -> dict:
    """Edit an item that is not 销号'd (a closed item is only reopened)."""
    item = Item.objects.select_for_update().select_related("branch").get(pk=item.pk)
    if not rules.can_edit(item.status):
        raise _error("已销号的问题不能修改；如需继续整改，请在回头看中重新整改。", "closed_not_editable")
    with audit.updating(
        item, actor=actor, fields=ITEM_FIELDS, action=Action.UPDATE, organisation=item.branch
    ) as update:
        for name, value in data.items():
            if name in ITEM_FIELDS:
                setattr(item, name, value)
        _check(item)
        item.report_due = rules.report_due(item.source.code, item.raised_on)
    return update.changes


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("branch").get(pk=item.pk)


def _move(item: Item, action: str) -> str:
    try:
        return rules.transition(item.status, action)
    except rules.RuleError as exc:
        raise _rule(exc) from None


def _note(*, actor, item: Item, action: str, text: str) -> Note:
    return Note.objects.create(
        item=item, author=actor if getattr(actor, "is_authenticated", False) else None, action=action, text=text[:500]
    )


@transaction.atomic(durable=True)
def start(*, actor, item: Item) -> Item:
    item = _locked(item)
    old = item.status
    item.status = _move(item, "start")
    item.save(update_fields=["status"])
    audit.record(
        actor=actor, action=Action.START, obj=item, organisation=item.branch, changes={"status": [old, item.status]}
    )
    return item


@transaction.atomic(durable=True)
def add_note(*, actor, item: Item, text: str) -> Note:
    item = _locked(item)
    text = (text or "").strip()
    if not text:
        raise _error("请填写整改进展。", "empty_note")
    if not rules.can_edit(item.status):
        raise _error("已销号的问题不能再记录进展。", "closed_not_editable")
    note = _note(actor=actor, item=item, action="note", text=text)
    audit.record(actor=actor, action=Action.NOTE, obj=item, organisation=item.branch, changes={"text": text[:200]})
    return note


def check_upload(upload) -> str:
    """The content type of an allowed evidence file (jpg/png/pdf, size-limited, content matching)."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in EVIDENCE_TYPES:
        raise _error("只能上传 jpg、png 或 pdf 文件。", "upload_type")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise _error(f"文件过大（上限 {limit // (1024 * 1024) or 1}MB）。", "upload_too_large")
    if upload.size == 0:
        raise _error("文件为空。", "upload_empty")
    content_type = EVIDENCE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in _MAGIC[content_type]):
        raise _error("文件内容与扩展名不符。", "upload_content_mismatch")
    return content_type


def _attach(*, actor, item: Item, upload) -> EvidenceFile:
    content_type = check_upload(upload)
    name = (getattr(upload, "name", "") or "佐证").replace("/", "_").replace("\\", "_")[-150:]
    ev = EvidenceFile(
        item=item,
        name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ev.file.save(name, upload, save=False)
    stored = ev.file
    try:
        ev.save()
        audit.record(
            actor=actor,
            action=Action.ATTACH,
            obj=item,
            organisation=item.branch,
            changes={"name": name, "size": upload.size},
        )
    except Exception:
        stored.delete(save=False)
        raise
    return ev


@transaction.atomic(durable=True)
def submit(*, actor, item: Item, evidence: str, uploads=()) -> Item:
    """Submit for 销号 with evidence (text or files; earlier files count)."""
    item = _locked(item)
    after = _move(item, "submit")
    evidence = (evidence or "").strip() or item.evidence
    uploads = [u for u in uploads if u]
    try:
        rules.check_evidence(evidence, item.files.count() + len(uploads))
    except rules.RuleError as exc:
        raise _rule(exc) from None
    for upload in uploads:
        check_upload(upload)
    for upload in uploads:
        _attach(actor=actor, item=item, upload=upload)
    old = item.status
    item.status, item.evidence, item.submitted_on = after, evidence, clock.today()
    item.save(update_fields=["status", "evidence", "submitted_on"])
    audit.record(
        actor=actor,
        action=Action.SUBMIT,
        obj=item,
        organisation=item.branch,
        changes={"status": [old, after], "evidence": evidence[:200]},
    )
    if rules.close_via_approvals(settings_chain(item.branch)):
        from zhibu.approvals import services as approvals

        approvals.submit_inside(
            actor=actor,
            branch=item.branch,
            kind="rectify.close",
            subject=item,
            title=item.problem[:60],
            submitted_on=item.submitted_on,
            payload={"evidence": evidence[:500], "files": item.files.count()},
        )
    return item


def _via_approvals(item: Item) -> None:
    """An item whose 销号 request is open in the approvals inbox is decided there (not here)."""
    from zhibu.approvals import selectors as approval_selectors

    request = approval_selectors.for_subject(item, kind="rectify.close")
    if request is not None and request.is_open:
        raise _error("本区整改销号经上级党组织在“报批审批”中办理，请在那里批准或打回。", "via_approvals")


def _close(*, actor, item: Item, on) -> Item:
    after = _move(item, "close")
    try:
        rules.check_evidence(item.evidence, item.files.count())
    except rules.RuleError as exc:
        raise _rule(exc) from None
    item.status, item.closed_on, item.sent_back_reason = after, on, ""
    item.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    item.review_due = rules.add_months(on, rules.review_months(settings_chain(item.branch)))
    item.save(update_fields=["status", "closed_on", "closed_by", "sent_back_reason", "review_due"])
    audit.record(
        actor=actor,
        action=Action.CLOSE,
        obj=item,
        organisation=item.branch,
        changes={"status": [Status.SUBMITTED, after], "review_due": str(item.review_due)},
    )
    return item


@transaction.atomic(durable=True)
def close(*, actor, item: Item) -> Item:
    """销号 by the closer; schedules the 回头看 after N months (configurable per district)."""
    item = _locked(item)
    _via_approvals(item)
    return _close(actor=actor, item=item, on=clock.today())


def _send_back(*, actor, item: Item, reason: str) -> Item:
    reason = (reason or "").strip()
    if not reason:
        raise _error("退回须写明原因。", "no_reason")
    after = _move(item, "send_back")
    item.status, item.sent_back_reason = after, reason[:300]
    item.save(update_fields=["status", "sent_back_reason"])
    _note(actor=actor, item=item, action="send_back", text=f"退回：{reason}")
    audit.record(
        actor=actor,
        action=Action.SEND_BACK,
        obj=item,
        organisation=item.branch,
        changes={"status": [Status.SUBMITTED, after], "reason": reason[:200]},
    )
    return item


@transaction.atomic(durable=True)
def send_back(*, actor, item: Item, reason: str) -> Item:
    item = _locked(item)
    _via_approvals(item)
    return _send_back(actor=actor, item=item, reason=reason)


# --- 销号 through the approvals inbox (rectify/approvals.py; the district's setting) --------------------


def close_approved(approval) -> Item:
    """The 上级党组织 approved the 销号 request: closed on the approval date (in the approving transaction)."""
    item = _locked(Item(pk=approval.subject_id))
    return _close(actor=approval.decided_by, item=item, on=approval.decided_on)


def close_returned(approval) -> Item:
    """打回 in the inbox: the item goes back to the branch with the reason, as a 退回."""
    item = _locked(Item(pk=approval.subject_id))
    return _send_back(actor=approval.decided_by, item=item, reason=approval.reason)


@transaction.atomic(durable=True)
def review(*, actor, item: Item, confirmed: bool, note: str = "") -> Item:
    """回头看: confirm the 销号 holds, or reopen the item (back to 整改中, with a reason)."""
    item = _locked(item)
    note = (note or "").strip()
    if not confirmed and not note:
        raise _error("重新整改须写明回头看发现的问题。", "no_reason")
    old = item.status
    after = _move(item, "confirm" if confirmed else "reopen")
    item.status, item.reviewed_on, item.review_note = after, clock.today(), note[:300]
    fields = ["status", "reviewed_on", "review_note"]
    if not confirmed:
        item.reopened += 1
        item.closed_on = item.closed_by = item.review_due = item.submitted_on = None
        fields += ["reopened", "closed_on", "closed_by", "review_due", "submitted_on"]
    item.save(update_fields=fields)
    _note(
        actor=actor,
        item=item,
        action="confirm" if confirmed else "reopen",
        text=("回头看确认" if confirmed else "回头看重新整改") + (f"：{note}" if note else ""),
    )
    audit.record(
        actor=actor,
        action=Action.CONFIRM if confirmed else Action.REOPEN,
        obj=item,
        organisation=item.branch,
        changes={"status": [old, after], "note": note[:200]},
    )
    return item


@transaction.atomic(durable=True)
def import_items(*, actor, branch: Organisation, rows: list[dict]) -> dict:
    """Rows validated by `exports.validate` (all or nothing: a refusal here undoes every row)."""
    created = 0
    for row in rows:
        _raise_item(actor=actor, branch=branch, **row)
        created += 1
    audit.record(
        actor=actor,
        action=Action.IMPORT,
        organisation=branch,
        object_type="rectify.Item",
        object_repr=f"{branch.name}整改台账",
        changes={"rows": created},
    )
    return {"created": created}
