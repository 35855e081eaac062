"""The layering stays true: pure rule modules and the plan parser import nothing from Django; views
never write models themselves; no app imports another app's views."""
import ast
from pathlib import Path

import pytest

ZHIBU = Path(__file__).resolve().parents[2]
PURE = sorted(ZHIBU.glob("*/rules.py")) + sorted(ZHIBU.glob("*/rules/*.py")) + [
    ZHIBU / "plans" / f"{name}.py" for name in ("parser", "check", "targets", "vocabulary", "text", "months", "reader", "render")
] + [ZHIBU / "workdays" / "calendar.py"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ZHIBU)))
def test_pure_modules_import_no_django_and_no_models(path):
    bad = {n for n in _imports(path) if n.startswith("django") or n.endswith(".models") or n.endswith(".selectors")}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", sorted(ZHIBU.glob("*/views.py")), ids=lambda p: str(p.relative_to(ZHIBU)))
def test_views_do_not_write_models_or_import_other_apps_views(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    writes = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and n.func.attr in {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}]
    assert not writes, f"{path.parent.name}/views.py writes models at lines {writes}: use a service"
    app = path.parent.name
    other_views = {n for n in _imports(path) if n.startswith("zhibu.") and n.endswith(".views") and n != f"zhibu.{app}.views"}
    assert not other_views, other_views


DOMAIN_APPS = ("orgs", "workdays", "plans", "orglife", "orglifemeeting", "development", "dues", "rectify")


@pytest.mark.parametrize("path", sorted(p for p in (ZHIBU / "core").rglob("*.py") if "tests" not in p.parts),
                         ids=lambda p: str(p.relative_to(ZHIBU)))
def test_core_is_infrastructure_and_imports_no_domain_app(path):
    """Every arrow points down: core knows no domain (access, navigation and the cast live in orgs)."""
    bad = {n for n in _imports(path) if n.split(".")[:2] in [["zhibu", app] for app in DOMAIN_APPS]}
    assert not bad, f"{path.relative_to(ZHIBU)} imports {bad}"
