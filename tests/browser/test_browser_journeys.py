"""The three journeys on the demo data, end to end in chromium, with axe-core on every main page."""

from __future__ import annotations

from datetime import timedelta

from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, User
from app.services import pages, signoffs
from app.services.clock import today
from tests.browser.conftest import sign_in

WCAG22AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
LAST_STANDARD = "16 Awareness of learning disability and autism"
axe = Axe()


def accessible(page: Page) -> None:
    """No serious or critical WCAG 2.2 AA violation on the page as it stands.

    Callers first wait for something on the page they expect: axe run while a click's navigation is
    still under way finds no document.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)  # not there already from an init script (``with_axe``)
    options = {"runOnly": {"type": "tag", "values": WCAG22AA}, "resultTypes": ["violations"]}
    results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
    blocking = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not blocking, f"{page.url}\n{results.generate_report()}"


def with_axe(page: Page) -> Page:
    """axe-core loaded into every document of the page's context as it opens: sent once, not on each check."""
    page.context.add_init_script(axe.axe_script)
    return page


def _one_standard_left(live_app) -> None:
    """Jordan (support worker) has every Care Certificate standard signed off but the last."""
    with live_app.app_context():
        learner = db.session.scalar(select(User).where(User.email == "hcsw@northgate.example"))
        assessor = db.session.scalar(select(User).where(User.email == "assessor@northgate.example"))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == learner.id))
        item = pages.enrolment_page(assessor, enrolment.id)
        for group in pages.competencies(item):
            for row in group.rows:
                if row.state != "signed" and row.key != "cc16":
                    signoffs.act(assessor, enrolment.id, row.key, "sign")
        db.session.remove()


def _page(browser: Browser, base_url: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    page.set_default_timeout(10_000)
    return page


def _stage_count(page: Page, stage: str) -> int:
    return int(page.locator(f"#stage-{stage} [data-count]").get_attribute("data-count"))


def test_learner_preceptor_and_lead_journeys(browser: Browser, base_url: str, live_app, password: str):
    _one_standard_left(live_app)

    # The learner logs hours and asks for the last Care Certificate standard to be signed off.
    learner = _page(browser, base_url)
    sign_in(learner, "hcsw@northgate.example", password)
    expect(learner.get_by_role("heading", name="Your programmes", level=1)).to_be_visible()
    expect(learner.get_by_text("1 of 16 Care Certificate standards not yet signed off")).to_be_visible()
    accessible(learner)
    learner.get_by_role("link", name="WeCare support worker").first.click()
    learner.get_by_role("link", name="Log your learning hours").click()
    learner.get_by_role("button", name="Save hours").click()
    expect(learner.locator(".nhsuk-error-summary")).to_contain_text("Enter the date of the learning")
    accessible(learner)
    yesterday = today() - timedelta(days=1)
    learner.get_by_role("textbox", name="Day").fill(str(yesterday.day))
    learner.get_by_role("textbox", name="Month").fill(str(yesterday.month))
    learner.get_by_role("textbox", name="Year").fill(str(yesterday.year))
    learner.get_by_label("Hours", exact=True).fill("2.5")
    learner.get_by_label("E-learning").check()
    learner.get_by_label("What did you learn?").fill("Learning disability and autism awareness module")
    learner.get_by_role("button", name="Save hours").click()
    expect(learner.get_by_role("status")).to_contain_text("2.5 hours logged")
    expect(learner.get_by_role("cell", name="Learning disability and autism awareness module")).to_be_visible()
    accessible(learner)
    learner.get_by_role("link", name="Competencies").click()
    expect(learner.get_by_role("link", name=f"Request sign-off for {LAST_STANDARD}")).to_be_visible()
    accessible(learner)
    learner.get_by_role("link", name=f"Request sign-off for {LAST_STANDARD}").click()
    evidence = "Completed the e-learning and discussed two cases with my assessor"
    learner.get_by_label("Evidence", exact=True).fill(evidence)
    learner.get_by_role("button", name="Request sign-off").click()
    expect(learner.get_by_role("status")).to_contain_text(f"Sign-off requested: {LAST_STANDARD}")

    # The assessor signs it off from the queue and records the 12-week review.
    assessor = _page(browser, base_url)
    sign_in(assessor, "assessor@northgate.example", password)
    expect(assessor.get_by_role("heading", name="Your learners")).to_be_visible()
    accessible(assessor)
    assessor.get_by_role("link", name="Sign-off queue").first.click()
    expect(assessor.get_by_text("Completed the e-learning and discussed two cases")).to_be_visible()
    accessible(assessor)
    assessor.get_by_role("button", name=f"Sign off {LAST_STANDARD} for Jordan Smith").click()
    expect(assessor.get_by_role("status")).to_contain_text(f"Signed off: {LAST_STANDARD}")
    assessor.get_by_role("link", name="Your learners").click()
    assessor.get_by_role("link", name="Jordan Smith").click()
    expect(assessor.get_by_role("button", name="Move to Career development")).to_be_visible()
    accessible(assessor)
    assessor.get_by_role("button", name="Record a review").click()
    assessor.get_by_label("Which review was this?").select_option(index=1)
    assessor.get_by_role("textbox", name="Day").fill(str(yesterday.day))
    assessor.get_by_role("textbox", name="Month").fill(str(yesterday.month))
    assessor.get_by_role("textbox", name="Year").fill(str(yesterday.year))
    assessor.get_by_label("On track").check()
    assessor.get_by_label("Agreed actions").fill("Start the career development days")
    accessible(assessor)
    assessor.get_by_role("button", name="Save review").click()
    expect(assessor.get_by_role("status")).to_contain_text("Review recorded")

    # The lead moves Jordan on and sees the cohort's figures change.
    lead = _page(browser, base_url)
    sign_in(lead, "lead@northgate.example", password)
    accessible(lead)
    lead.get_by_role("link", name="Cohorts").first.click()
    lead.get_by_role("link", name="WeCare HCSW July 2026").click()
    before = (_stage_count(lead, "care_certificate"), _stage_count(lead, "career_development"))
    accessible(lead)
    lead.get_by_role("link", name="Jordan Smith", exact=True).click()  # not "Record of Jordan Smith"
    expect(lead.get_by_role("button", name="Move to Career development")).to_be_visible()
    accessible(lead)
    lead.get_by_role("button", name="Move to Career development").click()
    expect(lead.get_by_role("status")).to_contain_text("The learner has moved to the next stage")
    lead.get_by_role("link", name="Cohorts").first.click()
    lead.get_by_role("link", name="WeCare HCSW July 2026").click()
    after = (_stage_count(lead, "care_certificate"), _stage_count(lead, "career_development"))
    assert after == (before[0] - 1, before[1] + 1)
    lead.get_by_role("link", name="Programmes").first.click()
    lead.get_by_role("link", name="WeCare support worker").click()
    expect(lead.locator(".waymark-diagram svg")).to_contain_text("Career development")
    accessible(lead)
    lead.get_by_role("link", name="Reports").first.click()
    expect(lead.get_by_role("heading", name="Cohort completion report")).to_be_visible()
    accessible(lead)
    lead.get_by_role("link", name="Import").first.click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Import")
    accessible(lead)
    lead.get_by_role("link", name="Notifications").first.click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text("Notifications")
    accessible(lead)


def test_sign_in_and_error_pages_are_accessible(page: Page, password: str):
    page.goto("/login")
    accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    accessible(page)
    sign_in(page, "learner@northgate.example", password)
    page.goto("/lead/")
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    accessible(page)
