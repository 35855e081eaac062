"""Home-page panel: the commendation rounds now open for nominations, for the branch managers (1 query)."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.commend import selectors
from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.MANAGE):
        return None
    rounds = selectors.open_rounds_for(org, clock.today())
    if not rounds:
        return None
    return render_to_string("commend/panel.html", {"org": org, "rounds": rounds})
