"""Single sign-on in chromium: the sign-in page, the provider's own login page, and back to the person's home.

The provider is the real oidc-provider (tests/sso/provider.mjs) on loopback; its misbehaving clients show
that a wrong issuer, a wrong audience, a replayed nonce and an expired ID token are each refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services import sso_settings
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible
from tests.sso.provider import SECRET, oidc_provider

SHOTS = Path("/tmp/sso-shots")
LEARNER = "amara.okafor@northgate.example"


@pytest.fixture(scope="module")
def issuer(base_url) -> Iterator[str]:
    with oidc_provider([f"{base_url}/sso/callback"]) as url:
        yield url


@pytest.fixture
def use_client(live_app, issuer) -> Iterator:
    """Set Northgate's single sign-on to one of the provider's clients; switched off again afterwards."""

    def use(client_id: str, *, on: bool = True) -> None:
        with live_app.app_context():
            admin = db.session.scalar(select(User).where(User.email == "admin@northgate.example"))
            sso_settings.save(
                admin,
                {
                    "is_enabled": on,
                    "provider_name": "NHSmail",
                    "issuer_url": issuer,
                    "client_id": client_id,
                    "client_secret": SECRET,
                    "allowed_domains": "northgate.example",
                    "match_by": "email",
                    "employee_number_claim": "employee_number",
                    "create_on_first_sign_in": False,
                },
            )
            db.session.remove()

    yield use
    use("waymark", on=False)  # the other browser tests expect the password form alone


# The provider's own pages @import a web font from the internet, which this machine (and CI) cannot
# reach: where that request hangs rather than failing, the page never settles. Refuse it at once.
OFF_MACHINE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")


def _page(browser: Browser, base_url: str, width: int = 1280) -> Page:
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
    context.route(OFF_MACHINE, lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _through_provider(page: Page, login: str = LEARNER) -> None:
    page.goto("/login")
    page.get_by_role("button", name="Sign in with NHSmail").click()
    if page.locator("input[name=login]").count():  # the provider remembers a person it has seen
        page.locator("input[name=login]").fill(login)
        page.locator("input[name=password]").fill("their NHSmail password")
        page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_learner_signs_in_with_nhsmail_and_reaches_their_home_page(browser, base_url, issuer, use_client, width):
    SHOTS.mkdir(exist_ok=True)
    use_client("waymark")
    page = _page(browser, base_url, width)
    page.goto("/login")
    expect(page.get_by_role("button", name="Sign in with NHSmail")).to_be_visible()
    accessible(page)
    page.screenshot(path=f"{SHOTS}/sign-in-{width}.png", full_page=True)
    page.get_by_role("button", name="Sign in with NHSmail").click()
    expect(page.locator("input[name=login]")).to_be_visible()  # the provider's own login page
    assert page.url.startswith(issuer)
    page.screenshot(path=f"{SHOTS}/provider-login-{width}.png", full_page=True)
    page.locator("input[name=login]").fill(LEARNER)
    page.locator("input[name=password]").fill("their NHSmail password")
    page.get_by_role("button", name="Sign-in").click()
    expect(page.get_by_role("link", name="Your programmes").first).to_be_visible()
    expect(page.get_by_text("Amara Okafor").first).to_be_visible()
    assert page.url == f"{base_url}/learner/"
    page.screenshot(path=f"{SHOTS}/home-after-sso-{width}.png", full_page=True)


REFUSALS = {
    "waymark-wrong-issuer": "came from a different issuer than your organisation set up",
    "waymark-wrong-audience": "was meant for another service",
    "waymark-expired": "had expired before it reached Waymark",
}


def test_a_wrong_issuer_audience_replayed_nonce_or_expired_token_is_refused(browser, base_url, use_client):
    page = _page(browser, base_url)
    for client_id, words in REFUSALS.items():
        use_client(client_id)
        _through_provider(page)
        expect(page.locator(".nhsuk-error-summary")).to_contain_text(words)
        expect(page.get_by_role("heading", name="Sign in to Waymark")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/refused-{client_id.removeprefix('waymark-')}.png", full_page=True)
    accessible(page)

    use_client("waymark-replayed-nonce")
    _through_provider(page)  # the first sign-in is honest, and the provider keeps its ID token
    expect(page.get_by_role("link", name="Your programmes").first).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    _through_provider(page)  # the second gets the first one's token back
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("it may have been replayed")
    page.screenshot(path=f"{SHOTS}/refused-replayed-nonce.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_administrators_page_is_accessible(browser, base_url, password, use_client, width):
    page = _page(browser, base_url, width)
    sign_in(page, "admin@northgate.example", password)  # the password form, before the NHSmail button is there
    use_client("waymark")
    page.goto("/admin/sso")
    expect(page.get_by_role("heading", name="Single sign-on")).to_be_visible()
    expect(page.get_by_text("Stored, encrypted, since")).to_be_visible()
    accessible(page)
    page.screenshot(path=f"{SHOTS}/admin-sso-{width}.png", full_page=True)
    page.get_by_label("Allowed email domains").fill("northgate.example, not a domain")
    page.get_by_role("button", name="Save single sign-on settings").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("“not” is not an email domain")
    page.screenshot(path=f"{SHOTS}/admin-sso-problem-{width}.png", full_page=True)
    page.get_by_label("Allowed email domains").fill("northgate.example")
    page.get_by_role("button", name="Save single sign-on settings").click()  # the stored secret is kept
    expect(page.get_by_text("Single sign-on settings saved: it is on")).to_be_visible()
