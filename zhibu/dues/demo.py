"""Demo 党费: a profile for every member (realistic bases: in service 3000–12000 元 after tax,
retired 2500–8000 元 pension, some raises from July), and the ledger of the demo year up to the
current month — most pay on time, some late (补交), a few drift into arrears. Bulk inserts only."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from zhibu.core import clock
from zhibu.dues import rules
from zhibu.dues.models import Adjustment, Category, DuesBase, LedgerEntry, Method
from zhibu.orgs.models import MEMBER_STANDINGS, Employment

PROFILE_COLUMNS = ("person", "category", "base", "effective_month", "verified_on", "adjustment", "approval_note", "created_at")
ENTRY_COLUMNS = ("person", "branch", "month", "amount_due", "amount_paid", "paid_on", "method", "receipt_number", "note", "created_at")


def _insert(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk insert of plain tuples (~30,000 profiles and ~250,000 ledger rows for the 1000-branch
    demo): one prepared INSERT run over all rows (executemany). bulk_create would split them into
    thousands of statements (SQLite allows 999 parameters per statement, ~90 rows) and prepare every
    value through the model fields, which takes several times longer. Values are already in database
    form (ISO dates, decimal strings). Demo data only; the app writes through services."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in names)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[i:i + 50_000])


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

    for branch in ctx.branches:
        seq = 0
        for person in ctx.people.get(branch.pk, []):
            if person.standing not in MEMBER_STANDINGS:
                continue
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
            # ~2% stop paying some months before the end: the arrears list and the reminders have work.
            stop_at = None
            if rng.random() < 0.02 and last_month >= 3:
                stop_at = max(start.month, last_month - rng.randint(2, 7))
            for m in range(start.month if start.year == year else 1, last_month + 1):
                month = dt.date(year, m, 1)
                if stop_at is not None and m >= stop_at:
                    break
                current = m == last_month and year == today.year
                if current and (today.day < 10 or rng.random() < 0.3):
                    continue  # the current month is still being collected
                if not current and rng.random() < 0.01:
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
                                f"{year % 100:02d}{m:02d}-{seq:04d}", "", created_at))
    _insert(DuesBase, PROFILE_COLUMNS, profiles)
    _insert(LedgerEntry, ENTRY_COLUMNS, entries)
    ctx.say(f"  党费: {len(profiles)} 条基数, {len(entries)} 条交纳记录")
