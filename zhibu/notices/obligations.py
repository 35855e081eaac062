"""The obligations hook orglife discovers (`orglife.selectors.extra_obligations`): each meeting kind a
month's 组织生活指南 asked for joins the branch's grid as a yearly line ("3月指南：主题党日"), met by
the dates a meeting of that kind was held in that month (read through orglife's selectors; 2 queries,
1 when the district sent no guide that year)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from zhibu.notices import selectors
from zhibu.notices.models import Guide
from zhibu.orglife import rules as orglife_rules
from zhibu.orglife import selectors as orglife

SOURCE = "上级党组织的月度组织生活指南"


def branch_obligations(branch, year: int) -> list[tuple[orglife_rules.Obligation, list[dt.date]]]:
    guides = list(
        Guide.objects.filter(district_id__in=selectors.district_of(branch), year=year)
        .order_by("month", "id")
        .values_list("id", "month", "kinds", "theme")
    )
    guides = [g for g in guides if g[2]]
    if not guides:
        return []
    asked = {k for _pk, _m, kinds, _t in guides for k in kinds}
    held: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    for kind, date in orglife.meetings_of(branch, year).filter(kind__in=asked).values_list("kind", "date"):
        held[(kind, date.month)].append(date)
    out = []
    for pk, month, kinds, theme in guides:
        for kind in kinds:
            label = f"{month}月指南：{selectors.GUIDE_KIND_LABELS.get(kind, kind)}"
            ob = orglife_rules.Obligation(f"notices:{pk}:{kind}", label, orglife_rules.YEARLY, f"{SOURCE}（{theme}）")
            out.append((ob, sorted(held.get((kind, month), []))))
    return out
