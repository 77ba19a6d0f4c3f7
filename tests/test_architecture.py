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
