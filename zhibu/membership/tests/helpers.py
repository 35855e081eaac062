"""Objects for the membership tests and access cases."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.membership import services
from zhibu.membership.models import TransferRequest
from zhibu.orgs.models import Person
from zhibu.orgs.testing import PersonFactory

DAY = dt.date(2026, 3, 10)


def make_all(cast) -> dict:
    """A pending within-district transfer, an issued 转出 letter, a temporary letter, a request, a 失联
    and a 处分 in the cast's branch."""
    b = cast.branch
    people = [PersonFactory(branch=b, name=n) for n in ("转接甲", "转出乙", "外出丙", "失联丁")]
    with clock.frozen(DAY):
        pending = services.start_case(
            actor=cast.secretary,
            branch=b,
            person=people[0],
            kind="within",
            to_branch=cast.other_branch,
            dues_paid_to=dt.date(2026, 2, 1),
            reason="工作调动",
        )
        out = services.start_case(
            actor=cast.secretary,
            branch=b,
            person=people[1],
            kind="out",
            to_org="外区某党支部",
            dues_paid_to=dt.date(2026, 3, 1),
            reason="调往外区",
        )
        temp = services.start_case(
            actor=cast.secretary,
            branch=b,
            person=people[2],
            kind="temporary",
            to_org="某地",
            reason="外出培训",
            valid_days=60,
        )
        services.record_status(
            actor=cast.secretary, branch=b, person=people[3], kind="lost", on=dt.date(2025, 8, 1), reason="多次联系未果"
        )
        merit = services.record_merit(
            actor=cast.secretary,
            branch=b,
            person=Person.objects.get(pk=cast.member_person.pk),
            kind="penalty",
            title="警告",
            decided_on=dt.date(2026, 1, 5),
            decided_by="示范区教育局党委",
            reason="违反工作纪律",
        )
        req = TransferRequest.objects.create(
            branch=b, person=cast.member_person, destination="育才小学", reason="工作调动", asked_on=DAY
        )
    return {"pending": pending, "out": out, "temp": temp, "merit": merit, "request": req, "people": people}
