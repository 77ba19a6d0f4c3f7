"""With protections on (rate limits, CSRF): per-token 429 with Retry-After; the API needs no CSRF token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.extensions import db, limiter
from app.services import tokens
from tests.factories import LeadFactory, OrganisationFactory


@pytest.fixture
def limited_app(tmp_path) -> Iterator[Flask]:
    """Its own app and database with rate limits on; the shared limiter is put back as it was afterwards."""
    was_enabled = limiter.enabled
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}",
            "RATELIMIT_ENABLED": True,
            "API_RATE_LIMIT": "3 per minute",
            "WTF_CSRF_ENABLED": True,
        }
    )
    try:
        with application.app_context():
            upgrade()
            yield application
            db.session.remove()
            db.engine.dispose()
    finally:
        limiter.enabled = was_enabled


def test_a_token_over_its_limit_gets_429_with_retry_after(limited_app):
    organisation = OrganisationFactory()
    fast = {"Authorization": f"Bearer {tokens.issue(LeadFactory(organisation=organisation))}"}
    other = {"Authorization": f"Bearer {tokens.issue(LeadFactory(organisation=organisation))}"}
    client = limited_app.test_client()
    assert [client.get("/api/v1/pathways", headers=fast).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/pathways", headers=fast)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 61  # the one-minute window, rounded up
    assert client.get("/api/v1/pathways", headers=other).status_code == 200


def test_the_api_needs_no_csrf_token_but_the_web_forms_still_do(limited_app):
    lead = LeadFactory(organisation=OrganisationFactory())
    header = {"Authorization": f"Bearer {tokens.issue(lead)}"}
    body = {"name": "Preceptorship March 2027", "pathway": "preceptorship", "start_date": "2027-03-01"}
    client = limited_app.test_client()
    assert client.post("/api/v1/cohorts", json=body, headers=header).status_code == 201
    assert client.post("/login", data={"email": lead.email, "password": "x"}).status_code == 400
