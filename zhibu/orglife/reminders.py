"""Reminders for `zhibu remind`: before an obligation's period ends (still due) and once it is
overdue. Keys are unique per branch / obligation / period / kind of reminder, so each is sent once."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from zhibu.core.notify import Reminder
from zhibu.orglife import rules, selectors
from zhibu.orgs.models import MANAGER_ROLES, Organisation, Role

DUE_SOON_DAYS = 7  # remind this many days before a period ends
OVERDUE_LOOKBACK_DAYS = 60  # periods that ended longer ago than this are not reminded again

PERIOD_CODES = {rules.MONTHLY: "M", rules.QUARTERLY: "Q", rules.HALF_YEARLY: "H", rules.YEARLY: "Y"}


def period_code(frequency: str, year: int, index: int) -> str:
    return f"{year}{PERIOD_CODES[frequency]}{index:02d}"


def collect(today: dt.date) -> Iterator[Reminder]:
    years = {today.year}
    if (today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS)).year < today.year:
        years.add(today.year - 1)  # early January: December's (and Q4's, the year's) overdue items
    managers: dict[int, list] = defaultdict(list)
    for role in Role.objects.filter(role__in=MANAGER_ROLES, organisation__kind="branch").select_related("user"):
        managers[role.organisation_id].append(role.user)
    if not managers:
        return
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=list(managers))}
    labels = {o.kind: o.label for o in rules.DEFAULT_OBLIGATIONS}
    sources = {o.kind: o.source for o in rules.DEFAULT_OBLIGATIONS}
    for year in sorted(years):
        ends = {f: {i: end for i, _s, end in rules.periods(f, year)} for f in rules.FREQUENCIES}
        starts = {f: {i: start for i, start, _e in rules.periods(f, year)} for f in rules.FREQUENCIES}
        for row in selectors.district_grid(None, year=year, as_of=today):
            users = tuple(dict.fromkeys(managers.get(row.branch_id, ())))
            if not users:
                continue
            url = reverse("orgs:home", kwargs={"org_id": row.branch_id})
            for cell in row.cells:
                for status, index in zip(cell.statuses, cell.periods):
                    end = ends[cell.frequency][index]
                    code = period_code(cell.frequency, year, index)
                    span = f"{starts[cell.frequency][index]:%m月%d日}—{end:%m月%d日}"
                    if status == rules.DUE and (end - today).days <= DUE_SOON_DAYS:
                        yield Reminder(
                            key=f"orglife:due:branch={row.branch_id}:{cell.kind}:{code}",
                            users=users, organisation=orgs[row.branch_id],
                            title=f"{row.name}:{labels[cell.kind]}本期（{span}）尚未开展，{end:%m月%d日}到期",
                            body=f"请在{end:%Y年%m月%d日}前开展并登记{labels[cell.kind]}。依据：{sources[cell.kind]}", url=url)
                    elif status == rules.OVERDUE and (today - end).days <= OVERDUE_LOOKBACK_DAYS:
                        yield Reminder(
                            key=f"orglife:overdue:branch={row.branch_id}:{cell.kind}:{code}",
                            users=users, organisation=orgs[row.branch_id],
                            title=f"{row.name}：{labels[cell.kind]}（{span}）逾期未开展",
                            body=f"{labels[cell.kind]}（{span}）没有记录，已逾期。如已开展请补录。依据：{sources[cell.kind]}",
                            url=url)
