import datetime as dt

from zhibu.core import clock
from zhibu.orglife import services as orglife

TODAY = dt.date(2026, 6, 10)


def held_meeting(cast, kind: str = "party_congress", day: dt.date = dt.date(2026, 6, 1), absent=()):
    """A meeting of the cast's branch held on `day`, everyone expected present but `absent` people."""
    start = dt.datetime.combine(day, dt.time(15, 0), tzinfo=clock.TZ)
    with clock.frozen(day):
        m = orglife.create_meeting(actor=cast.secretary, branch=cast.branch, kind=kind, topic="研究学校重大事项",
                                   starts_at=start, ends_at=start + dt.timedelta(hours=1))
        from zhibu.orglife.selectors import attendance_rows

        entries = [{"person_id": a.person_id, "status": "absent" if a.person in absent else "present"}
                   for a in attendance_rows(m)]
        orglife.record_attendance(actor=cast.secretary, meeting=m, entries=entries)
    m.refresh_from_db()
    return m
