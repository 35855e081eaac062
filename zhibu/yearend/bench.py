"""`make bench` figures for 年终材料: the pack of a demo branch (a full year of records), built as the
background job builds it (`services.build_pack`), and the district page over the whole demo district.
The demo branch has the demo's members per branch (30 at 1,000 × 30); the target is for 50."""

from __future__ import annotations

import datetime as dt
import time

from django.urls import reverse

from zhibu.core import clock
from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    from zhibu.yearend import services

    branch = ctx.branches[0]
    with clock.frozen(dt.date(ctx.year, 12, 28)):  # the whole year's records count
        t0 = time.perf_counter()
        services.build_pack(lambda done, total, message: None, branch_id=branch.pk, year=ctx.year)
        seconds = time.perf_counter() - t0
    client = client_for(ctx.accounts["district"])
    url = reverse("yearend:district", kwargs={"org_id": ctx.district.pk}) + f"?year={ctx.year}"
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    ms = timed(lambda: client.get(url), repeat=3) * 1000
    return [
        figure("yearend_pack_seconds", seconds, "s", 30),
        # ≤ 20: session, user, roles, the district, navigation; then the branches and the submissions
        figure("yearend_district_queries", queries, "queries", 20),
        figure("yearend_district_ms", ms, "ms", 2000),
    ]
