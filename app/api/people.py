"""People (CONTRACT.md /api/v1/people): listed, added and changed by administrators and programme leads."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api import bp
from app.api.auth import actor
from app.api.common import errors, page_dict
from app.api.schemas import Id, PageArgs, Text, UtcDateTime, page_of
from app.models import ROLES
from app.services import listings, people


class PersonDetailSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    employee_number = fields.String(required=True)
    role = fields.String(required=True)
    site_id = fields.Integer(allow_none=True)
    profession = fields.String()
    band = fields.String()
    date_of_birth = fields.Date(allow_none=True)
    registration_date = fields.Date(allow_none=True)
    preceptor_training_date = fields.Date(allow_none=True)
    contracted_hours_per_week = fields.Float(allow_none=True)
    leaving_date = fields.Date(allow_none=True)
    enabled = fields.Boolean(required=True, attribute="is_enabled")
    has_password = fields.Function(lambda person: person.password_hash is not None)
    last_login_at = UtcDateTime(allow_none=True)


class PersonChangeSchema(Schema):
    """Every field optional on PATCH; POST needs the names, email and employee number."""

    email = Text(max_length=254)
    first_name = Text(max_length=100)
    last_name = Text(max_length=100)
    employee_number = Text(max_length=40)
    role = Text(choices=ROLES)
    site_id = Id(allow_none=True)
    profession = Text(max_length=60)
    band = Text(max_length=10)
    date_of_birth = fields.Date(allow_none=True)
    registration_date = fields.Date(allow_none=True)
    preceptor_training_date = fields.Date(allow_none=True)
    contracted_hours_per_week = fields.Float(allow_none=True, allow_nan=False)
    leaving_date = fields.Date(allow_none=True)


class PersonPatchSchema(PersonChangeSchema):
    enabled = fields.Boolean(metadata={"description": "false disables: sessions and API tokens end at once"})


class PeopleArgs(PageArgs):
    role = fields.String(validate=validate.OneOf(ROLES))


@bp.get("/people")
@bp.arguments(PeopleArgs, location="query")
@bp.response(200, page_of(PersonDetailSchema, "PersonPage"))
@errors(403)
def list_people(args: dict):
    """The organisation's people by name, optionally of one role."""
    query = people.people_query(actor(), role=args.get("role"))
    return page_dict(listings.paginate(query, args["page"], args["per_page"]))


@bp.post("/people")
@bp.arguments(PersonChangeSchema)
@bp.response(201, PersonDetailSchema)
@errors(403, 422)
def create_person(data: dict):
    """Add a person (leads: learners and preceptors; administrators: anyone). They get no password until invited."""
    return people.create(actor(), data)


@bp.get("/people/<int(max=2147483647):person_id>")
@bp.response(200, PersonDetailSchema)
@errors(403, 404)
def get_person(person_id: int):
    return people.person_in_reach(actor(), person_id)


@bp.patch("/people/<int(max=2147483647):person_id>")
@bp.arguments(PersonPatchSchema)
@bp.response(200, PersonDetailSchema)
@errors(403, 404, 422)
def change_person(data: dict, person_id: int):
    """Change details or role, or disable (``"enabled": false``) or re-enable a person."""
    enabled = data.pop("enabled", None)
    if data:
        people.update(actor(), person_id, data)
    if enabled is not None:
        people.set_enabled(actor(), person_id, enabled)
    return people.person_in_reach(actor(), person_id)
