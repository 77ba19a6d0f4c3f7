"""What happens on an enrolment: hours, sign-offs, reviews, checks and transitions."""

from __future__ import annotations

from app.api import bp
from app.api.auth import actor
from app.api.common import errors, page_dict
from app.api.record_schemas import (
    CheckCreateSchema,
    CheckSchema,
    HoursCreateSchema,
    HoursSchema,
    ReviewCreateSchema,
    ReviewSchema,
    SignoffCreateSchema,
    SignoffSchema,
    TransitionCreateSchema,
    TransitionSchema,
)
from app.api.schemas import PageArgs, page_of
from app.services import hours, listings, records, reviews, signoffs, transitions
from app.services.learner_version import competency_titles
from app.services.outcomes import POST_FIELDS

ENROLMENT = "/enrolments/<int(max=2147483647):enrolment_id>"


@bp.get(f"{ENROLMENT}/hours")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(HoursSchema, "HoursPage"))
@errors(403, 404)
def list_hours(args: dict, enrolment_id: int):
    """Protected learning and off-the-job hours logged, newest first."""
    return page_dict(listings.paginate(listings.hours_query(actor(), enrolment_id), **args))


@bp.post(f"{ENROLMENT}/hours")
@bp.arguments(HoursCreateSchema)
@bp.response(201, HoursSchema)
@errors(403, 404)
def log_hours(data: dict, enrolment_id: int):
    """The learner logs time spent learning."""
    return hours.log_hours(actor(), enrolment_id, **data)


def _signoff(event, competency, titles: dict[str, str]) -> dict:
    return {
        "id": event.id,
        "competency": competency.key,
        "competency_title": titles.get(competency.key, competency.title),
        "action": event.action,
        "evidence": event.evidence,
        "comment": event.comment,
        "actor_id": event.actor_id,
        "created_at": event.created_at,
    }


@bp.get(f"{ENROLMENT}/signoffs")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(SignoffSchema, "SignoffPage"))
@errors(403, 404)
def list_signoffs(args: dict, enrolment_id: int):
    """Every sign-off event (requested, signed, returned, revoked), oldest first."""
    page = listings.paginate(listings.signoffs_query(actor(), enrolment_id), **args, scalars=False)
    titles = competency_titles(actor(), enrolment_id)
    return page_dict(page, [_signoff(event, competency, titles) for event, competency in page.items])


@bp.post(f"{ENROLMENT}/signoffs")
@bp.arguments(SignoffCreateSchema)
@bp.response(201, SignoffSchema)
@errors(403, 404)
def act_on_signoff(data: dict, enrolment_id: int):
    """The learner requests a sign-off; their preceptor signs it off, returns it or revokes it."""
    event = signoffs.act(actor(), enrolment_id, data["competency"], data["action"], text=data["text"])
    return _signoff(event, event.competency, competency_titles(actor(), enrolment_id))


@bp.get(f"{ENROLMENT}/reviews")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(ReviewSchema, "ReviewPage"))
@errors(403, 404)
def list_reviews(args: dict, enrolment_id: int):
    """Review meetings recorded, oldest first (a correction points at the review it corrects)."""
    return page_dict(listings.paginate(listings.reviews_query(actor(), enrolment_id), **args))


@bp.post(f"{ENROLMENT}/reviews")
@bp.arguments(ReviewCreateSchema)
@bp.response(201, ReviewSchema)
@errors(403, 404)
def record_review(data: dict, enrolment_id: int):
    """The preceptor records a review meeting against a slot of the schedule."""
    return reviews.record_review(actor(), enrolment_id, **data)


@bp.get(f"{ENROLMENT}/checks")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(CheckSchema, "CheckPage"))
@errors(403, 404)
def list_checks(args: dict, enrolment_id: int):
    """DBS, occupational health, English and maths assessments and end-point assessment results."""
    return page_dict(listings.paginate(listings.checks_query(actor(), enrolment_id), **args))


@bp.post(f"{ENROLMENT}/checks")
@bp.arguments(CheckCreateSchema)
@bp.response(201, CheckSchema)
@errors(403, 404)
def record_check(data: dict, enrolment_id: int):
    """Record a check or assessment result; the latest of each kind counts."""
    return records.record_check(actor(), enrolment_id, **data)


@bp.get(f"{ENROLMENT}/transitions")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(TransitionSchema, "TransitionPage"))
@errors(403, 404)
def list_transitions(args: dict, enrolment_id: int):
    """The enrolment's history: enrolled, advanced, held, resumed, extended, withdrawn, reinstated."""
    return page_dict(listings.paginate(listings.transitions_query(actor(), enrolment_id), **args))


@bp.post(f"{ENROLMENT}/transitions")
@bp.arguments(TransitionCreateSchema)
@bp.response(201, TransitionSchema)
@errors(403, 404, 409)
def make_transition(data: dict, enrolment_id: int):
    """Advance, hold, resume, extend, withdraw or reinstate (a mistaken withdrawal, with a reason); 409 lists
    every reason the engine gives when it cannot."""
    post = {field: data.pop(field) for field in POST_FIELDS if field in data}
    return transitions.transition(actor(), enrolment_id, data.pop("action"), **data, post=post or None)
