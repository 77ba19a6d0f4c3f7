"""Cohorts (intakes): created and listed by programme leads."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Cohort, User
from app.services import audit
from app.services.catalogue import latest_definition
from app.services.errors import NotFound, ValidationFailed
from app.services.permissions import require_lead
from app.services.unit_of_work import command
from app.services.values import check_date, check_text


@command("cohort.create")
def create_cohort(
    actor: User | None,
    *,
    name: object,
    pathway_key: object,
    start_date: object,
    organisation_id: int | None = None,
) -> Cohort:
    """A new intake; ``actor`` None with ``organisation_id`` is the command line acting for the system."""
    if actor is not None:
        require_lead(actor, actor.organisation_id)
        organisation_id = actor.organisation_id
    problems: dict[str, str] = {}
    name = check_text(problems, "name", name, max_length=120, single_line=True, required="Enter a name for the cohort")
    start = check_date(problems, "start_date", start_date, required="Enter the cohort's start date")
    if "name" not in problems and db.session.scalar(
        select(Cohort.id).where(Cohort.organisation_id == organisation_id, Cohort.name == name)
    ):
        problems["name"] = f"There is already a cohort called {name}"
    try:
        key = latest_definition(pathway_key if isinstance(pathway_key, str) else "").key
    except NotFound as error:
        problems["pathway_key"] = error.message
    if problems:
        raise ValidationFailed(problems)
    cohort = Cohort(organisation_id=organisation_id, name=name, pathway_key=key, start_date=start)
    db.session.add(cohort)
    audit.record(actor, "cohort.created", cohort, organisation_id=organisation_id, name=name, pathway=key)
    return cohort


def get_cohort(actor: User, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.organisation_id != actor.organisation_id:
        raise NotFound("There is no such cohort")
    return cohort
