"""The obligations hook orglife discovers (`orglife.selectors.extra_obligations`): the branch's study
frequencies (from its plan's targets or set by hand) in the same grid as 三会一课 (2 queries; 1 when
the branch has none). Any collective study session of the branch meets them."""

from __future__ import annotations

import datetime as dt

from zhibu.orglife import rules as orglife_rules
from zhibu.study.models import Obligation, Session

SOURCE = "本支部年度工作计划（学习制度）"


def branch_obligations(branch, year: int) -> list[tuple[orglife_rules.Obligation, list[dt.date]]]:
    rows = list(Obligation.objects.filter(branch=branch, year=year).values_list("id", "label", "frequency", "text"))
    if not rows:
        return []
    dates = list(Session.objects.filter(branch=branch, date__year=year).values_list("date", flat=True))
    out = []
    for pk, label, frequency, text in rows:
        if frequency not in orglife_rules.FREQUENCIES:
            continue
        source = f"{SOURCE}：{text}" if text else SOURCE
        out.append((orglife_rules.Obligation(f"study:{pk}", label, frequency, source, configurable=True), dates))
    return out
