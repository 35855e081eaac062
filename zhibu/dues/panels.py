"""Home-page panels: this month's collection and arrears (branch), every branch's rate (district).
Fixed query counts: the branch panel runs `month_close` over one branch (4 queries, plus 1 to find a
plain member's own record); the district panel one `month_close` over the subtree (4 queries)."""
from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import access, clock
from zhibu.dues import selectors
from zhibu.orgs.models import OrgKind, Person


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH:
        return None
    scope = access.get_scope(request)
    today = clock.today()
    context = {"org": org, "month": today}
    if scope.can(org, access.AUDIT):
        close = selectors.current_arrears(org, today)
        context["stats"] = close.branches.get(org.pk) or selectors.BranchMonth(org.pk)
    else:
        own = Person.objects.filter(branch=org, user=request.user).values_list("pk", flat=True).first()
        if own is None:
            return None
        close = selectors.current_arrears(org, today, person_id=own)
        if not close.rows:
            return None
        context["mine"] = close.rows[0]
    return render_to_string("dues/panel_branch.html", context, request=request)


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    close = selectors.current_arrears(org, today)
    return render_to_string("dues/panel_district.html", {"org": org, "month": today, "total": close.total}, request=request)
