"""Home-page panels: this month's obligations and the year's grid on the branch home; the most
overdue branches on a committee's home. Fixed query counts (4 and 6); rendered without the request so that no context processor
adds queries."""
from __future__ import annotations

from django.template.loader import render_to_string

from zhibu.core import clock
from zhibu.core.hooks import app_modules
from zhibu.orgs import access
from zhibu.orglife import rules, selectors


def branch_panel(request, org) -> str | None:
    today = clock.today()
    # 三会一课 and the other obligations orglife keeps; the ones other apps add (学习制度, 三务公开, …)
    # are on the obligations page, so the home page's query count does not grow with the apps.
    ob = selectors.branch_obligations(org, today.year, today, extra_apps=False)
    return render_to_string("orglife/panel_branch.html", {
        "org": org, "ob": ob, "labels": rules.STATUS_LABELS, "months": range(1, 13),
        "other_apps": bool(app_modules("obligations")),
        "can_manage": access.get_scope(request).can(org, access.MANAGE),
    })


def district_panel(request, org) -> str | None:
    today = clock.today()
    rows = selectors.district_grid(org, year=today.year, as_of=today, months=None)
    if not rows:
        return None
    overdue = [r for r in rows if r.overdue]
    return render_to_string("orglife/panel_district.html", {
        "org": org, "label": f"{today.year}年截至{today.month}月{today.day}日", "total": len(rows),
        "overdue_branches": len(overdue), "top": overdue[:5],
    })
