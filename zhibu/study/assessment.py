"""Assessment measure of 学习 (the hook is described in zhibu/assessment/hooks.py): the share of a
branch's members whose 集中学习培训 学时 reach the target (32, 书记 and 支委 56; 党员教育管理工作条例
第20条), a branch-level figure — never a ranking of people, never 在线学习时长 (rules2.md §5). Counted
as the study app counts (zhibu.study.selectors: sessions, approved trainings, 党课 and 主题党日 attended).
2 queries whatever the number of branches (the members with their hours; the study settings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import DecimalField, Exists, FloatField, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from zhibu.orglife.models import Attendance, AttendanceStatus
from zhibu.orglife.selectors import STUDY_KINDS, Seconds
from zhibu.orgs.models import MEMBER_STANDINGS, CommitteePosition, Organisation, Person
from zhibu.study import rules
from zhibu.study.models import Attendee, Exemption, Training, TrainingStatus

FORMULA = (
    "学时达标的党员人数 ÷（党员人数 − 免于参学要求的党员）× 100%。学时为本年度支部集中学习、党课和主题党日、"
    "经认定的培训合计，党员每年不少于32学时，书记和支委不少于56学时；只统计到支部，不对个人排名，不计在线学习时长。"
    "没有党员的支部计满分。"
)


SETTING_KEYS = tuple(rules.DEFAULTS)


def _configs(paths: set[str]) -> dict[str, dict[str, int]]:
    """path -> the study settings in force there (the nearest organisation's value wins): one query
    for the few organisations that set any of them."""
    keyed = Q()
    for key in SETTING_KEYS:
        keyed |= Q(settings__has_key=key)
    set_here = dict(Organisation.objects.filter(keyed).values_list("pk", "settings"))
    out = {}
    for path in paths:
        ids = [int(p) for p in path.strip("/").split("/") if p.isdigit()]
        out[path] = rules.config([set_here.get(i) or {} for i in reversed(ids)])
    return out


def met_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of, fraction

    ids = list(branch_ids)
    day = as_of(year)
    start = dt.date(year, 1, 1)
    sessions = (
        Attendee.objects.filter(person_id=OuterRef("pk"), session__date__gte=start, session__date__lte=day)
        .values("person_id")
        .annotate(h=Sum("session__credited"))
        .values("h")
    )
    training = (
        Training.objects.filter(person_id=OuterRef("pk"), date__year=year, status=TrainingStatus.APPROVED)
        .values("person_id")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    presence = (
        Attendance.objects.filter(
            person_id=OuterRef("pk"),
            status=AttendanceStatus.PRESENT,
            meeting__kind__in=STUDY_KINDS,
            meeting__date__gte=start,
            meeting__date__lte=day,
        )
        .values("person_id")
        .annotate(t=Sum(Seconds("meeting__starts_at", "meeting__ends_at")))
        .values("t")
    )
    leader = CommitteePosition.objects.filter(
        person_id=OuterRef("pk"), branch_id=OuterRef("branch_id"), ended_on__isnull=True, term_start__lte=day
    )
    rows = list(
        Person.objects.filter(branch_id__in=ids, active=True, standing__in=MEMBER_STANDINGS)
        .exclude(Exists(Exemption.objects.filter(person_id=OuterRef("pk"), year=year)))
        .annotate(
            s=Subquery(sessions, output_field=DecimalField()),
            t=Subquery(training, output_field=DecimalField()),
            p=Subquery(presence, output_field=FloatField()),
            lead=Exists(leader),
        )
        .values_list("branch_id", "branch__path", "s", "t", "p", "lead")
        .order_by()
    )
    configs = _configs({path for _b, path, *_rest in rows})
    count: dict[int, list[int]] = {b: [0, 0] for b in ids}
    for branch_id, path, s, t, p, lead in rows:
        cfg = configs[path]
        seconds = float(p) if p else 0.0
        meetings = rules.credited_for_duration(seconds, {**cfg, "study_full_day": 10_000}) if seconds else Decimal(0)
        hours = Decimal(s or 0) + Decimal(t or 0) + meetings
        c = count[branch_id]
        c[0] += 1
        c[1] += hours >= rules.target_hours(leader=lead, cfg=cfg)
    return {b: fraction(met, total, empty=1.0) for b, (total, met) in count.items()}


def _url(branch_id: int, year: int) -> str:
    return reverse("study:index", kwargs={"org_id": branch_id}) + f"?year={year}"


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(key="study_hours", label="党员学习学时达标", formula=FORMULA, compute=met_rate, url=_url, column="学习")
    ]
