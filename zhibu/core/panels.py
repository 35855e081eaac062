"""Panels that other apps add to the branch and district home pages, without the pages importing
those apps' views: a module `zhibu.<app>.panels` may define

    branch_panel(request, org) -> str | None      # rendered HTML, shown on the branch home
    district_panel(request, org) -> str | None    # shown on a committee's home

Each panel must keep its own query count fixed (each app pins it in its tests).

The apps in INLINE render with the page (the branch home of issue 4: this month's obligations, the
plan, the pipeline and the dues, ≤ 15 queries whatever the data); every other panel is a placeholder
that htmx fills from `orgs:panel` as soon as the page has loaded (a link without JavaScript), so the
home page's own query count does not grow with the apps installed."""
from __future__ import annotations

from dataclasses import dataclass

from zhibu.core.hooks import app_label, app_modules

# Panels appear in this order; an app not named here follows them in INSTALLED_APPS order.
ORDER = ("orglife", "plans", "development", "dues")
INLINE = ORDER


@dataclass(frozen=True)
class Lazy:
    """A panel the page loads after it is shown."""

    app: str


def _rank(module) -> tuple[int, int]:
    label = app_label(module)
    return (ORDER.index(label) if label in ORDER else len(ORDER), 0)


def _modules(kind: str) -> list:
    return [m for m in sorted(app_modules("panels"), key=_rank) if getattr(m, f"{kind}_panel", None) is not None]


def render(request, org, kind: str, *, lazy: bool = True) -> list[str | Lazy]:
    """The home page's panels: rendered HTML for the inline apps, a `Lazy` placeholder for the rest
    (or everything rendered when `lazy` is False)."""
    out: list[str | Lazy] = []
    for module in _modules(kind):
        if lazy and app_label(module) not in INLINE:
            out.append(Lazy(app_label(module)))
            continue
        html = getattr(module, f"{kind}_panel")(request, org)
        if html:
            out.append(html)
    return out


def render_one(request, org, kind: str, app: str) -> str | None:
    """One app's panel (the placeholder's request); None when the app has no such panel."""
    for module in _modules(kind):
        if app_label(module) == app:
            return getattr(module, f"{kind}_panel")(request, org) or ""
    return None
