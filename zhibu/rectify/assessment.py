"""Assessment measure of the 整改台账 (the hook is described in zhibu/assessment/hooks.py): the share
of the year's items closed. One aggregate query whatever the number of branches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q
from django.urls import reverse

from zhibu.rectify import rules
from zhibu.rectify.models import Item

FORMULA = (
    "已销号问题数 ÷ 本年度登记的整改问题数 × 100%。计发现日期在本年度（截至评估日）的问题，"
    "已销号和回头看已确认的都算已销号；本年度没有整改问题的计满分。"
)


def closed_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of, fraction

    ids = list(branch_ids)
    last = as_of(year)
    rows = (
        Item.objects.filter(branch_id__in=ids, raised_on__gte=dt.date(year, 1, 1), raised_on__lte=last)
        .values("branch_id")
        .annotate(total=Count("id"), closed=Count("id", filter=Q(status__in=rules.FINISHED)))
        .order_by()
    )
    out = dict.fromkeys(ids, 1.0)
    for r in rows:
        out[r["branch_id"]] = fraction(r["closed"], r["total"], empty=1.0)
    return out


def _url(branch_id: int, year: int) -> str:
    return reverse("rectify:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="rectify_closed", label="整改问题销号", formula=FORMULA, compute=closed_rate, url=_url, column="整改"
        )
    ]
