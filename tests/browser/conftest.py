"""A live Waymark on its own SQLite database with the demo loaded, and Debian's chromium to drive it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Page
from werkzeug.serving import make_server

from app import create_app
from app.demo import load_demo
from app.demo.loader import demo_password
from app.extensions import db


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium"}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory) -> Iterator[Flask]:
    database = tmp_path_factory.mktemp("live") / "waymark.db"
    evidence = tmp_path_factory.mktemp("evidence")
    application = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "RATELIMIT_ENABLED": False, "EVIDENCE_DIR": str(evidence)}
    )
    with application.app_context():
        upgrade()
        load_demo()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def password() -> str:
    return demo_password()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the next page, not the sign-in page still on screen
        page.get_by_role("button", name="Sign in").click()
