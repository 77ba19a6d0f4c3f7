"""Request and response shapes of what happens under an enrolment: hours, sign-offs, reviews, checks and
transitions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import Id, Text, UtcDateTime
from app.models.events import CHECK_KINDS
from app.services.hours import ACTIVITY_TYPES
from app.services.reviews import OUTCOMES
from app.services.signoffs import SIGN_OFF_ACTIONS
from app.services.transitions import TRANSITION_ACTIONS


class HoursSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    worked_on = fields.Date(required=True)
    hours = fields.Float(required=True)
    activity_type = fields.String(required=True)
    learning = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class HoursCreateSchema(Schema):
    worked_on = fields.Date(required=True)
    hours = fields.Float(required=True, validate=validate.Range(-1000, 1000))
    activity_type = Text(required=True, choices=tuple(ACTIVITY_TYPES))
    learning = Text(load_default="")


class SignoffSchema(Schema):
    id = fields.Integer(required=True)
    competency = fields.String(required=True)
    competency_title = fields.String(required=True)
    action = fields.String(required=True)
    evidence = fields.String(required=True)
    comment = fields.String(required=True)
    actor_id = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class SignoffCreateSchema(Schema):
    competency = Text(required=True, max_length=200)
    action = Text(required=True, choices=tuple(SIGN_OFF_ACTIONS))
    text = Text(load_default="")


class ReviewSchema(Schema):
    id = fields.Integer(required=True)
    slot = fields.String(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    held_on = fields.Date(required=True)
    outcome = fields.String(required=True)
    notes = fields.String(required=True)
    agreed_actions = fields.String(required=True)
    corrects_id = fields.Integer(allow_none=True, required=True)
    correction_reason = fields.String(metadata={"description": "why this version corrects the one before"})
    recorded_by_id = fields.Integer(required=True)


class ReviewCreateSchema(Schema):
    slot = Text(required=True, max_length=200)
    held_on = fields.Date(required=True)
    outcome = Text(required=True, choices=tuple(OUTCOMES))
    notes = Text(load_default="")
    agreed_actions = Text(load_default="")
    corrects_id = Id(allow_none=True)
    correction_reason = Text(load_default="", max_length=2000)


class CheckSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    result = fields.String(required=True)
    checked_on = fields.Date(required=True)
    notes = fields.String(required=True)


class CheckCreateSchema(Schema):
    kind = Text(required=True, choices=tuple(CHECK_KINDS))
    result = Text(required=True, max_length=200)
    checked_on = fields.Date(required=True)
    notes = Text(load_default="")


class TransitionSchema(Schema):
    id = fields.Integer(required=True)
    action = fields.String(required=True)
    from_stage = fields.String(allow_none=True, required=True)
    to_stage = fields.String(required=True)
    from_state = fields.String(allow_none=True, required=True)
    to_state = fields.String(required=True)
    effective_on = fields.Date(required=True)
    new_end = fields.Date(allow_none=True, required=True)
    reason = fields.String(required=True)


class TransitionCreateSchema(Schema):
    action = Text(required=True, choices=tuple(TRANSITION_ACTIONS))
    to = Text(allow_none=True, max_length=200)
    reason = Text(load_default="")
    new_end = fields.Date(allow_none=True)
    on = fields.Date(allow_none=True)
    # Completing the jobs, apprenticeship or placement route: the post appointed, each required there.
    post_title = Text(allow_none=True, max_length=200)
    post_band = Text(allow_none=True, max_length=40)
    post_starts_on = fields.Date(allow_none=True)
