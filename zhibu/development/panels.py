"""Home-page panels (zhibu.core.panels): the branch's 发展党员 pipeline; the district's links."""
from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.development import selectors
from zhibu.development.models import Candidate


def branch_panel(request, org) -> str | None:
    """Pipeline counts per stage and what is overdue: one query (stored status, see services.refresh)."""
    if not access.get_scope(request).can(org, access.AUDIT):
        return None
    counts = selectors.panel_counts(org, clock.today())
    if not counts["total"]:
        return None
    return render_to_string("development/panel.html", {"org": org, "counts": counts})


def district_panel(request, org) -> str | None:
    scope = access.get_scope(request)
    if not scope.can(org, access.AUDIT):
        return None
    today = clock.today()
    row = Candidate.objects.filter(branch__path__startswith=org.path, archived=False).aggregate(
        total=Count("id"), late=Count("id", filter=Q(next_due__lt=today)),
        flagged=Count("id", filter=Q(open_violations__gt=0)))
    links = []
    if scope.can(org, access.ADMIN):
        links = [("节假日与调休维护", reverse("workdays:holidays", kwargs={"org_id": org.pk})),
                 ("发展党员文书模板", reverse("development:templates", kwargs={"org_id": org.pk}))]
    return render_to_string("development/district_panel.html", {"org": org, "row": row, "links": links})
