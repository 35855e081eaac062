"""Demo data: every branch gets a full-year plan for ctx.year whose calendar covers the usual
obligations (a few left out so the plan check has something to show); items of past months are
mostly done, a few cancelled or moved. Bulk-created."""
from __future__ import annotations

from zhibu.core import clock
from zhibu.plans.models import ItemStatus, Plan, PlanItem
from zhibu.plans.parser import classify

MONTHLY = ["召开支委会,研究本月党建工作", "开展主题党日活动"]
BY_MONTH = {
    1: ["总结上年度支部工作,制订本年度工作计划", "召开组织生活会,开展民主评议党员"],
    2: ["布置党员寒假自学内容"],
    3: ["召开党员大会,学习支部工作计划", "收缴党费", "开展学雷锋志愿服务活动"],
    4: ["清明节祭扫烈士墓", "讲党课:学习党章"],
    5: ["入党积极分子培训", "参与组织五四青年节活动"],
    6: ["召开党员大会,讨论预备党员转正", "庆祝七一系列活动", "上半年党员考核"],
    7: ["党建工作小结", "布置党员暑期自学内容"],
    8: ["走访慰问困难党员"],
    9: ["召开党员大会", "组织庆祝教师节活动", "师德师风专题学习"],
    10: ["讲党课:学习全会精神", "重阳节慰问退休教师"],
    11: ["发展对象政审、公示", "校务公开"],
    12: ["召开党员大会", "党支部年度总结,整理党建档案材料", "讲党课"],
}


def generate(ctx) -> None:
    rng = ctx.rng
    today = clock.today()
    existing = set(Plan.objects.filter(branch__in=ctx.branches, year=ctx.year, half="full").values_list("branch_id", flat=True))
    plans = Plan.objects.bulk_create([
        Plan(branch=b, year=ctx.year, half="full", title=f"{b.name}{ctx.year}年党建工作计划", sections=[
            {"number": "一", "heading": "指导思想", "level": 1, "body": ["以党的创新理论为指导,全面加强支部建设。"]},
            {"number": "二", "heading": "工作目标", "level": 1, "body": ["落实“三会一课”制度,发挥党员先锋模范作用。"]},
        ]) for b in ctx.branches if b.pk not in existing
    ])
    items = []
    for plan in plans:
        people = [p for p in ctx.people.get(plan.branch_id, []) if p.active]
        order = 0
        for month in range(1, 13):
            texts = list(BY_MONTH[month])
            texts += [t for t in MONTHLY if rng.random() > 0.15]  # a few months missing: the check shows them
            for text in texts:
                item = PlanItem(plan=plan, months=[month], text=text, kinds=classify(text), order=order,
                                owner=rng.choice(people) if people and rng.random() < 0.6 else None)
                past = (ctx.year, month) < (today.year, today.month)
                if past:
                    roll = rng.random()
                    if roll < 0.8:
                        item.status = ItemStatus.DONE
                    elif roll < 0.88 and month < 12:
                        item.status, item.moved_to_month = ItemStatus.MOVED, month + 1
                    elif roll < 0.93:
                        item.status = ItemStatus.CANCELLED
                item.refresh_mask()
                items.append(item)
                order += 1
    PlanItem.objects.bulk_create(items, batch_size=1000)
    if hasattr(ctx, "say"):
        ctx.say(f"  工作计划: {len(plans)} 份计划, {len(items)} 项")
