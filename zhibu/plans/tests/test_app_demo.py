import random

import pytest

from zhibu.plans import demo, selectors
from zhibu.plans.models import Plan, PlanItem

pytestmark = pytest.mark.django_db


def test_demo_generate(cast):
    from zhibu.orgs.demo import DemoContext

    ctx = DemoContext(rng=random.Random(1), year=2026, district=cast.district,
                      branches=[cast.branch, cast.other_branch], people={cast.branch.pk: cast.people}, progress=None)
    ctx.say = lambda message: None
    demo.generate(ctx)
    assert Plan.objects.count() == 2
    plan = Plan.objects.get(branch=cast.branch)
    items = list(plan.items.all())
    assert len(items) > 30 and all(i.month_mask for i in items)
    assert selectors.plan_gaps(plan, items) is not None
    demo.generate(ctx)  # idempotent per branch and year
    assert Plan.objects.count() == 2 and PlanItem.objects.filter(plan=plan).count() == len(items)
