"""Assessment measure of 换届 (the hook is described in zhibu/assessment/hooks.py): the committee
elected on time — on the assessment date no committee member in office is past their term, unless
the upper committee approved a postponement that has not run out. 2 queries whatever the number of
branches."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Max, Min, Q
from django.urls import reverse

from zhibu.elections.models import Reschedule
from zhibu.orgs.models import CommitteePosition

FORMULA = (
    "评估日在任的支部委员任期均未届满（或经上级批准延期且未超过延期后的届满日）计100%；"
    "任期已届满未换届或未登记支部委员的计0。"
)


def on_time(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of

    ids = list(branch_ids)
    day = as_of(year)
    ends = dict(
        CommitteePosition.objects.filter(branch_id__in=ids, term_start__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values("branch_id")
        .annotate(end=Min("term_end"))
        .values_list("branch_id", "end")
        .order_by()
    )
    postponed = dict(
        Reschedule.objects.filter(branch_id__in=ids, approved_on__lte=day)
        .values("branch_id")
        .annotate(end=Max("to_end"))
        .values_list("branch_id", "end")
        .order_by()
    )
    out = {}
    for b in ids:
        end = ends.get(b)
        ok = end is not None and (end >= day or (postponed.get(b) is not None and postponed[b] >= day))
        out[b] = 1.0 if ok else 0.0
    return out


def _url(branch_id: int, year: int) -> str:
    return reverse("elections:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="election_on_time", label="支部委员会按期换届", formula=FORMULA, compute=on_time, url=_url,
            column="换届",
        )
    ]
