"""Panels that other apps add to the branch and district home pages, without the pages importing
those apps' views: a module `zhibu.<app>.panels` may define

    branch_panel(request, org) -> str | None      # rendered HTML, shown on the branch home
    district_panel(request, org) -> str | None    # shown on a committee's home

Each panel must keep its own query count fixed (the home pages' counts are pinned in tests)."""
from __future__ import annotations

import importlib
from importlib.util import find_spec

PANEL_APPS = ("orglife", "plans", "development", "dues")


def render(request, org, kind: str) -> list[str]:
    out = []
    for app in PANEL_APPS:
        name = f"zhibu.{app}.panels"
        if find_spec(name) is None:
            continue
        fn = getattr(importlib.import_module(name), f"{kind}_panel", None)
        if fn is not None:
            html = fn(request, org)
            if html:
                out.append(html)
    return out
