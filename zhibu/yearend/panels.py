"""Home-page panels: whether the branch has submitted the year's pack (1 query) and how many branches
below the district have (2 queries)."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import Organisation, OrgKind
from zhibu.yearend import rules
from zhibu.yearend.models import Submission


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = rules.default_year(clock.today())
    latest = Submission.objects.filter(branch=org, year=year).order_by("-submitted_at", "-id").first()
    text = (
        f"{year}年度材料已于{latest.submitted_at.astimezone(clock.TZ):%Y-%m-%d}报送"
        if latest
        else f"{year}年度材料尚未报送"
    )
    return render_to_string("yearend/panel.html", {"org": org, "year": year, "text": text, "link": "yearend:index"})


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = rules.default_year(clock.today())
    branches = Organisation.objects.filter(path__startswith=org.path, kind=OrgKind.BRANCH).count()
    submitted = (
        Submission.objects.filter(year=year, branch__path__startswith=org.path).values("branch_id").distinct().count()
    )
    text = f"{year}年度已报送 {submitted}/{branches} 个支部"
    return render_to_string("yearend/panel.html", {"org": org, "year": year, "text": text, "link": "yearend:district"})
