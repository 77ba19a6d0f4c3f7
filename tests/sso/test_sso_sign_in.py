"""Single sign-on end to end: Waymark, the real oidc-provider on loopback, and a person at its login page."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, User
from tests.factories import LearnerFactory, OrganisationFactory
from tests.sso.conftest import ACCOUNTS, CALLBACK, configure
from tests.sso.provider import ProviderBrowser, oidc_provider


def start(client, slug: str = "northgate-sso"):
    response = client.get(f"/sso/{slug}/start")
    assert response.status_code == 302, response.text
    return response


def through_provider(client, browser: ProviderBrowser, login: str = "asha.patel@nhs.net", slug: str = "northgate-sso"):
    """Start at Waymark, sign in at the provider, come back: Waymark's answer to the callback."""
    back = urlsplit(browser.sign_in(start(client, slug).location, login, CALLBACK))
    return client.get(f"{back.path}?{back.query}")


def events(action: str) -> list[dict]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    return [json.loads(row.detail) | {"organisation_id": row.organisation_id, "actor_id": row.actor_id} for row in rows]


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_a_learner_signs_in_with_nhsmail_and_reaches_their_home_page(client, trust, issuer, provider_browser):
    organisation, admin, learner = trust
    configure(admin, issuer)
    response = through_provider(client, provider_browser)
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "Your programmes" in home.text
    with client.session_transaction() as session:
        assert session["signed_in_by"] == "sso"
    [login] = events("sso.login")
    assert (
        login["actor_id"] == learner.id and login["provider"] == "NHSmail" and login["subject"] == "asha.patel@nhs.net"
    )


def test_the_authorisation_request_uses_the_code_flow_with_pkce_and_a_nonce(client, trust, issuer):
    configure(trust[1], issuer)
    url = urlsplit(start(client).location)
    query = {name: values[0] for name, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}" == issuer
    assert query["response_type"] == "code" and query["client_id"] == "waymark"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["nonce"]) >= 32 and len(query["state"]) >= 30
    assert query["redirect_uri"] == CALLBACK and set(query["scope"].split()) == {"openid", "email", "profile"}


@pytest.mark.parametrize(
    ("client_id", "reason", "words"),
    [
        ("waymark-wrong-issuer", "wrong_issuer", "came from a different issuer than your organisation set up"),
        ("waymark-wrong-audience", "wrong_audience", "was meant for another service"),
        ("waymark-expired", "expired", "had expired before it reached Waymark"),
        ("waymark-bad-signature", "bad_signature", "was not signed with its published keys"),
    ],
)
def test_an_id_token_that_fails_a_check_is_refused_with_a_message(
    client, trust, issuer, provider_browser, client_id, reason, words
):
    configure(trust[1], issuer, client_id=client_id)
    response = through_provider(client, provider_browser)
    assert response.status_code == 403
    assert words in response.text and "There is a problem" in response.text
    assert "Sign in with NHSmail" in response.text  # the sign-in page, ready to try again
    assert signed_in_as(client) is None
    assert client.get("/").location.startswith("/login")
    [refusal] = events("sso.refused")
    assert refusal["reason"] == reason and refusal["organisation_id"] == trust[0].id
    assert events("sso.login") == []


def test_a_replayed_id_token_is_refused_for_its_nonce(client, trust, provider_browser):
    """The provider hands the second sign-in the first sign-in's ID token, nonce and all."""
    with oidc_provider([CALLBACK], ACCOUNTS) as fresh:  # its own: it replays the first token it ever gave
        configure(trust[1], fresh, client_id="waymark-replayed-nonce")
        assert through_provider(client, provider_browser).status_code == 302
        client.post("/logout")
        response = through_provider(client, provider_browser)
    assert response.status_code == 403
    assert "did not belong to the sign-in Waymark started (it may have been replayed)" in response.text
    assert signed_in_as(client) is None
    assert [event["reason"] for event in events("sso.refused")] == ["nonce_mismatch"]


def test_the_same_callback_twice_is_refused(client, trust, issuer, provider_browser):
    configure(trust[1], issuer)
    back = urlsplit(provider_browser.sign_in(start(client).location, "asha.patel@nhs.net", CALLBACK))
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post("/logout")
    again = client.get(f"{back.path}?{back.query}")
    assert again.status_code == 400 and "This sign-in had already been used or had timed out" in again.text
    assert [event["reason"] for event in events("sso.refused")] == ["state_mismatch"]


def test_a_provider_whose_discovery_names_another_issuer_is_not_used(client, trust, issuer):
    configure(trust[1], issuer.replace("127.0.0.1", "localhost"))
    response = client.get("/sso/northgate-sso/start")
    assert response.status_code == 403 and "says its issuer is not the one your organisation set up" in response.text
    assert [event["reason"] for event in events("sso.refused")] == ["wrong_issuer"]


def test_a_provider_that_cannot_be_reached_is_said_so(client, trust):
    configure(trust[1], "http://127.0.0.1:9")
    response = client.get("/sso/northgate-sso/start")
    assert response.status_code == 502 and "Waymark could not reach NHSmail" in response.text


def test_a_disabled_account_cannot_sign_in(client, trust, issuer, provider_browser):
    organisation, admin, learner = trust
    configure(admin, issuer)
    db.session.get(User, learner.id).is_enabled = False
    db.session.commit()
    response = through_provider(client, provider_browser)
    assert response.status_code == 403 and "Your Waymark account has been disabled" in response.text
    assert signed_in_as(client) is None
    assert [event["reason"] for event in events("sso.refused")] == ["disabled"]


def test_someone_not_in_waymark_is_refused_unless_the_organisation_creates_accounts(
    client, trust, issuer, provider_browser
):
    configure(trust[1], issuer)
    response = through_provider(client, provider_browser, login="new.starter@nhs.net")
    assert response.status_code == 403
    assert "There is no Waymark account for new.starter@nhs.net at Northgate NHS Trust" in response.text
    assert db.session.scalar(select(User).where(User.email == "new.starter@nhs.net")) is None

    configure(trust[1], issuer, create_on_first_sign_in=True)
    assert through_provider(client, ProviderBrowser(), login="new.starter@nhs.net").status_code == 302
    person = db.session.scalar(select(User).where(User.email == "new.starter@nhs.net"))
    assert (person.role, person.first_name, person.last_name, person.organisation_id) == (
        "learner",
        "New",
        "Starter",
        trust[0].id,
    )
    assert person.password_hash is None and person.employee_number.startswith("SSO-")
    assert "Your programmes" in client.get("/", follow_redirects=True).text


def test_a_person_of_another_organisation_is_not_found_through_this_one(client, trust, issuer, provider_browser):
    LearnerFactory(organisation=OrganisationFactory(), email="elsewhere.person@nhs.net")
    configure(trust[1], issuer, create_on_first_sign_in=True)
    response = through_provider(client, provider_browser, login="elsewhere.person@nhs.net")
    assert response.status_code == 403 and "There is no Waymark account for elsewhere.person@nhs.net" in response.text
    assert [event["reason"] for event in events("sso.refused")] == ["email_elsewhere"]


def test_an_email_domain_the_organisation_does_not_allow_is_refused(client, trust, issuer, provider_browser):
    configure(trust[1], issuer, allowed_domains="northgate.nhs.uk")
    response = through_provider(client, provider_browser)
    assert response.status_code == 403
    assert "Northgate NHS Trust does not let nhs.net accounts sign in to Waymark" in response.text


def test_people_can_be_found_by_employee_number(client, trust, issuer, provider_browser):
    organisation, admin, learner = trust
    db.session.get(User, learner.id).email = "asha.old.address@nhs.net"  # the number, not the address, decides
    db.session.commit()
    configure(admin, issuer, match_by="employee_number")
    assert through_provider(client, provider_browser).status_code == 302
    assert signed_in_as(client).startswith(f"{learner.id}:")

    client.post("/logout")
    response = through_provider(client, ProviderBrowser(), login="no.number@nhs.net")
    assert response.status_code == 403 and "did not send your employee number" in response.text


def test_switched_off_single_sign_on_is_not_offered(client, trust, issuer):
    configure(trust[1], issuer)
    assert "Sign in with NHSmail" in client.get("/login").text
    configure(trust[1], issuer, is_enabled=False)
    assert "Sign in with NHSmail" not in client.get("/login").text
    assert client.get("/sso/northgate-sso/start").status_code == 404


def test_a_person_who_signed_in_with_nhsmail_confirms_it_is_them_there(client, trust, issuer, provider_browser):
    configure(trust[1], issuer)
    assert through_provider(client, provider_browser).status_code == 302
    with client.session_transaction() as session:
        session["fresh_at"] = 0  # long ago: signing off would ask again
    page = client.get("/reauthenticate?next=/learner/")
    assert "Confirm with NHSmail" in page.text
    confirm = client.get("/sso/northgate-sso/start?confirm=1&next=/learner/")
    query = parse_qs(urlsplit(confirm.location).query)
    assert query["prompt"] == ["login"] and query["max_age"] == ["0"]  # the provider checks them again now
    back = urlsplit(provider_browser.sign_in(confirm.location, "asha.patel@nhs.net", CALLBACK))
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302 and response.location == "/learner/"
    with client.session_transaction() as session:
        assert session["fresh_at"] > 0 and session["signed_in_by"] == "sso"
