"""A database that cannot be reached: the service says it is unavailable, to try again shortly, and comes back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.exc import IntegrityError

from app import create_app
from app.extensions import db

UNREACHABLE = {
    "sqlite": "sqlite:///{tmp}/not-yet-made/waymark.db",  # a directory that does not exist
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/waymark?connect_timeout=2",  # a port nothing serves
}


def app_on(url: str, **config) -> Flask:
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
         **config}
    )  # fmt: skip


@pytest.fixture(params=list(UNREACHABLE))
def outage(request, tmp_path) -> Iterator[Flask]:
    application = app_on(UNREACHABLE[request.param].format(tmp=tmp_path))
    yield application
    with application.app_context():
        db.engine.dispose()


def signed_in_as_someone(application: Flask) -> FlaskClient:
    """A session cookie naming a user, so the request must ask the database who they are."""
    client = application.test_client()
    now = int(time.time())
    with client.session_transaction() as session:
        session.update(_user_id="1:0", _fresh=True, started_at=now, seen_at=now, fresh_at=now)
    return client


@pytest.mark.parametrize("path", ["/lead/", "/learner/", "/reports/cohorts"])
def test_pages_say_the_service_is_unavailable_and_to_try_again_when_the_database_is_down(outage, path):
    response = signed_in_as_someone(outage).get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Sorry, the service is unavailable" in html and "Try again in a few minutes" in html
    assert "was saved" not in html


def test_signing_in_while_the_database_is_down_says_the_service_is_unavailable(outage):
    response = outage.test_client().post("/login", data={"email": "a@nhs.net", "password": "x" * 12})
    assert response.status_code == 503 and "Retry-After" in response.headers


def test_the_service_comes_back_by_itself_when_the_database_does(tmp_path):
    application = app_on(UNREACHABLE["sqlite"].format(tmp=tmp_path))
    assert signed_in_as_someone(application).get("/lead/").status_code == 503
    Path(tmp_path, "not-yet-made").mkdir()  # the database is back, with its tables
    with application.app_context():
        upgrade()
    response = signed_in_as_someone(application).get("/lead/")
    assert response.status_code == 302 and "/login" in response.location  # no such user now: signed out, not 503
    with application.app_context():
        db.engine.dispose()


def test_a_database_error_that_is_not_an_outage_is_not_passed_off_as_one(tmp_path):
    """A refused write is a fault to fix, not a reason to tell people to try again later."""
    application = app_on(f"sqlite:///{tmp_path}/waymark.db", TESTING=False)

    @application.get("/broken")
    def broken():
        raise IntegrityError("INSERT INTO users ...", {}, Exception("UNIQUE constraint failed: users.email"))

    response = application.test_client().get("/broken")
    assert response.status_code == 500 and "Retry-After" not in response.headers
