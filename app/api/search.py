"""Search: people and enrolments the caller may see, by name, employee number or email."""

from __future__ import annotations

from marshmallow import Schema, fields

from app.api import bp
from app.api.auth import actor
from app.api.common import errors
from app.api.schemas import Text
from app.services import search as people_search


class SearchArgs(Schema):
    q = Text(required=True, max_length=people_search.MAX_LENGTH)


class FoundEnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    pathway = fields.String(required=True)
    programme = fields.String(required=True)
    stage = fields.String(required=True)
    stage_title = fields.String(required=True)
    state = fields.String(required=True)
    cohort = fields.String(allow_none=True, required=True)
    start_date = fields.Date(required=True)


class FoundPersonSchema(Schema):
    id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    employee_number = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    enrolments = fields.List(fields.Nested(FoundEnrolmentSchema), required=True)


class SearchResultSchema(Schema):
    query = fields.String(required=True)
    people = fields.List(fields.Nested(FoundPersonSchema), required=True)
    more = fields.Boolean(required=True, metadata={"description": "more people matched than the 20 returned"})


@bp.get("/search")
@bp.arguments(SearchArgs, location="query")
@bp.response(200, SearchResultSchema)
@errors(422)
def search(args: dict):
    """Every word must start a word of the name, email or employee number (case and accents ignored)."""
    results = people_search.search(actor(), args["q"])
    people = []
    for found in results.people:
        person = found.person
        enrolments = [
            {"id": f.enrolment.id, "pathway": f.enrolment.pathway_key, "programme": f.programme,
             "stage": f.enrolment.stage, "stage_title": f.stage, "state": f.enrolment.state,
             "cohort": f.enrolment.cohort.name if f.enrolment.cohort else None, "start_date": f.enrolment.start_date}
            for f in found.enrolments
        ]  # fmt: skip
        people.append({"id": person.id, "first_name": person.first_name, "last_name": person.last_name,
                       "employee_number": person.employee_number, "email": person.email, "role": person.role,
                       "enrolments": enrolments})  # fmt: skip
    return {"query": results.query, "people": people, "more": results.more}
