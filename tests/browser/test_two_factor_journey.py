"""An administrator sets up two-factor in chromium (scan, enter a code, see the recovery codes), then signs in."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import pyotp
import pytest
import segno
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete, select

from app.extensions import db
from app.models import RecoveryCode, TwoFactorCredential, TwoFactorPolicy, User
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

ADMIN, LEAD = "admin@northgate.example", "lead@northgate.example"
SHOTS = os.environ.get("TWO_FACTOR_SHOTS", "/tmp/two-factor-shots")


def look(page: Page, name: str) -> None:
    """axe-core finds nothing serious, and a screenshot at 1280 and at 375 pixels wide."""
    accessible(page)
    os.makedirs(SHOTS, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _page(browser: Browser, base_url: str) -> Page:
    page = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def admin_without_two_factor(live_app) -> Iterator[None]:
    """The demo administrator, put back without two-factor and the rule afterwards, for the other browser tests."""
    yield
    with live_app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.email == ADMIN))
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == admin_id))
        db.session.execute(delete(TwoFactorCredential).where(TwoFactorCredential.user_id == admin_id))
        db.session.execute(delete(TwoFactorPolicy))
        db.session.commit()


def test_set_up_two_factor_then_sign_in_with_a_code(browser, base_url, password, admin_without_two_factor):
    page = _page(browser, base_url)
    sign_in(page, ADMIN, password)
    page.get_by_role("link", name="Two-factor authentication").first.click()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    look(page, "1-account-off")
    page.get_by_role("button", name="Set up two-factor").click()

    # "Scan": the QR code carries exactly the key written under it, as an authenticator app reads it.
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    uri = pyotp.TOTP(secret).provisioning_uri(name=ADMIN, issuer_name="Waymark")
    drawn = page.get_by_role("img", name=re.compile("QR code for your authenticator app"))
    expected = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    assert re.search(r' d="([^"]+)"', drawn.evaluate("svg => svg.outerHTML")).group(1) == re.search(
        r' d="([^"]+)"', expected
    ).group(1)
    look(page, "2-set-up")

    page.get_by_role("textbox", name="Code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Check your phone sets its time automatically")
    look(page, "3-set-up-wrong-code")

    step = int(time.time()) // 30
    page.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).generate_otp(step))
    page.get_by_role("button", name="Turn on two-factor").click()
    expect(page.get_by_role("heading", name="Two-factor is on: save your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code) for code in codes)
    look(page, "4-recovery-codes")

    # Signing in again: the password, then the code (the next step's: the set-up used this one).
    again = _page(browser, base_url)
    sign_in(again, ADMIN, password)
    expect(again.get_by_role("heading", name="Enter your two-factor code")).to_be_visible()
    look(again, "5-sign-in-code")
    next_step = max(step + 1, int(time.time()) // 30)
    again.get_by_role("textbox", name="Code").fill(pyotp.TOTP(secret).generate_otp(next_step))
    again.get_by_role("button", name="Continue").click()
    expect(again).to_have_url(re.compile("/lead/home$"))
    expect(again.get_by_role("link", name="Sign out").or_(again.get_by_role("button", name="Sign out"))).to_be_visible()
    again.goto("/account/two-factor")
    expect(again.get_by_text("You have 10 unused recovery codes")).to_be_visible()
    look(again, "6-account-on")

    again.goto("/admin/two-factor")
    expect(again.get_by_role("heading", name="Two-factor authentication for leads and administrators")).to_be_visible()
    look(again, "7-policy")

    # Required for leads: the lead is sent to set it up straight after signing in, and kept there.
    again.get_by_label("Yes, they must set it up before they can use Waymark").check()
    again.get_by_role("button", name="Save").click()
    expect(again.get_by_text("Leads and administrators must now use two-factor")).to_be_visible()
    lead = _page(browser, base_url)
    sign_in(lead, LEAD, password)
    expect(lead.get_by_text("Set this up to continue")).to_be_visible()
    lead.goto("/lead/cohorts")
    expect(lead).to_have_url(re.compile("/account/two-factor$"))
    look(lead, "9-required-for-leads")
    again.get_by_label("No, it is their choice").check()
    again.get_by_role("button", name="Save").click()
    expect(again.get_by_text("Two-factor is now each lead's and administrator's own choice")).to_be_visible()

    # Turning off asks for a code; a recovery code does it.
    again.goto("/account/two-factor/turn-off")
    look(again, "8-turn-off")
    again.get_by_role("textbox", name="Code").fill(codes[0])
    again.get_by_role("button", name="Turn off two-factor").click()
    expect(again.get_by_text("Two-factor authentication is off")).to_be_visible()
