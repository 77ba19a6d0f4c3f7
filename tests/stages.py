"""Test setup for a learner already part-way through a programme."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Enrolment, TransitionEvent
from app.services import enrolments
from tests.factories import LearnerFactory


def at_stage(enrolment: Enrolment, stage: str, on: date) -> Enrolment:
    """The learner reached ``stage`` on ``on`` (its earlier steps are not what is tested)."""
    db.session.add(
        TransitionEvent(
            enrolment_id=enrolment.id, action="advance", from_stage=enrolment.stage, to_stage=stage,
            from_state="active", to_state="active", effective_on=on,
        )
    )  # fmt: skip
    enrolment.stage, enrolment.stage_entered_on = stage, on
    db.session.commit()
    return enrolment


def apprentice_on_programme(world):
    """A 36-year-old Healthcare Works apprentice of ``world``'s trust, on the apprenticeship since 3 August 2026."""
    learner = LearnerFactory(organisation=world.lead.organisation, date_of_birth=date(1990, 4, 1))
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="healthcare-works-apprenticeship",
        start_date=date(2026, 6, 1), preceptor_id=world.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "apprenticeship", date(2026, 8, 3))
