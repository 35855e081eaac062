"""Home-page panels: this month's collection and arrears (branch), every branch's rate (district).

The home page gets a placeholder that costs no query (the home pages have a tight query budget, and
the district figure runs the month close over every member below): htmx loads the panel from
`dues:panel` as soon as the page is shown. That view has its own fixed query count: `month_close`
over one branch (4 queries, plus 1 to find a plain member's own record) or over the subtree (4)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.dues import selectors
from zhibu.orgs.models import OrgKind, Person


def _placeholder(org, element_id: str, link_name: str, link_label: str) -> str:
    return format_html(
        '<section id="{}" hx-get="{}" hx-trigger="load" hx-swap="outerHTML"><h2>党费</h2><div class="card">'
        '<span class="muted">加载中…</span> <a href="{}">{}</a></div></section>',
        element_id, reverse("dues:panel", kwargs={"org_id": org.pk}), reverse(link_name, kwargs={"org_id": org.pk}), link_label,
    )


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH:
        return None
    return _placeholder(org, "dues-panel", "dues:index", "党费台账")


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    return _placeholder(org, "dues-district-panel", "dues:district", "各支部收缴率")


def render_panel(request, org) -> str:
    """The panel's content (served by `dues:panel`)."""
    scope = access.get_scope(request)
    today = clock.today()
    if org.kind != OrgKind.BRANCH:
        if not scope.can(org, access.AUDIT):
            return ""
        close = selectors.current_arrears(org, today)
        return render_to_string("dues/panel_district.html", {"org": org, "month": today, "total": close.total}, request=request)
    context = {"org": org, "month": today}
    if scope.can(org, access.AUDIT):
        close = selectors.current_arrears(org, today)
        context["stats"] = close.branches.get(org.pk) or selectors.BranchMonth(org.pk)
    else:
        own = Person.objects.filter(branch=org, user=request.user).values_list("pk", flat=True).first()
        if own is None:
            return ""
        close = selectors.current_arrears(org, today, person_id=own)
        if not close.rows:
            return ""
        context["mine"] = close.rows[0]
    return render_to_string("dues/panel_branch.html", context, request=request)
