"""Evidence in chromium: a learner sends a PDF and a phone photo with a sign-off request, the preceptor opens
both and signs off, the learner is told, and nobody else can open the files."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, EvidenceFile, User
from app.services import pages
from tests.browser.conftest import sign_in
from tests.browser.test_browser_journeys import accessible

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (0, 94, 184)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def _open_competency(live_app) -> tuple[int, str, str]:
    """Priya's enrolment and a competency she has not asked about yet."""
    with live_app.app_context():
        learner = db.session.scalar(select(User).where(User.email == "learner@northgate.example"))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.learner_id == learner.id))
        item = pages.enrolment_page(learner, enrolment.id)
        row = next(r for g in pages.competencies(item) for r in g.rows if r.state is None)
        db.session.remove()
        return enrolment.id, row.key, row.title


def _page(browser: Browser, base_url: str) -> Page:
    page = browser.new_context(base_url=base_url, accept_downloads=True).new_page()
    page.set_default_timeout(10_000)
    return page


def test_evidence_from_request_to_sign_off(browser: Browser, base_url: str, live_app, password: str):
    enrolment_id, key, title = _open_competency(live_app)
    learner = _page(browser, base_url)
    sign_in(learner, "learner@northgate.example", password)
    learner.goto(f"/learner/enrolments/{enrolment_id}/competencies/{key}/request")
    learner.get_by_label("Evidence", exact=True).fill("Certificate attached, and a photo of the poster I presented")
    learner.locator("input[type=file]").set_input_files(
        [
            {"name": "ALERT certificate.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "IMG_4471.JPG", "mimeType": "image/jpeg", "buffer": _photo()},
        ]
    )
    accessible(learner)
    learner.get_by_role("button", name="Request sign-off").click()
    expect(learner.get_by_role("status")).to_contain_text(f"Sign-off requested: {title}")

    preceptor = _page(browser, base_url)
    sign_in(preceptor, "preceptor@northgate.example", password)
    preceptor.goto(f"/preceptor/enrolments/{enrolment_id}/competencies/{key}")
    expect(preceptor.get_by_role("img", name="Thumbnail of IMG_4471.jpg")).to_be_visible()
    accessible(preceptor)
    for name in ("ALERT certificate.pdf", "IMG_4471.jpg"):
        with preceptor.expect_download() as download:
            preceptor.get_by_role("link", name=name).click()
        assert download.value.suggested_filename == name
    preceptor.get_by_role("button", name="Sign off").click()
    expect(preceptor.get_by_role("status")).to_contain_text(f"Signed off: {title}")

    learner.goto("/notifications")
    expect(learner.get_by_role("heading", name=f"Signed off: {title}")).to_be_visible()

    with live_app.app_context():
        urls = [f"/evidence/{i}" for i in db.session.scalars(select(EvidenceFile.id))]
        db.session.remove()
    for outsider in ("preceptor2@northgate.example", "preceptor@eastbrook.example"):
        page = _page(browser, base_url)
        sign_in(page, outsider, password)
        for url in urls:
            assert page.request.get(url).status == 404
