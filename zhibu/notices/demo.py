"""Demo notices, a guide for the current month and two tasks over the demo district: two notices to
every branch with most branches signed, the month's 组织生活指南 (主题党日 and 党课), a 报送材料 task
with a few answers at each step and a task the records answer (党员人数). bulk_create only; no audit
entries (demo data, not user actions)."""

from __future__ import annotations

import datetime as dt

from zhibu.core import clock
from zhibu.notices import rules
from zhibu.notices.models import Answer, AnswerState, Guide, Notice, Recipient, RecipientKind, Task

NOTICES = (
    ("关于开展“七一”主题党日活动的通知", "请各党支部结合实际，于6月底前开展主题党日活动，活动情况在组织生活中登记。"),
    ("关于做好年度党费收缴工作的通知", "请各党支部按月收缴党费，按时上缴，党费台账在系统中登记。"),
)


def generate(ctx) -> None:
    rng = ctx.rng
    today = clock.today()
    now = clock.now()
    district, branches = ctx.district, list(ctx.branches)
    admin = ctx.accounts.get("district")
    notices = Notice.objects.bulk_create(
        [
            Notice(
                sender=district,
                title=title,
                body=body,
                sent_on=today - dt.timedelta(days=20 - 7 * i),
                sign_by=today + dt.timedelta(days=14 * i - 10),
                sent_by=admin,
                sent_at=now - dt.timedelta(days=20 - 7 * i),
            )
            for i, (title, body) in enumerate(NOTICES)
        ]
    )
    rows = []
    for i, n in enumerate(notices):
        share = (0.9, 0.5)[i]
        for b in branches:
            read = rng.random() < share
            rows.append(
                Recipient(
                    notice=n,
                    kind=RecipientKind.BRANCH,
                    branch=b,
                    read_at=now - dt.timedelta(days=rng.randint(0, 5)) if read else None,
                )
            )
    Recipient.objects.bulk_create(rows, batch_size=2000)
    Guide.objects.bulk_create(
        [
            Guide(
                district=district,
                year=today.year,
                month=today.month,
                theme="学习党章党规，争做合格党员",
                materials="《中国共产党章程》\n《中国共产党支部工作条例（试行）》",
                deadline=dt.date(today.year, today.month, 28),
                kinds=["theme_day", "party_lecture"],
                created_by=admin,
            )
        ]
    )
    material, derived = Task.objects.bulk_create(
        [
            Task(
                district=district,
                kind=rules.MATERIAL,
                title=f"{today.year}年度党建工作特色做法材料",
                body="请各党支部报送一篇本年度党建工作特色做法（1500字以内，可附照片）。",
                year=today.year,
                due_on=today + dt.timedelta(days=14),
                created_by=admin,
            ),
            Task(
                district=district,
                kind=rules.MEMBER_COUNT,
                title=f"{today.year}年党员人数核对",
                body="请核对系统中的党员人数并确认。",
                year=today.year,
                due_on=today + dt.timedelta(days=10),
                created_by=admin,
            ),
        ]
    )
    answers = []
    for b in branches:
        roll = rng.random()
        if roll < 0.3:
            answers.append(
                Answer(
                    task=material,
                    branch=b,
                    state=AnswerState.SUBMITTED,
                    submitted_at=now,
                    text="本支部以“党建带园建”为抓手，开展党员示范岗活动。",
                )
            )
        elif roll < 0.45:
            answers.append(
                Answer(
                    task=material,
                    branch=b,
                    state=AnswerState.APPROVED,
                    submitted_at=now,
                    decided_at=now,
                    text="本支部开展“红色故事进课堂”活动。",
                )
            )
        elif roll < 0.5:
            answers.append(
                Answer(
                    task=material,
                    branch=b,
                    state=AnswerState.RETURNED,
                    submitted_at=now,
                    decided_at=now,
                    text="特色做法。",
                    reason="内容过于简略，请补充具体做法和成效。",
                )
            )
        else:
            answers.append(Answer(task=material, branch=b))
        answers.append(Answer(task=derived, branch=b))
    Answer.objects.bulk_create(answers, batch_size=2000)
