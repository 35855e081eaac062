"""Assessment measure of 学习 (the hook is described in zhibu/assessment/hooks.py): the share of a
branch's members whose 集中学习培训 学时 reach the target (32, 书记 and 支委 56; 党员教育管理工作条例
第20条), a branch-level figure — never a ranking of people, never 在线学习时长 (rules2.md §5). Counted
as the study app counts (zhibu.study.selectors). 8 queries whatever the number of branches."""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from zhibu.orgs.models import MEMBER_STANDINGS, Organisation, Person
from zhibu.study import rules, selectors
from zhibu.study.models import Exemption

FORMULA = (
    "学时达标的党员人数 ÷（党员人数 − 免于参学要求的党员）× 100%。学时为本年度支部集中学习、党课和主题党日、"
    "经认定的培训合计，党员每年不少于32学时，书记和支委不少于56学时；只统计到支部，不对个人排名，不计在线学习时长。"
    "没有党员的支部计满分。"
)


def _common_prefix(paths: list[str]) -> str:
    """The deepest organisation path above every one of `paths` ("/1/5/")."""
    if not paths:
        return "/"
    prefix = os.path.commonprefix(paths)
    return prefix[: prefix.rfind("/") + 1] or "/"


def met_rate(branch_ids: Sequence[int], year: int) -> dict[int, float]:
    from zhibu.assessment.hooks import as_of, fraction

    ids = list(branch_ids)
    day = as_of(year)
    prefix = _common_prefix(list(Organisation.objects.filter(pk__in=ids).values_list("path", flat=True)))
    chain_ids = [int(p) for p in prefix.strip("/").split("/") if p.isdigit()]
    by_id = dict(Organisation.objects.filter(pk__in=chain_ids).values_list("pk", "settings")) if chain_ids else {}
    cfg = rules.config([by_id.get(i) or {} for i in reversed(chain_ids)])
    members = list(
        Person.objects.filter(branch_id__in=ids, active=True, standing__in=MEMBER_STANDINGS).values_list(
            "id", "branch_id"
        )
    )
    sessions, meetings, training = selectors._hours_maps(prefix, year, day, cfg)
    lead = selectors.leaders(Q(branch_id__in=ids), day)
    exempt = set(Exemption.objects.filter(branch_id__in=ids, year=year).values_list("person_id", flat=True))
    count: dict[int, list[int]] = {b: [0, 0] for b in ids}
    for pid, branch_id in members:
        if pid in exempt:
            continue
        c = count[branch_id]
        c[0] += 1
        hours = sum((Decimal(x.get(pid) or 0) for x in (sessions, meetings, training)), Decimal(0))
        if hours >= rules.target_hours(leader=pid in lead, cfg=cfg):
            c[1] += 1
    return {b: fraction(met, total, empty=1.0) for b, (total, met) in count.items()}


def _url(branch_id: int, year: int) -> str:
    return reverse("study:index", kwargs={"org_id": branch_id}) + f"?year={year}"


def measures() -> list:
    from zhibu.assessment.hooks import Measure

    return [
        Measure(key="study_hours", label="党员学习学时达标", formula=FORMULA, compute=met_rate, url=_url, column="学习")
    ]
