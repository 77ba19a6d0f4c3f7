"""The lead's day in chromium: the home and its lists, search from the header, and every main page at 375 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible, with_axe

SHOTS = os.environ.get("WAYMARK_SCREENSHOTS")  # a folder: keep screenshots of what these tests saw
WIDER_THAN_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth;
  // visually hidden (the 1-pixel clipped pattern, as the responsive table's header row): nobody sees it
  const hidden = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const box = e.getBoundingClientRect(), style = getComputedStyle(e);
      if ((box.width <= 1 || box.height <= 1) && style.overflow === "hidden") return true;
    }
    return false;
  };
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width > 1 && (box.right > width + 1 || box.left < -1) && !hidden(element)) {
      const name = `${element.tagName.toLowerCase()}.${element.className}`;
      wide.push(`${name} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def _page(browser: Browser, base_url: str, width: int = 1280) -> Page:
    page = with_axe(browser.new_context(base_url=base_url, viewport={"width": width, "height": 900}).new_page())
    page.set_default_timeout(15_000)
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _count(page: Page, kind: str) -> int:
    return int(page.locator(f"#count-{kind} [data-count]").get_attribute("data-count"))


def test_the_home_counts_lead_to_their_lists(browser: Browser, base_url: str, password: str):
    page = _page(browser, base_url)
    sign_in(page, "lead@northgate.example", password)
    expect(page.get_by_role("heading", name="Who needs attention", level=1)).to_be_visible()
    accessible(page)
    _shot(page, "home-desktop")
    for kind in ("red", "amber", "overdue-reviews", "no-preceptor"):
        expected = _count(page, kind)
        page.locator(f"#count-{kind}").click()
        expect(page.locator("h1")).to_contain_text(f"({expected})")
        expect(page.locator("tbody tr")).to_have_count(expected)
        accessible(page)
        if kind == "red":
            _shot(page, "list-red-desktop")
            page.get_by_role("link", name="Learner", exact=True).click()
            expect(page.locator('th[aria-sort="descending"]')).to_have_count(1)
            expect(page.get_by_role("link", name="Download this list as CSV")).to_be_visible()
        page.goto("/lead/home")
    page.get_by_label("Site").select_option(index=1)
    page.get_by_role("button", name="Show").click()
    assert "site=" in page.url
    accessible(page)


def test_withdrawn_learners_have_their_own_list(browser: Browser, base_url: str, password: str):
    page = _page(browser, base_url)
    sign_in(page, "lead@northgate.example", password)
    withdrawn = int(page.locator("#count-withdrawn").inner_text().split()[0])
    page.locator("#count-withdrawn").click()
    expect(page.locator("tbody tr")).to_have_count(withdrawn)
    accessible(page)


@pytest.mark.parametrize(
    ("typed", "found"), [("zoe", "Zoë Williams"), ("ZOË will", "Zoë Williams"), ("nguyen", "Nguyễn")]
)
def test_search_from_the_header_finds_accented_and_partial_names(
    browser: Browser, base_url: str, password: str, typed: str, found: str
):
    page = _page(browser, base_url)
    sign_in(page, "lead@northgate.example", password)
    page.locator("#search-field").fill(typed)
    page.locator("#search-field").press("Enter")
    expect(page.locator("h1")).to_contain_text("Search results")
    expect(page.locator(".waymark-result").filter(has_text=found).first).to_be_visible()
    accessible(page)
    _shot(page, f"search-{typed.replace(' ', '-')}-desktop")


def test_a_preceptor_searches_their_own_learners(browser: Browser, base_url: str, password: str):
    page = _page(browser, base_url)
    sign_in(page, "mark.davies@northgate.example", password)
    page.locator("#search-field").fill("zoe")
    page.locator("#search-field").press("Enter")
    expect(page.locator(".waymark-result")).to_have_count(1)
    page.locator(".waymark-result a").first.click()
    expect(page.locator("h1")).to_contain_text("Zoë Williams")


LEAD_PAGES = ["/lead/home", "/lead/lists/red", "/lead/lists/withdrawn", "/lead/preceptors/over-capacity",
              "/search/?q=zoe", "/lead/", "/lead/programmes"]  # fmt: skip


@pytest.mark.parametrize("path", LEAD_PAGES)
def test_nothing_is_wider_than_a_phone(browser: Browser, base_url: str, password: str, path: str):
    page = _page(browser, base_url, width=375)
    sign_in(page, "lead@northgate.example", password)
    page.goto(path)
    measured = page.evaluate(WIDER_THAN_VIEWPORT)
    _shot(page, "phone" + path.replace("/", "-").replace("?", "-").replace("=", "-"))
    assert measured["scroll"] <= measured["width"] and not measured["wide"], measured
