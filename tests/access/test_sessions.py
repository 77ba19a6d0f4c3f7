"""Signing out, changing a password and disabling end the session on the server, not only in the browser."""

from __future__ import annotations

from app.extensions import db
from app.models import ApiToken, User
from app.services import tokens
from tests.factories import PASSWORD
from tests.web.conftest import FreshClient, sign_in

NEW_PASSWORD = "plum orchard lantern quietly"


def copy_of_cookie(app, client) -> FreshClient:
    """Another browser holding a copy of this client's session cookie, as a thief would."""
    cookie = client.get_cookie("session", domain="waymark.test")
    thief = FreshClient(app, app.response_class, use_cookies=True)
    thief.set_cookie("session", cookie.value, domain="waymark.test")
    return thief


def test_a_cookie_copied_before_sign_out_gets_the_sign_in_page(app, world):
    client = sign_in(FreshClient(app, app.response_class, use_cookies=True), world.lead)
    thief = copy_of_cookie(app, client)
    assert thief.get("/lead/").status_code == 200  # the copy works while the session lasts
    assert client.post("/logout").status_code == 302
    refused = thief.get("/lead/")
    assert refused.status_code == 302 and "/login" in refused.location
    assert "Sign in to Waymark" in thief.get(refused.location).get_data(as_text=True)


def test_a_password_change_ends_copied_cookies_and_api_tokens(app, world):
    token = tokens.issue(world.learner)
    client = sign_in(FreshClient(app, app.response_class, use_cookies=True), world.learner)
    thief = copy_of_cookie(app, client)
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert client.post("/account/password", data=data).status_code == 302
    assert "/login" in thief.get("/learner/").location
    api = app.test_client().get("/api/v1/pathways", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    assert db.session.scalars(db.select(ApiToken.revoked_at)).one() is not None


def test_signing_in_again_after_sign_out_works(app, world):
    client = sign_in(FreshClient(app, app.response_class, use_cookies=True), world.lead)
    client.post("/logout")
    sign_in(client, world.lead)
    assert client.get("/lead/").status_code == 200


def test_signed_in_pages_and_downloads_are_not_stored_but_assets_may_be(app, world, as_user):
    client = as_user(world.lead)
    assert client.get("/lead/").headers["Cache-Control"] == "no-store"
    download = client.get("/reports/cohorts/download.csv")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    api = app.test_client().get("/api/v1/pathways", headers={"Authorization": f"Bearer {tokens.issue(world.lead)}"})
    assert api.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/static/nhsuk/nhsuk-frontend.min.css").headers.get("Cache-Control", "")


def test_an_expired_api_token_is_refused(app, world, time_machine):
    token = tokens.issue(world.lead)
    header = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/pathways", headers=header).status_code == 200
    row = db.session.scalars(db.select(ApiToken)).one()
    time_machine.move_to(row.expires_at)
    assert app.test_client().get("/api/v1/pathways", headers=header).status_code == 401
    assert db.session.get(User, world.lead.id).is_enabled
