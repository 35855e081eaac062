"""`make bench` figures for 报批审批: the district inbox over the whole demo district (one list across
every branch, oldest first), as the district admin."""

from __future__ import annotations

from django.urls import reverse

from zhibu.core.benchmarks import client_for, count_queries, figure, timed


def run(ctx) -> list[dict]:
    client = client_for(ctx.accounts["district"])
    url = reverse("approvals:inbox", kwargs={"org_id": ctx.district.pk})
    client.get(url)  # warm
    queries = count_queries(lambda: client.get(url))
    seconds = timed(lambda: client.get(url), repeat=3)
    return [
        # ≤ 20: session, user, roles, the district, navigation; the page count and the page of rows
        # (with their branches); the kinds are code, the due dates stored.
        figure("approvals_inbox_queries", queries, "queries", 20),
        figure("approvals_inbox_ms", seconds * 1000, "ms", 2000),
    ]
