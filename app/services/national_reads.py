"""The records the national rules keep about one enrolment or one person, for its pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import (
    EnglishMathsDecision,
    PostAppointment,
    PriorCareCertificate,
    PriorLearning,
    ReviewFrequency,
    User,
)
from app.services.enrolments import get_enrolment
from app.services.errors import NotFound
from app.services.permissions import require_lead


@dataclass(frozen=True)
class NationalRecords:
    """Every version of each record, oldest first: a later one replaces an earlier one from its date."""

    english_maths_decisions: list[EnglishMathsDecision]
    review_frequencies: list[ReviewFrequency]
    prior_learning: list[PriorLearning]
    posts: list[PostAppointment]
    prior_care_certificates: list[PriorCareCertificate]


def _rows(model, enrolment_id: int) -> list:
    return list(db.session.scalars(select(model).where(model.enrolment_id == enrolment_id).order_by(model.id)))


def enrolment_records(actor: User, enrolment_id: int) -> NationalRecords:
    """An enrolment's national-rule records, for anyone who may see the enrolment."""
    enrolment = get_enrolment(actor, enrolment_id)
    return NationalRecords(
        english_maths_decisions=_rows(EnglishMathsDecision, enrolment.id),
        review_frequencies=_rows(ReviewFrequency, enrolment.id),
        prior_learning=_rows(PriorLearning, enrolment.id),
        posts=_rows(PostAppointment, enrolment.id),
        prior_care_certificates=_learners_certificates(enrolment.learner_id),
    )


def prior_care_certificates(actor: User, person_id: int) -> list[PriorCareCertificate]:
    """A person's Care Certificates completed before Waymark, for their organisation's leads."""
    person = db.session.get(User, person_id)
    if person is None or person.organisation_id != actor.organisation_id:
        raise NotFound("There is no such person")
    require_lead(actor, person.organisation_id)
    return _learners_certificates(person.id)


def _learners_certificates(learner_id: int) -> list[PriorCareCertificate]:
    query = select(PriorCareCertificate).where(PriorCareCertificate.learner_id == learner_id)
    return list(db.session.scalars(query.order_by(PriorCareCertificate.id)))
