"""Home-page panels: this year's 组织生活会 of the branch (1 query) and, for the district, how many
branches have held, are preparing or have not started theirs (2 queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orglifemeeting.models import Cycle
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.VIEW):
        return None
    today = clock.today()
    cycle = Cycle.objects.filter(branch=org, year=today.year).order_by("-term", "-id").first()
    return render_to_string("orglifemeeting/panel.html", {"org": org, "cycle": cycle, "year": today.year,
                                                           "today": today})


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.VIEW):
        return None
    year = clock.today().year
    row = Cycle.objects.filter(branch__path__startswith=org.path, year=year).aggregate(
        held=Count("branch", distinct=True, filter=Q(meeting__isnull=False)),
        started=Count("branch", distinct=True),
    )
    branches = Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).count()
    counts = {"held": row["held"] or 0, "preparing": (row["started"] or 0) - (row["held"] or 0),
              "not_started": branches - (row["started"] or 0), "branches": branches}
    return render_to_string("orglifemeeting/district_panel.html", {"org": org, "counts": counts, "year": year})
