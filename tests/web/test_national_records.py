"""The lead's pages for the national rules: the English and maths decision, and the post appointed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import EnglishMathsDecision, PostAppointment, PriorCareCertificate, PriorLearning
from app.services import enrolments
from app.services.clock import today
from tests.factories import LearnerFactory
from tests.stages import at_stage
from tests.web.conftest import assert_error, date_fields


def _enrol(world, pathway: str, stage: str, **person):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="", **person)
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key=pathway, start_date=today() - timedelta(days=200)
    )
    return at_stage(enrolment, stage, today() - timedelta(days=30))


def test_lead_records_the_english_and_maths_decision(world, as_user):
    enrolment = _enrol(world, "healthcare-works-apprenticeship", "apprenticeship", date_of_birth=date(1990, 1, 1))
    client = as_user(world.lead)
    page = client.get(f"/lead/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Record the English and maths decision" in page
    url = f"/lead/enrolments/{enrolment.id}/english-and-maths"
    refused = client.post(
        url, data={"decision": "not_taking", **date_fields("decided_on", today() + timedelta(days=3))}
    )
    assert_error(refused.get_data(as_text=True), "decided_on", "The date cannot be in the future", "decided_on-day")
    assert db.session.scalar(select(EnglishMathsDecision)) is None
    done = client.post(
        url, data={"decision": "not_taking", "note": "Employer agreed", **date_fields("decided_on", today())}
    )
    assert done.status_code == 302
    decision = db.session.scalars(select(EnglishMathsDecision)).one()
    assert (decision.decision, decision.decided_on) == ("not_taking", today())


def test_completing_the_jobs_route_names_the_post(world, as_user):
    enrolment = _enrol(world, "healthcare-works-jobs", "talent_pool")
    client = as_user(world.lead)
    page = client.get(f"/lead/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Record the post the learner was appointed to." in page and 'name="post_band"' in page
    url = f"/lead/enrolments/{enrolment.id}/advance"
    missing = client.post(url, data={"to": "completed", "post_title": "Healthcare assistant"})
    html = missing.get_data(as_text=True)
    assert "Enter the band of the post appointed, like Band 2" in html and "Enter the date the post starts" in html
    assert db.session.scalar(select(PostAppointment)) is None
    done = client.post(
        url, data={"to": "completed", "post_title": "Healthcare assistant", "post_band": "Band 2",
                   **date_fields("post_starts_on", today())},
    )  # fmt: skip
    assert done.status_code == 302
    post = db.session.scalars(select(PostAppointment)).one()
    assert (post.title, post.band, post.starts_on) == ("Healthcare assistant", "Band 2", today())


def test_lead_records_prior_learning_and_the_record_shows_the_hours_taken_off(world, as_user):
    enrolment = _enrol(world, "healthcare-works-apprenticeship", "apprenticeship", date_of_birth=date(1990, 1, 1))
    client = as_user(world.lead)
    page = client.get(f"/lead/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Record recognised prior learning" in page and "0 hours taken off the off-the-job target" in page
    url = f"/lead/enrolments/{enrolment.id}/prior-learning"
    refused = client.post(url, data={"hours": "forty", "reason": "Diploma", **date_fields("recorded_on", today())})
    assert refused.status_code == 400
    assert_error(refused.get_data(as_text=True), "hours", "Enter the hours as a number, like 40")
    assert db.session.scalar(select(PriorLearning)) is None
    data = {"hours": "40", "reason": "Level 2 diploma in care", **date_fields("recorded_on", today())}
    assert client.post(url, data=data).status_code == 302
    page = client.get(f"/lead/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "40 hours taken off the off-the-job target" in page


def test_lead_records_a_care_certificate_from_before_and_can_then_enrol_on_the_hda(world, as_user):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="", first_name="Sam", last_name="Rowe")
    client = as_user(world.lead)
    person_page = client.get(f"/admin/users/{learner.id}").get_data(as_text=True)
    assert "Record a Care Certificate completed before Waymark" in person_page
    url = f"/lead/people/{learner.id}/care-certificate"
    refused = client.post(url, data={"evidence": "", **date_fields("completed_on", date(2024, 3, 1))})
    assert_error(refused.get_data(as_text=True), "evidence", "Enter the evidence, like the certificate")
    assert db.session.scalar(select(PriorCareCertificate)) is None
    data = {"evidence": "Certificate CC-2024-0301 from Eastbrook", **date_fields("completed_on", date(2024, 3, 1))}
    assert client.post(url, data=data).status_code == 302
    assert "Completed 1 March 2024: Certificate CC-2024-0301 from Eastbrook" in client.get(url).get_data(as_text=True)
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="higher-development-award", start_date=today()
    )
    page = client.get(f"/lead/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "Completed 1 March 2024" in page


def test_another_organisations_person_has_no_care_certificate_page(world, as_user):
    assert as_user(world.foreign_lead).get(f"/lead/people/{world.learner.id}/care-certificate").status_code == 404
