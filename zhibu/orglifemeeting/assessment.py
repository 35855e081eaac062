"""Assessment measure of the 组织生活会 (the hook is described in zhibu/assessment/hooks.py): the
year's meeting held, as recorded in 组织生活 (a cycle's meeting is such a record). One query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse

from zhibu.orglife.models import Meeting, MeetingKind

FORMULA = "本年度已召开组织生活会（“组织生活”中登记的组织生活会，日期不晚于评估日）计100%，否则计0。"


def held(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of

    ids = list(branch_ids)
    last = as_of(year)
    done = set(
        Meeting.objects.filter(
            branch_id__in=ids, kind=MeetingKind.ORG_LIFE_MEETING, date__gte=dt.date(year, 1, 1), date__lte=last
        )
        .values_list("branch_id", flat=True)
        .distinct()
        .order_by()
    )
    return {b: 1.0 if b in done else 0.0 for b in ids}


def _url(branch_id: int, year: int) -> str:
    return reverse("orglifemeeting:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="olm_held", label="组织生活会按时召开", formula=FORMULA, compute=held, url=_url, column="组织生活会"
        )
    ]
