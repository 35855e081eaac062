"""Every write of 学习教育: keyword-only, durable entry points, audited in the same transaction.
Refusals are `ValidationError`s with a Chinese message and a `code`; nothing is written then."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.orglife import selectors as orglife
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, OrgKind, Person
from zhibu.study import rules, selectors
from zhibu.study.audit_actions import Action
from zhibu.study.models import (
    FILE_TYPES,
    Attendee,
    Audience,
    Category,
    Exemption,
    Length,
    Obligation,
    PersonalPlan,
    Quota,
    Reading,
    Reflection,
    Session,
    StudyFile,
    StudyForm,
    Training,
    TrainingStatus,
    XuexiMonth,
)

_MAGIC = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
    FILE_TYPES["docx"]: b"PK\x03\x04",
}


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except rules.RuleError as exc:
        raise _error(exc.message, exc.code) from None


def _branch_only(branch: Organisation) -> None:
    if branch.kind != OrgKind.BRANCH:
        raise _error("学习记录须登记在党支部。", "not_branch")


def _check_date(date: dt.date, what: str = "日期") -> None:
    today = clock.today()
    if date > today:
        raise _error(f"{what}晚于今天，尚未发生的学习不能登记。", "future")
    if date.year < today.year - 1:
        raise _error(f"{what}须在去年或今年之内。", "too_old")


def check_upload(upload) -> str:
    """The content type of an allowed file (jpg/png/pdf/docx, size-limited, content matching)."""
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in FILE_TYPES:
        raise _error("只能上传 jpg、png、pdf 或 docx 文件。", "upload_type")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise _error(f"文件过大（上限 {settings.UPLOAD_MAX_BYTES // (1024 * 1024) or 1}MB）。", "upload_too_large")
    if upload.size == 0:
        raise _error("文件为空。", "upload_empty")
    content_type = FILE_TYPES[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(_MAGIC[content_type]):
        raise _error("文件内容与扩展名不符。", "upload_content_mismatch")
    return content_type


def _store(*, branch: Organisation, upload, session: Session | None = None) -> StudyFile:
    content_type = check_upload(upload)
    name = (getattr(upload, "name", "") or "文件").replace("/", "_").replace("\\", "_")[-150:]
    f = StudyFile(branch=branch, session=session, name=name, content_type=content_type, size=upload.size)
    f.file.save(name, upload, save=False)
    stored = f.file
    try:
        f.save()
    except Exception:
        stored.delete(save=False)
        raise
    return f


# --- sessions --------------------------------------------------------------------------------------


def audience_ids(branch: Organisation, audience: str, group: Organisation | None, as_of: dt.date) -> list[int]:
    """Who a session is for, to prefill the attendance (everyone on the roster for 全体教职工)."""
    qs = Person.objects.filter(branch=branch, active=True)
    if audience == Audience.STAFF:
        pass
    elif audience == Audience.COMMITTEE:
        ids = CommitteePosition.objects.filter(branch=branch, ended_on__isnull=True, term_start__lte=as_of)
        qs = qs.filter(pk__in=ids.values("person_id"))
    elif audience == Audience.GROUP:
        qs = qs.filter(group=group) if group else qs.none()
    elif audience == Audience.CHOSEN:
        qs = qs.none()
    else:
        qs = qs.filter(standing__in=MEMBER_STANDINGS)
    return list(qs.order_by("name", "id").values_list("id", flat=True))


@transaction.atomic(durable=True)
def create_session(
    *,
    actor,
    branch: Organisation,
    date: dt.date,
    length: str,
    hours,
    form: str,
    category: Category,
    topic: str,
    audience: str,
    attendee_ids,
    speaker: str = "",
    group: Organisation | None = None,
    summary: str = "",
    links: str = "",
    uploads=(),
) -> Session:
    """A collective study session with who attended (members and non-member staff alike)."""
    _branch_only(branch)
    _check_date(date, "学习日期")
    if length not in Length.values:
        raise _error("请选择时长。", "length")
    if form not in StudyForm.values:
        raise _error("请选择学习形式。", "form")
    if audience not in Audience.values:
        raise _error("请选择参学对象。", "audience")
    if audience == Audience.GROUP and (group is None or group.parent_id != branch.pk):
        raise _error("参学对象为党小组时，请选择本支部的党小组。", "group")
    topic = (topic or "").strip()
    if not topic:
        raise _error("请填写学习主题。", "topic")
    cfg = selectors.config(branch)
    if length == Length.HOURS:
        hours = _rule(rules.check_hours, hours)
    else:
        hours = rules.credited(length, hours, cfg)
    credited = _rule(rules.credited, length, hours, cfg)
    ids = sorted({int(i) for i in attendee_ids or ()})
    if not ids:
        raise _error("没有登记参学人员：请至少勾选一名到场人员。", "no_attendees")
    people = dict(Person.objects.filter(pk__in=ids, branch=branch).values_list("pk", "name"))
    if len(people) != len(ids):
        raise _error("参学人员中有不属于本支部的人员。", "attendee_elsewhere")
    if (
        form == StudyForm.LECTURE
        and orglife.study_meetings(branch, date.year, date).filter(date=date, kind="party_lecture").exists()
    ):
        raise _error("这次党课已在“组织生活”中登记，已计入学习，无须重复录入。", "orglife_duplicate")
    if Session.objects.filter(branch=branch, date=date, topic=topic).exists():
        raise _error("同一天已登记了同一主题的学习。", "duplicate")
    session = Session.objects.create(
        branch=branch,
        date=date,
        length=length,
        hours=hours,
        credited=credited,
        form=form,
        category=category,
        topic=topic[:200],
        speaker=(speaker or "").strip()[:50],
        audience=audience,
        group=group,
        summary=summary or "",
        links=links or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Attendee.objects.bulk_create([Attendee(session=session, person_id=i) for i in ids])
    for upload in uploads or ():
        _store(branch=branch, upload=upload, session=session)
    audit.record(
        actor=actor,
        action=Action.SESSION,
        obj=session,
        organisation=branch,
        changes={"topic": session.topic, "date": str(date), "credited": str(credited), "attendees": len(ids)},
    )
    return session


@transaction.atomic(durable=True)
def delete_session(*, actor, session: Session) -> None:
    branch = session.branch
    audit.record(
        actor=actor,
        action=Action.SESSION_DELETE,
        obj=session,
        organisation=branch,
        changes={"topic": session.topic, "date": str(session.date)},
    )
    for f in list(session.files.all()):
        stored = f.file
        transaction.on_commit(lambda s=stored: s.delete(save=False))
    session.delete()


# --- hours: training, exemptions ---------------------------------------------------------------------


def _own_person(branch: Organisation, person: Person) -> None:
    if person.branch_id != branch.pk:
        raise _error("不是本支部的人员。", "person_elsewhere")


@transaction.atomic(durable=True)
def add_training(
    *,
    actor,
    branch: Organisation,
    person: Person,
    date: dt.date,
    title: str,
    provider: str,
    hours,
    upload=None,
    approved: bool = False,
) -> Training:
    """External training (党校, 线上 courses): counts once approved (a manager's own entry is approved)."""
    _branch_only(branch)
    _own_person(branch, person)
    _check_date(date, "结业日期")
    hours = _rule(rules.check_hours, hours, limit=rules.MAX_TRAINING_HOURS, what="培训学时")
    if not (title or "").strip() or not (provider or "").strip():
        raise _error("请填写培训名称和培训机构。", "title")
    if Training.objects.filter(person=person, date=date, title=title.strip()).exists():
        raise _error("这次培训已经登记过了。", "duplicate")
    certificate = _store(branch=branch, upload=upload) if upload else None
    t = Training.objects.create(
        branch=branch,
        person=person,
        date=date,
        title=title.strip()[:200],
        provider=provider.strip()[:100],
        hours=hours,
        certificate=certificate,
        status=TrainingStatus.APPROVED if approved else TrainingStatus.PENDING,
        decided_by=actor if approved else None,
    )
    audit.record(
        actor=actor,
        action=Action.TRAINING,
        obj=t,
        organisation=branch,
        changes={"person": person.name, "hours": str(hours), "status": t.get_status_display()},
    )
    return t


@transaction.atomic(durable=True)
def decide_training(*, actor, training: Training, approve: bool) -> Training:
    with audit.updating(
        training, actor=actor, fields=["status"], action=Action.TRAINING_DECIDE, organisation=training.branch
    ):
        training.status = TrainingStatus.APPROVED if approve else TrainingStatus.REJECTED
        training.decided_by = actor
    return training


@transaction.atomic(durable=True)
def set_exemption(*, actor, branch: Organisation, person: Person, year: int, reason: str) -> Exemption | None:
    """Mark a frail member exempt from the hours for a year (rules2.md §11); an empty reason lifts it."""
    _own_person(branch, person)
    reason = (reason or "").strip()
    if reason and reason not in rules.FRAIL_REASONS:
        raise _error(f"免于考核的原因只能是：{'、'.join(rules.FRAIL_REASONS)}。", "reason")
    Exemption.objects.filter(person=person, year=year).delete()
    ex = Exemption.objects.create(branch=branch, person=person, year=year, reason=reason) if reason else None
    audit.record(
        actor=actor,
        action=Action.EXEMPT,
        obj=person,
        organisation=branch,
        changes={"year": year, "reason": reason or "取消"},
    )
    return ex


# --- obligations and quotas -------------------------------------------------------------------------

FREQUENCY_WORDS = {"monthly": "每月", "quarterly": "每季度", "half_yearly": "每半年", "yearly": "每年"}


def _obligation(*, actor, branch, year: int, label: str, frequency: str, text: str = "") -> Obligation:
    from zhibu.orglife import rules as orglife_rules

    if frequency not in orglife_rules.FREQUENCIES:
        raise _error("请选择检查频次。", "frequency")
    label = (label or "").strip()[:60]
    if not label:
        raise _error("请填写学习制度的名称。", "label")
    ob, created = Obligation.objects.get_or_create(
        branch=branch, year=year, label=label, defaults={"frequency": frequency, "text": text[:300]}
    )
    if not created:
        raise _error(f"“{label}”已经设置过了。", "duplicate")
    audit.record(
        actor=actor,
        action=Action.OBLIGATION,
        obj=ob,
        organisation=branch,
        changes={"label": label, "frequency": FREQUENCY_WORDS[frequency], "year": year},
    )
    return ob


def _quota(*, actor, branch, year: int, kind: str, value: int, text: str = "") -> Quota:
    if kind not in rules.QUOTA_KINDS:
        raise _error("请选择学习要求的类别。", "kind")
    if not isinstance(value, int) or not 1 <= value <= 1_000_000:
        raise _error("数量须在1至1000000之间。", "value")
    q, _created = Quota.objects.update_or_create(
        branch=branch, year=year, kind=kind, defaults={"value": value, "text": text[:300]}
    )
    audit.record(
        actor=actor,
        action=Action.QUOTA,
        obj=q,
        organisation=branch,
        changes={"kind": rules.QUOTA_KINDS[kind][0], "value": value, "year": year},
    )
    return q


@transaction.atomic(durable=True)
def set_obligation(*, actor, branch: Organisation, year: int, label: str, frequency: str) -> Obligation:
    _branch_only(branch)
    return _obligation(actor=actor, branch=branch, year=year, label=label, frequency=frequency)


@transaction.atomic(durable=True)
def set_quota(*, actor, branch: Organisation, year: int, kind: str, value: int) -> Quota:
    _branch_only(branch)
    return _quota(actor=actor, branch=branch, year=year, kind=kind, value=value)


@transaction.atomic(durable=True)
def adopt_target(*, actor, branch: Organisation, year: int, target: dict):
    """One click: a plan target becomes an obligation (a frequency) or a quota (an amount)."""
    _branch_only(branch)
    becomes = rules.adoptable(target)
    text = target.get("text", "")
    if becomes == "quota":
        kind, value = rules.quota_of(target)
        return _quota(actor=actor, branch=branch, year=year, kind=kind, value=value, text=text)
    if becomes == "obligation":
        return _obligation(
            actor=actor,
            branch=branch,
            year=year,
            label=text[:60],
            frequency=rules.frequency_of(target.get("every")),
            text=text,
        )
    raise _error("这项目标不能转为学习制度或学习要求。", "not_adoptable")


@transaction.atomic(durable=True)
def delete_obligation(*, actor, obligation: Obligation) -> None:
    audit.record(
        actor=actor,
        action=Action.OBLIGATION,
        obj=obligation,
        organisation=obligation.branch,
        changes={"label": obligation.label, "deleted": True},
    )
    obligation.delete()


# --- personal study ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def save_plan(*, actor, person: Person, year: int, text: str) -> PersonalPlan:
    text = (text or "").strip()
    if not text:
        raise _error("请填写学习计划。", "empty")
    plan, _created = PersonalPlan.objects.update_or_create(
        person=person, year=year, defaults={"text": text, "updated_at": clock.now()}
    )
    audit.record(actor=actor, action=Action.PLAN, obj=plan, organisation=person.branch, changes={"year": year})
    return plan


@transaction.atomic(durable=True)
def add_reading(*, actor, person: Person, date: dt.date, title: str, note: str = "") -> Reading:
    _check_date(date)
    title = (title or "").strip()
    if not title:
        raise _error("请填写书名或篇目。", "title")
    try:
        with transaction.atomic():
            r = Reading.objects.create(person=person, date=date, title=title[:200], note=(note or "")[:500])
    except IntegrityError:
        raise _error("这条读书记录已经登记过了。", "duplicate") from None
    audit.record(actor=actor, action=Action.READING, obj=r, organisation=person.branch, changes={"title": r.title})
    return r


@transaction.atomic(durable=True)
def add_reflection(
    *, actor, person: Person, date: dt.date, title: str, text: str = "", upload=None, share: bool = False
) -> Reflection:
    """A 心得: text typed on the page (characters counted) or an upload (jpg/png/pdf/docx)."""
    _check_date(date)
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise _error("请填写心得的题目。", "title")
    if not text and upload is None:
        raise _error("请在页面上填写心得正文，或上传文件。", "empty")
    if Reflection.objects.filter(person=person, date=date, title=title).exists():
        raise _error("同一天已提交了同一题目的心得。", "duplicate")
    f = _store(branch=person.branch, upload=upload) if upload is not None else None
    r = Reflection.objects.create(
        branch=person.branch,
        person=person,
        date=date,
        title=title[:200],
        text=text,
        chars=rules.char_count(text),
        file=f,
        shared_at=clock.now() if share else None,
    )
    audit.record(
        actor=actor,
        action=Action.REFLECTION,
        obj=r,
        organisation=person.branch,
        changes={"title": r.title, "chars": r.chars, "shared": share},
    )
    return r


@transaction.atomic(durable=True)
def share_reflection(*, actor, reflection: Reflection, share: bool = True) -> Reflection:
    with audit.updating(
        reflection, actor=actor, fields=["shared_at"], action=Action.SHARE, organisation=reflection.branch
    ):
        reflection.shared_at = clock.now() if share else None
    return reflection


# --- 学习强国 import --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def import_xuexi(*, actor, branch: Organisation, rows: list[dict]) -> int:
    """Validated rows (person id, month, points) → per-person monthly totals; a month imported again is
    replaced (the export is cumulative per day)."""
    totals: dict[tuple[int, dt.date], int] = {}
    for r in rows:
        key = (r["person_id"], r["month"])
        totals[key] = totals.get(key, 0) + r["points"]
    for (pid, month), points in totals.items():
        XuexiMonth.objects.update_or_create(person_id=pid, month=month, defaults={"branch": branch, "points": points})
    audit.record(
        actor=actor,
        action=Action.XUEXI_IMPORT,
        obj=branch,
        organisation=branch,
        changes={"rows": len(rows), "months": len(totals)},
    )
    return len(rows)
