"""Demo 学习教育: a year of collective study for every branch (most of it for all staff, non-members
included), an external course and a frail member here and there, and the first branch's study
obligations and quotas with a few 心得. bulk_create only; no audit entries (demo data)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from zhibu.core import clock
from zhibu.orgs.models import MEMBER_STANDINGS, Person
from zhibu.study.apps import seed_categories
from zhibu.study.models import (
    Attendee,
    Audience,
    Category,
    Exemption,
    Length,
    Obligation,
    Quota,
    Reflection,
    Session,
    StudyForm,
    Training,
    TrainingStatus,
)

TOPICS = (
    ("theory", StudyForm.CENTRAL, "学习党的二十届四中全会精神"),
    ("ethics", StudyForm.TALK, "新时代幼儿园教师职业行为十项准则专题学习"),
    ("integrity", StudyForm.CENTRAL, "警示教育：典型案例通报学习"),
    ("theory", StudyForm.READING_CLASS, "《习近平谈治国理政》读书班"),
    ("ideology", StudyForm.CENTRAL, "意识形态工作责任制专题学习"),
    ("work", StudyForm.ONLINE, "线上学习：学前教育法解读"),
    ("theory", StudyForm.VISIT, "参观红色教育基地现场教学"),
    ("ethics", StudyForm.CENTRAL, "师德师风建设专题学习"),
)
MONTHS = (1, 3, 4, 6, 9, 10, 11, 12)  # six sessions a year per branch, spread over the school terms


def generate(ctx) -> None:
    rng, year = ctx.rng, ctx.year
    today = clock.today()
    seed_categories(sender=None)  # `zhibu demo --reset` empties every table, the reference rows included
    categories = {c.code: c for c in Category.objects.all()}
    sessions: list[Session] = []
    trainings: list[Training] = []
    exemptions: list[Exemption] = []
    for index, branch in enumerate(ctx.branches):
        people = ctx.people.get(branch.pk, [])
        if not people:
            continue
        members = [p for p in people if p.standing in MEMBER_STANDINGS]
        for n, month in enumerate(rng.sample(MONTHS, 6)):
            date = dt.date(year, month, rng.randint(3, 26))
            if date > today:
                continue
            code, form, topic = TOPICS[(index + n) % len(TOPICS)]
            staff = n % 3 != 2
            length = Length.HALF_DAY if form == StudyForm.VISIT else Length.HOURS
            hours = Decimal(4) if length == Length.HALF_DAY else Decimal(rng.choice((1, 1.5, 2)))
            sessions.append(
                Session(
                    branch=branch,
                    date=date,
                    length=length,
                    hours=hours,
                    credited=hours,
                    form=form,
                    category=categories[code],
                    topic=topic,
                    speaker=people[0].name,
                    audience=Audience.STAFF if staff else Audience.MEMBERS,
                    summary="传达学习有关文件精神，结合本园实际交流讨论。",
                )
            )
        if members and index % 4 == 0:
            p = rng.choice(members)
            d = min(dt.date(year, 7, 15), today)
            trainings.append(
                Training(
                    branch=branch,
                    person=p,
                    date=d,
                    title="区委党校党员轮训班",
                    provider="区委党校",
                    hours=Decimal(16),
                    status=TrainingStatus.APPROVED,
                )
            )
        if len(members) > 10 and index % 10 == 3:
            exemptions.append(Exemption(branch=branch, person=members[-1], year=year, reason="年老体弱"))
    Session.objects.bulk_create(sessions, batch_size=2000)
    _attend(sessions)
    Training.objects.bulk_create(trainings, batch_size=1000)
    Exemption.objects.bulk_create(exemptions, batch_size=1000)
    if ctx.branches:
        _first_branch(ctx, ctx.branches[0], year, today)


def _attend(sessions: list[Session]) -> None:
    """Attendance in one INSERT … SELECT (a row per person present, about 130,000 at 1,000 branches:
    building them as objects would cost seconds): the audience, nine in ten present."""
    if not sessions:
        return
    first = min(s.pk for s in sessions)
    attendee, session, person = Attendee._meta.db_table, Session._meta.db_table, Person._meta.db_table
    members = ", ".join(f"'{s}'" for s in MEMBER_STANDINGS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {attendee} (session_id, person_id) SELECT s.id, p.id FROM {session} s "
            f"JOIN {person} p ON p.branch_id = s.branch_id "
            f"WHERE s.id >= %s AND p.active AND (s.audience = %s OR p.standing IN ({members})) "
            f"AND (s.id + p.id) %% 10 <> 0",
            [first, Audience.STAFF],
        )


def _first_branch(ctx, branch, year: int, today: dt.date) -> None:
    Obligation.objects.bulk_create(
        [
            Obligation(
                branch=branch,
                year=year,
                label="每两周组织一次全体教职工政治学习",
                frequency="monthly",
                text="每两周组织一次全体教职工政治学习",
            )
        ]
    )
    Quota.objects.bulk_create(
        [
            Quota(branch=branch, year=year, kind="reflections", value=2, text="每人撰写2篇学习体会"),
            Quota(branch=branch, year=year, kind="chars", value=10000, text="年记一万字"),
        ]
    )
    people = [p for p in ctx.people.get(branch.pk, []) if p.standing in MEMBER_STANDINGS][:5]
    text = "通过学习，进一步坚定了理想信念，要把学习成果转化为立德树人的实际行动。"
    Reflection.objects.bulk_create(
        [
            Reflection(
                branch=branch,
                person=p,
                date=min(dt.date(year, 3, 20), today),
                title="学习体会",
                text=text,
                chars=len(text),
                shared_at=clock.now() if i < 2 else None,
            )
            for i, p in enumerate(people)
        ]
    )
