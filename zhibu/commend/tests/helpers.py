import datetime as dt

from zhibu.commend import rules, services
from zhibu.core import clock

TODAY = dt.date(2026, 6, 10)


def open_round(cast, **kw):
    values = dict(year=2026, title="2026年度“两优一先”评选表彰", opens_on=dt.date(2026, 6, 1),
                  closes_on=dt.date(2026, 6, 20), quota_kind=rules.FIXED, quota_member=2, quota_worker=1, quota_org=1,
                  approval_ref="示教党〔2026〕5号")
    values.update(kw)
    with clock.frozen(TODAY):
        return services.open_round(actor=cast.district_admin, org=cast.district, **values)


def add_workdays(d, n):
    from zhibu.workdays.selectors import get_calendar

    return get_calendar().add_workdays(d, n).date
