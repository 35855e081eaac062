"""Home-page panels: the branch's committee term and its 换届 (2 queries); the district's overdue and due
committees (1 query)."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.elections import rules, selectors
from zhibu.elections.models import Election
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.VIEW):
        return None
    today = clock.today()
    end = selectors.committee_term_end(org)
    state = rules.term_state(end, today)
    if state in ("ok", "none"):
        return None  # the home page already shows each member's term; nothing to prompt yet
    election = Election.objects.filter(branch=org, installed_on__isnull=True).order_by("-term_end").first()
    return render_to_string(
        "elections/panel_branch.html",
        {
            "org": org,
            "end": end,
            "state": state,
            "state_label": rules.TERM_STATES[state],
            "election": election,
            "started": end is not None and today >= rules.checklist_starts(end),
        },
    )


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    counts = selectors.district_counts(org, clock.today())
    return render_to_string("elections/panel_district.html", {"org": org, "counts": counts})
