"""A big import in chromium: the job page's progress bar follows the worker, then the preview, then the result."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from app.extensions import db
from app.jobs.worker import work
from app.models import BackgroundJob
from app.services import jobs
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

SHOTS = os.environ.get("WAYMARK_SCREENSHOTS")  # a folder: keep screenshots of what these tests saw
ROWS = 30


@pytest.fixture
def small_thresholds(live_app) -> Iterator[None]:
    """Imports over 20 rows and every CSV or XLSX download go to the worker (the demo is small)."""
    saved = {name: live_app.config[name] for name in ("IMPORT_BACKGROUND_ROWS", "REPORT_BACKGROUND_ENROLMENTS")}
    live_app.config.update(IMPORT_BACKGROUND_ROWS=20, REPORT_BACKGROUND_ENROLMENTS=-1)
    yield
    live_app.config.update(saved)


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _both_widths(page: Page, name: str) -> None:
    """Look at the page as it is at 1280 px, then at 375 px (nothing wider than the screen), then back."""
    accessible(page)
    _shot(page, f"{name}-1280")
    page.set_viewport_size({"width": 375, "height": 800})
    # The NHS header's script folds its navigation into "More" after a resize: give it a moment to settle.
    try:
        page.wait_for_function("() => document.documentElement.scrollWidth <= 376", timeout=5_000)
    except PlaywrightTimeoutError:
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        raise AssertionError(f"{name}: the page scrolls sideways at 375 px ({scroll} px)") from None
    _shot(page, f"{name}-375")
    page.set_viewport_size({"width": 1280, "height": 900})


def _file() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["employee_number", "first_name", "last_name", "email"])
    writer.writerows([f"BJ{i:03d}", "Bronwen", f"Quayle-{i}", f"bronwen.q{i}@northgate.example"] for i in range(ROWS))
    return out.getvalue().encode()


def _latest_job(live_app) -> BackgroundJob:
    with live_app.app_context():
        job = db.session.scalars(select(BackgroundJob).order_by(BackgroundJob.id.desc())).first()
        db.session.expunge(job)
        return job


def test_a_big_import_shows_its_progress_then_its_preview_then_its_result(
    browser: Browser, base_url: str, password: str, live_app, small_thresholds
):
    page = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    sign_in(page, "lead@northgate.example", password)
    page.goto("/import/")
    upload = {"name": "starters.csv", "mimeType": "text/csv", "buffer": _file()}
    page.set_input_files("input[type=file]", files=[upload])
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Checking starters.csv", level=1)).to_be_visible()
    expect(page.locator("#job-count")).to_have_text("Waiting for a worker to start it.")
    _both_widths(page, "job-waiting")

    job = _latest_job(live_app)
    with live_app.app_context():  # a worker has it part-way through (as it reports while checking a big file)
        claimed = jobs.claim("browser-look")
        jobs.report(job.id, "browser-look", "Checking rows", 12, ROWS)
    expect(page.locator("#job-count")).to_have_text("12 of 30 (40%)")  # the script followed it, no reload
    expect(page.locator("#job-stage")).to_have_text("Checking rows")
    _both_widths(page, "job-running")
    with live_app.app_context():
        jobs.release(claimed, "browser-look")
        assert work(live_app, once=True) == 1
    expect(page.get_by_role("heading", name="Check what the file would change")).to_be_visible()  # reloaded
    _both_widths(page, "job-checked")

    page.get_by_role("button", name=f"Import {ROWS} rows").click()
    expect(page.get_by_role("heading", name="Importing starters.csv", level=1)).to_be_visible()
    with live_app.app_context():
        assert work(live_app, once=True) == 1
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_text(f"{ROWS} rows imported")).to_be_visible()
    _both_widths(page, "job-imported")
    expect(page.get_by_role("link", name="Notifications (2 unread)")).to_be_visible()
