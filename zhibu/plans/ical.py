"""The plan's calendar as an iCalendar feed (RFC 5545) that phones subscribe to.

Every item that has a month becomes all-day events, one per month it falls in (七、八月份 gives a
July event and an August event), each spanning that whole month: DTSTART = the 1st, DTEND = the
1st of the next month (exclusive, RFC 5545 3.6.1), TRANSP:TRANSPARENT so it does not mark the phone
busy. A moved item appears in its new month only; cancelled items are left out (a subscribed phone
then drops them). UIDs are stable (plan, item, month) so a refresh updates rather than duplicates.
"""
from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from zhibu.plans.models import ItemStatus
from zhibu.plans.parser import KIND_LABELS


def _month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return start, end


def build_branch_ics(branch, plans_with_items, *, host: str = "zhibu") -> bytes:
    """The branch's feed: every plan of the branch (all years), one subscription for good."""
    cal = _calendar(f"{branch.name} 行事历")
    for plan, items in plans_with_items:
        _add_events(cal, plan, items, host)
    return cal.to_ical()


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Zhibu 支部//工作计划//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    return cal


def build_ics(plan, items, *, host: str = "zhibu") -> bytes:
    cal = _calendar(f"{plan.branch.name} {plan.period_label}行事历")
    _add_events(cal, plan, items, host)
    return cal.to_ical()


def _add_events(cal: Calendar, plan, items, host: str) -> None:
    stamp = plan.updated_at.astimezone(dt.timezone.utc) if plan.updated_at else dt.datetime.now(dt.timezone.utc)
    for item in items:
        if item.status == ItemStatus.CANCELLED:
            continue
        for month in item.effective_months:
            if not 1 <= month <= 12:
                continue
            start, end = _month_span(plan.year, month)
            event = Event()
            event.add("uid", f"plan{plan.pk}-item{item.pk}-m{month}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", end)
            summary = item.text if item.status != ItemStatus.DONE else f"[已完成] {item.text}"
            event.add("summary", summary)
            lines = []
            if item.kinds:
                lines.append("类别:" + "、".join(KIND_LABELS.get(k, k) for k in item.kinds))
            if item.owner_id:
                lines.append(f"负责人:{item.owner.name}")
            if item.theme:
                lines.append(f"专题:{item.theme}")
            if item.status == ItemStatus.MOVED:
                lines.append(f"由{'、'.join(str(m) for m in item.months)}月调整至{month}月")
            lines.append(f"状态:{item.get_status_display()}")
            event.add("description", "\n".join(lines))
            event.add("transp", "TRANSPARENT")
            event.add("status", "CONFIRMED")
            if item.kinds:
                event.add("categories", [KIND_LABELS.get(k, k) for k in item.kinds])
            cal.add_component(event)
