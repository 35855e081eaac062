"""Demo 党费: a profile for every member (realistic bases: in service 3000–12000 元 after tax,
retired 2500–8000 元 pension, some raises from July), and the ledger of the demo year up to the
current month — most pay on time, some late (补交), a few drift into arrears. Bulk inserts only.

What the pages need to show, as far as dues is concerned (`_showcase`): a member transferred out and
one transferred in (with the letter's 党费交至) in the first branch; 自愿多交党费 (one of 1000 元 or
more, wholly to the Centre, and one reversed); a cancelled entry (reversed, nothing re-recorded) and a
corrected one (reversed and re-recorded); a 少交 month; the first four branches in each warning state
(none, 3, 5 and 6 consecutive unpaid months — the last one a warning to the committee, never an
automatic removal)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from zhibu.core import bulk, clock
from zhibu.dues import rules
from zhibu.dues.models import Adjustment, Category, DuesBase, EntryKind, LedgerEntry, Method, VoluntaryPayment
from zhibu.orgs.models import MEMBER_STANDINGS, Employment, Transfer, TransferDirection

PROFILE_COLUMNS = ("person", "category", "base", "effective_month", "verified_on", "adjustment", "approval_note", "created_at")
ENTRY_COLUMNS = ("person", "branch", "month", "amount_due", "amount_paid", "paid_on", "method", "receipt_number", "note", "created_at",
                 "kind", "seq", "approval")
# The first branches' unpaid streaks (months up to last month): none, 3 (warning), 5 (escalate), 6 (lapsed).
STREAKS = (0, 3, 5, 6)


def _insert(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk insert of plain tuples (~30,000 profiles and ~250,000 ledger rows for the 1000-branch
    demo): one prepared INSERT run over all rows (executemany). bulk_create would split them into
    thousands of statements (SQLite allows 999 parameters per statement, ~90 rows) and prepare every
    value through the model fields, which takes several times longer. Values are already in database
    form (ISO dates, decimal strings). Demo data only; the app writes through services."""
    qn = connection.ops.quote_name
    bulk.insert_rows(qn(model._meta.db_table), [qn(model._meta.get_field(name).column) for name in names], rows)


def _money(rng, low: int, high: int) -> Decimal:
    """A random amount in [low, high] yuan, to the fen, without going through float."""
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def generate(ctx) -> None:
    rng = ctx.rng
    year = ctx.year
    today = clock.today()
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    jan = dt.date(year, 1, 1)
    profiles: list[tuple] = []
    entries: list[tuple] = []
    created_at = LedgerEntry._meta.get_field("created_at").get_db_prep_value(clock.now(), connection)
    due_cache: dict[tuple, Decimal] = {}

    def due_of(category, base) -> Decimal:
        key = (category, base)
        amount = due_cache.get(key)
        if amount is None:
            amount = due_cache[key] = rules.monthly_due(category=category, base=base).amount
        return amount

    moves = _transfers(ctx, last_month) if last_month >= 5 else {}
    for b_index, branch in enumerate(ctx.branches):
        seq = 0
        streak_person = None
        if b_index < len(STREAKS) and STREAKS[b_index] and last_month > STREAKS[b_index]:
            streak_person = next((p for p in ctx.people.get(branch.pk, []) if p.standing in MEMBER_STANDINGS
                                  and p.user_id is None and p.pk not in moves and (p.admitted_on is None or p.admitted_on.year < year)), None)
        for person in ctx.people.get(branch.pk, []):
            if person.standing not in MEMBER_STANDINGS:
                continue
            first_month, end_month = 1, last_month + 1  # months this branch collects: the transfers cut them
            move = moves.get(person.pk)
            if move is not None and move.direction == TransferDirection.IN:
                first_month = move.dues_paid_to.month + 1
            elif move is not None:
                end_month = move.date.month
            start = jan
            if person.admitted_on is not None:
                start = max(jan, rules.pays_from(person.admitted_on))
            if person.employment == Employment.RETIRED:
                category, base = Category.RETIRED, _money(rng, 2500, 8000)
            else:
                category, base = Category.IN_SERVICE, _money(rng, 3000, 12000)
            verified = start + dt.timedelta(days=rng.randint(0, 20))
            profiles.append((person.pk, category, str(base), start.isoformat(), verified.isoformat(), Adjustment.NONE, "", created_at))
            raise_month = None
            new_base = base
            if category == Category.IN_SERVICE and rng.random() < 0.2 and last_month >= 7:
                raise_month = dt.date(year, 7, 1)
                new_base = min(Decimal("12000.00"), base + _money(rng, 100, 800))
                profiles.append((person.pk, category, str(new_base), raise_month.isoformat(),
                                 (raise_month + dt.timedelta(days=rng.randint(0, 20))).isoformat(), Adjustment.NONE, "", created_at))
            # ~2% stop paying some months before the end: the arrears list and the reminders have work
            # (not in the first branches, whose states are fixed below).
            stop_at = None
            if rng.random() < 0.02 and last_month >= 3 and b_index >= len(STREAKS):
                stop_at = max(start.month, last_month - rng.randint(2, 7))
            if person is streak_person:
                stop_at = last_month - STREAKS[b_index]
            for m in range(max(first_month, start.month if start.year == year else 1), end_month):
                month = dt.date(year, m, 1)
                if stop_at is not None and m >= stop_at:
                    break
                current = m == last_month and year == today.year
                if current and (today.day < 10 or rng.random() < 0.3):
                    continue  # the current month is still being collected
                if not current and rng.random() < 0.01 and b_index >= len(STREAKS):
                    continue  # an isolated missed month
                b = new_base if raise_month is not None and month >= raise_month else base
                due = due_of(category, b)
                late = rng.random() < 0.05 and m < last_month
                if late:
                    paid_on = dt.date(year, m + 1, rng.randint(1, 28))
                    method = Method.LATE
                else:
                    paid_on = dt.date(year, m, rng.randint(1, 28 if not current else max(1, min(28, today.day))))
                    method = Method.TRANSFER if rng.random() < 0.4 else Method.CASH
                if paid_on > today:
                    paid_on = today
                seq += 1
                entries.append((person.pk, branch.pk, month.isoformat(), str(due), str(due), paid_on.isoformat(), method,
                                f"{year % 100:02d}{m:02d}-{seq:04d}", "", created_at, EntryKind.PAYMENT, 1, ""))
    _insert(DuesBase, PROFILE_COLUMNS, profiles)
    _insert(LedgerEntry, ENTRY_COLUMNS, entries)
    extra = _showcase(ctx, last_month, today) if last_month >= 5 else 0
    ctx.say(f"  党费: {len(profiles)} 条基数, {len(entries) + extra} 条交纳记录, {len(moves)} 人组织关系接转")


def _transfers(ctx, last_month: int) -> dict[int, Transfer]:
    """In the first branch: one member transferred out last month (dues paid to the month before) and
    one who arrived in March with the letter's 党费交至 February. Returns {person id: transfer}."""
    year = ctx.year
    branch = ctx.branches[0]
    candidates = [p for p in ctx.people.get(branch.pk, []) if p.standing in MEMBER_STANDINGS and p.user_id is None
                  and (p.admitted_on is None or p.admitted_on.year < year)]
    if len(candidates) < 4:
        return {}
    leaver, arrival = candidates[-1], candidates[-2]
    left_on = dt.date(year, last_month - 1, 15)
    out = Transfer.objects.create(person=leaver, branch=branch, direction=TransferDirection.OUT, date=left_on,
                                  other_org="示范区城北小学党支部", letter_number=f"{year}-转出-01",
                                  dues_paid_to=dt.date(year, last_month - 2, 1), note="演示:工作调动")
    type(leaver).objects.filter(pk=leaver.pk).update(active=False, left_on=left_on)
    leaver.active, leaver.left_on = False, left_on
    came = Transfer.objects.create(person=arrival, branch=branch, direction=TransferDirection.IN, date=dt.date(year, 3, 5),
                                   other_org="示范区城南中学党支部", letter_number=f"{year}-转入-01",
                                   dues_paid_to=dt.date(year, 2, 1), note="演示:工作调动")
    return {leaver.pk: out, arrival.pk: came}


def _showcase(ctx, last_month: int, today: dt.date) -> int:
    """The first branch's corrected and cancelled entries and a 少交 month; voluntary payments (one
    ≥1000 元, wholly to the Centre; one reversed). Returns how many ledger rows were added."""
    year = ctx.year
    branch = ctx.branches[0]
    month = dt.date(year, last_month - 2, 1)
    rows = list(LedgerEntry.objects.filter(branch=branch, month=month, kind=EntryKind.PAYMENT, person__user__isnull=True)
                .order_by("person_id")[:3])
    added = 0
    if len(rows) == 3:
        corrected, cancelled, short = rows
        when = dt.date(year, last_month - 1, 3)
        # Corrected: the amount was typed wrong (a reversal, then the right amount).
        LedgerEntry.objects.create(person_id=corrected.person_id, branch=branch, month=month, amount_due=-corrected.amount_due,
                                   amount_paid=-corrected.amount_paid, paid_on=when, method=corrected.method, kind=EntryKind.REVERSAL,
                                   seq=2, reverses=corrected, receipt_number=corrected.receipt_number, note="冲正：收据号与金额录入有误")
        LedgerEntry.objects.create(person_id=corrected.person_id, branch=branch, month=month, amount_due=corrected.amount_due,
                                   amount_paid=corrected.amount_paid, paid_on=corrected.paid_on, method=corrected.method,
                                   seq=3, receipt_number=f"{corrected.receipt_number}-更正", note=f"更正第{corrected.pk}号记录")
        # Cancelled: recorded for the wrong member; reversed, nothing re-recorded (the month is owed again).
        LedgerEntry.objects.create(person_id=cancelled.person_id, branch=branch, month=month, amount_due=-cancelled.amount_due,
                                   amount_paid=-cancelled.amount_paid, paid_on=when, method=cancelled.method, kind=EntryKind.REVERSAL,
                                   seq=2, reverses=cancelled, note="冲正：误记在该党员名下，作废")
        # 少交: half of it reversed and re-recorded as what was actually handed in.
        half = (short.amount_paid / 2).quantize(Decimal("0.01"))
        LedgerEntry.objects.create(person_id=short.person_id, branch=branch, month=month, amount_due=-short.amount_due,
                                   amount_paid=-short.amount_paid, paid_on=when, method=short.method, kind=EntryKind.REVERSAL,
                                   seq=2, reverses=short, note="冲正：实收金额不足")
        LedgerEntry.objects.create(person_id=short.person_id, branch=branch, month=month, amount_due=short.amount_due,
                                   amount_paid=half, paid_on=short.paid_on, method=short.method, seq=3, note="少交，余额待补交")
        added = 6
    members = [p for b in ctx.branches[:3] for p in ctx.people.get(b.pk, []) if p.standing in MEMBER_STANDINGS and p.active]
    if len(members) >= 4:
        day = min(today, dt.date(year, last_month - 1, 20))
        big = VoluntaryPayment.objects.create(person=members[0], branch_id=members[0].branch_id, amount=Decimal("1000.00"),
                                              paid_on=day, to_centre=True, receipt_number=f"ZY{year}-001", note="演示:自愿多交")
        VoluntaryPayment.objects.create(person=members[1], branch_id=members[1].branch_id, amount=Decimal("200.00"),
                                        paid_on=day, receipt_number=f"ZY{year}-002", note="演示:自愿多交")
        wrong = VoluntaryPayment.objects.create(person=members[2], branch_id=members[2].branch_id, amount=Decimal("500.00"),
                                                paid_on=dt.date(year, last_month - 2, 10), receipt_number=f"ZY{year}-003")
        VoluntaryPayment.objects.create(person=members[2], branch_id=members[2].branch_id, amount=Decimal("-500.00"),
                                        paid_on=day, reverses=wrong, seq=1 if day != wrong.paid_on else 2,
                                        receipt_number=wrong.receipt_number, note="冲正：应为按月党费，误记为自愿多交")
        VoluntaryPayment.objects.create(person=members[3], branch_id=members[3].branch_id, amount=Decimal("50.00"),
                                        paid_on=dt.date(year, last_month - 1, 1), note="演示:自愿多交")
        assert big.to_centre
    return added
