"""A generated demo district for the assessment tests: orgs' people, then the demo records of the
apps whose measures are derived (orglife, dues, plans, rectify, orglifemeeting), plus a few records
that make every measure vary between branches."""

from __future__ import annotations

import datetime as dt
import io

from zhibu.core import clock

TODAY = dt.date(2026, 11, 20)
YEAR = 2026


def demo_district(branches: int = 6, members: int = 10, seed: int = 5):
    from zhibu.orglife import demo as orglife_demo
    from zhibu.orgs import demo as orgs_demo

    ctx = orgs_demo.generate(branches=branches, members=members, year=YEAR, seed=seed, progress=io.StringIO())
    orglife_demo.generate(ctx)
    for name in ("dues", "plans", "rectify", "orglifemeeting", "review", "elections"):
        module = __import__(f"zhibu.{name}.demo", fromlist=["generate"])
        module.generate(ctx)
    _vary(ctx)
    return ctx


def _vary(ctx) -> None:
    """Records the demos may not hold: a 组织生活会 in the first branch, a plan item done and one
    cancelled, a closed 整改 item, a dues payment made late."""
    from zhibu.orglife.models import Meeting, MeetingKind
    from zhibu.plans.models import ItemStatus, Plan, PlanItem
    from zhibu.rectify.models import Item, Source, Status

    first, second = ctx.branches[0], ctx.branches[1]
    start = dt.datetime(YEAR, 10, 20, 14, 0, tzinfo=clock.TZ)
    Meeting.objects.create(
        branch=first,
        kind=MeetingKind.ORG_LIFE_MEETING,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        topic="年度组织生活会",
    )
    plan = Plan.objects.filter(branch=second, year=YEAR, kind="annual").first() or Plan.objects.create(
        branch=second, year=YEAR, title=f"{YEAR}年党支部工作计划"
    )
    PlanItem.objects.create(plan=plan, months=[3], text="主题党日", status=ItemStatus.DONE)
    PlanItem.objects.create(plan=plan, months=[4], text="专题党课", status=ItemStatus.CANCELLED)
    PlanItem.objects.create(plan=plan, months=[5], text="支委会", status=ItemStatus.PLANNED)
    source = Source.objects.get(code="self_check")
    Item.objects.create(
        branch=second, source=source, problem="学习记录不全", raised_on=dt.date(YEAR, 3, 1), status=Status.CLOSED
    )
    Item.objects.create(branch=second, source=source, problem="台账不规范", raised_on=dt.date(YEAR, 4, 1))

    from zhibu.study.models import Attendee, Category, Session

    category = Category.objects.order_by("order", "id").first()
    for n, branch in enumerate(ctx.branches[:3]):
        people = ctx.people[branch.pk]
        for day in range(1, 5 + 4 * n):  # 8 学时 a day: 32 学时 from the fourth day on
            session = Session.objects.create(
                branch=branch,
                date=dt.date(YEAR, 2, day),
                length="full_day",
                hours=8,
                credited=8,
                category=category,
                topic=f"集中学习第{day}天",
            )
            Attendee.objects.bulk_create([Attendee(session=session, person=p) for p in people[: 2 + 3 * n]])
