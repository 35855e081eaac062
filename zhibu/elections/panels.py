"""Home-page panels: the branch's committee term and its 换届 (1 query); the district's overdue and due
committees (1 query)."""

from __future__ import annotations

from django.db.models import Min, OuterRef, Q, Subquery
from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.elections import rules, selectors
from zhibu.elections.models import Election
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind


def branch_panel(request, org) -> str | None:
    """One query: the committee's term end and the open 换届, if any."""
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.VIEW):
        return None
    today = clock.today()
    row = (
        Organisation.objects.filter(pk=org.pk)
        .annotate(
            end=Min("positions__term_end", filter=Q(positions__ended_on__isnull=True)),
            open_election=Subquery(
                Election.objects.filter(branch=OuterRef("pk"), installed_on__isnull=True)
                .order_by("-term_end")
                .values("pk")[:1]
            ),
        )
        .values("end", "open_election")
        .first()
    )
    end = row["end"] if row else None
    state = rules.term_state(end, today)
    if row is None or end is None or state == "ok":
        return None  # the home page shows each member's term; nothing to prompt yet
    return render_to_string(
        "elections/panel_branch.html",
        {
            "org": org,
            "end": end,
            "state": state,
            "state_label": rules.TERM_STATES[state],
            "election_id": row["open_election"],
            "started": today >= rules.checklist_starts(end),
        },
    )


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    counts = selectors.district_counts(org, clock.today())
    return render_to_string("elections/panel_district.html", {"org": org, "counts": counts})
