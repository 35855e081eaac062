"""Home-page panels: the branch's open/overdue items (1 query) and the district's totals (1 query)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.rectify import rules
from zhibu.rectify.models import Item


def _counts(qs, today) -> rules.Counts:
    row = qs.aggregate(
        open=Count("id", filter=Q(status__in=rules.ACTIVE)),
        overdue=Count("id", filter=Q(status__in=rules.ACTIVE, deadline__lt=today)),
        closed=Count("id", filter=Q(status__in=rules.FINISHED)),
    )
    return rules.Counts(row["open"] or 0, row["overdue"] or 0, row["closed"] or 0)


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    counts = _counts(Item.objects.filter(branch=org), today)
    return render_to_string("rectify/panel.html", {"org": org, "counts": counts, "link": "rectify:index"})


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    counts = _counts(Item.objects.filter(branch__path__startswith=org.path), today)
    return render_to_string("rectify/panel.html", {"org": org, "counts": counts, "link": "rectify:district"})
