"""Hooks are discovered from the installed apps: no hand-kept list of apps remains anywhere."""
import re
from pathlib import Path

from zhibu.core.hooks import app_label, app_modules, zhibu_apps

ROOT = Path(__file__).resolve().parents[3]


def test_it_finds_each_hook_in_installed_app_order():
    assert zhibu_apps()[:2] == ["zhibu.core", "zhibu.orgs"]
    assert [app_label(m) for m in app_modules("urls")][:2] == ["core", "orgs"]
    assert {"orglife", "plans", "development", "dues"} <= {app_label(m) for m in app_modules("panels")}
    assert {"orglife", "development", "dues"} <= {app_label(m) for m in app_modules("reminders")}
    assert "core" not in {app_label(m) for m in app_modules("demo", exclude=("core", "orgs"))}
    assert {app_label(m) for m in app_modules("tests.access_cases")} >= {"core", "orgs", "dues"}


def test_a_missing_hook_is_skipped():
    assert app_modules("no_such_module") == []


def test_no_file_keeps_a_list_of_app_names():
    """A tuple of three or more app labels in the code is a hand-kept list: use `app_modules(...)`."""
    labels = "|".join(["orgs", "plans", "orglife", "development", "dues", "workdays"])
    pattern = re.compile(rf'\(\s*"({labels})"\s*,\s*"({labels})"\s*,\s*"({labels})"')
    offenders = []
    for path in [*ROOT.glob("zhibu/**/*.py"), *ROOT.glob("bench/*.py")]:
        if "tests" in path.parts:  # tests may name apps; the code that runs hooks may not
            continue
        text = path.read_text(encoding="utf-8")
        if pattern.search(text) and "ORDER = (" not in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
