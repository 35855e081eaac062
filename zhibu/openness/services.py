"""Every write of 三务公开, the mailbox and the 恳谈会: keyword-only, atomic, audited in the same
transaction. The views call the durable entry points; who may take which step of the procedure is
checked by the views (views.may_take, from rules.step_roles and the configured roles).

Refusals are `ValidationError`s with a Chinese message and a `code`; nothing is written then.
The mailbox's rate limit is counted outside any transaction (`count_submission`): a refused message
rolls back, its count must not."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock, throttle
from zhibu.openness import rules
from zhibu.openness.audit_actions import Action
from zhibu.openness.models import (
    BranchLink,
    CatalogEntry,
    Category,
    Forum,
    ForumItem,
    ForumParticipant,
    Message,
    Notice,
    new_token,
)
from zhibu.orgs.models import Organisation, OrgKind, Person

NOTICE_FIELDS = ["channel", "category", "catalog_entry", "scope", "title", "body", "means"]
THROTTLE_WINDOW = 15 * 60


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(exc: rules.RuleError) -> ValidationError:
    return _error(exc.message, exc.code)


def settings_chain(branch: Organisation) -> list[dict]:
    """The settings of the branch and its ancestors, nearest first (path holds the ancestry)."""
    ids = [int(p) for p in (branch.path or "").strip("/").split("/") if p.isdigit()]
    by_id = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "settings")) if ids else {}
    return [branch.settings or {}, *[by_id.get(i) or {} for i in reversed(ids)]]


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Notices -----------------------------------------------------------------------------------------


def _check_notice(notice: Notice) -> None:
    if notice.branch.kind != OrgKind.BRANCH:
        raise _error("公开事项由党支部提出。", "not_branch")
    if notice.category.channel != notice.channel:
        raise _error("公开内容类别与公开类别不一致。", "category_channel")
    if notice.catalog_entry is not None and notice.catalog_entry.district_id not in notice.branch.ancestor_ids():
        raise _error("目录事项不属于本支部的上级党组织。", "catalog_elsewhere")
    if not (notice.title or "").strip() or not (notice.body or "").strip():
        raise _error("请填写标题和公开内容。", "empty")


def _propose(*, actor, branch: Organisation, data: dict, generated: str = "") -> Notice:
    notice = Notice(branch=branch, proposed_by=_user(actor), proposed_on=clock.today(), generated=generated)
    for name in NOTICE_FIELDS:
        if name in data:
            setattr(notice, name, data[name])
    notice.title, notice.body = (notice.title or "").strip(), (notice.body or "").strip()
    _check_notice(notice)
    notice.save()
    audit.record(
        actor=actor,
        action=Action.DUES_DRAFT if generated else Action.PROPOSE,
        obj=notice,
        organisation=branch,
        changes={"channel": notice.channel, "scope": notice.scope, "category": notice.category.name},
    )
    return notice


@transaction.atomic(durable=True)
def propose(*, actor, branch: Organisation, data: dict) -> Notice:
    """提出: content, scope, time and means (党务公开条例 第15条)."""
    return _propose(actor=actor, branch=branch, data=data)


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("branch", "category").get(pk=notice.pk)


@transaction.atomic(durable=True)
def edit(*, actor, notice: Notice, data: dict) -> dict:
    """Change a notice that was proposed or sent back; a returned one goes back to 审核."""
    notice = _locked(notice)
    if notice.status not in rules.EDITABLE:
        raise _error("已审核的公开事项不能修改；如需修改请先退回。", "not_editable")
    with audit.updating(
        notice, actor=actor, fields=NOTICE_FIELDS + ["status"], action=Action.EDIT, organisation=notice.branch
    ) as update:
        for name in NOTICE_FIELDS:
            if name in data:
                setattr(notice, name, data[name])
        _check_notice(notice)
        if notice.status == rules.RETURNED:
            notice.status = rules.transition(notice.status, "resubmit")
            notice.secrecy_checked = False
    return update.changes


def _move(notice: Notice, step: str) -> str:
    try:
        return rules.transition(notice.status, step)
    except rules.RuleError as exc:
        raise _rule(exc) from None


@transaction.atomic(durable=True)
def review(*, actor, notice: Notice, secrecy_checked: bool) -> Notice:
    """审核, with the 保密审查 tick."""
    notice = _locked(notice)
    after = _move(notice, "review")
    try:
        rules.check_review(secrecy_checked)
    except rules.RuleError as exc:
        raise _rule(exc) from None
    old = notice.status
    notice.status, notice.secrecy_checked = after, True
    notice.reviewed_by, notice.reviewed_on, notice.return_reason = _user(actor), clock.today(), ""
    notice.save(update_fields=["status", "secrecy_checked", "reviewed_by", "reviewed_on", "return_reason"])
    audit.record(
        actor=actor,
        action=Action.REVIEW,
        obj=notice,
        organisation=notice.branch,
        changes={"status": [old, after], "secrecy_checked": True},
    )
    return notice


@transaction.atomic(durable=True)
def approve(*, actor, notice: Notice) -> Notice:
    notice = _locked(notice)
    after = _move(notice, "approve")
    old = notice.status
    notice.status, notice.approved_by, notice.approved_on = after, _user(actor), clock.today()
    notice.save(update_fields=["status", "approved_by", "approved_on"])
    audit.record(
        actor=actor, action=Action.APPROVE, obj=notice, organisation=notice.branch, changes={"status": [old, after]}
    )
    return notice


@transaction.atomic(durable=True)
def publish(*, actor, notice: Notice, starts_on: dt.date, ends_on: dt.date) -> Notice:
    """发布 for a period; after it the notice moves to the archive."""
    notice = _locked(notice)
    after = _move(notice, "publish")
    try:
        rules.check_period(starts_on, ends_on)
    except rules.RuleError as exc:
        raise _rule(exc) from None
    if not notice.secrecy_checked:
        raise _error("未经保密审查的内容不能发布。", "no_secrecy_check")
    old = notice.status
    notice.status, notice.published_by, notice.starts_on, notice.ends_on = after, _user(actor), starts_on, ends_on
    notice.save(update_fields=["status", "published_by", "starts_on", "ends_on"])
    audit.record(
        actor=actor,
        action=Action.PUBLISH,
        obj=notice,
        organisation=notice.branch,
        changes={"status": [old, after], "starts_on": str(starts_on), "ends_on": str(ends_on), "scope": notice.scope},
    )
    return notice


@transaction.atomic(durable=True)
def send_back(*, actor, notice: Notice, reason: str) -> Notice:
    notice = _locked(notice)
    reason = (reason or "").strip()
    if not reason:
        raise _error("退回须写明原因。", "no_reason")
    after = _move(notice, "return")
    old = notice.status
    notice.status, notice.return_reason, notice.secrecy_checked = after, reason[:200], False
    notice.save(update_fields=["status", "return_reason", "secrecy_checked"])
    audit.record(
        actor=actor,
        action=Action.RETURN,
        obj=notice,
        organisation=notice.branch,
        changes={"status": [old, after], "reason": reason[:200]},
    )
    return notice


def dues_figures(branch: Organisation, year: int, today: dt.date) -> dict:
    """The year's 党费 figures, read from the dues ledger through its selectors (the same numbers
    as the 党费上缴 page): due, collected, outstanding, voluntary, to the Centre, remitted, per month."""
    from zhibu.dues import selectors as dues

    last = 12 if year < today.year else (today.month if year == today.year else 0)
    months = dues.year_collection(branch, year, last)
    remitted = sum((r.amount for r in dues.remittances(branch, year)), Decimal("0"))

    def total(attr: str) -> Decimal:
        return sum((getattr(m, attr) for m in months), Decimal("0"))

    return {
        "months": months,
        "due": total("due_total"),
        "collected": total("collected"),
        "outstanding": total("outstanding"),
        "voluntary": total("voluntary"),
        "to_centre": total("voluntary_to_centre"),
        "remitted": remitted,
    }


def dues_body(branch: Organisation, year: int, figures: dict) -> str:
    lines = [
        f"根据党费工作有关规定，现将{branch.name}{year}年度党费收缴、使用和管理情况向全体党员公布如下：",
        f"一、收缴情况：全年应收党费{figures['due']:.2f}元，实收{figures['collected']:.2f}元，"
        f"未收{figures['outstanding']:.2f}元。",
        f"二、自愿多交党费{figures['voluntary']:.2f}元，其中单笔1000元以上全额上缴中央{figures['to_centre']:.2f}元。",
        f"三、上缴情况：全年向上级党委上缴党费{figures['remitted']:.2f}元。",
        "四、各月收缴情况：",
    ]
    for m in figures["months"]:
        lines.append(
            f"{m.month.month}月：应收{m.due_total:.2f}元，实收{m.collected:.2f}元，已交{m.paid}人/应交{m.owing}人。"
        )
    lines.append("党员对以上情况如有疑问，请向支部组织委员反映。")
    return "\n".join(lines)


@transaction.atomic(durable=True)
def dues_draft(*, actor, branch: Organisation, year: int) -> Notice:
    """The yearly 党费 publication to the members, as a draft at 提出 (rules2.md §7: once a year)."""
    today = clock.today()
    if year > today.year:
        raise _error("尚未到该年度，不能生成党费公开。", "future_year")
    key = f"dues:{year}"
    if Notice.objects.filter(branch=branch, generated=key).exists():
        raise _error(f"{year}年度党费公开草稿已经生成过，请在公开事项中查看。", "already_generated")
    figures = dues_figures(branch, year, today)
    category = Category.objects.filter(code="dues").first()
    if category is None:
        raise _error("缺少“党费收缴、使用和管理”公开类别，请联系管理员。", "no_category")
    entry = (
        CatalogEntry.objects.filter(district_id__in=branch.ancestor_ids(), category=category, active=True)
        .order_by("id")
        .first()
    )
    data = {
        "channel": rules.PARTY,
        "category": category,
        "catalog_entry": entry,
        "scope": rules.MEMBERS,
        "title": f"{year}年度党费收缴、使用和管理情况公开",
        "body": dues_body(branch, year, figures),
        "means": "支部党员大会、支部工作平台",
    }
    try:
        with transaction.atomic():
            return _propose(actor=actor, branch=branch, data=data, generated=key)
    except IntegrityError:
        raise _error(f"{year}年度党费公开草稿已经生成过，请在公开事项中查看。", "already_generated") from None


# --- The 公开目录 ---------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_catalog_entry(*, actor, district: Organisation, category: Category, title: str, frequency: str) -> CatalogEntry:
    title = (title or "").strip()
    if district.kind == OrgKind.BRANCH:
        raise _error("公开目录由上级党组织制定。", "not_district")
    if frequency not in rules.FREQUENCY_LABELS:
        raise _error("未知的公开频次。", "unknown_frequency")
    if CatalogEntry.objects.filter(district=district, title=title, active=True).exists():
        raise _error(f"目录中已有“{title}”。", "duplicate")
    entry = CatalogEntry.objects.create(district=district, category=category, title=title, frequency=frequency)
    audit.record(
        actor=actor,
        action=Action.CATALOG_ADD,
        obj=entry,
        organisation=district,
        changes={"frequency": frequency, "category": category.name},
    )
    return entry


@transaction.atomic(durable=True)
def load_default_catalog(*, actor, district: Organisation) -> int:
    """The default 公开目录 (rules.DEFAULT_CATALOG), lines already present left alone."""
    if district.kind == OrgKind.BRANCH:
        raise _error("公开目录由上级党组织制定。", "not_district")
    categories = {c.code: c for c in Category.objects.filter(active=True)}
    have = set(CatalogEntry.objects.filter(district=district, active=True).values_list("title", flat=True))
    added = 0
    for code, title, frequency in rules.DEFAULT_CATALOG:
        if title in have or code not in categories:
            continue
        entry = CatalogEntry.objects.create(
            district=district, category=categories[code], title=title, frequency=frequency
        )
        audit.record(
            actor=actor,
            action=Action.CATALOG_ADD,
            obj=entry,
            organisation=district,
            changes={"frequency": frequency, "category": categories[code].name},
        )
        added += 1
    return added


@transaction.atomic(durable=True)
def retire_catalog_entry(*, actor, entry: CatalogEntry) -> CatalogEntry:
    entry = CatalogEntry.objects.select_for_update().select_related("district").get(pk=entry.pk)
    if entry.active:
        entry.active = False
        entry.save(update_fields=["active"])
        audit.record(
            actor=actor,
            action=Action.CATALOG_RETIRE,
            obj=entry,
            organisation=entry.district,
            changes={"active": [True, False]},
        )
    return entry


# --- The public link and the mailbox -------------------------------------------------------------------


@transaction.atomic(durable=True)
def open_link(*, actor, branch: Organisation) -> BranchLink:
    link, created = BranchLink.objects.get_or_create(branch=branch)
    if created:
        audit.record(actor=actor, action=Action.LINK, obj=link, organisation=branch, changes={"opened": True})
    return link


@transaction.atomic(durable=True)
def update_link(*, actor, link: BranchLink, box_name: str, mailbox_open: bool, reply_days: int) -> dict:
    link = BranchLink.objects.select_for_update().select_related("branch").get(pk=link.pk)
    if not 1 <= reply_days <= rules.MAX_REPLY_DAYS:
        raise _error(f"答复期限须在1至{rules.MAX_REPLY_DAYS}天之间。", "reply_days")
    with audit.updating(
        link,
        actor=actor,
        fields=["box_name", "mailbox_open", "reply_days"],
        action=Action.LINK,
        organisation=link.branch,
    ) as update:
        link.box_name, link.mailbox_open, link.reply_days = (box_name or "").strip(), mailbox_open, reply_days
    return update.changes


@transaction.atomic(durable=True)
def renew_token(*, actor, link: BranchLink) -> BranchLink:
    """A new public link; the old one stops working at once (a link posted where it should not be)."""
    link = BranchLink.objects.select_for_update().select_related("branch").get(pk=link.pk)
    link.token = new_token()
    link.save(update_fields=["token"])
    audit.record(actor=actor, action=Action.NEW_LINK, obj=link, organisation=link.branch, changes={})
    return link


def _sender_key(address: str, branch_id: int) -> str:
    # Hashed with the site's secret: the throttle table never holds an address, and the count is not
    # tied to any message.
    raw = f"{settings.SECRET_KEY}|{address}|{branch_id}".encode()
    return "mbox:" + hashlib.sha256(raw).hexdigest()[:48]


def count_submission(*, link: BranchLink, address: str) -> str | None:
    """Count one mailbox submission (outside any transaction: a refused message keeps its count).
    The refusal's message when the sender or the whole box is over its limit, else None."""
    sender = throttle.hit(_sender_key(address, link.branch_id), window=THROTTLE_WINDOW)
    box = throttle.hit(f"mbox-all:{link.branch_id}", window=THROTTLE_WINDOW)
    if sender > rules.SENDER_LIMIT:
        return "提交过于频繁，请15分钟后再试。已填写的内容仍在下方，可稍后再提交。"
    if box > rules.BOX_LIMIT:
        return "信箱当前来信较多，请稍后再试。已填写的内容仍在下方，可稍后再提交。"
    return None


def count_lookup(*, link: BranchLink, address: str) -> bool:
    """Count one tracking-code look-up; False when over the limit (guessing codes)."""
    return (
        throttle.hit("mtrack:" + _sender_key(address, link.branch_id)[5:], window=THROTTLE_WINDOW) <= rules.TRACK_LIMIT
    )


@transaction.atomic(durable=True)
def receive_message(
    *,
    link: BranchLink,
    subject: str,
    body: str,
    anonymous: bool,
    name: str = "",
    contact: str = "",
    honeypot: str = "",
) -> tuple[Message, str]:
    """A message from the public form. Returns it and its tracking code (shown once, stored hashed).
    An anonymous message keeps nothing about its writer: not even the name or contact they typed."""
    link = BranchLink.objects.select_related("branch").get(pk=link.pk)
    if not link.mailbox_open:
        raise _error("信箱暂未开放。", "closed")
    subject, body = (subject or "").strip(), (body or "").strip()
    problem = rules.spam_problem(subject, body, honeypot)
    if problem:
        raise _error(*problem)
    if len(subject) > rules.SUBJECT_MAX or len(body) > rules.BODY_MAX:
        raise _error(f"主题不超过{rules.SUBJECT_MAX}字，内容不超过{rules.BODY_MAX}字。", "too_long")
    name, contact = (
        ("", "")
        if anonymous
        else ((name or "").strip()[: rules.NAME_MAX], (contact or "").strip()[: rules.CONTACT_MAX])
    )
    if not anonymous and not name:
        raise _error("署名来信请填写姓名，或选择匿名。", "no_name")
    today = clock.today()
    for _attempt in range(5):
        code = rules.new_code()
        digest = rules.code_digest(code)
        if not Message.objects.filter(code_digest=digest).exists():
            break
    message = Message.objects.create(
        branch=link.branch,
        subject=subject or "（无主题）",
        body=body,
        anonymous=anonymous,
        name=name,
        contact=contact,
        code_digest=digest,
        received_on=today,
        due_on=rules.reply_due(today, link.reply_days),
    )
    audit.record(
        actor=None, action=Action.RECEIVE, obj=message, organisation=link.branch, changes={"anonymous": anonymous}
    )
    return message, code


def find_message(link: BranchLink, code: str) -> Message | None:
    """The message of this branch with this code (None for a forged or mistyped one)."""
    normal = rules.normalise_code(code)
    if normal is None:
        return None
    return Message.objects.filter(branch_id=link.branch_id, code_digest=rules.code_digest(normal)).first()


def _locked_message(message: Message) -> Message:
    return Message.objects.select_for_update().select_related("branch").get(pk=message.pk)


@transaction.atomic(durable=True)
def assign(*, actor, message: Message, person: Person) -> Message:
    message = _locked_message(message)
    if person.branch_id != message.branch_id:
        raise _error("承办人不是本支部的人员。", "assignee_elsewhere")
    old = message.assignee_id
    message.assignee = person
    if message.status == rules.NEW:
        message.status = rules.ASSIGNED
    message.save(update_fields=["assignee", "status"])
    audit.record(
        actor=actor,
        action=Action.ASSIGN,
        obj=message,
        organisation=message.branch,
        changes={"assignee": [old, person.pk]},
    )
    return message


@transaction.atomic(durable=True)
def reply(*, actor, message: Message, text: str, publish: bool = False) -> Message:
    message = _locked_message(message)
    text = (text or "").strip()
    if not text:
        raise _error("请填写答复内容。", "empty_reply")
    if len(text) > rules.REPLY_MAX:
        raise _error(f"答复不超过{rules.REPLY_MAX}字。", "too_long")
    old = message.status
    message.reply, message.status = text, rules.REPLIED
    message.replied_on, message.replied_by, message.published = clock.today(), _user(actor), publish
    message.save(update_fields=["reply", "status", "replied_on", "replied_by", "published"])
    audit.record(
        actor=actor,
        action=Action.REPLY,
        obj=message,
        organisation=message.branch,
        changes={"status": [old, rules.REPLIED], "published": publish},
    )
    return message


@transaction.atomic(durable=True)
def publish_qa(*, actor, message: Message, published: bool) -> Message:
    message = _locked_message(message)
    if published and message.status != rules.REPLIED:
        raise _error("答复后才能公开问答。", "not_replied")
    if message.published != published:
        message.published = published
        message.save(update_fields=["published"])
        audit.record(
            actor=actor,
            action=Action.PUBLISH_QA,
            obj=message,
            organisation=message.branch,
            changes={"published": [not published, published]},
        )
    return message


def _to_rectify(*, actor, branch, problem: str, responsible, deadline, link) -> int:
    from zhibu.rectify import services as rectify

    item = rectify.raise_item(
        actor=actor,
        branch=branch,
        source="mailbox",
        problem=problem,
        responsible=responsible,
        kind="deadline",
        deadline=deadline,
        link=link,
    )
    return item.pk


@transaction.atomic(durable=True)
def message_to_rectify(*, actor, message: Message, problem: str, responsible: Person | None, deadline: dt.date) -> int:
    """The message becomes a 整改 item (source 信箱/群众意见), once."""
    message = _locked_message(message)
    if message.rectify_item_id:
        raise _error("这封来信已经转为整改事项。", "already_raised")
    message.rectify_item_id = _to_rectify(
        actor=actor,
        branch=message.branch,
        problem=problem or message.body[:500],
        responsible=responsible,
        deadline=deadline,
        link=message,
    )
    message.save(update_fields=["rectify_item_id"])
    audit.record(
        actor=actor,
        action=Action.TO_RECTIFY,
        obj=message,
        organisation=message.branch,
        changes={"rectify_item": message.rectify_item_id},
    )
    return message.rectify_item_id


# --- 民主恳谈会 ------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_forum(
    *, actor, branch: Organisation, held_on: dt.date, topic: str, place: str = "", host: str = "", summary: str = ""
) -> Forum:
    if branch.kind != OrgKind.BRANCH:
        raise _error("民主恳谈会由党支部登记。", "not_branch")
    if held_on > clock.today():
        raise _error("尚未召开的恳谈会不能登记。", "future")
    forum = Forum.objects.create(
        branch=branch,
        held_on=held_on,
        topic=topic.strip(),
        place=place.strip(),
        host=host.strip(),
        summary=summary.strip(),
    )
    audit.record(
        actor=actor,
        action=Action.FORUM,
        obj=forum,
        organisation=branch,
        changes={"held_on": str(held_on), "topic": forum.topic},
    )
    return forum


@transaction.atomic(durable=True)
def add_participant(*, actor, forum: Forum, name: str, identity: str, person: Person | None = None) -> ForumParticipant:
    forum = Forum.objects.select_for_update().select_related("branch").get(pk=forum.pk)
    if person is not None and person.branch_id != forum.branch_id:
        raise _error("该人员不是本支部的人员。", "person_elsewhere")
    name, identity = (name or (person.name if person else "")).strip(), (identity or "").strip()
    if not name or not identity:
        raise _error("请填写姓名和身份。", "empty")
    if ForumParticipant.objects.filter(forum=forum, name=name, identity=identity).exists():
        raise _error(f"{name}（{identity}）已在名单中。", "duplicate")
    p = ForumParticipant.objects.create(forum=forum, name=name, identity=identity, person=person)
    audit.record(
        actor=actor,
        action=Action.FORUM_PARTICIPANT,
        obj=forum,
        organisation=forum.branch,
        changes={"identity": identity},
    )
    return p


@transaction.atomic(durable=True)
def add_item(*, actor, forum: Forum, text: str, answer: str = "") -> ForumItem:
    forum = Forum.objects.select_for_update().select_related("branch").get(pk=forum.pk)
    text = (text or "").strip()
    if not text:
        raise _error("请填写意见建议。", "empty")
    item = ForumItem.objects.create(forum=forum, text=text, answer=(answer or "").strip())
    audit.record(
        actor=actor, action=Action.FORUM_ITEM, obj=forum, organisation=forum.branch, changes={"text": text[:200]}
    )
    return item


@transaction.atomic(durable=True)
def forum_item_to_rectify(*, actor, item: ForumItem, responsible: Person | None, deadline: dt.date) -> int:
    item = ForumItem.objects.select_for_update().select_related("forum__branch").get(pk=item.pk)
    if item.rectify_item_id:
        raise _error("这条意见已经转为整改事项。", "already_raised")
    forum = item.forum
    item.rectify_item_id = _to_rectify(
        actor=actor,
        branch=forum.branch,
        problem=f"民主恳谈会意见：{item.text}",
        responsible=responsible,
        deadline=deadline,
        link=forum,
    )
    item.save(update_fields=["rectify_item_id"])
    audit.record(
        actor=actor,
        action=Action.TO_RECTIFY,
        obj=forum,
        organisation=forum.branch,
        changes={"rectify_item": item.rectify_item_id},
    )
    return item.rectify_item_id
