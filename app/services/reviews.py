"""Review meetings: recorded by the preceptor, confirmed by both."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Review, ReviewConfirmation, User
from app.services import audit
from app.services.clock import today
from app.services.enrolments import get_enrolment
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import is_preceptor_of, require_assessor

OUTCOMES = {
    "on_track": "On track",
    "support_needed": "Extra support agreed",
    "concerns": "Concerns raised, action plan agreed",
    "ready": "Ready to move on",
}


def record_review(
    actor: User,
    enrolment_id: int,
    *,
    slot: str,
    held_on: date | None,
    outcome: str,
    notes: str = "",
    agreed_actions: str = "",
    corrects_id: int | None = None,
) -> Review:
    """The preceptor records a meeting against one slot of the schedule; it counts as their confirmation."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_assessor(actor, enrolment)
    assessed = assess_one(enrolment, today())
    slots = {s.key: s for s in assessed.evaluation.review_slots}
    problems = {}
    if slot not in slots:
        problems["slot"] = "Select which review this was"
    if held_on is None:
        problems["held_on"] = "Enter the date the review was held"
    elif held_on > today():
        problems["held_on"] = "The review date cannot be in the future"
    elif held_on < enrolment.start_date:
        problems["held_on"] = "The review date cannot be before the programme started"
    if outcome not in OUTCOMES:
        problems["outcome"] = "Select the outcome of the review"
    if corrects_id is not None:
        old = db.session.get(Review, corrects_id)
        if old is None or old.enrolment_id != enrolment.id:
            problems["corrects_id"] = "The review being corrected is not this learner's"
    if problems:
        raise ValidationFailed(problems)
    review = Review(
        enrolment_id=enrolment.id,
        slot=slot,
        due_on=slots[slot].due,
        held_on=held_on,
        outcome=outcome,
        notes=notes.strip(),
        agreed_actions=agreed_actions.strip(),
        corrects_id=corrects_id,
        recorded_by_id=actor.id,
    )
    db.session.add(review)
    db.session.flush()
    db.session.add(ReviewConfirmation(review_id=review.id, user_id=actor.id, as_role="preceptor"))
    audit.record(actor, "review.recorded", review, enrolment_id=enrolment.id, slot=slot, outcome=outcome)
    db.session.commit()
    return review


def confirm_review(actor: User, review_id: int) -> ReviewConfirmation:
    """The learner (or another assigned preceptor) confirms the record is a true account."""
    review = db.session.get(Review, review_id)
    if review is None:
        raise ValidationFailed({"review": "There is no such review"})
    enrolment = get_enrolment(actor, review.enrolment_id)
    if actor.id == enrolment.learner_id:
        as_role = "learner"
    elif is_preceptor_of(actor, enrolment):
        as_role = "preceptor"
    else:
        raise PermissionDenied("Only the learner or their preceptor can confirm a review")
    existing = db.session.scalar(
        select(ReviewConfirmation).where(
            ReviewConfirmation.review_id == review.id, ReviewConfirmation.as_role == as_role
        )
    )
    if existing is not None:
        raise ValidationFailed({"review": "You have already confirmed this review"})
    confirmation = ReviewConfirmation(review_id=review.id, user_id=actor.id, as_role=as_role)
    db.session.add(confirmation)
    audit.record(actor, "review.confirmed", confirmation, enrolment_id=enrolment.id, review_id=review.id)
    db.session.commit()
    return confirmation
