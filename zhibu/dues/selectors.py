"""Reads about 党费. Every function here runs a fixed number of queries, whatever the number of
members, branches or ledger entries.

The heart is `month_close`: for one month and every member below an organisation (a branch, or the
whole district) it computes the due amount (from the profile in force that month, through
`rules.monthly_due`), what was paid, and the consecutive unpaid months — in four queries, with the
rest in one pass of Python over plain tuples (no model instances, no decryption of personal fields).

Definitions (used by the sheet, the arrears list, the statement, the reminders and the district page):
- a member owes dues if they are in the register (`active`) as 预备 or 正式 党员;
- transfers (组织关系接转): a member transferred OUT (`active` False, `left_on`) belongs to the month
  close of every month before the month they left, and to none from that month on (the 介绍信 states
  up to which month they paid; from then on their dues are the new branch's). Their ledger stays:
  what they paid still counts in the collecting branch's total for its month, and their statement
  still shows. A member transferred IN owes from the month after the letter's 党费交至 month
  (`Transfer.dues_paid_to`; without it, from the month they arrived): earlier months were paid at
  the old branch — never arrears, not owing here, shown as 「原支部已交」;
- the profile in force for a month is the latest DuesBase with effective_month <= that month (第10条);
- a month is paid when it has a payment entry that has not been reversed; paid below its due it is
  少交 and the rest stays owed;
- the 待补交 ledger of a member: every month up to the cut-off (`arrears_cutoff`: the last month that
  is over) that still owes, with the amount; the arrears list, the member page, the branch home panel
  and the district pages all read it from `month_close` with that one cut-off. The unpaid streak
  (consecutive months without any payment, counting back from the cut-off) is what the 第13条 /
  党章 第九条 warnings count;
- arrears are counted from the member's first profile month (when they entered this ledger), and
  also not before the month of their admission (第8条); a member without a profile is listed as
  「未核定基数」 and has no arrears counted; months under an approved exemption break a streak.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BigIntegerField, F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from zhibu.core import clock
from zhibu.dues import rules
from zhibu.dues.models import Adjustment, DuesBase, EntryKind, LedgerEntry, MonthClosing, Remittance, VoluntaryPayment
from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, OrgKind, Person, Transfer, TransferDirection

ZERO = Decimal("0.00")


@dataclass(slots=True)
class MemberMonth:
    person_id: int
    branch_id: int
    name: str
    standing: str
    category: str | None  # None: no profile in force
    base: Decimal | None
    adjustment: str
    due: Decimal | None  # None: no profile in force, the due is unknown
    paid: Decimal  # net of reversals
    arrears: int  # consecutive unpaid months up to the arrears month
    first_unpaid: dt.date | None
    verified_on: dt.date | None = None
    profile_month: dt.date | None = None
    # 组织关系接转: the month (1st day) up to which the member paid at the old branch (转入), when known;
    # `elsewhere` is True when this close's month is covered by it (nothing owed here);
    # `left_on`: the day a member who transferred out left (their row is history, not collectable).
    paid_elsewhere_to: dt.date | None = None
    elsewhere: bool = False
    left_on: dt.date | None = None
    # 待补交: every month up to the cut-off that still owes something, oldest first, with what it owes
    # (the whole due when unpaid, the rest when paid short). Months stay here after a later month is paid.
    owed: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    @property
    def owed_total(self) -> Decimal:
        return sum((amount for _m, amount in self.owed), ZERO)

    @property
    def owed_oldest(self) -> dt.date | None:
        return self.owed[0][0] if self.owed else None

    @property
    def status(self) -> str:
        return rules.payment_status(self.due, self.paid)

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS[self.status]

    @property
    def has_profile(self) -> bool:
        return self.category is not None

    @property
    def owes(self) -> bool:
        return self.due is not None and self.due > 0 and not self.elsewhere

    @property
    def is_paid(self) -> bool:
        return self.paid > 0

    @property
    def shortfall(self) -> Decimal:
        if self.paid <= 0:
            return ZERO
        return rules.owed_in_month(self.due, self.paid)

    @property
    def level(self) -> str:
        return rules.arrears_level(self.arrears)

    @property
    def level_label(self) -> str:
        threshold = rules.arrears_threshold(self.arrears)
        return threshold.label if threshold else ""

    @property
    def category_label(self) -> str:
        return rules.CATEGORY_LABELS.get(self.category, "未核定基数") if self.category else "未核定基数"


@dataclass
class BranchMonth:
    branch_id: int
    name: str = ""
    members: int = 0
    owing: int = 0  # members with a due > 0
    paid: int = 0  # of those, how many paid
    due_total: Decimal = ZERO
    collected: Decimal = ZERO
    no_profile: int = 0
    # Members whose unpaid streak reached each level of rules.ARREARS_THRESHOLDS (3, 5, 6 months):
    # warning counts all three, escalate the last two, lapsed the last.
    warning: int = 0
    escalate: int = 0
    lapsed: int = 0
    owed_people: int = 0  # members with anything in their 待补交 ledger
    owed_total: Decimal = ZERO  # what those ledgers add up to
    remitted: Decimal | None = None
    voluntary: Decimal = ZERO  # 自愿多交党费 (district summary only; never part of due/collected)
    voluntary_to_centre: Decimal = ZERO  # of it, single payments ≥1000 元 wholly to the Centre (第11条)

    @property
    def rate(self) -> Decimal | None:
        """Collection rate in percent (paid / owing), one decimal, or None if nobody owes."""
        if not self.owing:
            return None
        return rules.round_fen(Decimal(self.paid) * 100 / Decimal(self.owing)).quantize(Decimal("0.1"))

    @property
    def outstanding(self) -> Decimal:
        return max(ZERO, self.due_total - self.collected)

    @property
    def in_arrears(self) -> int:
        return self.warning

    def count_level(self, level: str) -> None:
        """Count a member's streak level (rules.arrears_level) in the level counters."""
        rank = rules.ARREARS_LEVELS.index(level)
        self.warning += rank >= 1
        self.escalate += rank >= 2
        self.lapsed += rank >= 3


@dataclass
class MonthClose:
    month: dt.date
    arrears_upto: dt.date
    rows: list[MemberMonth]
    branches: dict[int, BranchMonth] = field(default_factory=dict)

    @property
    def total(self) -> BranchMonth:
        t = BranchMonth(branch_id=0, name="合计")
        for b in self.branches.values():
            t.members += b.members
            t.owing += b.owing
            t.paid += b.paid
            t.due_total += b.due_total
            t.collected += b.collected
            t.no_profile += b.no_profile
            t.warning += b.warning
            t.escalate += b.escalate
            t.lapsed += b.lapsed
            t.owed_people += b.owed_people
            t.owed_total += b.owed_total
            t.voluntary += b.voluntary
            t.voluntary_to_centre += b.voluntary_to_centre
        return t

    def arrears_rows(self, minimum: int = 1) -> list[MemberMonth]:
        return sorted((r for r in self.rows if r.arrears >= minimum), key=lambda r: (-r.arrears, r.name, r.person_id))

    def owed_rows(self) -> list[MemberMonth]:
        """Members with a 待补交 ledger, the longest unpaid streak first, then the most owed."""
        return sorted((r for r in self.rows if r.owed), key=lambda r: (-r.arrears, -len(r.owed), r.name, r.person_id))


def _subtree_people(org: Organisation | None, branch_ids=None, prefix: str = "", month: dt.date | None = None) -> Q:
    """Members below `org`: those in the register, and with `month`, also those who transferred out
    after that month (they were still members here all through it)."""
    q = Q(**{f"{prefix}standing__in": list(MEMBER_STANDINGS)})
    if month is None:
        q &= Q(**{f"{prefix}active": True})
    else:
        q &= Q(**{f"{prefix}active": True}) | Q(**{f"{prefix}left_on__gte": rules.add_months(month, 1)})
    if org is not None:
        if org.kind == OrgKind.BRANCH:
            q &= Q(**{f"{prefix}branch_id": org.pk})
        else:
            q &= Q(**{f"{prefix}branch__path__startswith": org.path})
    if branch_ids is not None:
        q &= Q(**{f"{prefix}branch_id__in": list(branch_ids)})
    return q


def _transfer_in_annotations(*, then: bool = False) -> dict:
    """The latest 转入 of each person as two correlated subqueries (no extra query): the letter's 党费交至
    month and the day they arrived; with `then`, the latest 转入 into the branch they belonged to that
    month (the `branch_then` annotation, see `_branch_then`)."""
    latest = Transfer.objects.filter(person=OuterRef("pk"), direction=TransferDirection.IN)
    if then:
        latest = latest.filter(branch_id=OuterRef("branch_then"))
    latest = latest.order_by("-date", "-id")
    return {"in_paid_to": Subquery(latest.values("dues_paid_to")[:1]), "in_date": Subquery(latest.values("date")[:1])}


def _branch_then(month: dt.date):
    """The branch a person belonged to during `month`: a move within the district (zhibu.membership)
    keeps the Person row and changes its branch, so the month's branch is the one of their first 转出
    after the month, else their branch now."""
    moved = (Transfer.objects.filter(person=OuterRef("pk"), direction=TransferDirection.OUT,
                                     date__gte=rules.add_months(month, 1)).order_by("date", "id"))
    return Coalesce(Subquery(moved.values("branch_id")[:1]), F("branch_id"), output_field=IntegerField())


def owes_from_index(in_paid_to: dt.date | None, in_date: dt.date | None) -> int | None:
    """The first month (index) a transferred-in member owes at the new branch: the month after the
    letter's 党费交至, or without it the month they arrived; None if they never transferred in."""
    if in_paid_to is not None:
        return rules.month_index(in_paid_to) + 1
    if in_date is not None:
        return rules.month_index(in_date)
    return None


def _profiles_by_person(rows) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = defaultdict(list)
    for r in rows:
        out[r[0]].append(r)
    return out


def _location(org: Organisation | None, branch_ids=None, prefix: str = "") -> Q:
    q = Q()
    if org is not None:
        q &= Q(**{f"{prefix}branch_id": org.pk}) if org.kind == OrgKind.BRANCH else Q(**{f"{prefix}branch__path__startswith": org.path})
    if branch_ids is not None:
        q &= Q(**{f"{prefix}branch_id__in": list(branch_ids)})
    return q


class MonthIndex(Func):
    """A date column's month as one integer, year × 12 + month − 1 (`rules.month_index` in SQL), with
    the database's own functions (no per-row Python callback on SQLite)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12 + CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)"
        ), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)"
        ), **extra)


class Bit(Func):
    """2 ** (expression), as a 64-bit integer: one bit per month of the 待补交 window."""

    template = "(CAST(1 AS BIGINT) << (%(expressions)s))"
    output_field = BigIntegerField()


PERSON_FIELDS = ("id", "branch_then", "name", "standing", "admitted_on", "left_on", "in_paid_to", "in_date")
PROFILE_FIELDS = ("person_id", "effective_month", "category", "base", "farmer_amount", "adjustment", "reduction", "verified_on")
LIVE_PAYMENT = Q(kind__in=[EntryKind.PAYMENT, EntryKind.CREDIT], reversed_by__isnull=True)


def _due_of(profile, cache: dict) -> Decimal:
    """The monthly due of a profile row (named tuple), through `rules.monthly_due`, cached by terms."""
    key = (profile.category, profile.base, profile.farmer_amount, profile.adjustment, profile.reduction)
    due = cache.get(key)
    if due is None:
        due = cache[key] = rules.monthly_due(
            category=profile.category, base=profile.base, farmer_amount=profile.farmer_amount,
            reduction=profile.reduction if profile.adjustment == Adjustment.REDUCTION else None,
            exempt=profile.adjustment == Adjustment.EXEMPTION,
        ).amount
    return due


def _in_force(history, idx: int):
    """The profile in force in month index `idx` from a history ordered by effective_month."""
    current = None
    for h in history:
        if rules.month_index(h.effective_month) <= idx:
            current = h
        else:
            break
    return current


def _exempt_months(history, last: int) -> set[int]:
    """Month indexes under an approved exemption (第7条): nothing was owed, a streak stops there."""
    exempt: set[int] = set()
    for i, h in enumerate(history):
        if h.adjustment == Adjustment.EXEMPTION:
            end = rules.month_index(history[i + 1].effective_month) - 1 if i + 1 < len(history) else last
            exempt.update(range(rules.month_index(h.effective_month), end + 1))
    return exempt


def arrears_cutoff(month: dt.date, today: dt.date) -> dt.date:
    """The one cut-off every page reads the 待补交 ledger with: months up to the last one that is over.
    The current month is still being collected (so last month); a past month viewed, that month."""
    return min(rules.add_months(month, 0), rules.add_months(today, -1))


def month_close(org: Organisation | None, month: dt.date, *, arrears_upto: dt.date | None = None,
                branch_ids=None, person_id: int | None = None) -> MonthClose:
    """Every member's due, payment, unpaid streak and 待补交 ledger for `month` below `org` (None:
    everyone). `arrears_upto`: the last month counted as owed (default `month`; pages pass
    `arrears_cutoff`, the sheet the month before its own).

    Five queries, whatever the number of members or entries:
    1. the members (the latest 转入 letter's 党费交至 and arrival day as correlated subqueries);
    2. their profiles up to the last month needed;
    3. the month's payments per (person, collecting branch), net of reversals;
    4. per member, the last month with a live payment (for the streak) and, as a bit mask, the months
       of the 待补交 window (`rules.OWED_WINDOW_MONTHS` up to the cut-off) with a live payment;
    5. the window's months whose rows add up to less than what was recorded as due (少交), reading
       only the rows whose paid differs from their due.
    A month of the window owes its whole due without a live payment, the rest of the recorded due
    when paid short, nothing otherwise. The rest is one pass of Python over named rows."""
    month = rules.add_months(month, 0)
    upto = rules.add_months(arrears_upto or month, 0)
    month_idx, upto_idx = rules.month_index(month), rules.month_index(upto)
    window_start = upto_idx - rules.OWED_WINDOW_MONTHS + 1
    people_q = _subtree_people(org, branch_ids, month=month)
    related_q = _subtree_people(org, branch_ids, prefix="person__", month=month)
    # Payments count where they were collected (a member who moved within the district keeps them there).
    paid_q = _location(org, branch_ids)
    people_qs = Person.objects.annotate(branch_then=_branch_then(month))
    if (org is not None and org.kind == OrgKind.BRANCH) or branch_ids is not None:
        # Per branch: the people who belonged to it during the month (zhibu.membership moves): those
        # there now or who left it after the month, then by the branch they were in.
        ids = set(branch_ids) if branch_ids is not None else {org.pk}
        if org is not None and org.kind == OrgKind.BRANCH:
            ids &= {org.pk}
        left = Transfer.objects.filter(branch_id__in=ids, direction=TransferDirection.OUT,
                                       date__gte=rules.add_months(month, 1)).values("person_id")
        people_qs = people_qs.filter(_subtree_people(None, month=month), Q(branch_id__in=ids) | Q(pk__in=left),
                                     branch_then__in=ids)
        if org is not None and org.kind != OrgKind.BRANCH:
            people_qs = people_qs.filter(_location(org))
        related_q = Q(person__in=people_qs.values("pk"))
    else:
        people_qs = people_qs.filter(people_q)
    if person_id is not None:
        people_qs = people_qs.filter(pk=person_id)
        related_q &= Q(person_id=person_id)
        paid_q &= Q(person_id=person_id)
    last_month = max(month, upto)

    people = list(  # 1
        people_qs.annotate(**_transfer_in_annotations(then=True)).order_by("name", "id")
        .values_list(*PERSON_FIELDS, named=True)
    )
    profiles: dict[int, list] = defaultdict(list)
    for row in (DuesBase.objects.filter(related_q, effective_month__lte=last_month)  # 2
                .order_by("person_id", "effective_month").values_list(*PROFILE_FIELDS, named=True)):
        profiles[row.person_id].append(row)
    # Every payment for the month by anyone of the subtree, in the register or not: a member who
    # transferred out after paying still counts in the collecting branch's total (the remittance).
    # SQLite sums decimals in floating point: back to exact fen (the stored values are whole fen).
    paid: dict[int, Decimal] = {}
    paid_rows: list[tuple[int, int, Decimal]] = []
    for row in (LedgerEntry.objects.filter(paid_q, month=month).order_by()  # 3
                .values("person_id", "branch_id").annotate(net=Sum("amount_paid"))
                .values_list("person_id", "branch_id", "net", named=True)):
        net = rules.round_fen(row.net)
        paid[row.person_id] = paid.get(row.person_id, ZERO) + net
        paid_rows.append((row.person_id, row.branch_id, net))
    window_from = rules.month_start(window_start)
    live = {
        row.person_id: row for row in  # 4
        LedgerEntry.objects.filter(related_q, LIVE_PAYMENT, month__lte=last_month).order_by().values("person_id")
        .annotate(last=Max("month"), mask=Sum(Bit(MonthIndex("month") - window_start), distinct=True,
                                              filter=Q(month__gte=window_from, month__lte=upto)))
        .values_list("person_id", "last", "mask", named=True)
    }
    # A month's shortfall is the sum of (due − paid) over its rows, and only rows whose paid differs
    # from their due add to it (a short payment, a top-up, their reversals): the few such rows are
    # read, not the whole window.
    short: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (LedgerEntry.objects.filter(related_q, month__gte=window_from, month__lte=upto)  # 5
                .exclude(amount_due=F("amount_paid")).order_by()
                .values("person_id", "month").annotate(gap=Sum(F("amount_due") - F("amount_paid")))
                .filter(gap__gt=0).values_list("person_id", "month", "gap", named=True)):
        gap = rules.round_fen(row.gap)
        if gap > 0:
            short[row.person_id][rules.month_index(row.month)] = gap

    due_cache: dict[tuple, Decimal] = {}
    rows: list[MemberMonth] = []
    branches: dict[int, BranchMonth] = {}
    for person in people:
        b = branches.get(person.branch_then)
        if b is None:
            b = branches[person.branch_then] = BranchMonth(branch_id=person.branch_then)
        b.members += 1
        history = profiles.get(person.id, [])
        current = _in_force(history, month_idx)
        due = _due_of(current, due_cache) if current is not None else None
        owes_from = owes_from_index(person.in_paid_to, person.in_date)
        elsewhere = owes_from is not None and month_idx < owes_from
        net = paid.get(person.id) or ZERO
        arrears, first_unpaid, owed = 0, None, []
        if history:
            # Owed from the first profile month (when the member entered this ledger), not before
            # admission (第8条), nor for months paid at the old branch (转入 letter's 党费交至), nor
            # from the month they left.
            since = rules.month_index(history[0].effective_month)
            if person.admitted_on is not None:
                since = max(since, rules.month_index(person.admitted_on))
            if owes_from is not None:
                since = max(since, owes_from)
            last = upto_idx if person.left_on is None else min(upto_idx, rules.month_index(person.left_on) - 1)
            exempt = _exempt_months(history, last) if any(h.adjustment == Adjustment.EXEMPTION for h in history) else set()
            paid_live = live.get(person.id)
            arrears, first = rules.unpaid_streak(
                last_paid=None if paid_live is None or paid_live.last is None else rules.month_index(paid_live.last),
                since=since, upto=last, exempt=exempt,
            )
            first_unpaid = rules.month_start(first) if first is not None else None
            start = max(since, window_start)
            if start <= last:
                mask = int(paid_live.mask or 0) if paid_live is not None else 0
                needed = ((1 << (last - start + 1)) - 1) << (start - window_start)
                missing = needed & ~mask  # months without a live payment: their whole due
                owed_at: dict[int, Decimal] = {}
                while missing:
                    low = missing & -missing
                    missing ^= low
                    idx = window_start + low.bit_length() - 1
                    profile = _in_force(history, idx) if idx not in exempt else None
                    if profile is not None:
                        owed_at[idx] = _due_of(profile, due_cache)
                for idx, gap in short.get(person.id, {}).items():  # paid short: the rest
                    if start <= idx <= last and mask >> (idx - window_start) & 1:
                        owed_at[idx] = gap
                owed = [(rules.month_start(idx), amount) for idx, amount in sorted(owed_at.items()) if amount > 0]
        row = MemberMonth(person.id, person.branch_then, person.name, person.standing,
                          current.category if current else None, current.base if current else None,
                          current.adjustment if current else Adjustment.NONE, due, net, arrears, first_unpaid,
                          current.verified_on if current else None, current.effective_month if current else None,
                          person.in_paid_to, elsewhere, person.left_on, owed)
        rows.append(row)
        if due is None:
            b.no_profile += 1
        elif due > 0 and not elsewhere:
            b.owing += 1
            b.due_total += due
            if net > 0:
                b.paid += 1
        b.collected += net
        if owed:
            b.owed_people += 1
            b.owed_total += row.owed_total
        b.count_level(rules.arrears_level(arrears))
    # Payments of people not in this close (transferred out before this month ended): the money
    # still counts in the collecting branch's total.
    in_rows = {r.person_id for r in rows}
    for pid, entry_branch, net in paid_rows:
        if pid not in in_rows:
            b = branches.get(entry_branch)
            if b is None:
                b = branches[entry_branch] = BranchMonth(branch_id=entry_branch)
            b.collected += net
    return MonthClose(month=month, arrears_upto=upto, rows=rows, branches=branches)


def current_arrears(org: Organisation | None, today: dt.date, **kwargs) -> MonthClose:
    """Arrears as of `today`: the current month is still open, so arrears count up to last month,
    and a payment already made for the current month clears them."""
    month = rules.add_months(today, 0)
    return month_close(org, month, arrears_upto=arrears_cutoff(month, today), **kwargs)


def branches_below(org: Organisation) -> list[Organisation]:
    if org.kind == OrgKind.BRANCH:
        return [org]
    return list(Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).only("id", "name", "path").order_by("name"))


def district_summary(org: Organisation, month: dt.date, today: dt.date | None = None) -> tuple[MonthClose, list[BranchMonth]]:
    """Every branch below `org` with its collection and voluntary payments for `month`, the 待补交
    and streaks read with the one cut-off (`arrears_cutoff`) (8 queries)."""
    close = month_close(org, month, arrears_upto=arrears_cutoff(month, today or clock.today()))
    branches = branches_below(org)
    where = Q(branch=org) if org.kind == OrgKind.BRANCH else Q(branch__path__startswith=org.path)
    remitted = {
        bid: rules.round_fen(s) for bid, s in
        Remittance.objects.filter(where)
        .filter(Q(period_kind="month", period_start=close.month)
                | Q(period_kind="quarter", period_start=rules.quarter_months(close.month)[0]))
        .order_by().values("branch_id").annotate(s=Sum("amount")).values_list("branch_id", "s")
    }
    # 自愿多交党费 paid in the month (第11条), and of it the single payments ≥1000 元 wholly to the Centre.
    voluntary: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for bid, to_centre, s in (VoluntaryPayment.objects.filter(where, paid_on__gte=close.month,
                                                              paid_on__lt=rules.add_months(close.month, 1))
                              .order_by().values("branch_id", "to_centre").annotate(s=Sum("amount"))
                              .values_list("branch_id", "to_centre", "s")):
        voluntary[bid][0] += rules.round_fen(s)
        if to_centre:
            voluntary[bid][1] += rules.round_fen(s)
    out = []
    for b in branches:
        row = close.branches.get(b.pk) or BranchMonth(branch_id=b.pk)
        row.name = b.name
        row.remitted = remitted.get(b.pk)
        if b.pk in voluntary:
            row.voluntary, row.voluntary_to_centre = voluntary[b.pk]
            close.branches.setdefault(b.pk, row)
        out.append(row)
    out.sort(key=lambda r: (r.rate is None, r.rate if r.rate is not None else 0, r.name))
    return close, out


# ---------------------------------------------------------------------------------------------
# one member


@dataclass
class StatementMonth:
    month: dt.date
    due: Decimal | None
    paid: Decimal
    entries: list[LedgerEntry]
    elsewhere: bool = False  # paid at the old branch (转入 letter's 党费交至), nothing owed here
    left: bool = False  # after the member transferred out: nothing owed here

    @property
    def status(self) -> str:
        if self.paid <= 0 and self.elsewhere:
            return "elsewhere"
        if self.paid <= 0 and self.left:
            return "left"
        return rules.payment_status(self.due, self.paid)

    @property
    def status_label(self) -> str:
        return {**rules.STATUS_LABELS, "elsewhere": "原支部已交", "left": "已转出"}[self.status]


@dataclass
class Statement:
    person: Person
    year: int
    months: list[StatementMonth]
    entries: list[LedgerEntry]
    profiles: list[DuesBase]
    arrears: MemberMonth | None
    transfer_in: Transfer | None = None  # the latest 转入 (its dues_paid_to: 党费交至, 原支部)
    transfer_out: Transfer | None = None  # the latest 转出
    voluntary: list[VoluntaryPayment] = field(default_factory=list)  # 自愿多交党费 in the year (第11条)
    owed_upto: dt.date | None = None  # the cut-off of the 待补交 ledger shown (`arrears_cutoff`)

    @property
    def paid_elsewhere_to(self) -> dt.date | None:
        return self.transfer_in.dues_paid_to if self.transfer_in is not None else None

    @property
    def voluntary_total(self) -> Decimal:
        return sum((v.amount for v in self.voluntary), ZERO)

    @property
    def due_total(self) -> Decimal:
        return sum((m.due or ZERO for m in self.months), ZERO)

    @property
    def paid_total(self) -> Decimal:
        return sum((m.paid for m in self.months), ZERO)


def profile_for(profiles: list[DuesBase], month: dt.date) -> DuesBase | None:
    """The profile in force for `month` from a list ordered by effective_month descending."""
    for p in profiles:
        if p.effective_month <= month:
            return p
    return None


def statement(person: Person, year: int, today: dt.date) -> Statement:
    """A member's year: due and paid per month, every entry (with reversals), voluntary payments,
    transfers and current arrears (9 queries, whatever the number of entries).

    Transfers: months up to a 转入 letter's 党费交至 (or before the arrival month, without it) were paid
    at the old branch (shown as 原支部已交); months from the month a member transferred out are not
    owed here (see `month_close`) and are shown only if they have entries."""
    profiles = list(DuesBase.objects.filter(person=person).order_by("-effective_month"))
    entries = list(
        LedgerEntry.objects.filter(person=person, month__year=year).select_related("reverses").order_by("month", "id")
    )
    reversed_ids = set(LedgerEntry.objects.filter(reverses__in=[e.pk for e in entries]).values_list("reverses_id", flat=True)) if entries else set()
    for e in entries:
        e.is_reversed = e.pk in reversed_ids
    transfers = list(Transfer.objects.filter(person=person).order_by("-date", "-id"))
    t_in = next((t for t in transfers if t.direction == TransferDirection.IN), None)
    # A member still in the register moved within the district (same Person row): no 转出 on this page.
    t_out = next((t for t in transfers if t.direction == TransferDirection.OUT), None) if not person.active else None
    voluntary = list(VoluntaryPayment.objects.filter(person=person, paid_on__year=year).order_by("paid_on", "id"))
    owes_from = owes_from_index(t_in.dues_paid_to, t_in.date) if t_in is not None else None
    left_idx = rules.month_index(person.left_on) if (not person.active and person.left_on) else None
    by_month: dict[dt.date, list[LedgerEntry]] = defaultdict(list)
    for e in entries:
        by_month[e.month].append(e)
    months = []
    first = profiles[-1].effective_month if profiles else None
    last_month = 12 if year < today.year else (today.month if year == today.year else 0)
    for m in range(1, 13):
        month = dt.date(year, m, 1)
        idx = rules.month_index(month)
        elsewhere = owes_from is not None and idx < owes_from
        left = left_idx is not None and idx >= left_idx
        if (m > last_month or left) and not by_month.get(month):
            continue
        p = profile_for(profiles, month)
        due = p.due().amount if p is not None else None
        if first is None or month < first or elsewhere or left:
            due = None
        months.append(StatementMonth(month, due, sum((e.amount_paid for e in by_month.get(month, [])), ZERO),
                                     by_month.get(month, []), elsewhere=elsewhere, left=left))
    arrears = None
    if person.active and person.standing in MEMBER_STANDINGS:
        close = current_arrears(None, today, person_id=person.pk)
        arrears = close.rows[0] if close.rows else None
    return Statement(person, year, months, entries, profiles, arrears, t_in, t_out, voluntary,
                     owed_upto=arrears_cutoff(today, today))


def branch_members(branch: Organisation) -> QuerySet[Person]:
    """The branch's current members, with only the fields the dues pages show (no personal data)."""
    return (Person.objects.filter(branch=branch, active=True, standing__in=list(MEMBER_STANDINGS))
            .only("id", "name", "standing", "admitted_on", "branch_id", "user_id").order_by("name", "id"))


def verification_checklist(branch: Organisation, year: int) -> tuple[list[tuple[Person, DuesBase | None]], list[tuple[Person, DuesBase]]]:
    """(not verified in `year`, verified in `year`) — each member with their latest profile (2 queries)."""
    people = list(branch_members(branch))
    latest: dict[int, DuesBase] = {}
    for p in DuesBase.objects.filter(person__in=[p.pk for p in people]).order_by("person_id", "-effective_month"):
        latest.setdefault(p.person_id, p)
    todo, done = [], []
    for person in people:
        profile = latest.get(person.pk)
        if profile is not None and profile.verified_on is not None and profile.verified_on.year >= year:
            done.append((person, profile))
        else:
            todo.append((person, profile))
    return todo, done


def latest_profiles(branch: Organisation) -> list[tuple[Person, DuesBase | None]]:
    todo, done = verification_checklist(branch, 0)
    return sorted(todo + done, key=lambda pair: (pair[0].name, pair[0].pk))


def remittances(branch: Organisation, year: int) -> list[Remittance]:
    return list(Remittance.objects.filter(branch=branch, period_start__year=year).order_by("period_start", "period_kind"))


def entries_for_month(branch: Organisation, month: dt.date) -> dict[int, list[LedgerEntry]]:
    """The month's entries for the branch's current members, by person (1 query)."""
    out: dict[int, list[LedgerEntry]] = defaultdict(list)
    for e in LedgerEntry.objects.filter(person__branch=branch, month=month).order_by("id"):
        out[e.person_id].append(e)
    return out


@dataclass
class MonthCollection:
    month: dt.date
    owing: int = 0
    paid: int = 0
    due_total: Decimal = ZERO
    collected: Decimal = ZERO
    remittance: Remittance | None = None
    voluntary: Decimal = ZERO  # 自愿多交党费 paid this month (not part of due/collected)
    voluntary_to_centre: Decimal = ZERO  # of it, single payments ≥1000 元: wholly to the Centre (第11条)

    @property
    def outstanding(self) -> Decimal:
        return max(ZERO, self.due_total - self.collected)

    @property
    def rate(self) -> Decimal | None:
        return BranchMonth(0, owing=self.owing, paid=self.paid).rate


def year_collection(branch: Organisation, year: int, last_month: int = 12) -> list[MonthCollection]:
    """Due, collected and outstanding per month of `year` for the branch's members (with transfers:
    a member who left counts for the months before the month they left, a member who arrived owes
    from the month after the letter's 党费交至), the remittance covering each month and the month's
    voluntary payments (5 queries)."""
    people = list(
        Person.objects.filter(_subtree_people(branch, month=dt.date(year, 1, 1)))
        .annotate(**_transfer_in_annotations()).order_by().values_list("id", "left_on", "in_paid_to", "in_date")
    )
    profiles = _profiles_by_person(
        DuesBase.objects.filter(person__in=[p[0] for p in people], effective_month__lte=dt.date(year, 12, 1))
        .order_by("person_id", "effective_month")
        .values_list("person_id", "effective_month", "category", "base", "farmer_amount", "adjustment", "reduction", "verified_on")
    )
    paid: dict[tuple[int, dt.date], Decimal] = {
        (pid, m): rules.round_fen(s) for pid, m, s in LedgerEntry.objects.filter(branch=branch, month__year=year).order_by()
        .values("person_id", "month").annotate(s=Sum("amount_paid")).values_list("person_id", "month", "s")
    }
    rems = list(Remittance.objects.filter(branch=branch, period_start__year=year))
    voluntary = voluntary_by_month(branch, year)
    months = [MonthCollection(dt.date(year, m, 1)) for m in range(1, max(0, min(12, last_month)) + 1)]
    cache: dict[tuple, Decimal] = {}
    for mc in months:
        idx = rules.month_index(mc.month)
        mc.voluntary, mc.voluntary_to_centre = voluntary.get(mc.month, (ZERO, ZERO))
        for r in rems:
            if r.period_start <= mc.month < rules.add_months(r.period_start, r.months):
                mc.remittance = r
        for (pid, m), s in paid.items():
            if m == mc.month:
                mc.collected += s
        for pid, left_on, in_paid_to, in_date in people:
            if left_on is not None and rules.month_index(left_on) <= idx:
                continue
            owes_from = owes_from_index(in_paid_to, in_date)
            if owes_from is not None and idx < owes_from:
                continue
            current = None
            for h in profiles.get(pid, ()):
                if h[1] <= mc.month:
                    current = h
            if current is None:
                continue
            key = current[2:7]
            due = cache.get(key)
            if due is None:
                _p, _m, category, base, farmer, adjustment, reduction, _v = current
                due = cache[key] = rules.monthly_due(
                    category=category, base=base, farmer_amount=farmer,
                    reduction=reduction if adjustment == Adjustment.REDUCTION else None,
                    exempt=adjustment == Adjustment.EXEMPTION).amount
            if due > 0:
                mc.owing += 1
                mc.due_total += due
                if paid.get((pid, mc.month), ZERO) > 0:
                    mc.paid += 1
    return months


# ---------------------------------------------------------------------------------------------
# 自愿多交党费 (第11条)


def voluntary_payments(branch: Organisation, year: int) -> list[VoluntaryPayment]:
    """The branch's voluntary payments in `year`, with the member's name (1 query)."""
    return list(VoluntaryPayment.objects.filter(branch=branch, paid_on__year=year)
                .select_related("person").only("id", "person__id", "person__name", "branch_id", "amount", "paid_on",
                                              "receipt_number", "to_centre", "note", "reverses_id")
                .order_by("-paid_on", "-id"))


def _voluntary_sums(qs) -> tuple[Decimal, Decimal]:
    total = centre = ZERO
    for to_centre, s in qs.order_by().values("to_centre").annotate(s=Sum("amount")).values_list("to_centre", "s"):
        total += rules.round_fen(s)
        if to_centre:
            centre += rules.round_fen(s)
    return total, centre


def voluntary_by_month(branch: Organisation, year: int) -> dict[dt.date, tuple[Decimal, Decimal]]:
    """(total, of it wholly to the Centre) per month of `year` by the day paid (1 query)."""
    out: dict[dt.date, tuple[Decimal, Decimal]] = {}
    for paid_on, to_centre, amount in (VoluntaryPayment.objects.filter(branch=branch, paid_on__year=year)
                                       .order_by().values_list("paid_on", "to_centre", "amount")):
        m = rules.add_months(paid_on, 0)
        total, centre = out.get(m, (ZERO, ZERO))
        out[m] = (total + amount, centre + (amount if to_centre else ZERO))
    return out


def voluntary_for_period(branch: Organisation, months: list[dt.date]) -> tuple[Decimal, Decimal]:
    """(total, of it wholly to the Centre) paid in the given months (1 query)."""
    start, end = min(months), rules.add_months(max(months), 1)
    return _voluntary_sums(VoluntaryPayment.objects.filter(branch=branch, paid_on__gte=start, paid_on__lt=end))


# ---------------------------------------------------------------------------------------------
# 结账


def closing(branch: Organisation, month: dt.date) -> MonthClosing | None:
    return MonthClosing.objects.filter(branch=branch, month=rules.add_months(month, 0)).select_related("closed_by").first()


def overpaid_months(person: Person, upto: dt.date) -> list[tuple[dt.date, Decimal, Decimal, Decimal]]:
    """(month, due now, net paid, excess) for every month up to `upto` where the member's payments
    exceed the due of the profile now in force — an overpayment from a wrong base (2 queries)."""
    history = list(DuesBase.objects.filter(person=person).order_by("effective_month").values_list(*PROFILE_FIELDS, named=True))
    out = []
    cache: dict = {}
    for row in (LedgerEntry.objects.filter(person=person, month__lte=upto).order_by("month").values("month")
                .annotate(net=Sum("amount_paid")).values_list("month", "net", named=True)):
        profile = _in_force(history, rules.month_index(row.month))
        if profile is None:
            continue
        due, net = _due_of(profile, cache), rules.round_fen(row.net)
        if net > due:
            out.append((row.month, due, net, net - due))
    return out
