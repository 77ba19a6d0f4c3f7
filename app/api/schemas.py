"""Request and response shapes; flask-smorest turns them into the OpenAPI document."""

from __future__ import annotations

from datetime import UTC

from marshmallow import Schema, ValidationError, fields, validate

from app.models.programmes import ENROLMENT_STATES

MAX_ID = 2**31 - 1


class Text(fields.String):
    """A string a database can store: no NUL characters, no lone surrogates, and a length limit.

    Every string a request sends is a ``Text``, so nothing reaches a service that the database would refuse.
    """

    def __init__(self, *, max_length: int = 2000, choices: tuple[str, ...] | None = None, **kwargs) -> None:
        checks = [validate.Length(max=max_length)] + ([validate.OneOf(choices)] if choices is not None else [])
        super().__init__(validate=checks, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Remove the NUL character")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # JSON's "\ud800" escape decodes to half of a UTF-16 pair
            raise ValidationError(
                "Remove the invalid character: a lone surrogate (such as \\ud800) is half of a character, not text"
            ) from None
        return text


class UtcDateTime(fields.DateTime):
    """Stored timestamps are UTC; SQLite hands them back without a zone, so say so."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


def Id(*, strict: bool = True, **kwargs) -> fields.Integer:  # noqa: N802 - reads as a field type
    """A database id: JSON bodies must send a number; query strings are text by nature."""
    return fields.Integer(strict=strict, validate=validate.Range(1, MAX_ID), **kwargs)


ErrorBody = Schema.from_dict(
    {
        "code": fields.String(required=True),
        "message": fields.String(required=True),
        "fields": fields.Dict(keys=fields.String(), values=fields.String(), required=True),
        "reasons": fields.List(fields.String()),
    },
    name="ErrorBody",
)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(1, 100))


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """A page envelope: the items, the page asked for and the total number of items."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
        name=name,
    )


# Pathways
class StageSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)


class PathwayTransitionSchema(Schema):
    source = fields.String(required=True, data_key="from")
    to = fields.String(required=True)
    label = fields.String(required=True)


class CompetencySchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    group = fields.String(required=True)


class PathwaySchema(Schema):
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)


class PathwayDetailSchema(PathwaySchema):
    stages = fields.List(fields.Nested(StageSchema), required=True)
    transitions = fields.List(fields.Nested(PathwayTransitionSchema), required=True)
    competencies = fields.List(fields.Nested(CompetencySchema), required=True)


# Cohorts
class CohortSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    pathway = fields.String(required=True, attribute="pathway_key")
    start_date = fields.Date(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class CohortCreateSchema(Schema):
    name = Text(required=True, max_length=500)
    pathway = Text(required=True, max_length=200)
    start_date = fields.Date(required=True)


# Enrolments
class PersonSchema(Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    employee_number = fields.String(required=True)


class StatusSchema(Schema):
    rag = fields.String(required=True)
    reason = fields.String(required=True)


class CohortRefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class EnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    learner = fields.Nested(PersonSchema, required=True)
    pathway = fields.String(required=True)
    pathway_version = fields.Integer(required=True)
    cohort = fields.Nested(CohortRefSchema, allow_none=True, required=True)
    stage = fields.String(required=True)
    state = fields.String(required=True)
    start_date = fields.Date(required=True)
    status = fields.Nested(StatusSchema, required=True)


class OptionSchema(Schema):
    to = fields.String(required=True)
    label = fields.String(required=True)
    allowed = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True)


class DueSchema(Schema):
    kind = fields.String(required=True)
    key = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.Date(required=True)


class ReviewSlotSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.Date(required=True)
    held_on = fields.Date(allow_none=True, required=True)
    confirmed = fields.Boolean(required=True)


class EnrolmentDetailSchema(EnrolmentSchema):
    stage_title = fields.String(required=True)
    transitions = fields.List(fields.Nested(OptionSchema), required=True)
    next_blockers = fields.List(fields.String(), required=True)
    due = fields.List(fields.Nested(DueSchema), required=True)
    next_due = fields.Nested(DueSchema, allow_none=True, required=True)
    expected_end = fields.Date(required=True)
    review_slots = fields.List(fields.Nested(ReviewSlotSchema), required=True)
    hours_logged = fields.Float(required=True)
    hours_target_to_date = fields.Float(required=True)
    progress = fields.Float(required=True)
    preceptors = fields.List(fields.Nested(PersonSchema), required=True)
    notices = fields.List(fields.String(), required=True)


class EnrolmentFilterSchema(PageArgs):
    cohort = Id(strict=False)
    pathway = Text(max_length=200)
    status = Text(choices=tuple(ENROLMENT_STATES))
    preceptor = Id(strict=False)


class PreceptorAssignmentSchema(Schema):
    id = fields.Integer(required=True)
    enrolment_id = fields.Integer(required=True)
    preceptor = fields.Nested(PersonSchema, required=True)
    assigned_on = fields.Date(required=True)
    reason = fields.String(required=True)
    override_reason = fields.String(required=True)
    overridden_rules = fields.List(fields.String(), required=True, attribute="overridden")


class PreceptorAssignmentCreateSchema(Schema):
    preceptor_id = Id(required=True)
    reason = Text(load_default="", max_length=2000)
    override_reason = Text(
        load_default="",
        max_length=2000,
        metadata={"description": "only when no eligible preceptor exists: why this one is assigned anyway"},
    )


class EnrolmentCreateSchema(Schema):
    learner_id = Id(required=True)
    pathway = Text(required=True, max_length=200)
    start_date = fields.Date(required=True)
    cohort_id = Id(allow_none=True)
    preceptor_id = Id(allow_none=True)
