"""The portfolio PDF and the certificate, read back by text extraction; the public verify page."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.models import TransitionEvent
from app.services import certificates, evidence, hours, reviews, signoffs
from app.services.clock import today
from app.services.errors import StateConflict
from tests.portfolio.conftest import PDF
from tests.web.conftest import FreshClient


def text_of(data: bytes) -> str:
    """The PDF's words with line breaks as spaces (a table cell wraps where it likes)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def complete(world, on) -> None:
    """Completed as the engine would leave it (the engine's own path to completion is tested elsewhere)."""
    enrolment = world.enrolment
    db.session.add(
        TransitionEvent(
            enrolment_id=enrolment.id,
            action="advance",
            from_stage=enrolment.stage,
            to_stage="completed",
            from_state="active",
            to_state="completed",
            effective_on=on,
            actor_id=world.preceptor.id,
        )
    )
    enrolment.stage, enrolment.state, enrolment.stage_entered_on = "completed", "completed", on
    db.session.commit()


def test_the_portfolio_pdf_holds_the_record(as_user, world):
    day = today() - timedelta(days=10)
    hours.log_hours(
        world.learner, world.enrolment.id, worked_on=day, hours="3", activity_type="study", learning="Sepsis"
    )
    request = signoffs.act(world.learner, world.enrolment.id, "alert_course", "request", text="ALERT done")
    evidence.attach(
        world.learner,
        world.enrolment.id,
        attached_to="signoff",
        attached_id=request.id,
        uploads=[evidence.Upload("ALERT certificate.pdf", PDF)],
    )
    signoffs.act(world.preceptor, world.enrolment.id, "alert_course", "sign")
    reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=today() - timedelta(days=95),
        outcome="on_track",
        notes="A confident start",
    )
    response = as_user(world.preceptor).get(f"/enrolments/{world.enrolment.id}/portfolio.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = text_of(response.data)
    assert world.learner.full_name in text and "Preceptorship" in text
    assert f"{world.enrolment.start_date:%-d %B %Y}" in text
    assert "ALERT" in text and "Signed off" in text and world.preceptor.full_name in text
    assert "A confident start" in text and "Preceptee: not yet signed" in text
    assert f"{day:%B %Y}" in text and "ALERT certificate.pdf" in text
    assert as_user(world.other_preceptor).get(f"/enrolments/{world.enrolment.id}/portfolio.pdf").status_code == 403
    assert as_user(world.foreign_lead).get(f"/enrolments/{world.enrolment.id}/portfolio.pdf").status_code == 404


def test_a_certificate_only_on_completion_with_a_code_that_verifies(app, as_user, world):
    with pytest.raises(StateConflict):
        certificates.issue(world.learner, world.enrolment.id)
    finished = today() - timedelta(days=1)
    complete(world, finished)
    learner = as_user(world.learner)
    assert learner.post(f"/enrolments/{world.enrolment.id}/certificate").status_code == 302
    certificate = certificates.certificate_of(world.enrolment.id)
    pdf = learner.get(f"/enrolments/{world.enrolment.id}/certificate.pdf")
    text = text_of(pdf.data)
    assert world.learner.full_name in text and "Preceptorship" in text
    assert f"{finished:%-d %B %Y}" in text and certificate.code in text
    assert f"http://waymark.test/verify/{certificate.code}" in text

    page = FreshClient(app, app.response_class).get(f"/verify/{certificate.code.lower()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "This certificate is genuine" in html
    assert world.learner.full_name.replace("'", "&#39;") in html and f"{finished:%-d %B %Y}" in html
    assert world.learner.email not in html and (world.learner.employee_number or "@") not in html

    certificates.revoke(world.lead, world.enrolment.id, reason="Issued in error")
    revoked = FreshClient(app, app.response_class).get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate has been revoked" in revoked and world.learner.email not in revoked
    unknown = FreshClient(app, app.response_class).get("/verify/AAAA-BBBB-CCCC")
    assert unknown.status_code == 404 and "No certificate has this code" in unknown.get_data(as_text=True)
