"""The lead's pages for the national rules: the English and maths decision, and the post appointed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import EnglishMathsDecision, PostAppointment, TransitionEvent
from app.services import enrolments
from app.services.clock import today
from tests.factories import LearnerFactory
from tests.web.conftest import assert_error, date_fields


def _enrol(world, pathway: str, stage: str, **person):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="", **person)
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key=pathway, start_date=today() - timedelta(days=200)
    )
    on = today() - timedelta(days=30)
    db.session.add(
        TransitionEvent(
            enrolment_id=enrolment.id, action="advance", from_stage=enrolment.stage, to_stage=stage,
            from_state="active", to_state="active", effective_on=on,
        )
    )  # fmt: skip
    enrolment.stage, enrolment.stage_entered_on = stage, on
    db.session.commit()
    return enrolment


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
