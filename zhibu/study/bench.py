"""`make bench` figures for 学习教育: the district study view (branches × members below target) over
the whole demo district."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("study:district", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation; then settings chain, branches, members,
        # session hours, 党课/主题党日 hours, training hours, committee, exemptions (selectors.district_rows).
        figure("study_district_queries", queries, "queries", 20),
        figure("study_district_ms", seconds * 1000, "ms", 2000),
    ]
