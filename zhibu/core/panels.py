"""Panels that other apps add to the branch and district home pages, without the pages importing
those apps' views: a module `zhibu.<app>.panels` may define

    branch_panel(request, org) -> str | None      # rendered HTML, shown on the branch home
    district_panel(request, org) -> str | None    # shown on a committee's home

Each panel must keep its own query count fixed (the home pages' counts are pinned in tests)."""
from __future__ import annotations

from zhibu.core.hooks import app_modules

# Panels appear in this order; an app not named here follows them in INSTALLED_APPS order.
ORDER = ("orglife", "plans", "development", "dues")


def _rank(module) -> tuple[int, int]:
    label = module.__name__.split(".")[1]
    return (ORDER.index(label) if label in ORDER else len(ORDER), 0)


def render(request, org, kind: str) -> list[str]:
    out = []
    for module in sorted(app_modules("panels"), key=_rank):
        fn = getattr(module, f"{kind}_panel", None)
        if fn is not None:
            html = fn(request, org)
            if html:
                out.append(html)
    return out
