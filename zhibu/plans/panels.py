"""The plans panel on the branch home: this month's plan items (one query)."""
from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.plans import selectors


def branch_panel(request, org) -> str | None:
    if not org.is_branch:
        return None
    today = clock.today()
    items = selectors.month_items(org, today.year, today.month)
    return render_to_string("plans/panel.html", {"org": org, "items": items, "month": today.month})  # no request: no context processors, no extra queries
