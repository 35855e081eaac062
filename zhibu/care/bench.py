"""`make bench` figures for 关怀: the district page over the whole demo district (per-branch flagged,
visited and unpaired counts)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("care:district", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation; then branches, members, flags,
        # campaigns, visits, unpaired members (selectors.district_view).
        figure("care_district_queries", queries, "queries", 20),
        figure("care_district_ms", seconds * 1000, "ms", 2000),
    ]
