"""Demo 民主评议: six in ten branches have opened this year's review (three of them finalised, grades
within the 1/3 cap; the others in progress), the rest have not started. The first branch is in progress
with no codes issued, to try the poll. bulk_create only; no audit entries; no ballots (a demo poll would
need printed codes)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.orgs.models import Standing
from zhibu.review import rules
from zhibu.review.models import Grade, Review, Step
from zhibu.review.services import STEP_OFFSETS


def generate(ctx) -> None:
    year = ctx.year
    today = clock.today()
    held_on = min(dt.date(year, 12, 20), today) if year == today.year else dt.date(year, 12, 20)
    reviews = []
    finalised_ids = set()
    for i, branch in enumerate(ctx.branches):
        slot = i % 10
        if slot >= 6:
            continue
        final = 0 < slot <= 3 and i > 0
        review = Review(
            branch=branch, year=year, held_on=held_on, cap_ratio=rules.DEFAULT_RATIO, rounding=rules.FLOOR,
            deadline=dt.date(year, 12, 31), finalised_at=clock.now() if final else None,
            with_orglife=slot % 2 == 0,
        )
        reviews.append(review)
    Review.objects.bulk_create(reviews, batch_size=500)
    steps, grades = [], []
    for n, review in enumerate(reviews):
        final = review.finalised_at is not None
        for j, code in enumerate(rules.STEP_CODES):
            due = held_on + dt.timedelta(days=STEP_OFFSETS[code])
            done = final and j < 5 or (not final and j < n % 4)
            steps.append(Step(review=review, code=code, due=due, done_on=min(due, today) if done else None))
        if not final:
            continue
        finalised_ids.add(review.pk)
        full = [p for p in ctx.people.get(review.branch_id, []) if p.active and p.standing == Standing.FULL]
        cap = rules.excellent_max(len(full), rules.parse_ratio(review.cap_ratio), review.rounding) or 0
        excellent = min(cap, max(1, len(full) // 5)) if full else 0
        for k, p in enumerate(full):
            grade = rules.EXCELLENT if k < excellent else rules.QUALIFIED
            if k == len(full) - 1 and n % 7 == 0 and k >= excellent:
                grade = rules.BASIC
            grades.append(Grade(review=review, person=p, grade=grade))
    Step.objects.bulk_create(steps, batch_size=2000)
    Grade.objects.bulk_create(grades, batch_size=2000)
    say = getattr(ctx, "say", None)
    if say:
        say(f"民主评议：{len(reviews)}个支部已开始{year}年民主评议，{len(finalised_ids)}个已定稿")

