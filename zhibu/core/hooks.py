"""Hooks are discovered, not listed (like Django's `autodiscover_modules`): an app plugs into the URL
root, the home-page panels, reminders, demo data, plan links, benchmarks and the access-per-URL test by
having a module of the agreed name; no other app's file changes when an app is added.

    for module in app_modules("panels"): module.branch_panel(request, org)
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.util import find_spec
from types import ModuleType


def zhibu_apps() -> list[str]:
    """The installed Zhibu apps' dotted names, in INSTALLED_APPS order (the order hooks run in)."""
    from django.apps import apps

    return [config.name for config in apps.get_app_configs() if config.name.startswith("zhibu.")]


@cache
def _modules(name: str, apps: tuple[str, ...]) -> tuple[ModuleType, ...]:
    found = []
    for app in apps:
        dotted = f"{app}.{name}"
        try:
            spec = find_spec(dotted)
        except ModuleNotFoundError:
            spec = None
        if spec is not None:
            found.append(importlib.import_module(dotted))
    return tuple(found)


def app_modules(name: str, *, exclude: tuple[str, ...] = ()) -> list[ModuleType]:
    """The module `<app>.<name>` of every installed Zhibu app that has one (`name` may be dotted,
    e.g. "tests.access_cases"); apps listed in `exclude` (short labels such as "core") are left out."""
    apps = tuple(app for app in zhibu_apps() if app.rsplit(".", 1)[-1] not in exclude)
    return list(_modules(name, apps))


def app_label(module: ModuleType) -> str:
    """ "zhibu.dues.panels" -> "dues"."""
    return module.__name__.split(".")[1]
