"""A review's signatures: who signs in which order, who has, and signing (or disagreeing) for oneself."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api import bp
from app.api.auth import actor
from app.api.common import errors
from app.api.records import ENROLMENT
from app.api.schemas import Text, UtcDateTime
from app.models.signatures import DECISIONS
from app.services import review_signatures
from app.services.errors import NotFound

SIGNATURES = f"{ENROLMENT}/reviews/<int(max=2147483647):review_id>/signatures"


class SignatureSchema(Schema):
    id = fields.Integer(required=True)
    party = fields.String(required=True)
    decision = fields.String(required=True, metadata={"enum": list(DECISIONS)})
    comment = fields.String(required=True)
    user_id = fields.Integer(allow_none=True, required=True, metadata={"description": "null when signed by link"})
    signer_name = fields.String(required=True)
    signer_role = fields.String(required=True)
    created_at = UtcDateTime(required=True)


class PartySchema(Schema):
    party = fields.String(required=True)
    title = fields.String(required=True)
    signs = fields.String(required=True, metadata={"enum": ["learner", "preceptor", "external"]})
    signature = fields.Nested(SignatureSchema, allow_none=True, required=True)


class SigningSchema(Schema):
    review_id = fields.Integer(required=True)
    locked = fields.Boolean(required=True)
    corrected = fields.Boolean(required=True)
    waiting_for = fields.String(allow_none=True, required=True)
    parties = fields.List(fields.Nested(PartySchema), required=True)


class SignatureCreateSchema(Schema):
    decision = Text(load_default="signed", choices=DECISIONS)
    comment = Text(load_default="")


def _state(enrolment_id: int, review_id: int) -> review_signatures.Signing:
    review, enrolment = review_signatures.review_on_record(actor(), review_id)
    if enrolment.id != enrolment_id:
        raise NotFound("There is no such review")
    return review_signatures.signing(review, enrolment)


@bp.get(SIGNATURES)
@bp.response(200, SigningSchema)
@errors(404)
def list_signatures(enrolment_id: int, review_id: int):
    """The review's parties in the order they sign, each with their signature or disagreement when given."""
    state = _state(enrolment_id, review_id)
    waiting = state.waiting_for
    return {
        "review_id": state.review.id,
        "locked": state.locked,
        "corrected": state.corrected,
        "waiting_for": waiting.key if waiting else None,
        "parties": [
            {"party": p.key, "title": p.title, "signs": p.signs_as, "signature": state.signatures.get(p.key)}
            for p in state.parties
        ],
    }


@bp.post(SIGNATURES)
@bp.arguments(SignatureCreateSchema)
@bp.response(201, SignatureSchema)
@errors(403, 404, 409, 422)
def sign_review(data: dict, enrolment_id: int, review_id: int):
    """Sign the review, or record disagreement (with a comment), when it is your turn."""
    _state(enrolment_id, review_id)
    return review_signatures.sign(actor(), review_id, **data)
