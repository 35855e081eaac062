"""Home-page panels: the year's study sessions of the branch (1 query) or of the whole district
(1 query), with a link to the hours tables. Hours are computed on the study pages, not here."""

from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.orgs import access
from zhibu.orgs.models import OrgKind
from zhibu.study.models import Session


def branch_panel(request, org) -> str | None:
    if org.kind != OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = clock.today().year
    n = Session.objects.filter(branch=org, date__year=year).count()
    return render_to_string("study/panel.html", {"org": org, "year": year, "sessions": n, "below": None})


def district_panel(request, org) -> str | None:
    if org.kind == OrgKind.BRANCH or not access.get_scope(request).can(org, access.AUDIT):
        return None
    year = clock.today().year
    n = Session.objects.filter(branch__path__startswith=org.path, date__year=year).count()
    return render_to_string("study/panel.html", {"org": org, "year": year, "sessions": n, "district": True})
