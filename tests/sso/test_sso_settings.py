"""/admin/sso: an administrator sets up their own organisation's single sign-on; the secret never comes back."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SsoConfiguration
from app.services import sso_settings
from tests.factories import PASSWORD, AdminFactory, LeadFactory, LearnerFactory, OrganisationFactory

FORM = {
    "is_enabled": "yes",
    "provider_name": "NHSmail",
    "issuer_url": "https://login.microsoftonline.com/0000-tenant/v2.0",
    "client_id": "waymark-northgate",
    "client_secret": "s3cret-from-the-portal",
    "allowed_domains": "nhs.net, @Northgate.NHS.uk",
    "match_by": "email",
    "employee_number_claim": "employee_number",
    "create_on_first_sign_in": "no",
}


def sign_in(client, person) -> None:
    response = client.post("/login", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def admin(ctx):
    return AdminFactory(organisation=OrganisationFactory(name="Northgate NHS Trust"))


def test_an_administrator_sets_up_single_sign_on_and_the_secret_is_never_shown(client, admin):
    sign_in(client, admin)
    page = client.get("/admin/sso")
    assert page.status_code == 200 and "http://waymark.test/sso/callback" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    response = client.post("/admin/sso", data=FORM, follow_redirects=True)
    assert "Single sign-on settings saved: it is on" in response.text
    assert "s3cret-from-the-portal" not in response.text and "Stored, encrypted, since" in response.text
    stored = db.session.scalar(select(SsoConfiguration))
    assert stored.organisation_id == admin.organisation_id and stored.domains == ["nhs.net", "northgate.nhs.uk"]
    assert "s3cret" not in stored.client_secret_encrypted
    assert sso_settings.client_secret(stored) == FORM["client_secret"]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sso_settings.saved"))
    assert event.actor_id == admin.id and "s3cret" not in event.detail
    assert json.loads(event.detail)["changes"]["client_secret"] == "replaced"


def test_a_blank_secret_keeps_the_stored_one(client, admin):
    sign_in(client, admin)
    client.post("/admin/sso", data=FORM)
    client.post("/admin/sso", data={**FORM, "client_secret": "", "provider_name": "Microsoft Entra ID"})
    stored = db.session.scalar(select(SsoConfiguration))
    assert stored.provider_name == "Microsoft Entra ID" and sso_settings.client_secret(stored) == FORM["client_secret"]
    assert 'value="s3cret' not in client.get("/admin/sso").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("issuer_url", "http://login.example.org/tenant", "starting https://"),
        ("issuer_url", "", "Enter the issuer URL"),
        ("allowed_domains", "nhs.net, not a domain", "is not an email domain"),
        ("client_id", "", "Enter the client ID"),
        ("client_secret", "", "Enter the client secret"),
        ("match_by", "surname", "Choose how Waymark finds the person"),
        ("employee_number_claim", "employee id", "Enter a claim name"),
    ],
)
def test_wrong_settings_are_refused_beside_the_field_and_change_nothing(
    client, admin, nothing_written, field, value, message
):
    sign_in(client, admin)
    with nothing_written():
        response = client.post("/admin/sso", data={**FORM, field: value})
    assert response.status_code == 400 and message in response.text and "There is a problem" in response.text


@pytest.mark.parametrize("factory", [LeadFactory, LearnerFactory])
def test_only_an_administrator_opens_the_page(client, admin, factory):
    sign_in(client, factory(organisation=admin.organisation))
    assert client.get("/admin/sso").status_code == 403
    assert client.post("/admin/sso", data=FORM).status_code == 403
    assert db.session.scalar(select(SsoConfiguration)) is None


def test_an_administrator_changes_only_their_own_organisation(client, admin):
    other = AdminFactory()
    sso_settings.save(other, {**FORM, "is_enabled": True, "create_on_first_sign_in": False})
    sign_in(client, admin)
    assert "waymark-northgate" not in client.get("/admin/sso").text  # the other trust's client is not shown
    client.post("/admin/sso", data={**FORM, "client_id": "mine"})
    by_organisation = {row.organisation_id: row.client_id for row in db.session.scalars(select(SsoConfiguration))}
    assert by_organisation == {other.organisation_id: "waymark-northgate", admin.organisation_id: "mine"}
