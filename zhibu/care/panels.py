"""Home-page panels: this month's 政治生日 and the open visit campaigns (branch, 2 queries); the
district's flagged/visited counts (1 query)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.care import selectors
from zhibu.care.models import Campaign
from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    return render_to_string(
        "care/panel.html",
        {
            "org": org,
            "today": today,
            "birthdays": selectors.birthdays(org, today.year, today.month),
            "campaigns": selectors.open_campaigns(org),
        },
    )


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = clock.today().year
    row = Campaign.objects.filter(branch__path__startswith=org.path).aggregate(
        open=Count("id", filter=Q(closed_on__isnull=True)),
        closed=Count("id", filter=Q(closed_on__year=year)),
    )
    return render_to_string("care/district_panel.html", {"org": org, "year": year, "row": row})
