"""Per-token rate limits: the token that goes too fast gets 429 with Retry-After; another token does not."""

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
