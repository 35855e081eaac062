"""Every write about 党费: keyword-only, atomic, audited in the same transaction.

Ledger entries are never updated or deleted here: `reverse_entry` adds a reversing entry and
`correct_entry` adds a reversal followed by the right payment."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from zhibu.core import audit, clock
from zhibu.core.models import AuditEntry
from zhibu.dues import rules
from zhibu.dues.models import Adjustment, Category, DuesBase, LedgerEntry, Method, PeriodKind, Remittance, VoluntaryPayment
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, Person

PROFILE_FIELDS = ("category", "base", "farmer_amount", "effective_month", "verified_on", "adjustment", "reduction", "approval_note")
ENTRY_FIELDS = ("person_id", "branch_id", "month", "amount_due", "amount_paid", "paid_on", "method", "receipt_number", "reverses_id", "note")


def _check_member(person: Person, branch: Organisation) -> None:
    if person.branch_id != branch.pk:
        raise ValidationError(f"{person.name} 不在本支部")
    if not person.active or person.standing not in MEMBER_STANDINGS:
        raise ValidationError(f"{person.name} 不是本支部在册党员")


def _due_of(profile: DuesBase) -> Decimal:
    try:
        return profile.due().amount
    except (TypeError, ValueError) as exc:
        raise ValidationError(str(exc)) from exc


def _entry_audit(actor, entry: LedgerEntry, action: str) -> AuditEntry:
    return AuditEntry(
        at=clock.now(), actor=actor if getattr(actor, "is_authenticated", False) else None,
        organisation_id=entry.branch_id, action=action, object_type=LedgerEntry._meta.label,
        object_id=str(entry.pk), object_repr=str(entry)[:200],
        changes=audit.diff({}, audit.snapshot(entry, ENTRY_FIELDS)),
    )


# ---------------------------------------------------------------------------------------------
# profiles (bases)


def _validate_profile(values: dict) -> dict:
    values = dict(values)
    values["effective_month"] = rules.add_months(values["effective_month"], 0)
    category = values.get("category")
    if category not in Category.values:
        raise ValidationError({"category": "请选择党员类别"})
    if category not in (Category.IN_SERVICE, Category.RETIRED) and values.get("base") is None:
        values["base"] = None
    if category != Category.FARMER:
        values["farmer_amount"] = None
    adjustment = values.get("adjustment") or Adjustment.NONE
    values["adjustment"] = adjustment
    if adjustment != Adjustment.REDUCTION:
        values["reduction"] = None
    elif not values.get("reduction"):
        raise ValidationError({"reduction": "减交须填写每月减交金额"})
    if adjustment != Adjustment.NONE and not (values.get("approval_note") or "").strip():
        raise ValidationError({"approval_note": "减交或免交须经上级党委批准,请填写批准文件或说明(中组发〔2008〕3号 第7条)"})
    for key in ("base", "farmer_amount", "reduction"):
        if values.get(key) is not None:
            try:
                values[key] = rules._money(values[key], "金额")
            except (TypeError, ValueError) as exc:
                raise ValidationError({key: str(exc)}) from exc
    probe = DuesBase(**{k: values.get(k) for k in PROFILE_FIELDS if k in values})
    try:
        probe.due()
    except (TypeError, ValueError) as exc:
        field = "reduction" if "减交" in str(exc) else "farmer_amount" if "农民" in str(exc) else "base"
        raise ValidationError({field: str(exc)}) from exc
    return values


@transaction.atomic
def set_profile(*, actor, branch: Organisation, person: Person, category: str, effective_month: dt.date,
                base: Decimal | None = None, farmer_amount: Decimal | None = None, adjustment: str = Adjustment.NONE,
                reduction: Decimal | None = None, approval_note: str = "", verified_on: dt.date | None = None) -> DuesBase:
    """Enter a member's profile from `effective_month` (第10条). Entering it counts as verifying it.
    A profile for the same month is replaced (audited with old and new values)."""
    _check_member(person, branch)
    values = _validate_profile({
        "category": category, "base": base, "farmer_amount": farmer_amount, "effective_month": effective_month,
        "adjustment": adjustment, "reduction": reduction, "approval_note": approval_note.strip(),
        "verified_on": verified_on or clock.today(),
    })
    existing = DuesBase.objects.select_for_update().filter(person=person, effective_month=values["effective_month"]).first()
    before = audit.snapshot(existing, PROFILE_FIELDS) if existing else {}
    profile = existing or DuesBase(person=person, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    for key, value in values.items():
        setattr(profile, key, value)
    profile.save()
    changes = audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS))
    audit.record(actor=actor, action="update" if existing else "create", obj=profile, organisation=branch,
                 object_repr=f"{person.name} 党费基数 自{profile.effective_month:%Y-%m}", changes=changes)
    return profile


@transaction.atomic
def verify_profiles(*, actor, branch: Organisation, person_ids: list[int], on: dt.date | None = None) -> int:
    """Yearly re-verification: confirm the members' current profiles unchanged (sets verified_on)."""
    on = on or clock.today()
    latest: dict[int, DuesBase] = {}
    for p in DuesBase.objects.select_for_update().filter(person_id__in=person_ids, person__branch=branch).order_by("person_id", "-effective_month"):
        latest.setdefault(p.person_id, p)
    entries = []
    for profile in latest.values():
        old = profile.verified_on
        profile.verified_on = on
        entries.append(AuditEntry(
            at=clock.now(), actor=actor if getattr(actor, "is_authenticated", False) else None, organisation=branch,
            action="verify", object_type=DuesBase._meta.label, object_id=str(profile.pk),
            object_repr=f"党费基数核定 {profile.person_id}", changes={"verified_on": [old and old.isoformat(), on.isoformat()]},
        ))
    DuesBase.objects.bulk_update(list(latest.values()), ["verified_on"])
    audit.record_many(entries)
    return len(latest)


@transaction.atomic
def import_profiles(*, actor, branch: Organisation, rows: list[dict]) -> dict[str, int]:
    """Write validated payroll rows (from payroll.validate): all or nothing."""
    created = updated = 0
    for row in rows:
        person = row["person"]
        existed = DuesBase.objects.filter(person=person, effective_month=row["effective_month"]).exists()
        set_profile(actor=actor, branch=branch, person=person, category=row["category"], base=row["base"],
                    farmer_amount=row.get("farmer_amount"), effective_month=row["effective_month"])
        updated += existed
        created += not existed
    audit.record(actor=actor, action="import", object_type="dues.Payroll", object_repr=f"{branch} 党费基数导入",
                 organisation=branch, changes={"created": created, "updated": updated})
    return {"created": created, "updated": updated}


# ---------------------------------------------------------------------------------------------
# ledger


@dataclass(frozen=True)
class SheetRow:
    person: Person
    amount: Decimal
    method: str = Method.CASH
    receipt_number: str = ""
    note: str = ""


def _profiles_for(person_ids: list[int], months: list[dt.date]) -> dict[tuple[int, dt.date], DuesBase | None]:
    """The profile in force for each (person, month) (1 query)."""
    by_person: dict[int, list[DuesBase]] = {}
    for p in DuesBase.objects.filter(person_id__in=person_ids, effective_month__lte=max(months)).order_by("person_id", "-effective_month"):
        by_person.setdefault(p.person_id, []).append(p)
    out = {}
    for pid in person_ids:
        for m in months:
            out[(pid, m)] = next((p for p in by_person.get(pid, []) if p.effective_month <= m), None)
    return out


def _method_for(method: str, month: dt.date, paid_on: dt.date) -> str:
    if method not in Method.values:
        raise ValidationError("交纳方式无效")
    if not rules.late_payment_allowed((month.year, month.month), (paid_on.year, paid_on.month)):
        raise ValidationError(f"{month:%Y年%-m月}的党费补交已超过{rules.MAX_LATE_MONTHS}个月,须由支部研究处理({rules.LATE_PAYMENT_SOURCE})")
    if method == Method.CASH and rules.months_between((month.year, month.month), (paid_on.year, paid_on.month)) > 0:
        return Method.LATE
    return method


@transaction.atomic
def record_payments(*, actor, branch: Organisation, month: dt.date, paid_on: dt.date, rows: list[SheetRow]) -> list[LedgerEntry]:
    """Record the month sheet: one entry per member who paid (quarterly: one per remaining month of
    the quarter, the amount being the sum of those months' dues). All or nothing; every entry audited."""
    month = rules.add_months(month, 0)
    if paid_on > clock.today():
        raise ValidationError("交纳日期不能晚于今天")
    quarter = rules.quarter_months(month)
    months = sorted({month, *quarter})
    profiles = _profiles_for([r.person.pk for r in rows], months)
    already = set(
        LedgerEntry.objects.filter(person__in=[r.person.pk for r in rows], month__in=months, reverses__isnull=True,
                                   reversed_by__isnull=True).values_list("person_id", "month")
    )
    entries: list[LedgerEntry] = []
    errors: list[str] = []
    for r in rows:
        try:
            _check_member(r.person, branch)
            if r.amount is None or r.amount <= 0:
                raise ValidationError(f"{r.person.name}:金额须大于0")
            rules._money(r.amount, "金额")
            method = _method_for(r.method, month, paid_on)
            if method == Method.QUARTERLY:
                if not branch.settings.get("dues_quarterly"):
                    raise ValidationError(f"{r.person.name}:本支部未同意按季交纳(中组发〔2008〕3号 第12条)")
                cover = [m for m in quarter if m >= month and (r.person.pk, m) not in already]
                dues = []
                for m in cover:
                    p = profiles[(r.person.pk, m)]
                    if p is None:
                        raise ValidationError(f"{r.person.name}:尚未核定党费基数,不能按季交纳")
                    dues.append(_due_of(p))
                if not cover or sum(dues, Decimal("0")) != r.amount:
                    raise ValidationError(
                        f"{r.person.name}:按季交纳须交本季度剩余{len(cover)}个月合计{sum(dues, Decimal('0.00'))}元")
                for m, due in zip(cover, dues):
                    entries.append(LedgerEntry(person=r.person, branch=branch, month=m, amount_due=due, amount_paid=due,
                                               paid_on=paid_on, method=method, receipt_number=r.receipt_number, note=r.note))
                continue
            p = profiles[(r.person.pk, month)]
            due = _due_of(p) if p is not None else Decimal("0.00")
            entries.append(LedgerEntry(person=r.person, branch=branch, month=month, amount_due=due, amount_paid=r.amount,
                                       paid_on=paid_on, method=method, receipt_number=r.receipt_number.strip(), note=r.note))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    user = actor if getattr(actor, "is_authenticated", False) else None
    for e in entries:
        e.created_by = user
    created = LedgerEntry.objects.bulk_create(entries)
    audit.record_many([_entry_audit(actor, e, "create") for e in created])
    return created


@transaction.atomic
def record_payment(*, actor, branch: Organisation, person: Person, month: dt.date, amount: Decimal,
                   paid_on: dt.date, method: str = Method.CASH, receipt_number: str = "", note: str = "") -> list[LedgerEntry]:
    return record_payments(actor=actor, branch=branch, month=month, paid_on=paid_on,
                           rows=[SheetRow(person, amount, method, receipt_number, note)])


@transaction.atomic
def reverse_entry(*, actor, branch: Organisation, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """A correction is a reversing entry (negated amounts), never an edit in place."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.branch_id != branch.pk:
        raise ValidationError("只能冲正本支部的记录")
    if entry.reverses_id is not None:
        raise ValidationError("冲正记录本身不能再冲正")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("该记录已冲正")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写冲正原因")
    user = actor if getattr(actor, "is_authenticated", False) else None
    reversal = LedgerEntry.objects.create(
        person_id=entry.person_id, branch=branch, month=entry.month, amount_due=-entry.amount_due,
        amount_paid=-entry.amount_paid, paid_on=clock.today(), method=entry.method, receipt_number=entry.receipt_number,
        reverses=entry, note=f"冲正:{reason}"[:200], created_by=user,
    )
    audit.record(actor=actor, action="reverse", obj=reversal, organisation=branch,
                 changes={**audit.diff({}, audit.snapshot(reversal, ENTRY_FIELDS)), "reason": reason})
    return reversal


@transaction.atomic
def correct_entry(*, actor, branch: Organisation, entry: LedgerEntry, reason: str, amount: Decimal | None = None,
                  method: str | None = None, receipt_number: str | None = None, paid_on: dt.date | None = None) -> tuple[LedgerEntry, LedgerEntry | None]:
    """Reverse `entry` and, if `amount` is given, record the right payment for the same month."""
    reversal = reverse_entry(actor=actor, branch=branch, entry=entry, reason=reason)
    replacement = None
    if amount is not None:
        replacement = record_payment(
            actor=actor, branch=branch, person=entry.person, month=entry.month, amount=amount,
            paid_on=paid_on or entry.paid_on, method=method or entry.method,
            receipt_number=entry.receipt_number if receipt_number is None else receipt_number,
            note=f"更正第{entry.pk}号记录",
        )[0]
    return reversal, replacement


# ---------------------------------------------------------------------------------------------
# remittance


@transaction.atomic
def record_remittance(*, actor, branch: Organisation, period_kind: str, period_start: dt.date, amount: Decimal,
                      remitted_on: dt.date, receipt_number: str = "", note: str = "") -> Remittance:
    """上缴 for a month or a quarter, with the collection figures computed from the ledger now, and the
    period's 自愿多交党费 (of it, what goes wholly to the Centre, 第11条)."""
    from zhibu.dues import selectors

    period_start = rules.add_months(period_start, 0)
    if period_kind not in PeriodKind.values:
        raise ValidationError("周期无效")
    if period_kind == PeriodKind.QUARTER and period_start.month not in (1, 4, 7, 10):
        raise ValidationError("按季上缴须从季度第一个月开始")
    rules._money(amount, "上缴金额")
    months = rules.quarter_months(period_start) if period_kind == PeriodKind.QUARTER else [period_start]
    if period_kind == PeriodKind.MONTH:
        clash = Remittance.objects.filter(branch=branch, period_kind=PeriodKind.QUARTER, period_start=rules.quarter_months(period_start)[0])
    else:
        clash = Remittance.objects.filter(branch=branch, period_kind=PeriodKind.MONTH, period_start__in=months)
    if clash.exists() or Remittance.objects.filter(branch=branch, period_kind=period_kind, period_start=period_start).exists():
        raise ValidationError("该期间已登记上缴")
    due = collected = Decimal("0.00")
    for m in months:
        b = selectors.month_close(branch, m).branches.get(branch.pk)
        if b is not None:
            due += b.due_total
            collected += b.collected
    outstanding = max(Decimal("0.00"), due - collected)
    voluntary, to_centre = selectors.voluntary_for_period(branch, months)
    r = Remittance.objects.create(
        branch=branch, period_kind=period_kind, period_start=period_start, amount_due=due, collected=max(collected, Decimal("0.00")),
        outstanding=outstanding, voluntary=voluntary, voluntary_to_centre=to_centre, amount=amount, remitted_on=remitted_on, receipt_number=receipt_number.strip(),
        note=note.strip(), created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action="create", obj=r, organisation=branch, changes=audit.diff({}, audit.snapshot(r)))
    return r


@transaction.atomic
def record_export(*, actor, branch: Organisation, what: str, count: int) -> None:
    """Exports carry salaries and payments: audited like the roster export."""
    audit.record(actor=actor, action="export", object_type="dues.Export", object_repr=f"{branch} {what}",
                 organisation=branch, changes={"rows": count})


# ---------------------------------------------------------------------------------------------
# 自愿多交党费 (中组发〔2008〕3号 第11条)

VOLUNTARY_FIELDS = ("person_id", "branch_id", "amount", "paid_on", "receipt_number", "to_centre", "note")


@transaction.atomic
def record_voluntary(*, actor, branch: Organisation, person: Person, amount: Decimal, paid_on: dt.date,
                     receipt_number: str = "", note: str = "") -> VoluntaryPayment:
    """Record a member's voluntary payment (第11条). It is not a ledger entry: it never counts toward
    the monthly due or arrears. A single payment of 1000 元 or more is flagged 全额上缴中央."""
    _check_member(person, branch)
    try:
        amount = rules._money(amount, "自愿多交金额")
    except (TypeError, ValueError) as exc:
        raise ValidationError({"amount": str(exc)}) from exc
    if amount <= 0:
        raise ValidationError({"amount": "金额须大于0"})
    if paid_on is None or paid_on > clock.today():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天"})
    v = VoluntaryPayment.objects.create(
        person=person, branch=branch, amount=amount, paid_on=paid_on, receipt_number=(receipt_number or "").strip(),
        to_centre=rules.goes_wholly_to_centre(amount), note=(note or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action="create", obj=v, organisation=branch,
                 object_repr=f"{person.name} 自愿多交党费 {amount} 元" + (" 全额上缴中央" if v.to_centre else ""),
                 changes=audit.diff({}, audit.snapshot(v, VOLUNTARY_FIELDS)))
    return v
