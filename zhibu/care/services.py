"""Every write of 关怀与共建: keyword-only, durable at the entry points views call, audited in the
same transaction (zhibu.core.audit). Refusals are `ValidationError`s with a Chinese message and a
`code`; nothing is written then. Who may call what is checked by the views through `access`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.care import rules, selectors
from zhibu.care.audit_actions import Action
from zhibu.care.models import (
    Campaign,
    CampaignPerson,
    CareFlag,
    JointActivity,
    ModelPost,
    Pair,
    PairContact,
    PairKind,
    Participation,
    Partner,
    Visit,
    VolunteerActivity,
)
from zhibu.core import audit, clock
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person


def _error(message: str, code: str, field: str | None = None) -> ValidationError:
    if field:
        return ValidationError({field: [ValidationError(message, code=code)]})
    return ValidationError(message, code=code)


def _rule(exc: rules.RuleError, field: str | None = None) -> ValidationError:
    return _error(exc.message, exc.code, field)


def _branch_only(branch: Organisation) -> None:
    if branch.kind != OrgKind.BRANCH:
        raise _error("此项工作在党支部办理。", "not_branch")


def _own(person: Person | None, branch: Organisation, *, field: str, member: bool = False) -> Person:
    if person is None or person.branch_id != branch.pk or not person.active:
        raise _error("不是本支部在册人员。", "person_elsewhere", field)
    if member and person.standing not in MEMBER_STANDINGS:
        raise _error(f"{person.name}不是党员。", "not_member", field)
    return person


def _text(value: str | None) -> str:
    return (value or "").strip()


# --- care flags ---------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def set_flag(
    *, actor, branch: Organisation, person: Person, kind: str, since: dt.date | None = None, note: str = ""
) -> CareFlag:
    _branch_only(branch)
    _own(person, branch, field="person")
    if kind not in rules.FLAG_LABELS:
        raise _error("未知的关怀类别。", "unknown_flag", "kind")
    since = since or clock.today()
    if since > clock.today():
        raise _error("起始日期不能晚于今天。", "since_in_future", "since")
    if CareFlag.objects.filter(person=person, kind=kind, until__isnull=True).exists():
        raise _error(f"{person.name}已标记为“{rules.FLAG_LABELS[kind]}”。", "flag_exists", "kind")
    flag = CareFlag.objects.create(branch=branch, person=person, kind=kind, since=since, note=_text(note)[:200])
    audit.record(
        actor=actor,
        action=Action.FLAG,
        obj=flag,
        organisation=branch,
        changes={"kind": kind, "since": since.isoformat()},
    )
    return flag


@transaction.atomic(durable=True)
def end_flag(*, actor, flag: CareFlag, until: dt.date | None = None) -> CareFlag:
    flag = CareFlag.objects.select_for_update(of=("self",)).select_related("branch", "person").get(pk=flag.pk)
    if flag.until is not None:
        raise _error("该标记已结束。", "flag_ended")
    until = until or clock.today()
    if until < flag.since:
        raise _error("结束日期不能早于起始日期。", "until_before_since", "until")
    flag.until = until
    flag.save(update_fields=["until"])
    audit.record(
        actor=actor,
        action=Action.UNFLAG,
        obj=flag,
        organisation=flag.branch,
        changes={"until": [None, until.isoformat()]},
    )
    return flag


# --- visit campaigns ----------------------------------------------------------------------------


def _add_targets(campaign: Campaign, on: dt.date) -> list[str]:
    have = set(campaign.targets.values_list("person_id", flat=True))
    flagged = selectors.flagged_people(campaign.branch, campaign.flags, on)
    rows = [
        CampaignPerson(campaign=campaign, person_id=pid, reason="、".join(rules.FLAG_LABELS[k] for k in kinds)[:60])
        for pid, (_name, kinds) in flagged.items()
        if pid not in have
    ]
    CampaignPerson.objects.bulk_create(rows)
    return [flagged[r.person_id][0] for r in rows]


@transaction.atomic(durable=True)
def start_campaign(
    *,
    actor,
    branch: Organisation,
    kind: str,
    year: int,
    title: str = "",
    due: dt.date | None = None,
    flags: Iterable[str] | None = None,
) -> Campaign:
    """Start a visit campaign; who must be visited comes from the care flags in force today."""
    _branch_only(branch)
    if kind not in rules.CAMPAIGN_LABELS:
        raise _error("未知的走访类别。", "unknown_campaign_kind", "kind")
    today = clock.today()
    if not today.year - 1 <= year <= today.year + 1:
        raise _error(f"年度须在{today.year - 1}—{today.year + 1}年之间。", "year_implausible", "year")
    kinds = [k for k in (flags if flags is not None else rules.DEFAULT_FLAGS[kind]) if k in rules.FLAG_LABELS]
    if not kinds:
        raise _error("请至少选择一类走访对象。", "no_flags", "flags")
    if kind != rules.OTHER and Campaign.objects.filter(branch=branch, kind=kind, year=year).exists():
        raise _error(f"{rules.campaign_title(kind, year)}已经发起。", "campaign_exists", "kind")
    campaign = Campaign(
        branch=branch,
        kind=kind,
        year=year,
        flags=kinds,
        title=_text(title)[:60] or rules.campaign_title(kind, year),
        due=due or rules.campaign_due(kind, year),
    )
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        raise _error(f"{rules.campaign_title(kind, year)}已经发起。", "campaign_exists", "kind") from None
    names = _add_targets(campaign, today)
    audit.record(
        actor=actor,
        action=Action.CAMPAIGN,
        obj=campaign,
        organisation=branch,
        changes={"kind": kind, "year": year, "targets": len(names)},
    )
    return campaign


@transaction.atomic(durable=True)
def refresh_targets(*, actor, campaign: Campaign) -> list[str]:
    """Add people flagged since the campaign started (nobody is taken off the list)."""
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("branch").get(pk=campaign.pk)
    if campaign.closed_on is not None:
        raise _error("走访慰问已完成，名单不再更新。", "campaign_closed")
    names = _add_targets(campaign, clock.today())
    if names:
        audit.record(
            actor=actor, action=Action.REFRESH, obj=campaign, organisation=campaign.branch, changes={"added": names}
        )
    return names


def _close_if_complete(actor, campaign: Campaign, on: dt.date) -> bool:
    must = campaign.targets.values_list("person_id", flat=True)
    visited = campaign.visits.values_list("person_id", flat=True)
    if campaign.closed_on is None and rules.campaign_complete(must, visited):
        campaign.closed_on = on
        campaign.save(update_fields=["closed_on"])
        audit.record(
            actor=actor,
            action=Action.CLOSE,
            obj=campaign,
            organisation=campaign.branch,
            changes={"closed_on": [None, on.isoformat()]},
        )
        return True
    return False


@transaction.atomic(durable=True)
def record_visit(
    *,
    actor,
    campaign: Campaign,
    person: Person,
    visited_on: dt.date,
    visitors: str,
    gifts: str = "",
    amount: Decimal | None = None,
    fund: str = "",
    note: str = "",
) -> Visit:
    """One visit to someone on the campaign's list; the last one closes the campaign."""
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("branch").get(pk=campaign.pk)
    if not campaign.targets.filter(person=person).exists():
        raise _error("此人不在本次走访名单中。", "not_on_list", "person")
    if campaign.visits.filter(person=person).exists():
        raise _error(f"{person.name}已登记走访。", "visited_already", "person")
    try:
        rules.check_visit_date(visited_on, clock.today(), campaign.year)
    except rules.RuleError as exc:
        raise _rule(exc, "visited_on") from None
    try:
        rules.check_amount(amount)
    except rules.RuleError as exc:
        raise _rule(exc, "amount") from None
    if fund and fund not in dict(rules.FUND_SOURCES):
        raise _error("未知的经费来源。", "unknown_fund", "fund")
    if amount and not fund:
        raise _error("有慰问金的，请选择经费来源。", "fund_required", "fund")
    if not _text(visitors):
        raise _error("请填写走访人。", "visitors_required", "visitors")
    visit = Visit.objects.create(
        campaign=campaign,
        branch=campaign.branch,
        person=person,
        visited_on=visited_on,
        visitors=_text(visitors)[:100],
        gifts=_text(gifts)[:200],
        amount=amount,
        fund=fund,
        note=_text(note)[:500],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=Action.VISIT,
        obj=visit,
        organisation=campaign.branch,
        changes={
            "campaign": campaign.title,
            "person": person.name,
            "visited_on": visited_on.isoformat(),
            "amount": str(amount or ""),
            "fund": fund,
        },
    )
    _close_if_complete(actor, campaign, clock.today())
    return visit


# --- 结对 --------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_pair(
    *,
    actor,
    branch: Organisation,
    member: Person,
    kind: PairKind,
    partner: Person | None = None,
    partner_name: str = "",
    started_on: dt.date | None = None,
    note: str = "",
) -> Pair:
    _branch_only(branch)
    _own(member, branch, field="member", member=True)
    partner_name = _text(partner_name)[:50]
    if kind.in_roster:
        if partner is None:
            raise _error(f"“{kind.name}”结对须从本支部人员中选择结对对象。", "partner_required", "partner")
        _own(partner, branch, field="partner")
        if partner.pk == member.pk:
            raise _error("不能与本人结对。", "pair_self", "partner")
        partner_name = ""
    else:
        partner = None
        if not partner_name:
            raise _error(f"请填写{kind.name}的名称（如“张小明家庭”）。", "partner_name_required", "partner_name")
    started_on = started_on or clock.today()
    if started_on > clock.today():
        raise _error("结对日期不能晚于今天。", "pair_in_future", "started_on")
    open_pairs = Pair.objects.filter(member=member, ended_on__isnull=True)
    if (partner is not None and open_pairs.filter(partner=partner).exists()) or (
        partner is None and open_pairs.filter(kind=kind, partner__isnull=True, partner_name=partner_name).exists()
    ):
        raise _error("该结对已经登记。", "pair_exists", "partner" if partner else "partner_name")
    pair = Pair.objects.create(
        branch=branch,
        member=member,
        kind=kind,
        partner=partner,
        partner_name=partner_name,
        started_on=started_on,
        note=_text(note)[:200],
    )
    audit.record(
        actor=actor,
        action=Action.PAIR,
        obj=pair,
        organisation=branch,
        changes={"member": member.name, "kind": kind.name, "partner": pair.partner_label},
    )
    return pair


@transaction.atomic(durable=True)
def end_pair(*, actor, pair: Pair, ended_on: dt.date | None = None) -> Pair:
    pair = Pair.objects.select_for_update(of=("self",)).select_related("branch", "member", "partner").get(pk=pair.pk)
    if pair.ended_on is not None:
        raise _error("该结对已结束。", "pair_ended")
    ended_on = ended_on or clock.today()
    if ended_on < pair.started_on:
        raise _error("结束日期不能早于结对日期。", "ended_before_started", "ended_on")
    pair.ended_on = ended_on
    pair.save(update_fields=["ended_on"])
    audit.record(
        actor=actor,
        action=Action.UNPAIR,
        obj=pair,
        organisation=pair.branch,
        changes={"ended_on": [None, ended_on.isoformat()]},
    )
    return pair


@transaction.atomic(durable=True)
def add_contact(*, actor, pair: Pair, date: dt.date, content: str, way: str = "") -> PairContact:
    pair = Pair.objects.select_related("branch", "member", "partner").get(pk=pair.pk)
    if date > clock.today():
        raise _error("联系日期不能晚于今天。", "contact_in_future", "date")
    if date < pair.started_on:
        raise _error("联系日期不能早于结对日期。", "contact_before_pair", "date")
    if not _text(content):
        raise _error("请填写联系内容。", "content_required", "content")
    contact = PairContact.objects.create(pair=pair, date=date, way=_text(way)[:20], content=_text(content)[:300])
    audit.record(
        actor=actor,
        action=Action.CONTACT,
        obj=pair,
        organisation=pair.branch,
        changes={"date": date.isoformat(), "content": contact.content[:100]},
    )
    return contact


# --- 志愿服务 ----------------------------------------------------------------------------------


def _check_hours(hours: Decimal, field: str) -> None:
    try:
        rules.check_hours(hours)
    except rules.RuleError as exc:
        raise _rule(exc, field) from None


@transaction.atomic(durable=True)
def create_activity(
    *,
    actor,
    branch: Organisation,
    title: str,
    date: dt.date,
    place: str = "",
    content: str = "",
    hours: Mapping[Person, Decimal] | None = None,
) -> VolunteerActivity:
    _branch_only(branch)
    if date > clock.today():
        raise _error("活动日期不能晚于今天（活动结束后登记）。", "activity_in_future", "date")
    if not _text(title):
        raise _error("请填写活动名称。", "title_required", "title")
    if VolunteerActivity.objects.filter(branch=branch, date=date, title=_text(title)[:80]).exists():
        raise _error("同一天已登记同名活动。", "activity_exists", "title")
    for person, h in (hours or {}).items():
        _own(person, branch, field="people")
        _check_hours(h, "hours")
    activity = VolunteerActivity.objects.create(
        branch=branch, title=_text(title)[:80], date=date, place=_text(place)[:80], content=_text(content)[:300]
    )
    Participation.objects.bulk_create(
        [Participation(activity=activity, person=p, hours=h) for p, h in (hours or {}).items()]
    )
    audit.record(
        actor=actor,
        action=Action.ACTIVITY,
        obj=activity,
        organisation=branch,
        changes={"date": date.isoformat(), "people": sorted(p.name for p in (hours or {}))},
    )
    return activity


@transaction.atomic(durable=True)
def set_hours(*, actor, activity: VolunteerActivity, person: Person, hours: Decimal) -> Participation:
    """Add a participant, or correct their hours."""
    activity = VolunteerActivity.objects.select_for_update(of=("self",)).select_related("branch").get(pk=activity.pk)
    _own(person, activity.branch, field="person")
    _check_hours(hours, "hours")
    row, created = Participation.objects.get_or_create(activity=activity, person=person, defaults={"hours": hours})
    old = None if created else str(row.hours)
    if not created and row.hours != hours:
        row.hours = hours
        row.save(update_fields=["hours"])
    audit.record(
        actor=actor,
        action=Action.HOURS,
        obj=activity,
        organisation=activity.branch,
        changes={person.name: [old, str(hours)]},
    )
    return row


# --- 示范岗 -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def create_post(
    *, actor, branch: Organisation, year: int, kind: str, name: str, holder: Person, commitment: str
) -> ModelPost:
    _branch_only(branch)
    _own(holder, branch, field="holder", member=True)
    today = clock.today()
    if not today.year - 1 <= year <= today.year + 1:
        raise _error(f"年度须在{today.year - 1}—{today.year + 1}年之间。", "year_implausible", "year")
    if kind not in dict(rules.POST_KINDS):
        raise _error("未知的岗位类别。", "unknown_post_kind", "kind")
    if not _text(commitment):
        raise _error("请填写承诺内容。", "commitment_required", "commitment")
    name = _text(name)[:60]
    if not name:
        raise _error("请填写岗位名称。", "name_required", "name")
    if ModelPost.objects.filter(branch=branch, year=year, name=name).exists():
        raise _error(f"{year}年已设立“{name}”。", "post_exists", "name")
    post = ModelPost.objects.create(
        branch=branch, year=year, kind=kind, name=name, holder=holder, commitment=_text(commitment)[:1000]
    )
    audit.record(
        actor=actor,
        action=Action.POST,
        obj=post,
        organisation=branch,
        changes={"year": year, "name": name, "holder": holder.name},
    )
    return post


@transaction.atomic(durable=True)
def review_post(*, actor, post: ModelPost, review: str, result: str, reviewed_on: dt.date | None = None) -> dict:
    post = ModelPost.objects.select_for_update(of=("self",)).select_related("branch").get(pk=post.pk)
    reviewed_on = reviewed_on or clock.today()
    if result not in dict(rules.REVIEW_RESULTS):
        raise _error("请选择评议结果。", "result_required", "result")
    if not _text(review):
        raise _error("请填写评议意见。", "review_required", "review")
    if reviewed_on > clock.today():
        raise _error("评议日期不能晚于今天。", "review_in_future", "reviewed_on")
    if reviewed_on.year < post.year:
        raise _error(f"评议日期须在{post.year}年以后（年终评议）。", "review_too_early", "reviewed_on")
    with audit.updating(
        post,
        actor=actor,
        fields=["review", "result", "reviewed_on"],
        action=Action.POST_REVIEW,
        organisation=post.branch,
    ) as update:
        post.review, post.result, post.reviewed_on = _text(review)[:1000], result, reviewed_on
    return update.changes


# --- 共建 --------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_partner(
    *,
    actor,
    branch: Organisation,
    name: str,
    kind: str,
    contact: str = "",
    since: dt.date | None = None,
    note: str = "",
) -> Partner:
    _branch_only(branch)
    name = _text(name)[:80]
    if not name:
        raise _error("请填写共建单位名称。", "name_required", "name")
    if kind not in dict(rules.PARTNER_KINDS):
        raise _error("未知的单位类别。", "unknown_partner_kind", "kind")
    if Partner.objects.filter(branch=branch, name=name).exists():
        raise _error(f"“{name}”已是共建单位。", "partner_exists", "name")
    since = since or clock.today()
    if since > clock.today():
        raise _error("共建起始日期不能晚于今天。", "since_in_future", "since")
    partner = Partner.objects.create(
        branch=branch, name=name, kind=kind, contact=_text(contact)[:40], since=since, note=_text(note)[:300]
    )
    audit.record(actor=actor, action=Action.PARTNER, obj=partner, organisation=branch, changes={"name": name})
    return partner


@transaction.atomic(durable=True)
def add_joint_activity(*, actor, partner: Partner, date: dt.date, title: str, content: str = "") -> JointActivity:
    partner = Partner.objects.select_related("branch").get(pk=partner.pk)
    title = _text(title)[:80]
    if not title:
        raise _error("请填写活动名称。", "title_required", "title")
    if date > clock.today():
        raise _error("活动日期不能晚于今天（活动结束后登记）。", "activity_in_future", "date")
    if JointActivity.objects.filter(partner=partner, date=date, title=title).exists():
        raise _error("同一天已登记同名活动。", "activity_exists", "title")
    joint = JointActivity.objects.create(partner=partner, date=date, title=title, content=_text(content)[:300])
    audit.record(
        actor=actor,
        action=Action.JOINT,
        obj=partner,
        organisation=partner.branch,
        changes={"date": date.isoformat(), "title": title},
    )
    return joint
