"""`make bench` figures for 党内统计: the district's annual tables over the whole demo district (every
member's facts, the 发展 steps, the organisations and committee posts in four queries)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("stats:index", kwargs={"org_id": ctx.district.pk}) + f"?year={ctx.year}"
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    gaps_url = reverse("stats:branch", kwargs={"org_id": ctx.district.pk})
    gaps_seconds = timed(lambda: client.get(gaps_url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation, the half-year setting; then people,
        # 发展 steps, organisations, committee posts (selectors.report).
        figure("stats_annual_queries", queries, "queries", 20),
        figure("stats_annual_seconds", seconds, "s", 3),
        figure("stats_completeness_seconds", gaps_seconds, "s", 3),
    ]
