"""Settings from a date and preceptor protected time in chromium, at desktop width and at 375 px, with axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, User
from app.services.clock import today
from app.services.settings_changes import set_settings
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

SHOTS = Path(os.environ.get("WAYMARK_SCREENSHOTS", "/tmp/waymark-screenshots"))
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}


def _page(browser: Browser, base_url: str, width: str) -> Page:
    page = browser.new_context(base_url=base_url, viewport=WIDTHS[width]).new_page()
    page.set_default_timeout(10_000)
    return page


def _look(page: Page, name: str, width: str) -> None:
    accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_admin_changes_settings_from_a_date(browser: Browser, base_url: str, password: str, width: str):
    admin = _page(browser, base_url, width)
    sign_in(admin, "admin@northgate.example", password)
    admin.goto("/settings/")
    expect(admin.get_by_role("heading", name="Programme settings", level=1)).to_be_visible()
    _look(admin, "settings-index", width)
    admin.goto("/settings/preceptorship/change")
    next_year = today().year + 1
    admin.get_by_label("Day", exact=True).fill("1")
    admin.get_by_label("Month", exact=True).fill("4")
    admin.get_by_label("Year", exact=True).fill(str(next_year))
    admin.get_by_label("Programme length in months").fill("6")
    admin.get_by_role("button", name="Save settings").click()
    expect(admin.get_by_text("A gold standard preceptorship lasts at least 12 months").first).to_be_visible()
    _look(admin, "settings-refused", width)
    admin.get_by_label("Core", exact=True).check()
    admin.get_by_role("button", name="Save settings").click()
    expect(admin.get_by_text(f"New preceptorship settings from 1 April {next_year} saved")).to_be_visible()
    _look(admin, "settings-programme", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_preceptor_logs_protected_time_and_the_lead_sees_who_is_short(
    browser: Browser, base_url: str, password: str, width: str
):
    preceptor = _page(browser, base_url, width)
    sign_in(preceptor, "preceptor@northgate.example", password)
    expect(preceptor.get_by_role("heading", name="Your protected time")).to_be_visible()
    _look(preceptor, "caseload-protected-time", width)
    preceptor.get_by_role("link", name="Log protected time").click()
    day = today()
    preceptor.get_by_label("Day", exact=True).fill(str(day.day))
    preceptor.get_by_label("Month", exact=True).fill(str(day.month))
    preceptor.get_by_label("Year", exact=True).fill(str(day.year))
    preceptor.get_by_label("Hours", exact=True).fill("1.5")
    preceptor.get_by_label("Meeting with a preceptee").check()
    preceptor.get_by_role("button", name="Log protected time").click()
    expect(preceptor.get_by_text("Your protected time has been logged")).to_be_visible()
    _look(preceptor, "protected-time-own", width)
    lead = _page(browser, base_url, width)
    sign_in(lead, "lead@northgate.example", password)
    lead.goto("/protected-time/preceptors")
    expect(lead.get_by_role("heading", name="Preceptor protected time")).to_be_visible()
    _look(lead, "protected-time-preceptors", width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_lead_moves_a_learner_to_the_current_settings(
    browser: Browser, base_url: str, live_app, password: str, width: str
):
    with live_app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@northgate.example"))
        enrolment_id = db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.organisation_id == admin.organisation_id,
                Enrolment.pathway_key == "higher-development-award",
                Enrolment.start_date < today(),
                Enrolment.state == "active",
            ).order_by(Enrolment.id)
        )
        days = {"desktop": "9", "phone": "10"}[width]  # each run changes the settings again, from today
        set_settings(admin, admin.organisation_id, "higher-development-award", effective_from=today(),
                     values={"study_days": days, "attendance_threshold": days}, as_text=True)  # fmt: skip
        db.session.remove()
    lead = _page(browser, base_url, width)
    sign_in(lead, "lead@northgate.example", password)
    lead.goto(f"/lead/enrolments/{enrolment_id}")
    expect(lead.get_by_text("the organisation's settings have changed since")).to_be_visible()
    _look(lead, "record-settings", width)
    lead.get_by_role("link", name="Move this learner to the current settings").click()
    lead.get_by_role("button", name="Move to the current settings").click()
    expect(lead.get_by_text("Enter why this learner moves to the current settings").first).to_be_visible()
    _look(lead, "move-refused", width)
    lead.get_by_label("Why does this learner move to the current settings?").fill("Agreed at the review to add a day")
    lead.get_by_role("button", name="Move to the current settings").click()
    expect(lead.get_by_text("This learner follows the current settings")).to_be_visible()
    _look(lead, "record-moved", width)
