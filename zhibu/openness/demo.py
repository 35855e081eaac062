"""Demo 三务公开: the district's default 公开目录; for every branch its public link, a few notices
published through the whole procedure (党务, 园务/校务, 财务; some on the board, some archived), one on
its way, a few mailbox messages (answered, open, late) and, for some branches, a 民主恳谈会.
bulk_create only; no audit entries (demo data, not user actions)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.openness import rules
from zhibu.openness.models import (
    BranchLink,
    CatalogEntry,
    Category,
    Forum,
    ForumItem,
    ForumParticipant,
    Message,
    Notice,
)

NOTICES = (
    (
        "party",
        "organisation",
        "发展党员情况公示",
        "经支部委员会研究，拟确定1名同志为入党积极分子，现予公示。",
        "members",
    ),
    ("school", "safety", "本学期膳食委员会工作情况", "本学期膳食委员会共召开会议3次，食谱每周向家长公布。", "public"),
    ("finance", "fees", "保育教育费收费项目和标准", "按物价部门核定标准收取保育教育费，不收取其他费用。", "public"),
    ("party", "decisions", "学习贯彻上级决策部署情况", "支部本季度组织集中学习3次，专题研讨1次。", "staff"),
)
QUESTIONS = (
    ("午餐建议", "建议每周增加一次水果供应。", "已与食堂沟通，自下周起每周增加两次水果。"),
    ("接送秩序", "放学时门口比较拥挤，建议错峰接送。", "已安排分班级错峰放学，并增加值班老师。"),
    ("户外活动", "希望增加户外活动时间。", ""),
)


def generate(ctx) -> None:
    from zhibu.openness.apps import seed_categories

    seed_categories(sender=None)  # `zhibu demo --reset` empties every table, the reference rows included
    rng = ctx.rng
    year = ctx.year
    today = clock.today()
    categories = {c.code: c for c in Category.objects.all()}
    entries = CatalogEntry.objects.bulk_create(
        [
            CatalogEntry(district=ctx.district, category=categories[code], title=title, frequency=frequency)
            for code, title, frequency in rules.DEFAULT_CATALOG
        ]
    )
    by_code = {e.category_id: e for e in entries}
    links, notices, messages, forums = [], [], [], []
    code_seq = 0
    for index, branch in enumerate(ctx.branches):
        links.append(BranchLink(branch=branch))
        for channel, code, title, body, scope in NOTICES:
            start = min(dt.date(year, rng.randint(1, 11), rng.randint(1, 28)), today)
            end = start + dt.timedelta(days=rng.choice((7, 15, 30, 60)))
            cat = categories[code]
            notices.append(
                Notice(
                    branch=branch,
                    channel=channel,
                    category=cat,
                    catalog_entry=by_code.get(cat.pk),
                    scope=scope,
                    title=title,
                    body=body,
                    status=rules.PUBLISHED,
                    secrecy_checked=True,
                    proposed_on=start,
                    reviewed_on=start,
                    approved_on=start,
                    starts_on=start,
                    ends_on=end,
                )
            )
        if index % 3 == 0:
            notices.append(
                Notice(
                    branch=branch,
                    channel="finance",
                    category=categories["budget"],
                    scope="staff",
                    title=f"{year}年经费收支情况",
                    body="本年度经费收支情况如下（草稿）。",
                    status=rules.PROPOSED,
                    proposed_on=today,
                )
            )
        for q, (subject, body, answer) in enumerate(QUESTIONS):
            if (index + q) % 4:
                continue
            received = today - dt.timedelta(days=rng.randint(1, 40))
            code_seq += 1
            m = Message(
                branch=branch,
                subject=subject,
                body=body,
                anonymous=True,
                code_digest=rules.code_digest(f"DEMO-{code_seq:08d}"),
                received_on=received,
                due_on=rules.reply_due(received, rules.DEFAULT_REPLY_DAYS),
            )
            if answer:
                m.status, m.reply, m.replied_on, m.published = (
                    rules.REPLIED,
                    answer,
                    received + dt.timedelta(days=3),
                    q == 0,
                )
            messages.append(m)
        if index % 10 == 0:
            forums.append(
                Forum(
                    branch=branch,
                    held_on=min(dt.date(year, 5, 20), today),
                    topic="家园共育民主恳谈会",
                    place="多功能厅",
                    host="园长",
                    summary="家长代表、教职工代表和社区代表参加。",
                )
            )
    BranchLink.objects.bulk_create(links, batch_size=500)
    Notice.objects.bulk_create(notices, batch_size=500)
    Message.objects.bulk_create(messages, batch_size=500)
    Forum.objects.bulk_create(forums, batch_size=500)
    ForumParticipant.objects.bulk_create(
        [
            ForumParticipant(forum=f, name=name, identity=identity)
            for f in forums
            for name, identity in (("家长甲", "家长代表"), ("家长乙", "家长代表"), ("社区丙", "社区居民"))
        ],
        batch_size=500,
    )
    ForumItem.objects.bulk_create(
        [ForumItem(forum=f, text="建议开放日增加亲子活动", answer="下学期开放日安排亲子运动会") for f in forums],
        batch_size=500,
    )
    ctx.say(f"三务公开：{len(notices)} 项公开，{len(messages)} 封来信，{len(forums)} 次恳谈会")
