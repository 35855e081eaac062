"""Services' shape (style.md #1): the functions views call are durable transactions, and nothing calls
one from inside another transaction — shared steps are plain helpers (`_name`). Introduced app by app:
an app listed in DURABLE has every public atomic service durable."""
import ast
from pathlib import Path

import pytest

ZHIBU = Path(__file__).resolve().parents[2]
DURABLE = ("plans", "orglife", "orgs", "workdays", "development", "dues", "rectify", "orglifemeeting", "openness", "care", "study",
           "elections")


def _atomic_functions(path: Path) -> dict[str, bool]:
    """Public and private functions of a services module decorated with transaction.atomic → durable?"""
    out = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                src = ast.unparse(decorator)
                if src.startswith("transaction.atomic"):
                    out[node.name] = "durable=True" in src
    return out


def _entry_points() -> dict[str, set[str]]:
    return {app: {name for name, durable in _atomic_functions(ZHIBU / app / "services.py").items() if durable}
            for app in DURABLE}


@pytest.mark.parametrize("app", DURABLE)
def test_every_public_atomic_service_is_durable(app):
    functions = _atomic_functions(ZHIBU / app / "services.py")
    not_durable = sorted(n for n, durable in functions.items() if not durable and not n.startswith("_"))
    assert not not_durable, f"{app}.services: make these durable or plain helpers: {not_durable}"


def _calls_into(path: Path, entry: dict[str, set[str]]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own_app = path.parent.name if path.parent.parent == ZHIBU else None
    aliases: dict[str, str] = {}  # local name → app whose services module it is
    direct: dict[str, str] = {}  # local name → app, for `from zhibu.x.services import f`
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("zhibu."):
            parts = node.module.split(".")
            for alias in node.names:
                if alias.name == "services" and len(parts) == 2:
                    aliases[alias.asname or "services"] = parts[1]
                if parts[-1] == "services" and len(parts) == 3:
                    direct[alias.asname or alias.name] = parts[1]
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in aliases:
            app = aliases[func.value.id]
            if func.attr in entry.get(app, ()):
                found.append(f"{path.relative_to(ZHIBU)}:{node.lineno} calls {app}.services.{func.attr}")
        elif isinstance(func, ast.Name):
            app = direct.get(func.id) or (own_app if path.name == "services.py" else None)
            if app and func.id in entry.get(app, ()):
                found.append(f"{path.relative_to(ZHIBU)}:{node.lineno} calls {app}.services.{func.id}")
    return found


def test_no_code_but_views_and_commands_calls_a_durable_entry_point():
    """A durable service called inside another transaction fails at run time (the test database's
    TestCase does not enforce durability, so this is checked here)."""
    entry = _entry_points()
    offenders = []
    for path in sorted(ZHIBU.glob("*/*.py")):
        if path.name in ("views.py", "urls.py") or path.parent.name == "tests":
            continue
        offenders += _calls_into(path, entry)
    assert not offenders, offenders
