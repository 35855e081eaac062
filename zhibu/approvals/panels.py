"""Home-page panels: the district's "待审批 N（超期 M）" (one query) and the branch's "被打回 N" (one
query), each with a link to its page."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.approvals import selectors
from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    returned = selectors.returned_count(org)
    if not returned:
        return None
    return render_to_string("approvals/panel.html", {"org": org, "returned": returned})


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    counts = selectors.counts_for_district(org, clock.today())
    return render_to_string("approvals/district_panel.html", {"org": org, "counts": counts})
