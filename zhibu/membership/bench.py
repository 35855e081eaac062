"""`make bench` figures for 组织关系: the district page over the whole demo district (every transfer
not completed, the status register, the 失联 list)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("membership:district", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 14 (pinned in tests/test_views.py): session, user, roles, the district, navigation; then the
        # open cases, the register and the 失联 list, one query each.
        figure("membership_district_queries", queries, "queries", 14),
        figure("membership_district_ms", seconds * 1000, "ms", 2000),
    ]
