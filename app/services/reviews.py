"""Review meetings: recorded by the preceptor, confirmed by both."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Review, ReviewConfirmation, User
from app.services import audit, review_signatures
from app.services.clock import today
from app.services.enrolments import locked_enrolment
from app.services.errors import PermissionDenied, StateConflict, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import is_preceptor_of, require_assessor
from app.services.unit_of_work import command
from app.services.values import check_date, check_id, check_text
from pathways import format_date

NOT_THIS_LEARNERS = "The review being corrected is not this learner's"
OUTCOMES = {
    "on_track": "On track",
    "support_needed": "Extra support agreed",
    "concerns": "Concerns raised, action plan agreed",
    "ready": "Ready to move on",
}


@command("review.record", target="enrolment_id")
def record_review(
    actor: User,
    enrolment_id: int,
    *,
    slot: object,
    held_on: object,
    outcome: object,
    notes: object = "",
    agreed_actions: object = "",
    corrects_id: object = None,
    correction_reason: object = "",
) -> Review:
    """The preceptor records a meeting against one slot of the schedule; it counts as their confirmation.

    A slot is held once: a second record for it must say which review it corrects.
    """
    enrolment = locked_enrolment(actor, enrolment_id)
    require_assessor(actor, enrolment)
    assessed = assess_one(enrolment, today())
    slots = {s.key: s for s in assessed.evaluation.review_slots}
    problems: dict[str, str] = {}
    day = check_date(problems, "held_on", held_on, required="Enter the date the review was held")
    if day is not None and day > today():
        problems["held_on"] = "The review date cannot be in the future"
    elif day is not None and day < enrolment.start_date:
        problems["held_on"] = "The review date cannot be before the programme started"
    text_notes = check_text(problems, "notes", notes, max_length=10_000)
    text_actions = check_text(problems, "agreed_actions", agreed_actions, max_length=10_000)
    if outcome not in OUTCOMES:
        problems["outcome"] = "Select the outcome of the review"
    correction = check_id(problems, "corrects_id", corrects_id, message=NOT_THIS_LEARNERS)
    reason = check_text(problems, "correction_reason", correction_reason, max_length=2000)
    held = {review.slot: review for review in current_reviews(enrolment.id)}
    if not isinstance(slot, str) or slot not in slots:
        problems["slot"] = "Select which review this was"
    elif correction is not None:
        old = db.session.get(Review, correction)
        if old is None or old.enrolment_id != enrolment.id:
            problems["corrects_id"] = NOT_THIS_LEARNERS
        elif held.get(old.slot) is not old:
            problems["corrects_id"] = "That review has already been corrected; correct the latest version"
        elif old.slot != slot:
            problems["slot"] = "A correction is for the same review as the one it corrects"
        elif not reason and review_signatures.signing(old, enrolment).signatures:
            problems["correction_reason"] = "Say why you are correcting a review that has been signed"
    elif slot in held:
        problems["slot"] = (
            f"The {slots[slot].title} was already recorded as held on {format_date(held[slot].held_on)}; "
            "correct that record instead of adding another"
        )
    if problems:
        raise ValidationFailed(problems)
    assert isinstance(slot, str)
    review = Review(
        enrolment_id=enrolment.id,
        slot=slot,
        due_on=slots[slot].due,
        held_on=day,
        outcome=outcome,
        notes=text_notes,
        agreed_actions=text_actions,
        corrects_id=correction,
        correction_reason=reason if correction is not None else "",
        recorded_by_id=actor.id,
    )
    db.session.add(review)
    db.session.flush()
    db.session.add(ReviewConfirmation(review_id=review.id, user_id=actor.id, as_role="preceptor"))
    audit.record(actor, "review.recorded", review, enrolment_id=enrolment.id, slot=slot, outcome=outcome)
    review_signatures.announce(review_signatures.signing(review, enrolment), enrolment)
    return review


def current_reviews(enrolment_id: int) -> list[Review]:
    """The reviews that stand (``Review.standing``), oldest first."""
    query = select(Review).where(Review.enrolment_id == enrolment_id, Review.standing())
    return list(db.session.scalars(query.order_by(Review.id)))


@command("review.confirm", target="review_id")
def confirm_review(actor: User, review_id: int) -> ReviewConfirmation:
    """The learner (or another assigned preceptor) confirms the record is a true account."""
    review = db.session.get(Review, review_id)
    if review is None:
        raise ValidationFailed({"review": "There is no such review"})
    enrolment = locked_enrolment(actor, review.enrolment_id)
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
        raise StateConflict({"review": "You have already confirmed this review"})
    confirmation = ReviewConfirmation(review_id=review.id, user_id=actor.id, as_role=as_role)
    db.session.add(confirmation)
    audit.record(actor, "review.confirmed", confirmation, enrolment_id=enrolment.id, review_id=review.id)
    return confirmation
