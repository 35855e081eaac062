"""Home-page panel of the district: this year's members and 发展 at a glance (1 query), linking to
党内统计 and the completeness check."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import MEMBER_STANDINGS, OrgKind, Person


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    start = today.replace(month=1, day=1)
    row = Person.objects.filter(branch__path__startswith=org.path).aggregate(
        members=Count("id", filter=Q(active=True, standing__in=MEMBER_STANDINGS, admitted_on__lte=today)),
        admitted=Count("id", filter=Q(admitted_on__range=(start, today))),
        confirmed=Count("id", filter=Q(full_on__range=(start, today))),
    )
    return render_to_string("stats/district_panel.html", {"org": org, "year": today.year, "row": row})
