"""Test setup for a learner already part-way through a programme."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.models import Enrolment, TransitionEvent


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
