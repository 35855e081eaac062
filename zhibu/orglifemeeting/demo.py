"""Demo 组织生活会: the first few demo branches prepare this year's meeting — checklist steps with owners,
the committee's materials, some members' 党性分析, opinions from members and staff. The 谈心谈话 come
from orglife's demo (most pairs talked, some missing). bulk_create only; no audit entries."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.orglifemeeting import rules
from zhibu.orglifemeeting.models import Cycle, Material, Opinion, Step
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition

BRANCHES = 5
OPINIONS = (
    "希望支部多组织业务学习和党建相结合的活动",
    "建议党员示范岗更多走进班级",
    "家长意见反馈要更及时",
    "支部活动通知最好提前一周发出",
)


def generate(ctx) -> None:
    year = ctx.year
    today = clock.today()
    planned = today + dt.timedelta(days=14) if year == today.year and today.month == 12 and today.day <= 17 else None
    planned = planned or dt.date(year, 12, 18)
    branches = list(ctx.branches[:BRANCHES])
    committee: dict[int, list[int]] = {}
    for branch_id, person_id in CommitteePosition.objects.filter(
        branch__in=branches, ended_on__isnull=True
    ).values_list("branch_id", "person_id"):
        committee.setdefault(branch_id, []).append(person_id)
    cycles = Cycle.objects.bulk_create(
        [
            Cycle(
                branch=b,
                year=year,
                term=0,
                topic="深入学习贯彻党的创新理论，强化党性修养，推动立德树人",
                planned_date=planned,
                notice_date=planned - dt.timedelta(days=40),
                notice_requirements="会前认真开展学习研讨、征求意见和谈心谈话；会后20日内报送会议情况报告和整改清单。",
            )
            for b in branches
        ]
    )
    steps, materials, opinions = [], [], []
    for n, cycle in enumerate(cycles):
        members = [p for p in ctx.people.get(cycle.branch_id, []) if p.active and p.standing in MEMBER_STANDINGS]
        owner = members[0] if members else None
        for i, code in enumerate(rules.STEP_CODES):
            done = code in (rules.STUDY, rules.OPINIONS) and (n + i) % 2 == 0
            steps.append(
                Step(
                    cycle=cycle,
                    code=code,
                    owner=owner,
                    due=cycle.request_due,
                    done_on=min(today, cycle.request_due) if done else None,
                )
            )
        materials.append(Material(cycle=cycle, kind=rules.MATERIAL_COMMITTEE, text="支部委员会对照检查材料（略）"))
        for pid in committee.get(cycle.branch_id, [])[: n % 3 + 1]:
            materials.append(
                Material(cycle=cycle, kind=rules.MATERIAL_MEMBER_REVIEW, person_id=pid, text="对照检查材料（略）")
            )
        for p in members[: len(members) // 2]:
            materials.append(
                Material(cycle=cycle, kind=rules.MATERIAL_SELF, person=p, text="党性分析和个人问题清单（略）")
            )
        for text in OPINIONS[: n % len(OPINIONS) + 1]:
            opinions.append(Opinion(cycle=cycle, text=text, name=""))
    Step.objects.bulk_create(steps)
    Material.objects.bulk_create(materials)
    Opinion.objects.bulk_create(opinions)
    say = getattr(ctx, "say", None)
    if say:
        say(f"组织生活会：{len(cycles)}个支部在准备{year}年组织生活会")
