"""`make bench` figures for 整改: the district page over the whole demo district (every branch's
open/overdue/closed counts, the items to approve, the items the district raised)."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("rectify:district", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation; then branches, counts, closer settings,
        # items to approve, items raised, 回头看 due (see selectors.district_view).
        figure("rectify_district_queries", queries, "queries", 20),
        figure("rectify_district_ms", seconds * 1000, "ms", 2000),
    ]
