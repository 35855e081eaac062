"""Assessment measure of 民主评议党员 (the hook is described in zhibu/assessment/hooks.py): the year's
review finalised. One query whatever the number of branches."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from zhibu.review.models import Review

FORMULA = "本年度民主评议党员已定稿（评定结果已确定）计100%，未开展或未定稿计0。"


def finalised(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    ids = list(branch_ids)
    done = set(
        Review.objects.filter(branch_id__in=ids, year=year, finalised_at__isnull=False)
        .values_list("branch_id", flat=True)
        .order_by()
    )
    return {b: 1.0 if b in done else 0.0 for b in ids}


def _url(branch_id: int, year: int) -> str:
    return reverse("review:index", kwargs={"org_id": branch_id})


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="review_finalised",
            label="民主评议党员按时完成",
            formula=FORMULA,
            compute=finalised,
            url=_url,
            column="民主评议",
        )
    ]
