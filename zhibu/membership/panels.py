"""Home-page panels: the branch's transfers in progress, letters past validity and members' requests
(2 queries); the district's transfers not completed (1 query). Nothing when there is nothing to do."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.membership import selectors
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def _panel(org, cases, requests: int) -> str | None:
    today = clock.today()
    if not cases and not requests:
        return None
    overdue = sum(1 for c in cases if c.overdue(today))
    return render_to_string(
        "membership/panel.html",
        {
            "org": org,
            "open": len(cases),
            "overdue": overdue,
            "requests": requests,
            "district": org.kind != OrgKind.BRANCH,
        },
    )


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    return _panel(org, list(selectors.open_cases(org)), selectors.open_requests(org).count())


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    return _panel(org, list(selectors.open_cases(org)), 0)
