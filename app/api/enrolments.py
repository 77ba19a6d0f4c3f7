"""Enrolments: lists filtered by cohort, programme, state and preceptor; one enrolment in full."""

from __future__ import annotations

from app.api import bp
from app.api.auth import actor
from app.api.common import body_field_names, errors, page_dict
from app.api.schemas import (
    EnrolmentCreateSchema,
    EnrolmentDetailSchema,
    EnrolmentFilterSchema,
    EnrolmentSchema,
    PreceptorAssignmentCreateSchema,
    PreceptorAssignmentSchema,
    page_of,
)
from app.services import enrolments, listings
from app.services.clock import today
from app.services.errors import NotFound, ValidationFailed
from app.services.facts import Assessed, assess


def summary(item: Assessed) -> dict:
    enrolment, evaluation = item.enrolment, item.evaluation
    cohort = enrolment.cohort
    return {
        "id": enrolment.id,
        "learner": enrolment.learner,
        "pathway": item.definition.key,
        "pathway_version": item.definition.version,
        "cohort": {"id": cohort.id, "name": cohort.name} if cohort else None,
        "stage": enrolment.stage,
        "state": enrolment.state,
        "start_date": enrolment.start_date,
        "status": evaluation.status,
    }


def detail(item: Assessed) -> dict:
    evaluation = item.evaluation
    return {
        **summary(item),
        "stage_title": item.definition.stage(item.enrolment.stage).title,
        "transitions": evaluation.transitions,
        "next_blockers": evaluation.next_blockers,
        "due": evaluation.due,
        "next_due": evaluation.next_due,
        "expected_end": evaluation.expected_end,
        "review_slots": evaluation.review_slots,
        "hours_logged": item.facts.hours_logged,
        "hours_target_to_date": evaluation.hours_target_to_date,
        "progress": evaluation.progress,
        "preceptors": listings.current_preceptors([item.enrolment.id])[item.enrolment.id],
        "notices": evaluation.notices,
    }


@bp.get("/enrolments")
@bp.arguments(EnrolmentFilterSchema, location="query")
@bp.response(200, page_of(EnrolmentSchema, "EnrolmentPage"))
@errors()
def list_enrolments(args: dict):
    """Enrolments you can see (a lead: the organisation; a preceptor: their caseload; a learner: their own)."""
    page_args = {k: args.pop(k) for k in ("page", "per_page")}
    page = listings.paginate(listings.enrolments_query(actor(), **args), **page_args)
    return page_dict(page, [summary(item) for item in assess(page.items, today())])


@bp.post("/enrolments")
@bp.arguments(EnrolmentCreateSchema)
@bp.response(201, EnrolmentDetailSchema)
@errors(403)
def create_enrolment(data: dict):
    """Enrol a learner on the latest version of a programme, optionally in a cohort with a preceptor (leads)."""
    with body_field_names({"learner": "learner_id", "cohort": "cohort_id", "preceptor": "preceptor_id"}):
        try:
            enrolment = enrolments.enrol(
                actor(),
                learner_id=data["learner_id"],
                pathway_key=data["pathway"],
                start_date=data["start_date"],
                cohort_id=data.get("cohort_id"),
                preceptor_id=data.get("preceptor_id"),
            )
        except NotFound as error:  # an unknown programme named in the body is a field problem, not a missing page
            raise ValidationFailed({"pathway": error.message}) from None
    return detail(assess([enrolment], today())[0])


@bp.get("/enrolments/<int(max=2147483647):enrolment_id>")
@bp.response(200, EnrolmentDetailSchema)
@errors(403, 404)
def get_enrolment(enrolment_id: int):
    """Stage, status with its reason, what blocks each next transition, and what is due when."""
    return detail(assess([enrolments.get_enrolment(actor(), enrolment_id)], today())[0])


@bp.post("/enrolments/<int(max=2147483647):enrolment_id>/preceptor-assignments")
@bp.arguments(PreceptorAssignmentCreateSchema)
@bp.response(201, PreceptorAssignmentSchema)
@errors(403, 404)
def assign_preceptor(data: dict, enrolment_id: int):
    """Assign or reassign the learner's preceptor (leads). One who fails the programme's rules is 422 with each
    rule named; with no eligible preceptor a lead may give an `override_reason`, which is recorded and reported."""
    with body_field_names({"preceptor": "preceptor_id"}):
        return enrolments.assign_preceptor(
            actor(), enrolment_id, data["preceptor_id"], data["reason"], data["override_reason"]
        )
