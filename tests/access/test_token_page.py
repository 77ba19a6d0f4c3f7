"""A person lists, makes and revokes their own API tokens; someone else's are out of reach."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import ApiToken
from app.services import tokens
from tests.web.conftest import FreshClient


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_made_on_the_page_is_shown_once_and_works(app, world, as_user):
    client = as_user(world.lead)
    made = client.post("/account/tokens", data={"name": "Power BI refresh"})
    assert made.status_code == 201
    secret = re.search(r"(wm_[\w-]+)", made.get_data(as_text=True)).group(1)
    assert FreshClient(app, app.response_class).get("/api/v1/pathways", headers=bearer(secret)).status_code == 200
    listed = client.get("/account/tokens").get_data(as_text=True)
    assert "Power BI refresh" in listed and secret not in listed and "Working" in listed


def test_the_owner_revokes_a_token_from_the_page(app, world, as_user):
    secret = tokens.issue(world.lead, name="Spreadsheet")
    token_id = db.session.scalars(db.select(ApiToken.id)).one()
    client = as_user(world.lead)
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert FreshClient(app, app.response_class).get("/api/v1/pathways", headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/account/tokens").get_data(as_text=True)


def test_nobody_else_can_revoke_or_see_a_token(app, world, as_user):
    secret = tokens.issue(world.lead, name="Spreadsheet")
    token_id = db.session.scalars(db.select(ApiToken.id)).one()
    other = as_user(world.preceptor)
    assert "Spreadsheet" not in other.get("/account/tokens").get_data(as_text=True)
    assert other.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert FreshClient(app, app.response_class).get("/api/v1/pathways", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(world, as_user):
    response = as_user(world.lead).post("/account/tokens", data={"name": " "})
    assert response.status_code == 400 and "Enter what the token is for" in response.get_data(as_text=True)
