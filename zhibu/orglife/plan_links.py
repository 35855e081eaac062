"""Records of this app that can fulfil a plan item (the plans app's generic link): the branch's
meetings and 谈心谈话 already held (a meeting still 已安排 fulfils nothing yet) in the chosen months,
those of the item's kinds first. Called through the hook
`zhibu.<app>.plan_links.candidates(branch, year, months, kinds)`; no views are imported.

`describe(record)` tells the plans page what a linked record is (its date, month and kind), so the page
can warn when it does not match the item, and refuse a record whose date has not come."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from zhibu.core import clock
from zhibu.orglife.models import HeartTalk, Meeting, MeetingKind

HEART_TALK = MeetingKind.HEART_TALK.value


@dataclass(frozen=True)
class LinkInfo:
    date: dt.date
    kinds: tuple[str, ...]  # a 组织生活会 with 民主评议 is both kinds
    label: str
    held: bool  # the date has come
    url: str = ""  # the record's page


def _meeting_kinds(m: Meeting) -> tuple[str, ...]:
    return (m.kind, MeetingKind.MEMBER_EVALUATION.value) if m.with_evaluation else (m.kind,)


def candidates(branch, year: int, months: list[int], kinds: list[str], limit: int = 30,
               only_kinds: bool = False) -> list[tuple[str, int, str]]:
    """(type label, id, label) of held records in `months` of `year` (all months when empty); `kinds`
    first, or only those with `only_kinds`."""
    today = clock.today()
    month_list = list(months or range(1, 13))
    meetings = list(Meeting.objects.filter(branch=branch, date__year=year, month__in=month_list, date__lte=today)
                    .only("id", "kind", "date", "topic", "with_evaluation").order_by("date", "id")[:200])
    rows = [("orglife.meeting", m.pk, f"{m.date:%Y-%m-%d} {m.get_kind_display()}：{m.topic}", m.date, _meeting_kinds(m))
            for m in meetings]
    if not only_kinds or HEART_TALK in kinds:
        talks = (HeartTalk.objects.filter(branch=branch, date__year=year, date__month__in=month_list, date__lte=today)
                 .select_related("person_a", "person_b").order_by("date", "id")[:200])
        rows += [("orglife.hearttalk", t.pk, f"{t.date:%Y-%m-%d} 谈心谈话：{t.person_a.name}—{t.person_b.name}", t.date,
                  (HEART_TALK,)) for t in talks]
    if only_kinds and kinds:
        rows = [r for r in rows if set(r[4]) & set(kinds)]
    rows.sort(key=lambda r: (not (set(r[4]) & set(kinds)), r[3], r[0], r[1]))
    return [(type_label, pk, label) for type_label, pk, label, _d, _k in rows[:limit]]


def describe(record) -> LinkInfo | None:
    """What a record of this app is, for the plan item's link; None for other models."""
    today = clock.today()
    if isinstance(record, Meeting):
        return LinkInfo(record.date, _meeting_kinds(record), f"{record.date:%Y-%m-%d} {record.get_kind_display()}：{record.topic}",
                        record.date <= today, reverse("orglife:meeting", args=[record.branch_id, record.pk]))
    if isinstance(record, HeartTalk):
        return LinkInfo(record.date, (HEART_TALK,), f"{record.date:%Y-%m-%d} 谈心谈话", record.date <= today,
                        reverse("orglife:talks", args=[record.branch_id]) + f"?year={record.date.year}")
    return None
