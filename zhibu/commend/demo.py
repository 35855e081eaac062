"""Demo 评优: the district's 两优一先 round of the demo year (fixed quotas, approved scheme), the first
branches' nominations — decided and publicised when the demo year's July has passed, else open for
nominations — and the 积分 scheme configured but switched off (the default). bulk_create only."""

from __future__ import annotations

import datetime as dt

from zhibu.commend import rules
from zhibu.commend.models import Nomination, PointsRule, PointsScheme, Round
from zhibu.core import clock
from zhibu.orgs.models import Standing

NOMINATING_BRANCHES = 12
REASONS = (
    "爱岗敬业，保教工作成绩突出，在家长中口碑良好",
    "带头开展党员示范课，积极参加志愿服务",
    "认真履行党务工作职责，支部“三会一课”规范有序",
)


def generate(ctx) -> None:
    rng, year = ctx.rng, ctx.year
    today = clock.today()
    opens, closes = dt.date(year, 5, 15), dt.date(year, 6, 10)
    done = today > closes
    rnd = Round.objects.create(
        org=ctx.district, year=year, title=f"{year}年度“两优一先”评选表彰", opens_on=opens, closes_on=closes,
        quota_kind=rules.FIXED, quota_member=8, quota_worker=3, quota_org=3, approval_ref=f"示教党〔{year}〕12号",
        publicity_start=dt.date(year, 6, 20) if done else None,
        publicity_end=dt.date(year, 6, 26) if done else None,
    )
    noms: list[Nomination] = []
    won = {rules.MEMBER: 0, rules.WORKER: 0, rules.ORG: 0}
    quota = {rules.MEMBER: 8, rules.WORKER: 3, rules.ORG: 3}
    for branch in ctx.branches[:NOMINATING_BRANCHES]:
        full = [p for p in ctx.people.get(branch.pk, []) if p.standing == Standing.FULL]
        if len(full) < 3:
            continue
        picks = [(rules.MEMBER, full[1]), (rules.WORKER, full[0]), (rules.ORG, None)]
        for award_type, person in picks:
            status = rules.NOMINATED
            if done:
                status = rules.AWARDED if won[award_type] < quota[award_type] and rng.random() < 0.8 else rules.NOT_AWARDED
                won[award_type] += status == rules.AWARDED
            noms.append(Nomination(round=rnd, branch=branch, award_type=award_type, person=person,
                                   reason=rng.choice(REASONS), status=status,
                                   decided_at=clock.now() if done else None,
                                   decision_note="" if status != rules.NOT_AWARDED else "名额有限，未予表彰"))
    Nomination.objects.bulk_create(noms)
    scheme = PointsScheme.objects.create(org=ctx.district, enabled=False, base=60)
    PointsRule.objects.bulk_create([
        PointsRule(scheme=scheme, name="参加组织生活", source=rules.ATTENDANCE, points=1, cap=20),
        PointsRule(scheme=scheme, name="无故缺席组织生活", source=rules.ABSENCE, points=-2),
        PointsRule(scheme=scheme, name="按月交纳党费", source=rules.DUES_ON_TIME, points=1, cap=12),
        PointsRule(scheme=scheme, name="志愿服务", source=rules.MANUAL, points=2, cap=10),
    ])
    ctx.say(f"评优：{rnd.title}，推荐 {len(noms)} 项；党员积分已配置（未启用）")
