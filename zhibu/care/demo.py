"""Demo 关怀与共建 over the demo district: a few flagged people per branch (生活困难, 重病, 失能 …),
that winter's 元旦春节 campaign with most people visited (some branches done), 结对 for most members,
志愿服务 activities with hours, a 示范岗 and a 共建 partner per branch. bulk_create only; no audit
entries (demo data, not user actions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhibu.care import rules
from zhibu.care.apps import seed_pair_kinds
from zhibu.care.models import (
    Campaign,
    CampaignPerson,
    CareFlag,
    JointActivity,
    ModelPost,
    Pair,
    PairKind,
    Participation,
    Partner,
    Visit,
    VolunteerActivity,
)
from zhibu.core import clock
from zhibu.orgs.models import MEMBER_STANDINGS

ACTIVITIES = ("社区环境清洁", "交通文明劝导", "敬老院慰问演出", "爱心义卖", "社区亲子阅读")
PARTNERS = ("街道社区党委", "辖区派出所党支部", "共建小学党支部", "社区卫生服务中心党支部")
POSTS = ("保教示范岗", "教学先锋岗", "安全先锋岗", "家园共育示范岗")


def generate(ctx) -> None:
    rng = ctx.rng
    year = ctx.year
    today = clock.today()
    seed_pair_kinds(sender=None)  # `zhibu demo --reset` empties the reference rows too
    kinds = {k.code: k for k in PairKind.objects.all()}
    flags, campaigns, posts, partners, activities, pairs = [], [], [], [], [], []
    campaign_people: list[tuple[Campaign, object, str]] = []
    activity_people: list[tuple[VolunteerActivity, list]] = []
    for index, branch in enumerate(ctx.branches):
        people = ctx.people.get(branch.pk, [])
        members = [p for p in people if p.standing in MEMBER_STANDINGS]
        others = [p for p in people if p.standing not in MEMBER_STANDINGS]
        if not members:
            continue
        flagged = rng.sample(members, min(len(members), rng.randint(1, 3)))
        for n, p in enumerate(flagged):
            kind = (rules.HARDSHIP, rules.ILL, rules.FRAIL)[n % 3] if not (p.employment == "retired") else rules.VETERAN
            flags.append(
                CareFlag(branch_id=branch.pk, person_id=p.pk, kind=kind, since=dt.date(year - 1, rng.randint(1, 12), 1))
            )
        spring = Campaign(
            branch=branch,
            kind=rules.SPRING,
            year=year,
            title=rules.campaign_title(rules.SPRING, year),
            due=rules.campaign_due(rules.SPRING, year),
            flags=list(rules.DEFAULT_FLAGS[rules.SPRING]),
        )
        campaigns.append(spring)
        for p, f in zip(flagged, flags[-len(flagged) :], strict=True):
            campaign_people.append((spring, p, rules.FLAG_LABELS[f.kind]))
        if index % 4 == 0:  # a quarter of the branches keep their 结对 here (the others show as unpaired)
            pairs += [
                Pair(
                    branch_id=branch.pk,
                    member_id=m.pk,
                    kind_id=kinds["staff" if others else "family"].pk,
                    partner_id=rng.choice(others).pk if others else None,
                    partner_name="" if others else f"{m.name[0]}家幼儿家庭",
                    started_on=dt.date(year, 3, 1),
                )
                for m in members
                if rng.random() < 0.8
            ]
        if index % 4 == 1:
            act = VolunteerActivity(
                branch=branch,
                title=rng.choice(ACTIVITIES),
                date=min(dt.date(year, rng.randint(3, 11), rng.randint(1, 28)), today),
            )
            activities.append(act)
            activity_people.append((act, rng.sample(people, min(len(people), 5))))
        if index % 2 == 0:
            posts.append(
                ModelPost(
                    branch_id=branch.pk,
                    year=year,
                    name=rng.choice(POSTS),
                    holder_id=rng.choice(members).pk,
                    commitment="立足岗位，爱岗敬业，关爱幼儿，做到业务精、作风好、形象佳。",
                )
            )
        if index % 3 == 0:
            partners.append(
                Partner(
                    branch=branch,
                    name=rng.choice(PARTNERS),
                    kind="community",
                    since=dt.date(year - 1, 9, 1),
                    note="党建联建、志愿服务、资源共享",
                )
            )
    CareFlag.objects.bulk_create(flags, batch_size=1000)
    Campaign.objects.bulk_create(campaigns, batch_size=1000)
    targets = [CampaignPerson(campaign_id=c.pk, person_id=p.pk, reason=r) for c, p, r in campaign_people]
    CampaignPerson.objects.bulk_create(targets, batch_size=1000)
    visits, done = [], {}
    for c, p, _r in campaign_people:
        if c.due and c.due <= today and rng.random() < 0.9:
            visits.append(
                Visit(
                    campaign_id=c.pk,
                    branch_id=c.branch_id,
                    person_id=p.pk,
                    visited_on=c.due - dt.timedelta(days=rng.randint(3, 20)),
                    visitors="支部书记、工会主席",
                    gifts="米、油、慰问信",
                    amount=Decimal(rng.choice((300, 500, 800))),
                    fund=rng.choice(("dues", "union")),
                )
            )
            done.setdefault(c.pk, 0)
            done[c.pk] += 1
    Visit.objects.bulk_create(visits, batch_size=1000)
    totals: dict[int, int] = {}
    for c, _p, _r in campaign_people:
        totals[c.pk] = totals.get(c.pk, 0) + 1
    closed = [c for c in campaigns if totals.get(c.pk) and done.get(c.pk) == totals[c.pk]]
    for c in closed:
        c.closed_on = c.due
    Campaign.objects.bulk_update(closed, ["closed_on"], batch_size=1000)
    Pair.objects.bulk_create(pairs, batch_size=2000)
    VolunteerActivity.objects.bulk_create(activities, batch_size=1000)
    Participation.objects.bulk_create(
        [
            Participation(activity_id=a.pk, person_id=p.pk, hours=Decimal(rng.choice((1, 2, 3, 4))))
            for a, ps in activity_people
            for p in ps
        ],
        batch_size=2000,
    )
    ModelPost.objects.bulk_create(posts, batch_size=1000)
    Partner.objects.bulk_create(partners, batch_size=1000)
    JointActivity.objects.bulk_create(
        [JointActivity(partner=p, date=dt.date(year, 5, 20), title="共建主题党日") for p in partners], batch_size=1000
    )
    ctx.say(f"关怀与共建：{len(flags)} 名关怀对象，{len(visits)} 次走访，{len(pairs)} 对结对")
