"""Demo 整改台账: a year of items over the demo district — each branch's problems from its
组织生活会 early in the year (some 销号'd with evidence, some 回头看 done, some overdue, some still in
progress), a few 自查/民主评议 items, and 巡察 findings the district assigned to a few branches (with
the 2-month report deadline). bulk_create only; no audit entries (demo data, not user actions)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.orgs.models import MEMBER_STANDINGS
from zhibu.rectify import rules
from zhibu.rectify.models import Item, Kind, Source

PROBLEMS = (
    ("理论学习", "理论学习不够系统，个人自学笔记内容偏少", "制定个人学习计划，每月至少撰写一篇学习笔记"),
    ("组织生活", "“三会一课”记录不够规范，部分会议记录要素不全", "对照模板补齐会议记录要素，支委会每季度检查一次"),
    ("作风建设", "联系服务群众不够深入，家长意见反馈不及时", "建立家长意见月度收集和答复机制"),
    ("党员管理", "个别党员党费交纳不及时", "党费交纳情况每月通报，支部书记逐一提醒"),
    ("制度落实", "谈心谈话开展不够经常，覆盖面不全", "支委与党员每半年至少谈心一次，建立台账"),
    ("业务融合", "党建与教育教学业务结合不紧密", "每学期开展一次党员示范课活动"),
)
EVIDENCE = "已按措施完成整改，相关记录已归档备查。"


def generate(ctx) -> None:
    rng = ctx.rng
    year = ctx.year
    today = clock.today()
    from zhibu.rectify.apps import seed_sources

    seed_sources(sender=None)  # `zhibu demo --reset` empties every table, the reference rows included
    sources = {s.code: s for s in Source.objects.all()}
    items: list[Item] = []

    def when(month: int, day: int) -> dt.date:
        return min(dt.date(year, month, day), dt.date(year, 12, 31))

    for index, branch in enumerate(ctx.branches):
        members = [p for p in ctx.people.get(branch.pk, []) if p.standing in MEMBER_STANDINGS] or ctx.people.get(
            branch.pk, []
        )
        raised_on = when(1, rng.randint(8, 25))
        for n, (category, problem, measures) in enumerate(rng.sample(PROBLEMS, 3)):
            kind = Kind.ONGOING if n == 2 else (Kind.IMMEDIATE if n == 0 and rng.random() < 0.3 else Kind.DEADLINE)
            deadline = None if kind == Kind.ONGOING else rules.add_months(raised_on, rng.choice((1, 3, 6)))
            item = Item(
                branch=branch,
                source=sources["org_life_meeting"],
                raised_on=raised_on,
                problem=problem,
                category=category,
                measures=measures,
                kind=kind,
                deadline=deadline,
                responsible=rng.choice(members) if members else None,
            )
            roll = rng.random()
            if deadline is not None and deadline < today and roll < 0.75:
                item.status = rules.CLOSED
                item.evidence = EVIDENCE
                item.submitted_on = min(deadline, today)
                item.closed_on = min(deadline + dt.timedelta(days=rng.randint(1, 10)), today)
                item.review_due = rules.add_months(item.closed_on, rules.DEFAULT_REVIEW_MONTHS)
                if roll < 0.2 and item.review_due <= today:
                    item.status, item.reviewed_on = rules.CONFIRMED, today
            elif roll < 0.85:
                item.status = rules.IN_PROGRESS
            elif deadline is not None and roll < 0.92:
                item.status, item.evidence, item.submitted_on = rules.SUBMITTED, EVIDENCE, min(deadline, today)
            items.append(item)
        if index % 7 == 0:
            raised = when(rng.randint(3, 10), rng.randint(1, 28))
            items.append(
                Item(
                    branch=branch,
                    source=sources["self_check" if index % 2 else "appraisal"],
                    raised_on=raised,
                    problem="支部活动阵地资料更新不及时",
                    category="阵地建设",
                    measures="每月更新一次宣传栏和党员活动室资料",
                    kind=Kind.DEADLINE,
                    deadline=rules.add_months(raised, 2),
                    status=rules.OPEN,
                    responsible=members[0] if members else None,
                )
            )
        if index % 25 == 0:
            raised = when(rng.randint(4, 9), rng.randint(1, 28))
            items.append(
                Item(
                    branch=branch,
                    source=sources["inspection"],
                    raised_by_org=ctx.district,
                    raised_on=raised,
                    problem="巡察反馈：基层党组织换届、发展党员档案管理不规范",
                    category="组织建设",
                    measures="逐项核查档案，补齐缺失材料，建立档案管理制度",
                    kind=Kind.DEADLINE,
                    deadline=rules.add_months(raised, 3),
                    report_due=rules.report_due("inspection", raised),
                    status=rules.IN_PROGRESS,
                    responsible=members[0] if members else None,
                )
            )
    Item.objects.bulk_create(items, batch_size=500)
    ctx.say(f"整改台账：{len(items)} 项")
