"""Assessment measure of 换届 (the hook is described in zhibu/assessment/hooks.py): the committee
elected on time — on the assessment date no committee member in office is past their term, unless
the upper committee approved a postponement that has not run out. 1 query whatever the number of
branches."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.urls import reverse

from zhibu.elections.models import Reschedule
from zhibu.orgs.models import CommitteePosition, Organisation

FORMULA = (
    "评估日在任的支部委员任期均未届满（或经上级批准延期且未超过延期后的届满日）计100%；"
    "任期已届满未换届或未登记支部委员的计0。"
)


def on_time(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of

    ids = list(branch_ids)
    day = as_of(year)
    in_office = (
        CommitteePosition.objects.filter(branch_id=OuterRef("pk"), term_start__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values("branch_id")
        .annotate(end=Min("term_end"))
        .values("end")
    )
    postponed = (
        Reschedule.objects.filter(branch_id=OuterRef("pk"), approved_on__lte=day)
        .values("branch_id")
        .annotate(end=Max("to_end"))
        .values("end")
    )
    rows = (
        Organisation.objects.filter(pk__in=ids)
        .annotate(end=Subquery(in_office), later=Subquery(postponed))
        .values_list("pk", "end", "later")
        .order_by()
    )
    out = dict.fromkeys(ids, 0.0)
    for b, end, later in rows:
        if end is not None and (end >= day or (later is not None and later >= day)):
            out[b] = 1.0
    return out


def _url(branch_id: int, year: int) -> str:
    return reverse("elections:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="election_on_time",
            label="支部委员会按期换届",
            formula=FORMULA,
            compute=on_time,
            url=_url,
            column="换届",
        )
    ]
