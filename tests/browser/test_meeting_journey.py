"""Review meetings in chromium: a preceptor books one on the next spring clock change and moves it; the learner
sees it and makes a calendar address; each page is checked with axe and photographed at 1280 and 375 px."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, User
from app.services.clock import today
from app.services.permissions import current_preceptor_ids
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

SPRING_CHANGE = date(2027, 3, 28)  # the clocks go forward at 01:00 GMT


def _cast(live_app) -> tuple[int, str]:
    with live_app.app_context():
        learner = db.session.scalar(select(User).where(User.email == "learner@northgate.example"))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == learner.id))
        preceptor = db.session.get(User, min(current_preceptor_ids(enrolment)))
        db.session.remove()
        return enrolment.id, preceptor.email


def _page(browser: Browser, base_url: str, width: int) -> Page:
    page = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    return page


def _photograph(page: Page, name: str, tmp_path_factory) -> None:
    folder = tmp_path_factory.getbasetemp() / "screens"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _fill_date(page: Page, day: date) -> None:
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))


def test_booking_and_moving_a_review_meeting(browser: Browser, base_url: str, live_app, password, tmp_path_factory):
    enrolment_id, preceptor_email = _cast(live_app)
    for width in (1280, 375):
        preceptor = _page(browser, base_url, width)
        sign_in(preceptor, preceptor_email, password)
        preceptor.goto(f"/enrolments/{enrolment_id}/meetings")
        if width == 1280:
            preceptor.get_by_role("button", name="Book a review meeting").click()
            preceptor.get_by_role("button", name="Book and send invitations").click()  # nothing filled in
            expect(preceptor.locator(".nhsuk-error-summary")).to_contain_text("Enter the date of the meeting")
            _fill_date(preceptor, SPRING_CHANGE)
            preceptor.get_by_label("Start time").fill("01:30")
            preceptor.get_by_label("How long").select_option("60")
            preceptor.get_by_label("Where").fill("https://teams.example/l/meetup-join/19%3ameeting_review")
            preceptor.get_by_label("Which review is this meeting for?").select_option(index=1)
            preceptor.get_by_role("button", name="Book and send invitations").click()
            expect(preceptor.locator(".nhsuk-error-summary")).to_contain_text("the clocks go forward an hour")
            accessible(preceptor)
            _photograph(preceptor, f"book-error-{width}", tmp_path_factory)
            preceptor.get_by_label("Start time").fill("09:30")
            preceptor.get_by_role("button", name="Book and send invitations").click()
            expect(preceptor.get_by_role("status")).to_contain_text("The meeting is booked")
            expect(preceptor.locator("body")).to_contain_text("Sunday 28 March 2027, 09:30 (UK time), 60 minutes")
        accessible(preceptor)
        _photograph(preceptor, f"meetings-{width}", tmp_path_factory)
        preceptor.get_by_role("button", name="Move the").first.click()
        expect(preceptor.get_by_label("Start time")).to_have_value("09:30" if width == 1280 else "10:45")
        accessible(preceptor)
        _photograph(preceptor, f"move-{width}", tmp_path_factory)
        if width == 1280:
            preceptor.get_by_label("Start time").fill("10:45")
            preceptor.get_by_role("button", name="Move and update invitations").click()
            expect(preceptor.get_by_role("status")).to_contain_text("The meeting has been moved")
            expect(preceptor.locator("body")).to_contain_text("Sunday 28 March 2027, 10:45 (UK time)")

        learner = _page(browser, base_url, width)
        sign_in(learner, "learner@northgate.example", password)
        learner.goto("/calendar")
        expect(learner.locator("body")).to_contain_text("Sunday 28 March 2027, 10:45 (UK time)")
        learner.get_by_role("button", name="Make my calendar address" if width == 1280 else "Make a new").click()
        address = learner.locator("#calendar-address").inner_text()
        assert "/calendar/feed/wmcal_" in address
        accessible(learner)
        _photograph(learner, f"calendar-{width}", tmp_path_factory)
        feed = learner.request.get(address)
        assert feed.status == 200 and "DTSTART;TZID=Europe/London:20270328T104500" in feed.text()


def test_an_apprentices_meeting_invites_the_employer_and_provider_by_email(
    browser: Browser, base_url: str, live_app, password, tmp_path_factory
):
    with live_app.app_context():
        apprentice = db.session.scalar(select(User).where(User.email == "apprentice@northgate.example"))
        enrolment_id = db.session.scalar(select(Enrolment.id).where(Enrolment.learner_id == apprentice.id))
        db.session.remove()
    for width in (375, 1280):
        preceptor = _page(browser, base_url, width)
        sign_in(preceptor, "joanne.price@northgate.example", password)
        preceptor.goto(f"/enrolments/{enrolment_id}/meetings/new")
        expect(preceptor.get_by_role("heading", name="Guests without a Waymark account")).to_be_visible()
        accessible(preceptor)
        _photograph(preceptor, f"book-guests-{width}", tmp_path_factory)
    _fill_date(preceptor, today() + timedelta(days=40))
    preceptor.get_by_label("Start time").fill("14:00")
    preceptor.get_by_label("How long").select_option("60")
    preceptor.get_by_label("Where").fill("Ward 7 office")
    preceptor.get_by_label("Which review is this meeting for?").select_option(index=1)
    preceptor.get_by_label("Employer's email address").fill("sam.okafor@care-home.example")
    preceptor.get_by_label("Employer's name").fill("Sam Okafor")
    preceptor.get_by_label("Training provider's email address").fill("tutor at college")
    preceptor.get_by_role("button", name="Book and send invitations").click()
    expect(preceptor.locator(".nhsuk-error-summary")).to_contain_text("Enter an email address in the correct format")
    preceptor.get_by_label("Training provider's email address").fill("tutor@college.example")
    preceptor.get_by_role("button", name="Book and send invitations").click()
    expect(preceptor.get_by_role("status")).to_contain_text("The meeting is booked")
    expect(preceptor.locator("body")).to_contain_text("Employer: Sam Okafor, sam.okafor@care-home.example")
    expect(preceptor.locator("body")).to_contain_text("Training provider: tutor@college.example")
    accessible(preceptor)
    _photograph(preceptor, "meetings-guests-1280", tmp_path_factory)
