import datetime as dt

from zhibu.core import clock
from zhibu.orglife import services


def at(d: dt.date, hour: int = 14) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour, 0), tzinfo=clock.TZ)


def meeting(cast, kind="party_congress", day=dt.date(2026, 3, 10), hours=2, **kw):
    return services.create_meeting(actor=cast.secretary, branch=cast.branch, kind=kind, topic=kw.pop("topic", "测试会议"),
                                   starts_at=at(day), ends_at=at(day) + dt.timedelta(hours=hours), **kw)


def mark(cast, m, statuses: dict, **extra):
    """statuses: {person: status or (status, reason)}"""
    entries = []
    for p, st in statuses.items():
        if isinstance(st, tuple):
            entries.append({"person_id": p.pk, "status": st[0], "leave_reason": st[1]})
        else:
            entries.append({"person_id": p.pk, "status": st})
    return services.record_attendance(actor=cast.secretary, meeting=m, entries=entries, **extra)


def codes(exc) -> set[str]:
    """The codes of a ValidationError (from pytest.raises(...).value or the exception itself)."""
    exc = getattr(exc, "value", exc)
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}
