"""Home-page panels: the branch's review of the year (2 queries) and the district's count of branches per
status (fixed queries: the grid's)."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.review import selectors
from zhibu.review.models import Review


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.VIEW):
        return None
    today = clock.today()
    review = Review.objects.filter(branch=org, year=today.year).first()
    deadline = review.deadline if review is not None and review.deadline else selectors.defaults_for(org).deadline(
        today.year
    )
    status = selectors.status_of(review, deadline, today)
    return render_to_string("review/panel.html", {
        "org": org, "review": review, "status": status, "label": selectors.STATUS_LABELS[status],
        "deadline": deadline, "year": today.year,
        "can_manage": access.get_scope(request).can(org, access.MANAGE),
    })


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    today = clock.today()
    grid = selectors.district_grid(org, year=today.year, today=today)
    return render_to_string("review/district_panel.html", {
        "org": org, "grid": grid, "labels": selectors.STATUS_LABELS, "year": today.year,
    })
