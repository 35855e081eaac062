"""Home-page panels: the branch's score this year (the assessment of one branch: a fixed number of
queries) and, for a district, the year's rubric and how many 述职 reports are in (2 queries)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.template.loader import render_to_string

from zhibu.assessment import selectors
from zhibu.assessment.models import Report
from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = clock.today().year
    result = selectors.assess(org, year)
    if result.rubric is None:
        return None
    return render_to_string(
        "assessment/panel.html", {"org": org, "year": year, "row": result.rows[0], "total": result.total}
    )


def district_panel(request, org) -> str | None:
    if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = clock.today().year
    rubric = selectors.rubric_for(org, year)
    counts = Report.objects.filter(year=year, branch__path__startswith=org.path).aggregate(
        uploaded=Count("id", filter=~Q(file_name="")), graded=Count("id", filter=~Q(grade=""))
    )
    return render_to_string(
        "assessment/district_panel.html", {"org": org, "year": year, "rubric": rubric, "counts": counts}
    )
