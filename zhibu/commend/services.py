"""Every write of 评优 and 积分: keyword-only, durable at the entry points the views call, audited in
the same transaction. Refusals are `ValidationError`s with a Chinese message and a `code`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.commend import rules, selectors
from zhibu.commend.audit_actions import Action
from zhibu.commend.models import Nomination, PointsEntry, PointsRule, PointsScheme, Round
from zhibu.core import audit, clock
from zhibu.orgs.models import Organisation, OrgKind, Person, Standing


def _error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _rule(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except rules.RuleError as exc:
        raise _error(exc.message, exc.code) from None


# --- rounds ---------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def open_round(
    *,
    actor,
    org: Organisation,
    year: int,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    quota_kind: str,
    approval_ref: str,
    percent: Decimal | None = None,
    quota_member: int = 0,
    quota_worker: int = 0,
    quota_org: int = 0,
    publicity_days: int = rules.DEFAULT_PUBLICITY_WORKDAYS,
) -> Round:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise _error("评优表彰由上级党组织发起。", "not_district")
    _rule(rules.check_window, opens_on, closes_on)
    title, approval_ref = (title or "").strip(), (approval_ref or "").strip()
    if not title:
        raise _error("请填写名称。", "no_title")
    if not approval_ref:
        raise _error("请填写表彰方案的批准文号（表彰方案须经批准）。", "no_approval")
    if quota_kind == rules.RATIO:
        if percent is None or not Decimal(0) < percent <= Decimal(100):
            raise _error("按比例确定名额时，比例须在0—100%之间。", "bad_percent")
    elif quota_kind == rules.FIXED:
        percent = None
        if not (quota_member or quota_worker or quota_org):
            raise _error("请至少为一个表彰类别设定名额。", "no_quota")
    else:
        raise _error("请选择名额方式。", "bad_quota_kind")
    if not 1 <= publicity_days <= 30:
        raise _error("公示期须在1—30个工作日之间。", "bad_publicity_days")
    if Round.objects.filter(org=org, year=year, title=title).exists():
        raise _error("同一年度已有同名的评优表彰。", "round_exists")
    rnd = Round.objects.create(
        org=org, year=year, title=title, opens_on=opens_on, closes_on=closes_on, quota_kind=quota_kind,
        percent=percent, quota_member=quota_member, quota_worker=quota_worker, quota_org=quota_org,
        approval_ref=approval_ref, publicity_days=publicity_days,
    )
    audit.record(
        actor=actor, action=Action.ROUND_OPEN, obj=rnd, organisation=org,
        changes={"year": year, "window": f"{opens_on}—{closes_on}", "quota_kind": quota_kind,
                 "approval_ref": approval_ref},
    )
    return rnd


def _locked_round(rnd: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("org").get(pk=rnd.pk)


def _check_open(rnd: Round, today: dt.date) -> None:
    if rnd.publicised:
        raise _error("结果已经公示，不能再修改推荐。", "publicised")
    if not rules.in_window(rnd.opens_on, rnd.closes_on, today):
        raise _error(
            f"推荐时间为{rnd.opens_on:%Y-%m-%d}至{rnd.closes_on:%Y-%m-%d}，现在不在推荐时间内。", "outside_window"
        )


@transaction.atomic(durable=True)
def nominate(
    *, actor, round: Round, branch: Organisation, award_type: str, reason: str, person: Person | None = None
) -> Nomination:
    rnd = _locked_round(round)
    today = clock.today()
    if branch.kind != OrgKind.BRANCH or not branch.path.startswith(rnd.org.path):
        raise _error("只有本次评优范围内的党支部可以推荐。", "branch_outside")
    _check_open(rnd, today)
    if award_type not in rnd.quotas.offered():
        raise _error("本次评优没有这一表彰类别。", "type_not_offered")
    reason = (reason or "").strip()
    if not reason:
        raise _error("请填写推荐理由。", "no_reason")
    if award_type == rules.ORG:
        person = None
        what = "本支部的先进基层党组织推荐"
    else:
        if person is None:
            raise _error("请选择推荐人选。", "no_person")
        if person.branch_id != branch.pk or not person.active:
            raise _error("推荐人选须为本支部在册党员。", "person_elsewhere")
        veto = selectors.vetoes(branch, rnd.year).get(person.pk, "")
        _rule(rules.check_nominee, award_type=award_type, is_full_member=person.standing == Standing.FULL, veto=veto)
        what = f"本支部{rules.AWARD_LABELS[award_type]}推荐"
    used = selectors.used_by_type(rnd, branch=branch).get(award_type, 0)
    quota = rnd.quotas.branch(award_type, selectors.full_members_of(branch))
    _rule(rules.check_quota, used=used, quota=quota, what=what)
    try:
        with transaction.atomic():
            n = Nomination.objects.create(
                round=rnd, branch=branch, award_type=award_type, person=person, reason=reason,
                nominated_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise _error("已经推荐过了。", "already_nominated") from None
    audit.record(
        actor=actor, action=Action.NOMINATE, obj=n, organisation=branch,
        changes={"round": rnd.title, "award_type": award_type, "nominee": n.nominee},
    )
    return n


@transaction.atomic(durable=True)
def withdraw(*, actor, nomination: Nomination) -> Nomination:
    n = Nomination.objects.select_for_update(of=("self",)).select_related("round", "branch", "person").get(pk=nomination.pk)
    if n.round.publicised:
        raise _error("结果已经公示，不能撤回。", "publicised")
    if n.status != rules.NOMINATED:
        raise _error("已审定或已撤回的推荐不能撤回。", "not_pending")
    n.status = rules.WITHDRAWN
    n.save(update_fields=["status"])
    audit.record(actor=actor, action=Action.WITHDRAW, obj=n, organisation=n.branch, changes={"status": [rules.NOMINATED, rules.WITHDRAWN]})
    return n


@transaction.atomic(durable=True)
def decide(*, actor, nomination: Nomination, award: bool, note: str = "") -> Nomination:
    """The district's decision on one nomination (before the 公示). An award re-checks the vetoes and
    the round's quota for the type."""
    n = Nomination.objects.select_for_update(of=("self",)).select_related("round__org", "branch", "person").get(pk=nomination.pk)
    rnd = _locked_round(n.round)
    if rnd.publicised:
        raise _error("结果已经公示，不能再审定。", "publicised")
    if n.status == rules.WITHDRAWN:
        raise _error("推荐已撤回。", "withdrawn")
    note = (note or "").strip()
    after = rules.AWARDED if award else rules.NOT_AWARDED
    if award and n.status != rules.AWARDED:
        if n.person_id:
            veto = selectors.vetoes(n.branch, rnd.year).get(n.person_id, "")
            if veto:
                raise _error(f"不能表彰：{veto}", "vetoed")
        base = selectors.full_members_under(rnd.org)
        won = selectors.used_by_type(rnd, status=rules.AWARDED).get(n.award_type, 0)
        _rule(rules.check_quota, used=won, quota=rnd.quotas.district(n.award_type, base),
              what=rules.AWARD_LABELS[n.award_type])
    if not award and not note:
        raise _error("不予表彰须写明意见。", "no_note")
    old = n.status
    n.status, n.decided_at, n.decision_note = after, clock.now(), note[:300]
    n.save(update_fields=["status", "decided_at", "decision_note"])
    audit.record(actor=actor, action=Action.DECIDE, obj=n, organisation=rnd.org,
                 changes={"status": [old, after], "note": note[:200]})
    return n


@transaction.atomic(durable=True)
def publicise(*, actor, round: Round, start: dt.date, days: int, add_workdays) -> Round:
    """Start the 公示: every nomination decided, at least one award. `add_workdays(d, n) -> date`."""
    rnd = _locked_round(round)
    if rnd.publicised:
        raise _error("已经公示。", "publicised")
    if not 1 <= days <= 30:
        raise _error("公示期须在1—30个工作日之间。", "bad_publicity_days")
    if start < rnd.opens_on:
        raise _error("公示开始日期不能早于推荐开始日期。", "start_too_early")
    pending = Nomination.objects.filter(round=rnd, status=rules.NOMINATED).count()
    if pending:
        raise _error(f"尚有{pending}项推荐未审定。", "pending")
    if not Nomination.objects.filter(round=rnd, status=rules.AWARDED).exists():
        raise _error("没有拟表彰的人选或党组织，无需公示。", "nothing_awarded")
    rnd.publicity_start, rnd.publicity_days = start, days
    rnd.publicity_end = rules.publicity_end(start, add_workdays, days)
    rnd.save(update_fields=["publicity_start", "publicity_days", "publicity_end"])
    audit.record(actor=actor, action=Action.PUBLICISE, obj=rnd, organisation=rnd.org,
                 changes={"start": start.isoformat(), "end": rnd.publicity_end.isoformat(), "days": days})
    return rnd


# --- 积分 -------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def save_points_scheme(*, actor, org: Organisation, enabled: bool, base: int) -> PointsScheme:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise _error("积分办法由上级党组织设置。", "not_district")
    if not 0 <= base <= 1000:
        raise _error("基础分须在0—1000之间。", "bad_base")
    scheme, _created = PointsScheme.objects.select_for_update().get_or_create(org=org)
    with audit.updating(scheme, actor=actor, fields=["enabled", "base"], action=Action.POINTS_SETTINGS,
                        organisation=org):
        scheme.enabled, scheme.base = enabled, base
    return scheme


@transaction.atomic(durable=True)
def add_points_rule(*, actor, org: Organisation, name: str, source: str, points: int, cap: int | None = None) -> PointsRule:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP):
        raise _error("积分办法由上级党组织设置。", "not_district")
    name = (name or "").strip()
    if not name:
        raise _error("请填写项目名称。", "no_name")
    if source not in rules.POINT_SOURCE_LABELS:
        raise _error("请选择来源。", "bad_source")
    if not -100 <= points <= 100 or points == 0:
        raise _error("分值须在-100—100之间且不为0。", "bad_points")
    scheme, _created = PointsScheme.objects.get_or_create(org=org)
    if PointsRule.objects.filter(scheme=scheme, name=name).exists():
        raise _error("已有同名的积分项目。", "rule_exists")
    r = PointsRule.objects.create(scheme=scheme, name=name, source=source, points=points, cap=cap or None)
    audit.record(actor=actor, action=Action.POINTS_RULE, obj=r, organisation=org,
                 changes={"name": name, "source": source, "points": points, "cap": cap})
    return r


@transaction.atomic(durable=True)
def set_rule_active(*, actor, rule: PointsRule, active: bool) -> PointsRule:
    r = PointsRule.objects.select_for_update(of=("self",)).select_related("scheme__org").get(pk=rule.pk)
    with audit.updating(r, actor=actor, fields=["active"], action=Action.POINTS_RULE, organisation=r.scheme.org):
        r.active = active
    return r


@transaction.atomic(durable=True)
def add_points_entry(
    *, actor, person: Person, branch: Organisation, rule: PointsRule, date: dt.date, evidence: str
) -> PointsEntry:
    scheme = selectors.scheme_for(branch)
    if scheme is None or not scheme.enabled:
        raise _error("本地未启用党员积分。", "points_off")
    if rule.scheme_id != scheme.pk or not rule.active or rule.source != rules.MANUAL:
        raise _error("请选择本地积分办法中由支委登记的项目。", "bad_rule")
    if person.branch_id != branch.pk:
        raise _error("此人不是本支部人员。", "person_elsewhere")
    if date > clock.today():
        raise _error("尚未发生的事项不能登记。", "future_date")
    evidence = (evidence or "").strip()
    if not evidence:
        raise _error("请写明依据（如活动名称、时间）。", "no_evidence")
    e = PointsEntry.objects.create(
        person=person, branch=branch, year=date.year, rule=rule, points=rule.points, date=date,
        evidence=evidence[:300], recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action=Action.POINTS_ENTRY, obj=e, organisation=branch,
                 changes={"rule": rule.name, "points": rule.points, "evidence": evidence[:200]})
    return e


@transaction.atomic(durable=True)
def remove_points_entry(*, actor, entry: PointsEntry) -> None:
    e = PointsEntry.objects.select_for_update(of=("self",)).select_related("branch", "rule", "person").get(pk=entry.pk)
    audit.record(actor=actor, action=Action.POINTS_ENTRY_REMOVE, obj=e, organisation=e.branch,
                 changes={"rule": e.rule.name, "points": e.points, "date": e.date.isoformat()})
    e.delete()
