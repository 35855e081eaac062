"""Every write of 换届选举: keyword-only, durable transactions, audited.

Errors are ValidationErrors with a `code` (tests assert the codes). The count is rules.count (the same
function `zhibu election check` uses). Committee posts change only through zhibu.orgs.services
(install_committee_step, reschedule_term_step), inside this app's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.core.documents import cn_date
from zhibu.elections import rules, selectors
from zhibu.elections.audit_actions import Action
from zhibu.elections.models import (
    Candidate,
    Election,
    Reschedule,
    RescheduleKind,
    Round,
    Vote,
    VoterExclusion,
    VoterKind,
)
from zhibu.orgs import services as orgs_services
from zhibu.orgs.models import Organisation, Person, Position, Standing

ELECTION_FIELDS = ("seats", "planned_date", "nomination_method")
# The checklist steps kept as a date (and a reference) on the record: code → (date field, ref field).
DATE_STEPS = {
    rules.DECIDE: ("decided_on", None),
    rules.REQUEST: ("request_on", None),
    rules.REPLY: ("reply_on", "reply_ref"),
    rules.REPORT: ("report_on", None),
    rules.APPROVAL: ("approved_on", "approval_ref"),
}


def _error(message: str, code: str, field_name: str | None = None) -> ValidationError:
    err = ValidationError(message, code=code)
    return ValidationError({field_name: err}) if field_name else err


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update(of=("self",)).select_related("branch").get(pk=election.pk)


def _check_date(on: dt.date | None, field_name: str, *, after: dt.date | None = None, after_label: str = "") -> dt.date:
    if on is None:
        raise _error("请填写日期", "date_required", field_name)
    if on > clock.today():
        raise _error("尚未发生的事项不能登记（日期晚于今天）", "date_in_future", field_name)
    if after is not None and on < after:
        raise _error(f"日期不能早于{after_label}（{cn_date(after)}）", "date_order", field_name)
    return on


def _check_open(election: Election) -> None:
    if election.installed_on is not None:
        raise _error("本次换届已完成，不能再修改", "finished")


def _previous_done(election: Election, code: str) -> dt.date | None:
    """The date of the step before `code` (raises when it is not done yet: steps go in order)."""
    i = rules.STEP_CODES.index(code)
    if i == 0:
        return None
    before = rules.STEP_CODES[i - 1]
    done = selectors.step_dates(election)
    if done.get(before) is None:
        raise _error(f"请先完成“{rules.STEP_LABELS[before]}”", "step_order")
    return done[before]


def _check_settings(branch: Organisation, seats: int, planned_date: dt.date) -> None:
    if not branch.is_branch:
        raise _error("换届选举由党支部办理", "not_branch")
    if not rules.MIN_SEATS <= seats <= rules.MAX_SEATS:
        raise _error(f"应选委员人数须在{rules.MIN_SEATS}至{rules.MAX_SEATS}人之间", "seats_invalid", "seats")
    today = clock.today()
    if not today - dt.timedelta(days=366) <= planned_date <= today + dt.timedelta(days=2 * 366):
        raise _error("计划日期须在一年前至两年后之间", "date_implausible", "planned_date")


@transaction.atomic(durable=True)
def start_election(
    *, actor, branch: Organisation, seats: int, planned_date: dt.date, nomination_method: str = ""
) -> Election:
    """Open the 换届 record of the current term (its end read from the committee's posts)."""
    _check_settings(branch, seats, planned_date)
    term_end = selectors.committee_term_end(branch) or planned_date
    election = Election(branch=branch, term_end=term_end, seats=seats, planned_date=planned_date)
    if nomination_method.strip():
        election.nomination_method = nomination_method.strip()
    if Election.objects.filter(branch=branch, term_end=term_end).exists():
        raise _error("本届任期的换届已经建立", "duplicate")
    try:
        with transaction.atomic():
            election.save()
    except IntegrityError:
        raise _error("本届任期的换届已经建立", "duplicate") from None
    audit.record(
        actor=actor,
        action="create",
        obj=election,
        organisation=branch,
        changes=audit.diff({}, audit.snapshot(election, ("term_end", *ELECTION_FIELDS))),
    )
    return election


@transaction.atomic(durable=True)
def update_election(
    *, actor, election: Election, seats: int, planned_date: dt.date, nomination_method: str = ""
) -> Election:
    election = _lock(election)
    _check_open(election)
    _check_settings(election.branch, seats, planned_date)
    if election.rounds.exists() and seats != election.seats:
        raise _error("已经投票，不能修改应选人数", "seats_after_vote", "seats")
    audit.update_audited(
        election,
        {
            "seats": seats,
            "planned_date": planned_date,
            "nomination_method": nomination_method.strip() or election.nomination_method,
        },
        actor=actor,
        fields=ELECTION_FIELDS,
        organisation=election.branch,
        full_clean=False,
    )
    return election


@transaction.atomic(durable=True)
def record_step(*, actor, election: Election, code: str, on: dt.date | None, ref: str = "") -> Election:
    """A checklist step kept as a date: 支委会研究, 请示, 批复, 报告, 上级批准和备案."""
    if code not in DATE_STEPS:
        raise _error("未知的事项", "unknown_step")
    election = _lock(election)
    _check_open(election)
    before = _previous_done(election, code)
    on = _check_date(on, "on", after=before, after_label="上一步")
    date_field, ref_field = DATE_STEPS[code]
    data: dict = {date_field: on}
    if ref_field:
        data[ref_field] = ref.strip()
    if code == rules.APPROVAL:
        data["filed_on"] = on
    via_approvals = _request_via_approvals(election.branch)
    if via_approvals and code == rules.REPLY and _open_request(election) is not None:
        raise _error("换届请示已报上级党委，批复由上级党委在“报批审批”中办理（批准日期即批复日期）", "via_approvals")
    audit.update_audited(
        election, data, actor=actor, fields=[*data], action=Action.STEP, organisation=election.branch, full_clean=False
    )
    if via_approvals and code == rules.REQUEST and election.reply_on is None and on is not None:
        from zhibu.approvals import services as approvals

        if _open_request(election) is None:
            approvals.submit_inside(
                actor=actor,
                branch=election.branch,
                kind=REQUEST_KIND,
                subject=election,
                title=str(election),
                submitted_on=on,
                payload={"seats": election.seats, "planned_date": election.planned_date.isoformat()},
            )
    return election


# --- 换届请示 through the approvals inbox (elections/approvals.py; a district's setting) ----------------

REQUEST_KIND = "elections.request"
VIA_APPROVALS_SETTING = "elections_request_via_approvals"  # local practice, off by default


def _request_via_approvals(branch: Organisation) -> bool:
    orgs = Organisation.objects.filter(pk__in=branch.ancestor_ids()).only("settings")
    return any((o.settings or {}).get(VIA_APPROVALS_SETTING) is True for o in orgs)


def _open_request(election: Election):
    from zhibu.approvals import selectors as approval_selectors

    request = approval_selectors.for_subject(election, kind=REQUEST_KIND)
    return request if request is not None and request.is_open else None


def reply_approved(approval) -> Election:
    """The 上级党委 approved the 请示 in the inbox: the 批复 is recorded dated by the approval date (in the
    approving transaction)."""
    election = _lock(Election(pk=approval.subject_id))
    data = {"reply_on": approval.decided_on, "reply_ref": (approval.note or "")[:100]}
    audit.update_audited(
        election,
        data,
        actor=approval.decided_by,
        fields=[*data],
        action=Action.STEP,
        organisation=election.branch,
        full_clean=False,
    )
    return election


def _members(election: Election, ids: Iterable[int]) -> list[Person]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    people = list(Person.objects.filter(pk__in=ids, branch=election.branch, active=True, standing=Standing.FULL))
    if len(people) != len(ids):
        raise _error("只能选择本支部在册正式党员", "not_full_member")
    return people


@transaction.atomic(durable=True)
def record_nominations(*, actor, election: Election, counts: Mapping[int, int], on: dt.date | None) -> Election:
    """党员推荐: how many members nominated each 正式党员 (those with at least one become candidates)."""
    election = _lock(election)
    _check_open(election)
    before = _previous_done(election, rules.NOMINATE)
    on = _check_date(on, "on", after=before, after_label="上级批复")
    if election.preliminary_on is not None:
        raise _error("预备人选已确定，不能再修改推荐结果", "after_preliminary")
    chosen = {int(pid): int(n) for pid, n in counts.items() if n}
    if any(n < 0 or n > 999 for n in chosen.values()):
        raise _error("推荐人数须在0至999之间", "count_invalid")
    people = {p.pk: p for p in _members(election, chosen)}
    if not people:
        raise _error("请至少登记一名被推荐的党员", "no_nominations")
    Candidate.objects.filter(election=election).exclude(person__in=people).delete()
    for pid, n in chosen.items():
        Candidate.objects.update_or_create(election=election, person=people[pid], defaults={"nominations": n})
    election.nominations_on = on
    election.save(update_fields=["nominations_on"])
    audit.record(
        actor=actor,
        action=Action.NOMINATIONS,
        obj=election,
        organisation=election.branch,
        changes={"推荐": [None, {people[p].name: n for p, n in chosen.items()}]},
    )
    return election


@transaction.atomic(durable=True)
def choose_preliminary(*, actor, election: Election, candidate_ids: Iterable[int], on: dt.date | None) -> Election:
    """支委会 settles the 候选人预备人选 from the nominations: at least seats + 20% (选举条例 第13条)."""
    election = _lock(election)
    _check_open(election)
    before = _previous_done(election, rules.PRELIMINARY)
    on = _check_date(on, "on", after=before, after_label="党员推荐")
    if election.reviewed_on is not None:
        raise _error("上级已审查，不能再修改预备人选", "after_review")
    ids = {int(i) for i in candidate_ids}
    known = set(Candidate.objects.filter(election=election).values_list("pk", flat=True))
    if not ids <= known:
        raise _error("预备人选须从被推荐的党员中确定", "not_nominated", "candidates")
    needed = rules.min_candidates(election.seats)
    if len(ids) < needed:
        raise _error(
            f"应选{election.seats}名，候选人预备人选至少{needed}名（差额不少于20%，依据：选举工作条例第13条）",
            "candidate_margin",
            "candidates",
        )
    Candidate.objects.filter(election=election).update(preliminary=False, approved=False)
    Candidate.objects.filter(election=election, pk__in=ids).update(preliminary=True)
    election.preliminary_on = on
    election.save(update_fields=["preliminary_on"])
    audit.record(
        actor=actor,
        action=Action.PRELIMINARY,
        obj=election,
        organisation=election.branch,
        changes={"预备人选": [None, selectors.names(election, ids)]},
    )
    return election


@transaction.atomic(durable=True)
def record_review(
    *, actor, election: Election, candidate_ids: Iterable[int], on: dt.date | None, ref: str = ""
) -> Election:
    """上级党委审查: the candidates it agreed to (the list on the ballot)."""
    election = _lock(election)
    _check_open(election)
    before = _previous_done(election, rules.REVIEW)
    on = _check_date(on, "on", after=before, after_label="确定预备人选")
    if election.meeting_date is not None:
        raise _error("党员大会已召开，不能再修改候选人", "after_meeting")
    ids = {int(i) for i in candidate_ids}
    preliminary = set(Candidate.objects.filter(election=election, preliminary=True).values_list("pk", flat=True))
    if not ids or not ids <= preliminary:
        raise _error("请从预备人选中勾选上级同意的候选人", "not_preliminary", "candidates")
    if len(ids) <= election.seats:
        raise _error(f"候选人须多于应选人数{election.seats}名（差额选举）", "candidate_margin", "candidates")
    Candidate.objects.filter(election=election).update(approved=False)
    Candidate.objects.filter(election=election, pk__in=ids).update(approved=True)
    election.reviewed_on, election.review_ref = on, ref.strip()
    election.save(update_fields=["reviewed_on", "review_ref"])
    audit.record(
        actor=actor,
        action=Action.REVIEW,
        obj=election,
        organisation=election.branch,
        changes={"候选人": [None, selectors.names(election, ids)], "审查意见文号": [None, ref.strip()]},
    )
    return election


def _suspended_voters(branch: Organisation, on: dt.date) -> dict[int, str]:
    """{person id: reason} without a vote on `on` (zhibu.<app>.voting.suspended hook: zhibu.membership)."""
    from zhibu.core.hooks import app_modules

    out: dict[int, str] = {}
    for module in app_modules("voting"):
        out.update(module.suspended(branch, on))
    return out


@transaction.atomic(durable=True)
def record_meeting(
    *,
    actor,
    election: Election,
    meeting_date: dt.date | None,
    place: str = "",
    method_adopted: bool,
    secret_ballot: bool,
    scrutineers: Iterable[int],
    tellers: Iterable[int],
    excluded: Iterable[int] = (),
    suspended: Iterable[int] = (),
    exclusion_reason: str = "",
) -> Election:
    """党员大会: 选举办法 adopted, 监票人/计票人 chosen from members who are not candidates, secret ballot;
    the voters (正式党员) and those not counted in 应到会 are fixed here."""
    election = _lock(election)
    _check_open(election)
    before = _previous_done(election, rules.MEETING)
    meeting_date = _check_date(meeting_date, "meeting_date", after=before, after_label="上级审查")
    if election.rounds.exists():
        raise _error("已经投票，不能再修改会议情况", "after_vote")
    if meeting_date < rules.checklist_starts(election.term_end):
        raise _error(
            f"距任期届满（{cn_date(election.term_end)}）两个月以上，提前换届须经上级党委批准，请先登记“延期或提前换届”"
            f"（依据：{rules.SOURCE_RESCHEDULE}）",
            "early_without_approval",
            "meeting_date",
        )
    if not method_adopted:
        raise _error("选举办法须经党员大会通过后才能选举", "method_not_adopted", "method_adopted")
    if not secret_ballot:
        raise _error("选举须采用无记名投票方式（选举工作条例）", "not_secret", "secret_ballot")
    scrutineer_people = _members(election, scrutineers)
    teller_people = _members(election, tellers)
    if not scrutineer_people or not teller_people:
        raise _error("请推选监票人和计票人", "no_scrutineers", "scrutineers")
    candidates = set(Candidate.objects.filter(election=election, approved=True).values_list("person_id", flat=True))
    if any(p.pk in candidates for p in scrutineer_people):
        raise _error("监票人须从不是候选人的党员中推选", "scrutineer_is_candidate", "scrutineers")
    excluded_people, suspended_people = _members(election, excluded), _members(election, suspended)
    if {p.pk for p in excluded_people} & {p.pk for p in suspended_people}:
        raise _error("同一人不能同时列为两类", "exclusion_twice", "suspended")
    if (excluded_people or suspended_people) and not exclusion_reason.strip():
        raise _error("请填写不计入应到会的原因（如经上级批准、留党察看期间）", "reason_required", "exclusion_reason")
    # Members under 留党察看 on the day (党章 第四十条, the `voting` hook) are not counted, with its reason.
    hooked = _suspended_voters(election.branch, meeting_date)
    listed = {p.pk for p in excluded_people + suspended_people}
    auto_suspended = list(
        Person.objects.filter(
            pk__in=set(hooked) - listed, branch=election.branch, active=True, standing=Standing.FULL
        ).order_by("name", "id")
    )
    election.meeting_date, election.place = meeting_date, place.strip()
    election.method_adopted, election.secret_ballot = True, True
    election.full_voters = Person.objects.filter(branch=election.branch, active=True, standing=Standing.FULL).count()
    election.save(update_fields=["meeting_date", "place", "method_adopted", "secret_ballot", "full_voters"])
    election.scrutineers.set(scrutineer_people)
    election.tellers.set(teller_people)
    VoterExclusion.objects.filter(election=election).delete()
    VoterExclusion.objects.bulk_create(
        [
            VoterExclusion(election=election, person=p, kind=VoterKind.EXCLUDED, reason=exclusion_reason.strip())
            for p in excluded_people
        ]
        + [
            VoterExclusion(election=election, person=p, kind=VoterKind.SUSPENDED, reason=exclusion_reason.strip())
            for p in suspended_people
        ]
        + [
            VoterExclusion(election=election, person=p, kind=VoterKind.SUSPENDED, reason=hooked[p.pk][:200])
            for p in auto_suspended
        ]
    )
    audit.record(
        actor=actor,
        action=Action.MEETING,
        obj=election,
        organisation=election.branch,
        changes={
            "meeting_date": [None, meeting_date.isoformat()],
            "full_voters": [None, election.full_voters],
            "监票人": [None, "、".join(p.name for p in scrutineer_people)],
            "计票人": [None, "、".join(p.name for p in teller_people)],
            "不计入应到会": [None, "、".join(p.name for p in excluded_people + suspended_people + auto_suspended)],
        },
    )
    return election


@transaction.atomic(durable=True)
def record_round(
    *, actor, election: Election, present: int, issued: int, returned: int, invalid: int, votes: Mapping[int, int]
) -> Round:
    """One ballot and its count (rules.count): the regular vote, a runoff among the tied, or 另行选举 for
    the seats left. A count that is void (quorum, ballots) is kept and shown as void; vote again."""
    election = _lock(election)
    _check_open(election)
    if election.meeting_date is None:
        raise _error("请先登记党员大会（选举办法、监票人、计票人）", "step_order")
    tally = selectors.tally(election)
    if tally.remaining == 0:
        raise _error("应选名额已全部选出", "all_elected")
    if tally.ballot is None:
        raise _error("没有可投票的候选人", "no_candidates")
    should = tally.should_attend
    if present > should:
        raise _error(f"到会人数不能多于应到会有选举权的党员{should}人", "present_exceeds_voters", "present")
    if invalid > returned:
        raise _error("无效票不能多于收回的选票", "invalid_exceeds_returned", "invalid")
    ballot = {c.pk: c for c in tally.ballot}
    if set(int(k) for k in votes) != set(ballot):
        raise _error("请为本轮每位候选人填写得票数", "votes_missing")
    for cid, n in votes.items():
        if not 0 <= int(n) <= returned - invalid:
            raise _error(
                f"{ballot[int(cid)].person.name}的得票须在0至有效票数{returned - invalid}之间",
                "votes_exceed_valid",
                f"votes_{cid}",
            )
    number = tally.rounds[-1].round.number + 1 if tally.rounds else 1
    rnd = Round(
        election=election,
        number=number,
        kind=tally.next_kind,
        seats=tally.remaining,
        present=present,
        issued=issued,
        returned=returned,
        invalid=invalid,
    )
    try:
        with transaction.atomic():
            rnd.save()
    except IntegrityError:
        raise _error("本轮已登记", "duplicate") from None
    Vote.objects.bulk_create([Vote(round=rnd, candidate_id=int(cid), votes=int(n)) for cid, n in votes.items()])
    result = selectors.tally(election).rounds[-1].result
    audit.record(
        actor=actor,
        action=Action.ROUND,
        obj=rnd,
        organisation=election.branch,
        changes={
            "得票": [None, {ballot[int(c)].person.name: int(n) for c, n in votes.items()}],
            "结果": [None, "有效" if result.valid else "无效"],
            "当选": [None, selectors.names(election, [int(x) for x in result.elected])],
        },
    )
    return rnd


@transaction.atomic(durable=True)
def assign_posts(*, actor, election: Election, posts: Mapping[int, str], on: dt.date | None) -> Election:
    """新一届支委会 elects the 书记 (and 副书记) and divides the work (支部条例 第21条)."""
    election = _lock(election)
    _check_open(election)
    tally = selectors.tally(election)
    if tally.remaining:
        raise _error(f"尚有{tally.remaining}个名额未选出，请先完成选举", "step_order")
    on = _check_date(on, "on", after=election.meeting_date, after_label="党员大会")
    elected = {c.pk: c for c in tally.elected}
    chosen = {int(cid): post for cid, post in posts.items() if post}
    if set(chosen) != set(elected):
        raise _error("请为每位当选委员确定分工", "posts_missing")
    if any(p not in Position.values for p in chosen.values()):
        raise _error("未知的职务", "post_invalid")
    if len(set(chosen.values())) != len(chosen):
        raise _error("每个职务只能由一人担任", "post_twice")
    if Position.SECRETARY not in chosen.values():
        raise _error("须选举产生书记", "no_secretary")
    Candidate.objects.filter(election=election).update(post="")
    for cid, post in chosen.items():
        Candidate.objects.filter(pk=cid).update(post=post)
    election.officers_on = on
    election.save(update_fields=["officers_on"])
    audit.record(
        actor=actor,
        action=Action.POSTS,
        obj=election,
        organisation=election.branch,
        changes={"分工": [None, {elected[c].person.name: Position(p).label for c, p in chosen.items()}]},
    )
    return election


@transaction.atomic(durable=True)
def install(*, actor, election: Election) -> Election:
    """The new committee takes office: posts updated through orgs, the term restarts from the meeting."""
    election = _lock(election)
    _check_open(election)
    _previous_done(election, rules.INSTALL)
    start = election.meeting_date
    if start is None:
        raise _error("请先登记党员大会", "step_order")
    posts = {
        c.post: c.person for c in Candidate.objects.filter(election=election).exclude(post="").select_related("person")
    }
    orgs_services.install_committee_step(
        actor=actor,
        branch=election.branch,
        posts=posts,
        term_start=start,
        term_years=election.term_years,
    )
    election.installed_on = start
    election.save(update_fields=["installed_on"])
    audit.record(
        actor=actor,
        action=Action.INSTALL,
        obj=election,
        organisation=election.branch,
        changes={
            "installed_on": [None, start.isoformat()],
            "term_end": [None, rules.term_end(start, election.term_years).isoformat()],
        },
    )
    return election


@transaction.atomic(durable=True)
def record_reschedule(
    *,
    actor,
    branch: Organisation,
    kind: str,
    to_end: dt.date | None,
    approved_on: dt.date | None,
    approval_ref: str,
    reason: str,
) -> Reschedule:
    """An approved postponement or early election: the term end moves at most 12 months from the regular
    end (选举条例 第3条); the committee's posts carry the new end (orgs) and so does the open 换届."""
    if kind not in RescheduleKind.values:
        raise _error("请选择延期或提前换届", "kind_invalid", "kind")
    approved_on = _check_date(approved_on, "approved_on")
    if to_end is None:
        raise _error("请填写调整后的届满日期", "date_required", "to_end")
    if not approval_ref.strip() or not reason.strip():
        raise _error("请填写上级批准文号和原因", "approval_required", "approval_ref")
    current = selectors.committee_term_end(branch)
    if current is None:
        raise _error("本支部尚未登记支部委员", "no_committee")
    regular = selectors.regular_term_end(branch, current)
    if kind == RescheduleKind.POSTPONE and to_end <= regular:
        raise _error("延期换届的届满日应晚于按期届满日", "not_later", "to_end")
    if kind == RescheduleKind.ADVANCE and to_end >= regular:
        raise _error("提前换届的届满日应早于按期届满日", "not_earlier", "to_end")
    if not rules.shift_allowed(regular, to_end):
        raise _error(
            f"延期或提前换届一般不超过1年（按期届满日为{cn_date(regular)}，依据：{rules.SOURCE_RESCHEDULE}）",
            "shift_too_long",
            "to_end",
        )
    row = Reschedule(
        branch=branch,
        kind=kind,
        from_end=current,
        regular_end=regular,
        to_end=to_end,
        approved_on=approved_on,
        approval_ref=approval_ref.strip(),
        reason=reason.strip(),
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise _error("该调整已登记", "duplicate") from None
    orgs_services.reschedule_term_step(actor=actor, branch=branch, term_end=to_end)
    open_election = Election.objects.filter(branch=branch, term_end=current, installed_on__isnull=True).first()
    if open_election is not None and not Election.objects.filter(branch=branch, term_end=to_end).exists():
        audit.update_audited(
            open_election, {"term_end": to_end}, actor=actor, fields=["term_end"], organisation=branch, full_clean=False
        )
    audit.record(
        actor=actor,
        action=Action.RESCHEDULE,
        obj=row,
        organisation=branch,
        changes=audit.diff(
            {},
            audit.snapshot(row, ("kind", "from_end", "regular_end", "to_end", "approved_on", "approval_ref", "reason")),
        ),
    )
    return row
