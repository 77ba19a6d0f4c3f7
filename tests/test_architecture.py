"""Imports point one way (DESIGN.md): the domain knows nothing of the web or the database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", python_files("pathways"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pathways_is_pure_domain(path: Path) -> None:
    forbidden = {"flask", "sqlalchemy", "flask_sqlalchemy", "app", "reminders", "reports"}
    bad = {name for name in imported_modules(path) if name.split(".")[0] in forbidden}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", python_files("app/services"), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_do_not_reach_into_the_web_layer(path: Path) -> None:
    forbidden = ("flask.request", "flask_login.current_user", "flask.session", "flask_wtf")
    bad = {
        name
        for name in imported_modules(path)
        if name.startswith(forbidden) or ".forms" in name or ".routes" in name or ".views" in name
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"


# The persistence layer (models and the extension objects) sits below every package that reads it.
PERSISTENCE = ("app.models", "app.extensions")
TOP_LEVEL = ("app", "pathways", "reminders", "reports", "bench")


def package_of(module: str) -> str | None:
    """The node a module belongs to: app.services and the persistence layer count apart from the rest of app."""
    if module.startswith(PERSISTENCE):
        return "app.models"
    if module == "app.services" or module.startswith("app.services."):
        return "app.services"
    top = module.split(".")[0]
    return top if top in TOP_LEVEL else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_imports() -> dict[tuple[str, str], list[str]]:
    """(importing node, imported node) -> the files that make that edge."""
    edges: dict[tuple[str, str], list[str]] = {}
    for top in TOP_LEVEL:
        for path in python_files(top):
            source = package_of(module_name(path))
            for name in imported_modules(path):
                target = package_of(name)
                if source and target and target != source:
                    edges.setdefault((source, target), []).append(f"{path.relative_to(ROOT)} imports {name}")
    return edges


def test_no_two_packages_import_each_other():
    edges = package_imports()
    both_ways = {
        f"{a} <-> {b}: {edges[(a, b)][0]}; {edges[(b, a)][0]}" for (a, b) in edges if (b, a) in edges and a < b
    }
    assert not both_ways, "\n".join(sorted(both_ways))


WRITE_METHODS = {"add", "add_all", "delete", "commit", "flush", "merge", "bulk_save_objects"}
WRITE_STATEMENTS = {"insert", "update", "delete", "sqlite_insert", "pg_insert"}
EXEMPT = ("app/services/", "bench/", "tests/", "migrations/")


def _writes_statement(call: ast.Call) -> bool:
    """``execute(insert(...))``, ``execute(table.update())`` and the like."""
    for argument in call.args:
        for node in ast.walk(argument):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in WRITE_STATEMENTS:
                    return True
    return False


def session_writes(path: Path) -> list[str]:
    """Calls that write through a session or connection: ``db.session.add``, ``session.commit``, ``execute(insert)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, owner = node.func.attr, ast.unparse(node.func.value)
        through_session = "session" in owner or "connection" in owner
        if through_session and method in WRITE_METHODS:
            found.append(f"line {node.lineno}: {owner}.{method}()")
        elif method in {"execute", "exec_driver_sql"} and (
            _writes_statement(node) or (method == "exec_driver_sql" and through_session)
        ):
            found.append(f"line {node.lineno}: {owner}.{method}(...) writes")
    return found


def outside_services() -> list[Path]:
    paths = [p for top in TOP_LEVEL for p in python_files(top)]
    return [p for p in paths if not str(p.relative_to(ROOT)).startswith(EXEMPT)]


def test_nothing_outside_the_services_writes_through_the_session():
    writes = {str(p.relative_to(ROOT)): w for p in outside_services() if (w := session_writes(p))}
    assert not writes, "\n".join(f"{path}: {', '.join(found)}" for path, found in sorted(writes.items()))
