"""Demo data: the district's default rubric for the demo year, the district's scores of the manual
items for most branches, and graded 述职 (without files) for some. bulk_create only."""

from __future__ import annotations

from decimal import Decimal

from zhibu.assessment import rules
from zhibu.assessment.models import ManualScore, Report, Rubric, RubricItem
from zhibu.core import clock


def generate(ctx) -> None:
    rng = ctx.rng
    rubric = Rubric.objects.bulk_create(
        [Rubric(district=ctx.district, year=ctx.year, title=f"{ctx.year}年度党支部工作考核评分细则")]
    )[0]
    if rubric.pk is None:  # databases that do not return ids from bulk_create
        rubric = Rubric.objects.get(district=ctx.district, year=ctx.year)
    RubricItem.objects.bulk_create(
        [
            RubricItem(rubric=rubric, group=g, label=label, points=Decimal(p), measure=key, guidance=guide, order=i)
            for i, (g, label, p, key, guide) in enumerate(rules.DEFAULT_ITEMS, start=1)
        ]
    )
    manual = list(RubricItem.objects.filter(rubric=rubric, measure=""))
    admin = ctx.accounts.get("district")
    now = clock.now()
    scores, reports = [], []
    grades = [code for code, _l in rules.GRADES]
    for n, branch in enumerate(ctx.branches):
        if n % 10 == 9:
            continue  # a few branches not scored yet
        for item in manual:
            share = Decimal(str(rng.choice((0.6, 0.7, 0.8, 0.9, 1.0))))
            scores.append(
                ManualScore(
                    item=item,
                    branch=branch,
                    points=(item.points * share).quantize(Decimal("0.1")),
                    note="依据上级评定",
                    entered_by=admin,
                    entered_at=now,
                )
            )
        if n % 3 == 0:
            reports.append(
                Report(
                    branch=branch,
                    year=ctx.year,
                    grade=rng.choice(grades[:3]),
                    comment="述职评议意见",
                    graded_by=admin,
                    graded_at=now,
                )
            )
    ManualScore.objects.bulk_create(scores, batch_size=2000)
    Report.objects.bulk_create(reports, batch_size=2000)
