"""Assessment figure of the year-end pack (the hook is described in zhibu/assessment/hooks.py): the
pack submitted to the district. Shown as a column of the district dashboard; a rubric may use it.
One query whatever the number of branches."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from zhibu.yearend.models import Submission

FORMULA = "本年度年终材料包已报送上级党组织计100%，未报送计0。"


def submitted(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    ids = list(branch_ids)
    done = set(Submission.objects.filter(branch_id__in=ids, year=year).values_list("branch_id", flat=True).order_by())
    return {b: 1.0 if b in done else 0.0 for b in ids}


def _url(branch_id: int, year: int) -> str:
    return reverse("yearend:index", kwargs={"org_id": branch_id}) + f"?year={year}"


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(
            key="yearend_submitted",
            label="年终材料按时报送",
            formula=FORMULA,
            compute=submitted,
            url=_url,
            column="年终材料",
        )
    ]
