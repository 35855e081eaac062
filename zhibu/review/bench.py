"""`make bench` figures for 民主评议: the district grid over the whole demo district."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("review:district", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation; then branches, their ancestors' settings,
        # reviews, steps done, grade counts (selectors.district_grid).
        figure("review_district_grid_queries", queries, "queries", 20),
        figure("review_district_grid_ms", seconds * 1000, "ms", 2000),
    ]
