"""In chromium: a lead downloads a completed learner's transfer file, another trust's lead sees a changed copy
refused with the reason and brings the real one in; a review confirmed before signed reviews reads as confirmed.
Pages are checked with axe and photographed at 1280 and 375 px."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, Organisation, Review, User
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible
from tests.browser.test_meeting_journey import _page, _photograph


def _people(live_app) -> tuple[int, int, int]:
    """A Northgate learner who completed a programme, an Eastbrook learner, and a Northgate review of old."""
    with live_app.app_context():
        done = db.session.scalar(select(Enrolment).where(Enrolment.state == "completed").order_by(Enrolment.id))
        eastbrook = db.session.scalar(select(Organisation).where(Organisation.slug == "eastbrook"))
        arrival = db.session.scalar(
            select(User).where(User.organisation_id == eastbrook.id, User.role == "learner").order_by(User.id)
        )
        learner = db.session.scalar(select(User).where(User.email == "learner@northgate.example"))
        mine = select(Enrolment.id).where(Enrolment.learner_id == learner.id)
        review = db.session.scalar(select(Review).where(Review.enrolment_id.in_(mine)).order_by(Review.id))
        db.session.remove()
        return done.learner_id, arrival.id, review.id


def _upload(page: Page, name: str, data: bytes) -> None:
    page.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/json", "buffer": data})
    page.get_by_role("button", name="Check and bring in").click()


def test_transfer_between_trusts_and_an_older_review(browser: Browser, base_url, live_app, password, tmp_path_factory):
    leaver, arrival, review_id = _people(live_app)
    sender = browser.new_context(base_url=base_url, accept_downloads=True).new_page()
    sign_in(sender, "lead@northgate.example", password)
    sender.goto(f"/admin/users/{leaver}")
    sender.get_by_role("link", name="Transfer file").click()
    expect(sender.get_by_role("heading", name="Moving between organisations")).to_be_visible()
    accessible(sender)
    _photograph(sender, "transfer-send-1280", tmp_path_factory)
    with sender.expect_download() as download:
        sender.get_by_role("button", name="Download the signed transfer file").click()
    assert download.value.suggested_filename.startswith("transfer-northgate-")
    data = open(download.value.path(), "rb").read()
    document = json.loads(data)
    document["programmes"][0]["completed_on"] = "2019-01-01"
    for width in (1280, 375):
        receiver = _page(browser, base_url, width)
        sign_in(receiver, "lead@eastbrook.example", password)
        receiver.goto(f"/admin/users/{arrival}/transfer")
        _upload(receiver, "changed.json", json.dumps(document).encode())
        expect(receiver.locator(".nhsuk-error-summary")).to_contain_text(
            "The file has been changed since it was signed, so it cannot be trusted"
        )
        accessible(receiver)
        _photograph(receiver, f"transfer-refused-{width}", tmp_path_factory)
    _upload(receiver, download.value.suggested_filename, data)
    expect(receiver.get_by_role("status")).to_contain_text("Brought in for")
    expect(receiver.locator("body")).to_contain_text("Northgate Teaching Hospitals NHS Foundation Trust")
    _photograph(receiver, "transfer-done-375", tmp_path_factory)

    learner = _page(browser, base_url, 375)
    sign_in(learner, "learner@northgate.example", password)
    learner.goto(f"/reviews/{review_id}")
    expect(learner.locator("#party-preceptee")).to_contain_text("(before signed reviews)")
    expect(learner.get_by_role("button", name="Save my decision")).to_have_count(0)
    accessible(learner)
    _photograph(learner, "older-review-375", tmp_path_factory)
