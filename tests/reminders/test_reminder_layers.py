"""The rules stay pure, reminders/ writes only through the services, and never reaches into the web layer."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app import create_app
from tests.test_architecture import ROOT, imported_modules, session_writes

PURE = ["reminders/rules.py", "reminders/model.py", "reminders/messages.py"]


@pytest.mark.parametrize("name", PURE)
def test_rules_and_messages_need_no_flask_and_no_database(name):
    bad = {m for m in imported_modules(ROOT / name) if m.split(".")[0] in {"flask", "sqlalchemy", "app"}}
    assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", sorted((ROOT / "reminders").glob("*.py")), ids=lambda p: p.name)
def test_reminders_never_import_views_forms_or_the_request(path: Path):
    forbidden = ("flask.request", "flask_login", "flask.session", "flask_wtf")
    bad = {m for m in imported_modules(path) if m.startswith(forbidden) or ".routes" in m or ".forms" in m}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", sorted((ROOT / "reminders").glob("*.py")), ids=lambda p: p.name)
def test_reminders_write_to_the_database_only_through_the_services(path: Path):
    """The scan, the outbox, delivery and the scheduler lock store and commit through ``app.services.outbox``."""
    writes = session_writes(path)
    assert not writes, f"{path.name} writes through the session: {', '.join(writes)}"


def test_creating_the_app_starts_no_scheduler(tmp_path):
    """Under gunicorn a scheduler started here would run once per worker and send everything twice."""
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert "APScheduler" not in {t.name for t in threading.enumerate()}
