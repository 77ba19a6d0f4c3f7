"""Cohorts (intakes): listed and created by programme leads."""

from __future__ import annotations

from app.api import bp
from app.api.auth import actor
from app.api.common import body_field_names, errors, page_dict
from app.api.schemas import CohortCreateSchema, CohortSchema, PageArgs, page_of
from app.services import cohorts, listings


def _with_counts(items: list) -> list[dict]:
    counts = listings.cohort_state_counts([c.id for c in items])
    return [
        {"id": c.id, "name": c.name, "pathway_key": c.pathway_key, "start_date": c.start_date, "counts": counts[c.id]}
        for c in items
    ]


@bp.get("/cohorts")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(CohortSchema, "CohortPage"))
@errors(403)
def list_cohorts(args: dict):
    """The organisation's cohorts, newest first, with enrolments counted by state (programme leads)."""
    page = listings.paginate(listings.cohorts_query(actor()), args["page"], args["per_page"])
    return page_dict(page, _with_counts(page.items))


@bp.post("/cohorts")
@bp.arguments(CohortCreateSchema)
@bp.response(201, CohortSchema)
@errors(403)
def create_cohort(data: dict):
    """Start a new cohort on a programme (programme leads)."""
    with body_field_names({"pathway_key": "pathway"}):
        cohort = cohorts.create_cohort(
            actor(), name=data["name"], pathway_key=data["pathway"], start_date=data["start_date"]
        )
    return _with_counts([cohort])[0]
