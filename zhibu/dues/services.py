"""Every write about 党费: keyword-only, atomic, audited in the same transaction.

Ledger entries are never updated or deleted here: `reverse_entry` adds a reversing entry and
`correct_entry` adds a reversal followed by the right payment."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from zhibu.core import audit, clock
from zhibu.core.models import AuditEntry
from zhibu.dues import rules
from zhibu.dues.models import (
    Adjustment,
    Category,
    DuesBase,
    EntryKind,
    LedgerEntry,
    Method,
    MonthClosing,
    PAYMENT_METHODS,
    PeriodKind,
    Remittance,
    VoluntaryPayment,
)
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, Person

PROFILE_FIELDS = ("category", "base", "farmer_amount", "effective_month", "verified_on", "adjustment", "reduction", "approval_note")
ENTRY_FIELDS = ("person_id", "branch_id", "month", "kind", "seq", "amount_due", "amount_paid", "paid_on", "method", "receipt_number",
                "reverses_id", "approval", "note")


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
        raise ValidationError({"approval_note": "减交或免交须经上级党委批准，请填写批准文件或说明（中组发〔2008〕3号 第7条）"})
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


@transaction.atomic(durable=True)
def set_profile(**kwargs) -> DuesBase:
    """The entry point of `_set_profile` (shared with the other services of this module): one transaction."""
    return _set_profile(**kwargs)


def _set_profile(*, actor, branch: Organisation, person: Person, category: str, effective_month: dt.date,
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
    label = f"{person.name} 党费基数 自{values['effective_month']:%Y-%m}"
    if existing:
        with audit.updating(existing, actor=actor, fields=PROFILE_FIELDS, organisation=branch, object_repr=label):
            for key, value in values.items():
                setattr(existing, key, value)
        return existing
    profile = DuesBase(person=person, created_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
    profile.save()
    audit.record(actor=actor, action="create", obj=profile, organisation=branch, object_repr=label,
                 changes=audit.diff({}, audit.snapshot(profile, PROFILE_FIELDS)))
    return profile


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def import_profiles(*, actor, branch: Organisation, rows: list[dict]) -> dict[str, int]:
    """Write validated payroll rows (from payroll.validate): all or nothing."""
    created = updated = 0
    for row in rows:
        person = row["person"]
        existed = DuesBase.objects.filter(person=person, effective_month=row["effective_month"]).exists()
        _set_profile(actor=actor, branch=branch, person=person, category=row["category"], base=row["base"],
                    farmer_amount=row.get("farmer_amount"), effective_month=row["effective_month"])
        updated += existed
        created += not existed
    audit.record(actor=actor, action="import", object_type="dues.Payroll", object_repr=f"{branch} 党费基数导入",
                 organisation=branch, changes={"rows": len(rows), "created": created, "updated": updated})
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
    if method not in PAYMENT_METHODS:
        raise ValidationError("交纳方式无效")
    refusal = rules.late_payment_refusal(month, paid_on)
    if refusal:
        raise ValidationError(refusal, code="late_limit")
    if method == Method.CASH and rules.months_between((month.year, month.month), (paid_on.year, paid_on.month)) > 0:
        return Method.LATE
    return method


@dataclass
class MonthState:
    """What the ledger holds for one (person, month): how many rows (the next row's seq is one more),
    the net paid, the due as recorded, and whether a payment is live (not reversed)."""

    rows: int = 0
    paid: Decimal = Decimal("0.00")
    recorded_due: Decimal = Decimal("0.00")
    live: bool = False

    @property
    def owed(self) -> Decimal:
        return rules.owed_in_month(self.recorded_due, self.paid)


def _month_states(person_ids: list[int], months: list[dt.date]) -> dict[tuple[int, dt.date], MonthState]:
    """The ledger's state of each (person, month) (1 query)."""
    states: dict[tuple[int, dt.date], MonthState] = defaultdict(MonthState)
    for pid, month, paid, due, kind, reversed_by in (
            LedgerEntry.objects.filter(person_id__in=person_ids, month__in=months)
            .values_list("person_id", "month", "amount_paid", "amount_due", "kind", "reversed_by")):
        st = states[(pid, month)]
        st.rows += 1
        st.paid += paid
        st.recorded_due += due
        st.live |= kind in (EntryKind.PAYMENT, EntryKind.CREDIT) and reversed_by is None
    return states


def _closed_months(branch: Organisation, months) -> set[dt.date]:
    return set(MonthClosing.objects.filter(branch=branch, month__in=list(months)).values_list("month", flat=True))


def _refuse_closed(month: dt.date, late_hint: bool = False) -> None:
    raise ValidationError(
        f"{month:%Y年%-m月}已结账：该月的记录只能以冲正更正" + ("；补交请填写实际交纳日期（结账月份之后）" if late_hint else ""),
        code="closed",
    )


def _save_entries(entries: list[LedgerEntry], actor) -> list[LedgerEntry]:
    """Write the rows in a savepoint: two writes from the same state (a double submission, parallel
    requests) clash on (person, month, seq) and the later one is refused with a message, not a 500."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    for e in entries:
        e.created_by = user
    try:
        with transaction.atomic():
            created = LedgerEntry.objects.bulk_create(entries)
    except IntegrityError as exc:
        raise ValidationError("这些记录刚刚已由另一次提交登记，没有重复登记。请刷新页面查看。", code="duplicate") from exc
    audit.record_many([_entry_audit(actor, e, "create") for e in created])
    return created


def _next_seq(states, seq_used: dict, pid: int, month: dt.date) -> int:
    seq_used[(pid, month)] = seq_used.get((pid, month), states[(pid, month)].rows) + 1
    return seq_used[(pid, month)]


@transaction.atomic(durable=True)
def record_payments(**kwargs) -> list[LedgerEntry]:
    """The entry point of `_record_payments` (shared with the other services of this module): one transaction."""
    return _record_payments(**kwargs)


def _record_payments(*, actor, branch: Organisation, month: dt.date, paid_on: dt.date, rows: list[SheetRow],
                    correcting: bool = False) -> list[LedgerEntry]:
    """Record what was typed on the month sheet: one entry per member with an amount (quarterly: one
    per remaining month of the quarter, the amount being the sum of those months' dues). All or
    nothing; every entry audited.

    - A month already paid in full takes no new payment (a second save of the sheet, a double
      submission): only a correction by reversal changes it.
    - A payment below the due is recorded as 少交: the rest stays owed and a later payment for the
      same month tops it up (its amount_due is 0: the due is on the first payment), up to the rest.
    - More than the due is refused: an extra is a voluntary payment (第11条); a wrong base is corrected
      by `settle_overpayment`.
    - A closed month (结账) takes only a 补交 paid after it, or a correction's replacement (`correcting`).
    - 补交 more than 6 months back is refused (第12条)."""
    month = rules.add_months(month, 0)
    if paid_on > clock.today():
        raise ValidationError("交纳日期不能晚于今天", code="future")
    quarter = rules.quarter_months(month)
    months = sorted({month, *quarter})
    pids = [r.person.pk for r in rows]
    profiles = _profiles_for(pids, months)
    states = _month_states(pids, months)
    closed = _closed_months(branch, months)
    late = rules.month_index(paid_on) > rules.month_index(month)
    entries: list[LedgerEntry] = []
    errors: list[ValidationError] = []
    seq_used: dict[tuple[int, dt.date], int] = {}
    for r in rows:
        pid = r.person.pk
        try:
            _check_member(r.person, branch)
            if r.amount is None or r.amount <= 0:
                raise ValidationError(f"{r.person.name}：金额须大于0")
            rules._money(r.amount, "金额")
            method = _method_for(r.method, month, paid_on)
            if method == Method.QUARTERLY:
                if not branch.settings.get("dues_quarterly"):
                    raise ValidationError(f"{r.person.name}：本支部未同意按季交纳（中组发〔2008〕3号 第12条）")
                cover = [m for m in quarter if m >= month and not states[(pid, m)].live]
                if not correcting and any(m in closed for m in cover):
                    _refuse_closed(min(m for m in cover if m in closed))
                dues = []
                for m in cover:
                    p = profiles[(pid, m)]
                    if p is None:
                        raise ValidationError(f"{r.person.name}：尚未核定党费基数，不能按季交纳")
                    dues.append(_due_of(p))
                if not cover or sum(dues, Decimal("0")) != r.amount:
                    raise ValidationError(
                        f"{r.person.name}：按季交纳须交本季度剩余{len(cover)}个月合计{sum(dues, Decimal('0.00'))}元")
                for m, due in zip(cover, dues):
                    entries.append(LedgerEntry(person=r.person, branch=branch, month=m, amount_due=due, amount_paid=due,
                                               paid_on=paid_on, method=method, receipt_number=r.receipt_number, note=r.note,
                                               seq=_next_seq(states, seq_used, pid, m)))
                continue
            if month in closed and not late and not correcting:
                _refuse_closed(month, late_hint=True)
            state = states[(pid, month)]
            p = profiles[(pid, month)]
            if state.live:
                # Topping up a 少交 month: at most what it still owes.
                rest = state.owed
                if rest <= 0:
                    raise ValidationError(
                        f"{r.person.name}：{month:%Y年%-m月}党费已交清（实交{rules.round_fen(state.paid)}元），"
                        "没有重复登记；如需更正请冲正", code="already_paid")
                if r.amount > rest:
                    raise ValidationError(f"{r.person.name}：{month:%Y年%-m月}尚欠{rest}元，补足金额不能超过此数", code="over_due")
                due = Decimal("0.00")
            else:
                due = _due_of(p) if p is not None else Decimal("0.00")
                if p is not None and r.amount > due:
                    raise ValidationError(
                        f"{r.person.name}：实交{r.amount}元超过应交{due}元；多交的部分请登记为自愿多交党费（第11条）",
                        code="over_due")
            entries.append(LedgerEntry(person=r.person, branch=branch, month=month, amount_due=due, amount_paid=r.amount,
                                       paid_on=paid_on, method=method, receipt_number=r.receipt_number.strip(), note=r.note,
                                       seq=_next_seq(states, seq_used, pid, month)))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return _save_entries(entries, actor)


@transaction.atomic(durable=True)
def record_sheet(*, actor, branch: Organisation, month: dt.date, paid_on: dt.date, rows: list[SheetRow],
                 receipts: dict[int, str]) -> tuple[list[LedgerEntry], int]:
    """One save of the month sheet: the typed payments and the receipt numbers typed for rows already
    paid, together or not at all. Returns (entries written, receipt numbers written)."""
    created = _record_payments(actor=actor, branch=branch, month=month, paid_on=paid_on, rows=rows) if rows else []
    return created, _set_receipts(actor=actor, branch=branch, month=month, receipts=receipts)


@transaction.atomic(durable=True)
def set_receipts(**kwargs) -> int:
    """The entry point of `_set_receipts` (shared with the other services of this module): one transaction."""
    return _set_receipts(**kwargs)


def _set_receipts(*, actor, branch: Organisation, month: dt.date, receipts: dict[int, str]) -> int:
    """A receipt number typed for a row already paid: written on the member's latest live payment of
    the month that has none. The one field filled in after the fact (money never changes); audited; a
    closed month changes only by reversal. Returns how many were written."""
    month = rules.add_months(month, 0)
    receipts = {pid: (text or "").strip()[:40] for pid, text in receipts.items() if (text or "").strip()}
    if not receipts:
        return 0
    if _closed_months(branch, [month]):
        _refuse_closed(month)
    latest: dict[int, LedgerEntry] = {}
    for e in (LedgerEntry.objects.select_for_update(of=("self",)).filter(
            branch=branch, month=month, person_id__in=list(receipts), kind=EntryKind.PAYMENT, reversed_by__isnull=True,
            receipt_number="").order_by("id")):
        latest[e.person_id] = e
    entries = []
    for pid, e in latest.items():
        e.receipt_number = receipts[pid]
        entries.append(AuditEntry(
            at=clock.now(), actor=actor if getattr(actor, "is_authenticated", False) else None, organisation=branch,
            action="update", object_type=LedgerEntry._meta.label, object_id=str(e.pk), object_repr=str(e)[:200],
            changes={"receipt_number": ["", e.receipt_number]},
        ))
    LedgerEntry.objects.bulk_update(list(latest.values()), ["receipt_number"])
    audit.record_many(entries)
    return len(latest)


@transaction.atomic(durable=True)
def record_payment(*, actor, branch: Organisation, person: Person, month: dt.date, amount: Decimal,
                   paid_on: dt.date, method: str = Method.CASH, receipt_number: str = "", note: str = "") -> list[LedgerEntry]:
    return _record_payments(actor=actor, branch=branch, month=month, paid_on=paid_on,
                           rows=[SheetRow(person, amount, method, receipt_number, note)])


@transaction.atomic(durable=True)
def reverse_entry(**kwargs) -> LedgerEntry:
    """The entry point of `_reverse_entry` (shared with the other services of this module): one transaction."""
    return _reverse_entry(**kwargs)


def _reverse_entry(*, actor, branch: Organisation, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """A correction is a reversing entry (negated amounts), never an edit in place. Allowed in a
    closed month: it is how a closed month changes."""
    entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.branch_id != branch.pk:
        raise ValidationError("只能冲正本支部的记录")
    if entry.reverses_id is not None:
        raise ValidationError("冲正记录本身不能再冲正", code="reversal")
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError("该记录已冲正", code="reversed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写冲正原因")
    seq = LedgerEntry.objects.filter(person_id=entry.person_id, month=entry.month).count() + 1
    user = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                person_id=entry.person_id, branch=branch, month=entry.month, amount_due=-entry.amount_due,
                amount_paid=-entry.amount_paid, paid_on=clock.today(), method=entry.method, receipt_number=entry.receipt_number,
                kind=EntryKind.REVERSAL, seq=seq, reverses=entry, note=f"冲正：{reason}"[:200], created_by=user,
            )
    except IntegrityError as exc:
        raise ValidationError("该记录刚刚已由另一次提交冲正或更改，请刷新页面查看。", code="duplicate") from exc
    audit.record(actor=actor, action="reverse", obj=reversal, organisation=branch,
                 changes={**audit.diff({}, audit.snapshot(reversal, ENTRY_FIELDS)), "reason": reason})
    return reversal


@transaction.atomic(durable=True)
def correct_entry(*, actor, branch: Organisation, entry: LedgerEntry, reason: str, amount: Decimal | None = None,
                  method: str | None = None, receipt_number: str | None = None, paid_on: dt.date | None = None) -> tuple[LedgerEntry, LedgerEntry | None]:
    """Reverse `entry` and, if `amount` is given, record the right payment for the same month."""
    reversal = _reverse_entry(actor=actor, branch=branch, entry=entry, reason=reason)
    replacement = None
    if amount is not None:
        replacement = _record_payments(
            actor=actor, branch=branch, month=entry.month, paid_on=paid_on or entry.paid_on, correcting=True,
            rows=[SheetRow(entry.person, amount, method or entry.method,
                           entry.receipt_number if receipt_number is None else receipt_number, f"更正第{entry.pk}号记录")],
        )[0]
    return reversal, replacement


# ---------------------------------------------------------------------------------------------
# remittance


@transaction.atomic(durable=True)
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


@transaction.atomic(durable=True)
def record_export(*, actor, branch: Organisation, what: str, count: int) -> None:
    """Exports carry salaries and payments: audited like the roster export."""
    audit.record(actor=actor, action="export", object_type="dues.Export", object_repr=f"{branch} {what}",
                 organisation=branch, changes={"rows": count})


# ---------------------------------------------------------------------------------------------
# 自愿多交党费 (中组发〔2008〕3号 第11条)

VOLUNTARY_FIELDS = ("person_id", "branch_id", "amount", "paid_on", "receipt_number", "to_centre", "note")


@transaction.atomic(durable=True)
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
    that_day = list(VoluntaryPayment.objects.filter(person=person, paid_on=paid_on)
                    .values_list("amount", "reverses_id", "reversed_by"))
    if any(a == amount and rev is None and by is None for a, rev, by in that_day):
        raise ValidationError({"amount": ValidationError(
            f"{person.name}{paid_on:%-m月%-d日}的{amount}元自愿多交党费已经登记，没有重复登记（如确为同日两笔，请合并为一笔登记）",
            code="duplicate")})
    try:
        with transaction.atomic():
            v = VoluntaryPayment.objects.create(
                person=person, branch=branch, amount=amount, paid_on=paid_on, receipt_number=(receipt_number or "").strip(),
                to_centre=rules.goes_wholly_to_centre(amount), note=(note or "").strip(), seq=len(that_day) + 1,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ValidationError("这笔自愿多交党费刚刚已由另一次提交登记，没有重复登记。请刷新页面查看。", code="duplicate") from exc
    audit.record(actor=actor, action="create", obj=v, organisation=branch,
                 object_repr=f"{person.name} 自愿多交党费 {amount} 元" + (" 全额上缴中央" if v.to_centre else ""),
                 changes=audit.diff({}, audit.snapshot(v, VOLUNTARY_FIELDS)))
    return v


@transaction.atomic(durable=True)
def reverse_voluntary(*, actor, branch: Organisation, payment: VoluntaryPayment, reason: str) -> VoluntaryPayment:
    """Reverse a voluntary payment like a ledger entry: a row with the negated amount and the same
    全额上缴中央 flag; the original stays. Totals (the page, the remittance, the district) net out."""
    payment = VoluntaryPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.branch_id != branch.pk:
        raise ValidationError("只能冲正本支部的记录")
    if payment.reverses_id is not None:
        raise ValidationError("冲正记录本身不能再冲正", code="reversal")
    if VoluntaryPayment.objects.filter(reverses=payment).exists():
        raise ValidationError("该记录已冲正", code="reversed")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写冲正原因"})
    today = clock.today()
    seq = VoluntaryPayment.objects.filter(person_id=payment.person_id, paid_on=today).count() + 1
    try:
        with transaction.atomic():
            reversal = VoluntaryPayment.objects.create(
                person_id=payment.person_id, branch=branch, amount=-payment.amount, paid_on=today,
                receipt_number=payment.receipt_number, to_centre=payment.to_centre, reverses=payment, seq=seq,
                note=f"冲正：{reason}"[:200], created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ValidationError("该记录刚刚已由另一次提交冲正，请刷新页面查看。", code="duplicate") from exc
    audit.record(actor=actor, action="reverse", obj=reversal, organisation=branch,
                 changes={**audit.diff({}, audit.snapshot(reversal, VOLUNTARY_FIELDS + ("reverses_id",))), "reason": reason})
    return reversal


# ---------------------------------------------------------------------------------------------
# 结账 (closing a month)


@transaction.atomic(durable=True)
def close_month(*, actor, branch: Organisation, month: dt.date, note: str = "") -> MonthClosing:
    """Close a month (结账): from now on its entries change only by reversal (a correction's
    replacement and a 补交 paid in a later month still go in). The figures at closing are kept for
    the signed 党费收缴登记表."""
    from zhibu.dues import selectors

    month = rules.add_months(month, 0)
    if month > rules.add_months(clock.today(), 0):
        raise ValidationError("不能为尚未到来的月份结账", code="future")
    if MonthClosing.objects.filter(branch=branch, month=month).exists():
        raise ValidationError(f"{month:%Y年%-m月}已经结账", code="closed")
    figures = selectors.month_close(branch, month).branches.get(branch.pk) or selectors.BranchMonth(branch.pk)
    try:
        with transaction.atomic():
            closing = MonthClosing.objects.create(
                branch=branch, month=month, members=figures.owing, paid=figures.paid, due_total=figures.due_total,
                collected=max(figures.collected, Decimal("0.00")), note=(note or "").strip()[:200], closed_at=clock.now(),
                closed_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{month:%Y年%-m月}已经结账", code="closed") from exc
    audit.record(actor=actor, action="create", obj=closing, organisation=branch,
                 object_repr=f"{branch.name} {month:%Y年%-m月}党费结账",
                 changes=audit.diff({}, audit.snapshot(closing, ("month", "members", "paid", "due_total", "collected", "note"))))
    return closing


# ---------------------------------------------------------------------------------------------
# overpayment from a wrong base (rules2 §10: credit to later months or refund, with the approval)


@transaction.atomic(durable=True)
def settle_overpayment(*, actor, branch: Organisation, person: Person, mode: str, approval: str,
                       upto: dt.date | None = None, credit_from: dt.date | None = None) -> list[LedgerEntry]:
    """Correct what a member paid above the due of their (corrected) profile, up to `upto`: each
    overpaid month gets an EXCESS row (negative, amount_due lowered alike, the approval named); the
    sum is refunded (`mode="refund"`) or credited (`mode="credit"`) to the months from `credit_from`
    (default: the month after the last overpaid one) that still owe, oldest first, each up to its due; what is left
    after the last month credited is refunded. The ledger only grows: nothing is edited."""
    from zhibu.dues import selectors

    _check_member(person, branch)
    approval = (approval or "").strip()
    if not approval:
        raise ValidationError({"approval": ValidationError("多交党费的退还或抵扣须经批准：请填写批准人或批准文件", code="approval")})
    if mode not in ("credit", "refund"):
        raise ValidationError({"mode": "请选择抵扣后续月份或退还"})
    today = clock.today()
    upto = rules.add_months(upto or today, 0)
    overpaid = selectors.overpaid_months(person, upto)
    if not overpaid:
        raise ValidationError("没有多交的月份：实交均未超过现行基数计算的应交额", code="nothing")
    total = sum((excess for *_rest, excess in overpaid), Decimal("0.00"))
    credit: list[tuple[dt.date, Decimal]] = []
    record_due: dict[dt.date, Decimal] = {}
    if mode == "credit":
        start = rules.add_months(credit_from or rules.add_months(max(m for m, *_rest in overpaid), 1), 0)
        months = [rules.add_months(start, i) for i in range(12)]
        profiles = _profiles_for([person.pk], months)
        states = _month_states([person.pk], months)
        owed = []
        for m in months:
            p = profiles[(person.pk, m)]
            if p is None:
                continue
            st = states[(person.pk, m)]
            # A month with a live payment is topped up (its due is already recorded); else it records its due.
            record_due[m] = Decimal("0.00") if st.live else _due_of(p)
            owed_here = st.owed if st.live else record_due[m]
            if owed_here > 0:
                owed.append((m, owed_here))
        credit, _left = rules.allocate_oldest_first(owed, total)
    refund = total - sum((a for _m, a in credit), Decimal("0.00"))
    note = f"多交{'抵扣后续月份' if mode == 'credit' else '退还'}（批准：{approval}）"[:200]
    seq_states = _month_states([person.pk], [m for m, *_ in overpaid] + [m for m, _a in credit])
    seq_used: dict = {}
    entries = []
    method = Method.CREDIT if mode == "credit" else Method.REFUND
    for m, _due, _net, excess in overpaid:
        # The due as recorded drops with the paid amount: the month is then paid exactly its due.
        entries.append(LedgerEntry(person=person, branch=branch, month=m, kind=EntryKind.EXCESS, amount_due=-excess,
                                   amount_paid=-excess, paid_on=today, method=method, approval=approval[:200], note=note,
                                   seq=_next_seq(seq_states, seq_used, person.pk, m)))
    if credit and refund > 0:
        # Part is credited, part refunded: say so on every excess row.
        for e in entries:
            e.note = f"多交{total}元：抵扣后续月份{total - refund}元，退还{refund}元（批准：{approval}）"[:200]
    for m, amount in credit:
        entries.append(LedgerEntry(person=person, branch=branch, month=m, kind=EntryKind.CREDIT, amount_due=record_due[m],
                                   amount_paid=amount, paid_on=today, method=Method.CREDIT, approval=approval[:200],
                                   note=note, seq=_next_seq(seq_states, seq_used, person.pk, m)))
    return _save_entries(entries, actor)


# ---------------------------------------------------------------------------------------------
# payroll import: every attempt audited


@transaction.atomic(durable=True)
def record_import_attempt(*, actor, branch: Organisation, rows: int, errors: int, written: bool, by_id: bool) -> None:
    """Every payroll import is audited with its row count, whether it wrote or not (who tried what
    shows in the log, e.g. someone probing ID numbers)."""
    audit.record(actor=actor, action="import", object_type="dues.Payroll", organisation=branch,
                 object_repr=f"{branch} 党费基数导入" + ("" if written else "（未写入）"),
                 changes={"rows": rows, "errors": errors, "written": written, "matched_by_id": by_id})
