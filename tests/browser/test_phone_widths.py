"""Every main page, as each demo role, on a 375-pixel phone: nothing wider than the screen, and axe-core clean.

The pages are found as a person finds them: from the role's home, following every link (three deep), one
page of each kind (one learner's page stands for every learner's), so a new page is covered once
something links to it.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import Callable
from urllib.parse import urldefrag, urlparse

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible
from tests.browser.test_lead_day import WIDER_THAN_VIEWPORT, _page, _shot

ROLES = ["learner@northgate.example", "preceptor@northgate.example", "lead@northgate.example",
         "admin@northgate.example"]  # fmt: skip
SKIP = ("/logout", "/download", ".csv", ".xlsx", ".json", ".pdf", "/api/", "/static/", "/assets/", "/files/")
MOST = 80  # pages per role
DEPTH = 3  # the header's pages, their lists, a learner in a list, and that learner's own pages

# A pathway diagram scrolls sideways in its own labelled region: two-dimensional content, which WCAG 1.4.10
# (reflow) exempts; scaled to a phone its words would be a third of their size. Tables get no such pass.
DIAGRAM = 'if (e.classList && e.classList.contains("waymark-diagram")) return true;'
WIDER = WIDER_THAN_VIEWPORT.replace(
    "const box = e.getBoundingClientRect(), style", DIAGRAM + " const box = e.getBoundingClientRect(), style"
)
assert DIAGRAM in WIDER
SEEDS = ["/search/?q=zoe"]  # a form, not a link; the learner is refused it, and is not shown it
LINKS = """() => Array.from(document.querySelectorAll('a[href]:not([download])'), a => a.href)"""


def _same_site(base_url: str, href: str) -> str | None:
    url, _ = urldefrag(href)
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}" != base_url or any(part in parsed.path for part in SKIP):
        return None
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def _kind(path: str) -> str:
    """One page of each kind: /lead/enrolments/5 and /lead/enrolments/7?sort=name are the same page for other data;
    so, past three, are a learner's competency pages (/learner/enrolments/5/competencies/wound_care/request)."""
    kind = re.sub(r"\d+", "N", path.split("?")[0])
    parts = kind.strip("/").split("/")
    if len(parts) >= 5:
        return "/".join(parts[:4]) + "/*" + str(zlib.crc32(parts[4].encode()) % 3)
    return kind


def _crawl(page: Page, base_url: str, check: Callable[[str], None]) -> list[str]:
    """The pages found from the role's home, each ``check``-ed while it is on screen (no second visit)."""
    seen: list[str] = []
    kinds: set[str] = set()
    queue = deque([("/", 0), *((seed, DEPTH) for seed in SEEDS)])
    while queue and len(seen) < MOST:
        path, depth = queue.popleft()
        if _kind(path) in kinds:
            continue
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a file served as an attachment (evidence) is not a page
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or response.status != 200:
            continue
        seen.append(path)
        kinds.add(_kind(path))
        check(path)
        if depth < DEPTH:
            for href in page.evaluate(LINKS):
                found = _same_site(base_url, href)
                if found and _kind(found) not in kinds:
                    queue.append((found, depth + 1))
    return seen


@pytest.mark.parametrize("email", ROLES)
def test_every_main_page_fits_a_phone_and_passes_axe(browser: Browser, base_url: str, password: str, email: str):
    page = _page(browser, base_url, width=375)
    sign_in(page, email, password)
    too_wide = {}

    def check(path: str) -> None:
        measured = page.evaluate(WIDER)
        if measured["scroll"] > measured["width"] or measured["wide"]:
            too_wide[path] = measured
            _shot(page, "too-wide" + path.replace("/", "-").replace("?", "-"))
        accessible(page)

    pages = _crawl(page, base_url, check)
    assert len(pages) >= 4, pages
    print(email, len(pages), "pages:", " ".join(pages))
    assert not too_wide, too_wide
