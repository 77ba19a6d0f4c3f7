"""Bearer tokens: required, stored hashed, revocable; the OpenAPI document describes the API."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, AuditEvent
from app.services import tokens
from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer wm_not-a-real-token", "Basic dXNlcjpwYXNz", "Token wm_abc"],
    ids=["none", "empty", "unknown", "basic", "other-scheme"],
)
def test_a_request_without_a_valid_token_is_401_in_the_error_shape(client, world, header):
    response = client.get("/api/v1/enrolments", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorised"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_only_the_tokens_hash_is_stored_and_its_use_is_audited(client, world):
    token = tokens.issue(world.lead, name="Power BI")
    stored = db.session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "ApiToken")) == "api_token.created"
    )
    assert client.get("/api/v1/pathways", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_revoked_token_is_refused(client, world):
    token = tokens.issue(world.lead)
    header = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/token", headers=header).status_code == 204
    assert client.get("/api/v1/pathways", headers=header).status_code == 401


def test_a_disabled_account_s_token_is_refused(client, world):
    token = tokens.issue(world.preceptor)
    world.preceptor.is_enabled = False
    db.session.commit()
    assert client.get("/api/v1/pathways", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_cli_prints_a_token_once_and_revokes_every_token(app, client, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", world.lead.email.upper(), "--name", "Power BI"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("wm_")
    header = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cohorts", headers=header).status_code == 200
    result = runner.invoke(args=["users", "revoke-tokens", world.lead.email])
    assert result.exit_code == 0 and "Revoked 1 token" in result.output
    assert client.get("/api/v1/cohorts", headers=header).status_code == 401


def test_cli_token_for_an_unknown_email_fails_with_a_reason(app, world):
    result = app.test_cli_runner().invoke(args=["users", "token", "nobody@nhs.net"])
    assert result.exit_code == 1
    assert "There is no one with the email address nobody@nhs.net" in result.output


def test_a_session_cookie_is_not_enough(client, world):
    client.post("/login", data={"email": world.lead.email, "password": PASSWORD})
    assert client.get("/api/v1/cohorts").status_code == 401


def test_openapi_document_lists_every_resource_and_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert set(document["paths"]) >= {
        "/api/v1/pathways",
        "/api/v1/pathways/{key}",
        "/api/v1/cohorts",
        "/api/v1/enrolments",
        "/api/v1/enrolments/{enrolment_id}",
        "/api/v1/enrolments/{enrolment_id}/hours",
        "/api/v1/enrolments/{enrolment_id}/signoffs",
        "/api/v1/enrolments/{enrolment_id}/reviews",
        "/api/v1/enrolments/{enrolment_id}/checks",
        "/api/v1/enrolments/{enrolment_id}/transitions",
    }
    assert set(document["paths"]["/api/v1/enrolments"]) == {"get", "post"}


def test_unknown_api_urls_and_methods_answer_in_json(client, world, auth):
    missing = client.get("/api/v1/nothing-here", headers=auth(world.lead))
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    wrong_method = client.put("/api/v1/pathways", headers=auth(world.lead))
    assert wrong_method.status_code == 405 and wrong_method.json["error"]["code"] == "method_not_allowed"
    assert client.get("/no-such-page").content_type.startswith("text/html")
