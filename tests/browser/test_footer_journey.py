"""The footer's three pages in a real browser, phone-wide and desk-wide: reachable signed out, filled in by an admin."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

SHOTS = "/tmp/footer-shots"
CONTACT = "## Northgate education team\n\nRing 0113 496 0000, Monday to Friday.\n\n- Preceptorship: extension 4410"


def _page(browser: Browser, base_url: str, width: int) -> Page:
    page = browser.new_context(base_url=base_url, viewport={"width": width, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_the_footer_links_reach_each_page_from_the_sign_in_page(browser, base_url, width):
    page = _page(browser, base_url, width)
    for link, heading in [
        ("Accessibility statement", "Accessibility statement"),
        ("Privacy notice", "Privacy notice"),
        ("Contact us", "Contact us"),
    ]:
        page.goto("/login")
        footer = page.get_by_role("contentinfo")
        footer.get_by_role("link", name=link).scroll_into_view_if_needed()
        expect(footer.get_by_role("link", name=link)).to_be_visible()
        footer.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        accessible(page)
        page.screenshot(path=f"{SHOTS}/{link.split()[0].lower()}-{width}.png", full_page=True)
    # nothing spills sideways on a phone
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_admin_writes_the_contact_page_and_a_learner_reads_it(browser, base_url, password):
    admin = _page(browser, base_url, 375)
    sign_in(admin, "admin@northgate.example", password)
    admin.goto("/admin/pages")
    accessible(admin)
    admin.get_by_label("Contact us").fill(CONTACT)
    admin.get_by_role("button", name="Save pages").click()
    expect(admin.get_by_text("Pages saved")).to_be_visible()
    admin.screenshot(path=f"{SHOTS}/admin-pages-375.png", full_page=True)
    learner = _page(browser, base_url, 375)
    sign_in(learner, "hcsw@northgate.example", password)
    learner.get_by_role("contentinfo").get_by_role("link", name="Contact us").click()
    expect(learner.get_by_role("heading", name="Northgate education team")).to_be_visible()
    expect(learner.get_by_role("listitem").filter(has_text="extension 4410")).to_be_visible()
    accessible(learner)
    learner.screenshot(path=f"{SHOTS}/contact-learner-375.png", full_page=True)
