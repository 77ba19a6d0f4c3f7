"""The records the national rules ask for (CONTRACT.md): an English and maths decision, an agreed review
frequency and recognised prior learning on an enrolment; a Care Certificate completed before Waymark on
a person. Each is a new row: a later one replaces an earlier one from its date, and both are kept."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api import bp
from app.api.auth import actor
from app.api.common import errors
from app.api.schemas import Text, UtcDateTime
from app.services import national_reads, national_records

ENROLMENT = "/enrolments/<int(max=2147483647):enrolment_id>"
PERSON = "/people/<int(max=2147483647):person_id>"


class Recorded(Schema):
    id = fields.Integer(required=True)
    recorded_by_id = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)


class EnglishMathsDecisionSchema(Recorded):
    decision = fields.String(required=True)
    decided_on = fields.Date(required=True)
    note = fields.String(required=True)


class EnglishMathsDecisionCreateSchema(Schema):
    decision = Text(required=True, choices=tuple(national_records.ENGLISH_MATHS_DECISIONS))
    decided_on = fields.Date(required=True)
    note = Text(load_default="")


class ReviewFrequencySchema(Recorded):
    every_weeks = fields.Integer(allow_none=True, required=True)
    every_months = fields.Integer(allow_none=True, required=True)
    reason = fields.String(required=True)
    agreed_on = fields.Date(required=True)


class ReviewFrequencyCreateSchema(Schema):
    every = fields.Integer(required=True, validate=validate.Range(1, 52))
    unit = Text(required=True, choices=national_records.FREQUENCY_UNITS)
    reason = Text(required=True)
    agreed_on = fields.Date(required=True)


class PriorLearningSchema(Recorded):
    hours = fields.Float(required=True)
    reason = fields.String(required=True)
    recorded_on = fields.Date(required=True)


class PriorLearningCreateSchema(Schema):
    hours = fields.Float(required=True, validate=validate.Range(0, national_records.MAX_PRIOR_LEARNING_HOURS))
    reason = Text(required=True)
    recorded_on = fields.Date(required=True)


class PostSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    band = fields.String(required=True)
    starts_on = fields.Date(required=True)
    created_at = UtcDateTime(required=True)


class PriorCareCertificateSchema(Recorded):
    learner_id = fields.Integer(required=True)
    completed_on = fields.Date(required=True)
    evidence = fields.String(required=True)


class PriorCareCertificateCreateSchema(Schema):
    completed_on = fields.Date(required=True)
    evidence = Text(required=True)


class NationalRecordsSchema(Schema):
    english_maths_decisions = fields.List(fields.Nested(EnglishMathsDecisionSchema), required=True)
    review_frequencies = fields.List(fields.Nested(ReviewFrequencySchema), required=True)
    prior_learning = fields.List(fields.Nested(PriorLearningSchema), required=True)
    posts = fields.List(fields.Nested(PostSchema), required=True)
    prior_care_certificates = fields.List(fields.Nested(PriorCareCertificateSchema), required=True)


@bp.get(f"{ENROLMENT}/national-records")
@bp.response(200, NationalRecordsSchema)
@errors(403, 404)
def national_records_of(enrolment_id: int):
    """Every national-rule record of the enrolment, and its learner's prior Care Certificates."""
    return national_reads.enrolment_records(actor(), enrolment_id)


@bp.post(f"{ENROLMENT}/english-maths-decisions")
@bp.arguments(EnglishMathsDecisionCreateSchema)
@bp.response(201, EnglishMathsDecisionSchema)
@errors(403, 404)
def decide_english_maths(data: dict, enrolment_id: int):
    """A lead records whether an apprentice aged 19 or over goes on with English and maths, and when."""
    return national_records.record_english_maths_decision(actor(), enrolment_id, **data)


@bp.post(f"{ENROLMENT}/review-frequencies")
@bp.arguments(ReviewFrequencyCreateSchema)
@bp.response(201, ReviewFrequencySchema)
@errors(403, 404)
def agree_review_frequency(data: dict, enrolment_id: int):
    """An agreed alternative review frequency, with its reason: reviews fall due that long after the last."""
    return national_records.agree_review_frequency(actor(), enrolment_id, **data)


@bp.post(f"{ENROLMENT}/prior-learning")
@bp.arguments(PriorLearningCreateSchema)
@bp.response(201, PriorLearningSchema)
@errors(403, 404)
def record_prior_learning(data: dict, enrolment_id: int):
    """Recognised prior learning: reduces the published off-the-job minimum, never below 187 hours."""
    return national_records.record_prior_learning(actor(), enrolment_id, **data)


@bp.get(f"{PERSON}/prior-care-certificates")
@bp.response(200, PriorCareCertificateSchema(many=True))
@errors(403, 404)
def list_prior_care_certificates(person_id: int):
    """A person's Care Certificates completed before Waymark."""
    return national_reads.prior_care_certificates(actor(), person_id)


@bp.post(f"{PERSON}/prior-care-certificates")
@bp.arguments(PriorCareCertificateCreateSchema)
@bp.response(201, PriorCareCertificateSchema)
@errors(403, 404)
def record_prior_care_certificate(data: dict, person_id: int):
    """A Care Certificate completed before Waymark, with its date and evidence (the HDA's prerequisite)."""
    return national_records.record_prior_care_certificate(actor(), person_id, **data)
