"""Every write of 民主评议党员: keyword-only, durable transactions, audited — except the anonymous
ballot, which is written with no audit entry on purpose (an entry would hold the time and could link a
ballot to its voter). Errors are ValidationErrors with a `code` (tests assert the codes).

The ballot (`submit_ballot`): the code is looked up by its hash; `CodeUse` (primary key = the code)
is inserted — the database refuses a second ballot for one code; then one of the poll's empty ballot
slots, chosen at random, is filled with the grades and the day. Nothing else is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.orgs.models import Organisation, Person
from zhibu.review import rules, selectors
from zhibu.review.audit_actions import Action
from zhibu.review.models import (
    MASSES,
    MEMBER,
    SELF_TYPES,
    Ballot,
    BallotCode,
    CodeUse,
    Exclusion,
    FollowUp,
    Grade,
    Poll,
    Review,
    SelfAssessment,
    Step,
)

SETTING_FIELDS = ("held_on", "with_orglife", "orglife_cycle_id", "per_group", "cap_ratio", "rounding", "deadline",
                  "opinion_meeting_id")
STEP_FIELDS = ("due", "done_on", "note")
FOLLOWUP_FIELDS = ("negatives", "action", "deadline", "help_plan", "motion_id", "done_on", "note")
MAX_CODES = 300
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
CODE_LENGTH = 8
YEAR_SPAN = 1
# Default step dates relative to the review date (days).
STEP_OFFSETS = {"study": -14, "self": -7, "mutual": 0, "poll": 0, "opinion": 7, "feedback": 14, "report": 21,
                "outcome": 30}

# The messages a voter sees (no login; phone).
MSG_FORGED = "票码无效：请核对票码条上的8位字符，并使用本支部本次测评发放的票码"
MSG_EXPIRED = "本次测评已经结束，票码已失效"
MSG_REUSED = "这张票码已经投过票，每张票码只能投一次"
MSG_GRADE = "等次只能是优秀、合格、基本合格、不合格"
MSG_PERSON = "测评表中有不属于本次测评的人员，请重新打开测评页"


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    err = ValidationError(message, code=code)
    return ValidationError({field_name: err}) if field_name else err


def _not_final(review: Review) -> None:
    if review.finalised_at is not None:
        raise _error("民主评议已经定稿，不能再修改", "finalised")


def _locked_review(review: Review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("branch").get(pk=review.pk)


def _check_cap(branch: Organisation, cap_ratio: str, rounding: str) -> str:
    """The branch may set a stricter cap than its district, never a looser one."""
    text = (cap_ratio or "").strip()
    try:
        ratio = rules.parse_ratio(text or None)
    except rules.RatioError as exc:
        raise _error(str(exc), "ratio_invalid", "cap_ratio") from None
    if rounding not in rules.ROUNDINGS:
        raise _error("取整方式须为向下取整、四舍五入或向上取整", "rounding_invalid", "rounding")
    upper = selectors.upper_defaults(branch)
    limit = upper.fraction
    if limit is not None:
        if ratio is None or ratio > limit:
            raise _error(
                f"上级规定优秀比例一般不超过{upper.ratio}，支部只能设得更严", "ratio_looser", "cap_ratio"
            )
        if ratio == limit and _looser_rounding(rounding, upper.rounding):
            raise _error(
                f"与上级比例相同时，取整方式不能比上级（{rules.ROUNDING_LABELS[upper.rounding]}）宽", "rounding_looser",
                "rounding",
            )
    return text


def _looser_rounding(mine: str, upper: str) -> bool:
    rank = {rules.FLOOR: 0, rules.ROUND: 1, rules.CEIL: 2}
    return rank[mine] > rank[upper]


def _check_links(branch: Organisation, year: int, with_orglife: bool, orglife_cycle, opinion_meeting) -> None:
    if orglife_cycle is not None and (orglife_cycle.branch_id != branch.pk or orglife_cycle.year != year):
        raise _error("只能关联本支部本年度的组织生活会", "cycle_foreign", "orglife_cycle")
    if with_orglife and orglife_cycle is None:
        raise _error("与组织生活会合并召开时，请选择该次组织生活会", "cycle_required", "orglife_cycle")
    if opinion_meeting is not None and (
        opinion_meeting.branch_id != branch.pk or opinion_meeting.date.year not in (year, year + 1)
    ):
        raise _error("只能关联本支部的会议记录", "meeting_foreign", "opinion_meeting")


@transaction.atomic(durable=True)
def open_review(
    *,
    actor,
    branch: Organisation,
    year: int,
    held_on: dt.date,
    with_orglife: bool = False,
    orglife_cycle=None,
    per_group: bool = False,
    cap_ratio: str | None = None,
    rounding: str | None = None,
    deadline: dt.date | None = None,
) -> Review:
    """Open a year's 民主评议 with its checklist (steps dated around the review date)."""
    if not branch.is_branch:
        raise _error("民主评议由党支部组织", "not_branch")
    this_year = clock.today().year
    if not this_year - YEAR_SPAN <= year <= this_year + YEAR_SPAN:
        raise _error(f"年度须在{this_year - YEAR_SPAN}年至{this_year + YEAR_SPAN}年之间", "year_implausible", "year")
    if held_on.year != year:
        raise _error("评议日期须在所选年度之内", "date_outside_year", "held_on")
    defaults = selectors.defaults_for(branch)
    cap_ratio = defaults.ratio if cap_ratio is None else cap_ratio
    rounding = rounding or defaults.rounding
    cap_ratio = _check_cap(branch, cap_ratio, rounding)
    _check_links(branch, year, with_orglife, orglife_cycle, None)
    if Review.objects.filter(branch=branch, year=year).exists():
        raise _error("本年度的民主评议已经开始", "duplicate")
    review = Review(
        branch=branch,
        year=year,
        held_on=held_on,
        with_orglife=with_orglife,
        orglife_cycle=orglife_cycle,
        per_group=per_group,
        cap_ratio=cap_ratio,
        rounding=rounding,
        deadline=deadline or defaults.deadline(year),
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise _error("本年度的民主评议已经开始", "duplicate") from None
    Step.objects.bulk_create(
        [Step(review=review, code=code, due=held_on + dt.timedelta(days=STEP_OFFSETS[code])) for code in rules.STEP_CODES]
    )
    audit.record(
        actor=actor,
        action=Action.OPEN,
        obj=review,
        organisation=branch,
        changes=audit.diff({}, audit.snapshot(review, SETTING_FIELDS)),
    )
    return review


@transaction.atomic(durable=True)
def update_settings(
    *,
    actor,
    review: Review,
    held_on: dt.date,
    with_orglife: bool = False,
    orglife_cycle=None,
    per_group: bool = False,
    cap_ratio: str = "",
    rounding: str = rules.DEFAULT_ROUNDING,
    deadline: dt.date | None = None,
    opinion_meeting=None,
) -> Review:
    review = _locked_review(review)
    _not_final(review)
    if held_on.year != review.year:
        raise _error("评议日期须在所选年度之内", "date_outside_year", "held_on")
    cap_ratio = _check_cap(review.branch, cap_ratio, rounding)
    _check_links(review.branch, review.year, with_orglife, orglife_cycle, opinion_meeting)
    audit.update_audited(
        review,
        {
            "held_on": held_on,
            "with_orglife": with_orglife,
            "orglife_cycle": orglife_cycle,
            "per_group": per_group,
            "cap_ratio": cap_ratio,
            "rounding": rounding,
            "deadline": deadline or review.deadline,
            "opinion_meeting": opinion_meeting,
        },
        actor=actor,
        fields=SETTING_FIELDS,
        action=Action.SETTINGS,
        organisation=review.branch,
        full_clean=False,
    )
    return review


@transaction.atomic(durable=True)
def update_step(*, actor, review: Review, code: str, due: dt.date | None = None, done_on: dt.date | None = None,
                note: str = "") -> Step:
    if code not in rules.STEP_CODES:
        raise _error("未知的步骤", "unknown_step")
    if done_on is not None and done_on > clock.today():
        raise _error("完成日期不能晚于今天", "date_in_future", "done_on")
    step, _ = Step.objects.select_for_update(of=("self",)).get_or_create(review=review, code=code)
    audit.update_audited(
        step,
        {"due": due, "done_on": done_on, "note": (note or "").strip()},
        actor=actor,
        fields=STEP_FIELDS,
        action=Action.STEP,
        organisation=review.branch,
        full_clean=False,
    )
    return step


def _member_of(review: Review, person: Person, field_name: str = "person") -> None:
    if person.branch_id != review.branch_id or not person.is_member:
        raise _error("只能选择本支部党员", "person_foreign", field_name)


@transaction.atomic(durable=True)
def exclude(*, actor, review: Review, person: Person, reason: str, note: str = "") -> Exclusion:
    """A member not counted in 应到会 (rules2.md §1 categories), with the reason; any grade is removed."""
    review = _locked_review(review)
    _not_final(review)
    _member_of(review, person)
    if reason not in rules.EXCLUSION_LABELS:
        raise _error("请选择不计入应到会的原因", "reason_invalid", "reason")
    exclusion, created = Exclusion.objects.update_or_create(
        review=review, person=person, defaults={"reason": reason, "note": (note or "").strip()}
    )
    Grade.objects.filter(review=review, person=person).delete()
    audit.record(
        actor=actor,
        action=Action.EXCLUDE,
        obj=exclusion,
        organisation=review.branch,
        changes={"person": person.name, "reason": rules.EXCLUSION_LABELS[reason], "note": exclusion.note},
    )
    return exclusion


@transaction.atomic(durable=True)
def unexclude(*, actor, exclusion: Exclusion) -> None:
    review = _locked_review(exclusion.review)
    _not_final(review)
    audit.record(actor=actor, action=Action.UNEXCLUDE, obj=exclusion, organisation=review.branch,
                 changes={"person": exclusion.person.name})
    exclusion.delete()


@transaction.atomic(durable=True)
def save_self_assessment(*, actor, review: Review, person: Person, text: str = "", upload=None) -> SelfAssessment:
    """个人自评/党性分析: written (on a phone) or uploaded; replaces the earlier version."""
    from zhibu.orglife.services import check_upload

    _member_of(review, person)
    text = (text or "").strip()
    if not text and upload is None:
        raise _error("请填写自评内容或上传文件", "self_empty", "text")
    content_type = ""
    if upload is not None:
        name = getattr(upload, "name", "") or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext == "docx":
            content_type = SELF_TYPES["docx"]
            upload.seek(0)
            if upload.read(4) != b"PK\x03\x04":
                raise _error("文件内容与扩展名不符", "upload_content_mismatch", "upload")
            upload.seek(0)
            if upload.size > 10 * 1024 * 1024:
                raise _error("文件过大（上限 10MB）", "upload_too_large", "upload")
        else:
            try:
                content_type = check_upload(upload)
            except ValidationError as exc:
                raise ValidationError({"upload": exc.messages}) from None
    item = SelfAssessment.objects.select_for_update(of=("self",)).filter(review=review, person=person).first()
    created = item is None
    item = item or SelfAssessment(review=review, person=person)
    item.text = text
    item.updated_at = clock.now()
    if upload is not None:
        if item.file:
            item.file.delete(save=False)
        item.file_name = (getattr(upload, "name", "") or "")[-150:]
        item.content_type = content_type
        item.file.save(upload.name, upload, save=False)
    item.save()
    audit.record(
        actor=actor,
        action=Action.SELF,
        obj=item,
        organisation=review.branch,
        changes={"person": person.name, "created": created, "file": item.file_name},
    )
    return item


# --- the poll -------------------------------------------------------------------------------------


def code_digest(poll_key: str, code: str) -> str:
    """The stored form of a code: a hash salted with the poll's public key."""
    return hashlib.sha256(f"{poll_key}:{normalise_code(code)}".encode()).hexdigest()


def normalise_code(code: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", code or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@transaction.atomic(durable=True)
def issue_codes(*, actor, review: Review, count: int, masses_count: int = 0) -> list[tuple[str, str]]:
    """Issue one-time codes (N = the voters present; optional 群众代表 codes, counted separately). Returns
    (kind, code) pairs — the only time the codes exist in the clear: print them now. An empty ballot slot
    is created per code in one insert (random keys)."""
    review = _locked_review(review)
    _not_final(review)
    if not (0 <= count <= MAX_CODES and 0 <= masses_count <= MAX_CODES) or count + masses_count == 0:
        raise _error(f"票码数须在1至{MAX_CODES}之间", "count_invalid", "count")
    poll, _ = Poll.objects.get_or_create(review=review)
    if poll.closed:
        raise _error("民主测评已经结束，不能再发放票码", "poll_closed")
    if masses_count and not poll.masses_enabled:
        poll.masses_enabled = True
        poll.save(update_fields=["masses_enabled"])
    pairs = [(MEMBER, _new_code()) for _ in range(count)] + [(MASSES, _new_code()) for _ in range(masses_count)]
    BallotCode.objects.bulk_create([BallotCode(poll=poll, kind=k, digest=code_digest(poll.key, c)) for k, c in pairs])
    slots = [Ballot(poll=poll, kind=k) for k, _c in pairs]
    secrets.SystemRandom().shuffle(slots)
    Ballot.objects.bulk_create(slots)
    audit.record(
        actor=actor,
        action=Action.ISSUE,
        obj=poll,
        organisation=review.branch,
        changes={"党员票码": count, "群众代表票码": masses_count},
    )
    return pairs


def voter_rows(poll: Poll) -> list[selectors.Row]:
    return selectors.rows_of(poll.review)


@transaction.atomic(durable=True)
def submit_ballot(*, poll_key: str, code: str, grades: Mapping[str, str]) -> None:
    """An anonymous ballot (no login). Refused with a clear message: a code that does not exist, belongs
    to another poll, was voided at closing or was used; a grade outside the four; a person not in the
    poll. Writes only the CodeUse mark and one ballot slot; no audit entry (it would hold the time)."""
    poll = Poll.objects.select_related("review", "review__branch").filter(key=poll_key).first()
    if poll is None:
        raise _error(MSG_FORGED, "poll_unknown")
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        raise _error(MSG_FORGED, "code_forged")
    ballot_code = BallotCode.objects.filter(digest=code_digest(poll.key, code), poll=poll).first()
    if ballot_code is None:
        if poll.closed:
            raise _error(MSG_EXPIRED, "poll_closed")
        raise _error(MSG_FORGED, "code_forged")
    if poll.closed or ballot_code.void or poll.review.finalised_at is not None:
        raise _error(MSG_EXPIRED, "code_expired")
    rows = selectors.rows_of(poll.review)
    gradable = {str(r.person.pk) for r in rows if r.gradable}
    clean: dict[str, str] = {}
    for key, grade in grades.items():
        if grade in (None, ""):
            continue
        if str(key) not in gradable:
            raise _error(MSG_PERSON, "person_foreign")
        if grade not in rules.GRADES:
            raise _error(MSG_GRADE, "grade_invalid")
        clean[str(key)] = grade
    try:
        with transaction.atomic():
            CodeUse.objects.create(code=ballot_code)
    except IntegrityError:
        raise _error(MSG_REUSED, "code_reused") from None
    slot = (
        Ballot.objects.select_for_update()
        .filter(poll=poll, kind=ballot_code.kind, filled=False)
        .order_by("?")
        .first()
    )
    if slot is None:  # cannot happen: one slot per code, one use per code
        raise _error(MSG_EXPIRED, "no_slot")
    Ballot.objects.filter(pk=slot.pk, filled=False).update(filled=True, day=clock.today(), grades=clean)


def check_code(*, poll: Poll, code: str) -> str | None:
    """The message a voter would get for this code now (None: usable) — for the page before grading."""
    code = normalise_code(code)
    if poll.closed:
        return MSG_EXPIRED
    if len(code) != CODE_LENGTH:
        return MSG_FORGED
    bc = BallotCode.objects.filter(digest=code_digest(poll.key, code), poll=poll).first()
    if bc is None:
        return MSG_FORGED
    if bc.void:
        return MSG_EXPIRED
    if CodeUse.objects.filter(code=bc).exists():
        return MSG_REUSED
    return None


@transaction.atomic(durable=True)
def close_poll(*, actor, review: Review) -> Poll:
    """End the poll: unused codes are void, empty slots removed; the tally may now be shown."""
    review = _locked_review(review)
    poll = Poll.objects.select_for_update(of=("self",)).filter(review=review).first()
    if poll is None:
        raise _error("尚未发放测评票码", "no_poll")
    if poll.closed:
        raise _error("民主测评已经结束", "poll_closed")
    voided = BallotCode.objects.filter(poll=poll, use__isnull=True).update(void=True)
    Ballot.objects.filter(poll=poll, filled=False).delete()
    poll.closed_on = clock.today()
    poll.save(update_fields=["closed_on"])
    step = Step.objects.filter(review=review, code="poll", done_on__isnull=True).first()
    if step is not None:
        step.done_on = poll.closed_on
        step.save(update_fields=["done_on"])
    audit.record(actor=actor, action=Action.CLOSE, obj=poll, organisation=review.branch,
                 changes={"作废未使用票码": voided})
    return poll


# --- grades -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def save_grades(*, actor, review: Review, grades: Mapping[int, str]) -> dict[str, list]:
    """The committee's grades (person id → grade or "" to clear). 预备党员 and excluded members get no
    grade; a member another app vetoes (eligibility hook) cannot be 优秀. The cap is checked at finalising."""
    review = _locked_review(review)
    _not_final(review)
    rows = {r.person.pk: r for r in selectors.rows_of(review, with_vetoes=True)}
    existing = {g.person_id: g for g in Grade.objects.filter(review=review)}
    changes: dict[str, list] = {}
    for pid, grade in grades.items():
        row = rows.get(pid)
        if row is None:
            raise _error("只能为本支部党员评定等次", "person_foreign")
        grade = grade or ""
        if grade and grade not in rules.GRADES:
            raise _error(MSG_GRADE, "grade_invalid")
        if grade and row.status == rules.PROBATIONARY:
            raise _error(f"{row.person.name}是预备党员，参加评议但不确定等次", "probationary_graded")
        if grade and row.excluded:
            raise _error(f"{row.person.name}不计入应到会人数，不确定等次", "excluded_graded")
        if grade == rules.EXCELLENT and row.veto:
            raise _error(f"{row.person.name}不能评为优秀：{row.veto}", "vetoed")
        old = existing.get(pid)
        before = old.grade if old else ""
        if before == grade:
            continue
        if not grade:
            old.delete()
        elif old is None:
            Grade.objects.create(review=review, person=row.person, grade=grade)
        else:
            old.grade = grade
            old.save(update_fields=["grade"])
        changes[row.person.name] = [before, grade]
    if changes:
        audit.record(actor=actor, action=Action.GRADE, obj=review, organisation=review.branch, changes=changes)
    return changes


@transaction.atomic(durable=True)
def finalise(*, actor, review: Review) -> Review:
    """Refused while a check of review.md fails or the poll is still open; audited; locks the review."""
    review = _locked_review(review)
    _not_final(review)
    summary = selectors.summary(review)
    if summary.poll.open:
        raise _error("请先结束民主测评，再定稿", "poll_open")
    if summary.result.violations:
        names = {r.person.pk: r.person.name for r in summary.rows}
        messages = []
        for v in summary.result.violations:
            who = "、".join(names.get(m, str(m)) for m in v.members)
            messages.append(v.message + (f"：{who}" if who else ""))
        raise ValidationError([ValidationError(m, code=v.rule) for m, v in zip(messages, summary.result.violations)])
    review.finalised_at = clock.now()
    review.save(update_fields=["finalised_at"])
    Step.objects.filter(review=review, code="opinion", done_on__isnull=True).update(done_on=clock.today())
    counts = summary.counts()
    audit.record(actor=actor, action=Action.FINALISE, obj=review, organisation=review.branch,
                 changes={**counts, "优秀上限": summary.result.excellent_max})
    return review


# --- follow-up of 基本合格/不合格 -------------------------------------------------------------------


@transaction.atomic(durable=True)
def save_followup(
    *,
    actor,
    review: Review,
    person: Person,
    action: str,
    negatives=(),
    deadline: dt.date | None = None,
    help_plan: str = "",
    motion=None,
    done_on: dt.date | None = None,
    note: str = "",
) -> FollowUp:
    """基本合格/不合格 follow-up (教育管理条例 29–31): 批评教育; 限期改正 with a deadline ≤ 12 months and a help
    plan; 劝退/除名 decided by a 党员大会 vote recorded in orglife (its rules decide the result)."""
    review = _locked_review(review)
    if review.finalised_at is None:
        raise _error("民主评议定稿后再登记处置", "not_finalised")
    grade = Grade.objects.filter(review=review, person=person).values_list("grade", flat=True).first()
    if grade not in (rules.BASIC, rules.UNQUALIFIED):
        raise _error("只为评为基本合格或不合格的党员登记处置", "not_negative", "person")
    if action not in rules.FOLLOWUP_LABELS:
        raise _error("请选择处置方式", "action_invalid", "action")
    allowed = set(selectors.defaults_for(review.branch).negatives)
    negatives = [n for n in (negatives or [])]
    if any(n not in allowed for n in negatives):
        raise _error("负面情形须从清单中选择", "negative_invalid", "negatives")
    start = review.finalised_at.date()
    if action == rules.FOLLOWUP_CORRECT:
        if deadline is None:
            raise _error("限期改正须写明改正期限", "deadline_required", "deadline")
        if not rules.correct_deadline_ok(start, deadline):
            raise _error("限期改正的期限须在定稿之后、不超过12个月（教育管理条例第30条）", "deadline_too_long",
                         "deadline")
        if not (help_plan or "").strip():
            raise _error("限期改正须制定帮扶措施", "help_plan_required", "help_plan")
    if motion is not None:
        if action not in rules.VOTE_FOLLOWUPS:
            raise _error("只有劝退、除名须经党员大会表决", "motion_unneeded", "motion")
        if motion.meeting.branch_id != review.branch_id:
            raise _error("只能关联本支部党员大会的表决", "motion_foreign", "motion")
    if done_on is not None:
        if done_on > clock.today():
            raise _error("办结日期不能晚于今天", "date_in_future", "done_on")
        if action in rules.VOTE_FOLLOWUPS and motion is None:
            raise _error("劝退、除名须先经党员大会表决（在组织生活中登记表决），再办结", "vote_required", "done_on")
    item = FollowUp.objects.select_for_update(of=("self",)).filter(review=review, person=person).first()
    values = {
        "negatives": negatives,
        "action": action,
        "deadline": deadline if action == rules.FOLLOWUP_CORRECT else None,
        "help_plan": (help_plan or "").strip(),
        "motion": motion if action in rules.VOTE_FOLLOWUPS else None,
        "done_on": done_on,
        "note": (note or "").strip(),
    }
    if item is None:
        item = FollowUp.objects.create(review=review, person=person, **values)
        audit.record(actor=actor, action=Action.FOLLOWUP, obj=item, organisation=review.branch,
                     changes=audit.diff({}, audit.snapshot(item, FOLLOWUP_FIELDS)))
    else:
        audit.update_audited(item, values, actor=actor, fields=FOLLOWUP_FIELDS, action=Action.FOLLOWUP,
                             organisation=review.branch, full_clean=False)
    return item
