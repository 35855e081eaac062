"""Reminders for `zhibu remind`: a step of an open review whose date has passed (to the branch's
managers, once per step), the review not finalised 14 days before its deadline, and each 基本合格/不合格
follow-up not done: 限期改正 30 days before and on its deadline, 劝退/除名 still without a vote."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from zhibu.core.documents import cn_date
from zhibu.core.notify import Reminder
from zhibu.orgs.models import MANAGER_ROLES, Role
from zhibu.review import rules
from zhibu.review.models import FollowUp, Review, Step

DEADLINE_DAYS = 14
CORRECT_DAYS = (30, 0)


def _managers(branch_ids) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for role in Role.objects.filter(role__in=MANAGER_ROLES, organisation__in=branch_ids).select_related("user"):
        out[role.organisation_id].append(role.user)
    return out


def collect(today: dt.date) -> Iterator[Reminder]:
    open_reviews = list(Review.objects.filter(finalised_at__isnull=True, year__gte=today.year - 1).select_related("branch"))
    followups = list(
        FollowUp.objects.filter(done_on__isnull=True).select_related("review", "review__branch", "person")
    )
    branch_ids = {r.branch_id for r in open_reviews} | {f.review.branch_id for f in followups}
    if not branch_ids:
        return
    managers = _managers(branch_ids)
    late_steps = Step.objects.filter(review__in=open_reviews, done_on__isnull=True, due__lt=today)
    by_review = {r.pk: r for r in open_reviews}
    for step in late_steps:
        review = by_review[step.review_id]
        users = tuple(managers.get(review.branch_id, ()))
        if users:
            yield Reminder(
                key=f"review:step:{review.pk}:{step.code}", users=users, organisation=review.branch,
                title=f"{review}：“{rules.STEP_LABELS.get(step.code, step.code)}”已过计划日期",
                url=reverse("review:detail", args=[review.branch_id, review.pk]),
            )
    for review in open_reviews:
        if review.deadline and review.deadline - dt.timedelta(days=DEADLINE_DAYS) <= today:
            users = tuple(managers.get(review.branch_id, ()))
            if users:
                yield Reminder(
                    key=f"review:deadline:{review.pk}", users=users, organisation=review.branch,
                    title=f"{review}须于{cn_date(review.deadline)}前定稿",
                    url=reverse("review:detail", args=[review.branch_id, review.pk]),
                )
    for f in followups:
        users = tuple(managers.get(f.review.branch_id, ()))
        if not users:
            continue
        url = reverse("review:followup", args=[f.review.branch_id, f.review_id, f.person_id])
        if f.action == rules.FOLLOWUP_CORRECT and f.deadline:
            for days in CORRECT_DAYS:
                if f.deadline - dt.timedelta(days=days) <= today:
                    yield Reminder(
                        key=f"review:correct:{f.pk}:{days}", users=users, organisation=f.review.branch,
                        title=f"{f.person.name}限期改正{'已到期' if days == 0 else f'将于{days}天内到期'}，请检查改正情况",
                        url=url,
                    )
        elif f.action in rules.VOTE_FOLLOWUPS and f.motion_id is None:
            yield Reminder(
                key=f"review:vote:{f.pk}", users=users, organisation=f.review.branch,
                title=f"{f.person.name}的{f.get_action_display()}意见须提交党员大会表决", url=url,
            )
