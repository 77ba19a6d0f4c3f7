"""Cohorts (intakes): created and listed by programme leads."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Cohort, User
from app.services import audit
from app.services.catalogue import latest_definition
from app.services.errors import NotFound, ValidationFailed
from app.services.permissions import require_lead


def create_cohort(
    actor: User | None,
    *,
    name: str,
    pathway_key: str,
    start_date: date | None,
    organisation_id: int | None = None,
    commit: bool = True,
) -> Cohort:
    """A new intake; ``actor`` None with ``organisation_id`` is the command line acting for the system."""
    if actor is not None:
        require_lead(actor, actor.organisation_id)
        organisation_id = actor.organisation_id
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Enter a name for the cohort"
    elif len(name) > 120:
        problems["name"] = "The cohort name must be 120 characters or fewer"
    elif db.session.scalar(select(Cohort.id).where(Cohort.organisation_id == organisation_id, Cohort.name == name)):
        problems["name"] = f"There is already a cohort called {name}"
    try:
        latest_definition(pathway_key)
    except NotFound as error:
        problems["pathway_key"] = error.message
    if start_date is None:
        problems["start_date"] = "Enter the cohort's start date"
    if problems:
        raise ValidationFailed(problems)
    cohort = Cohort(organisation_id=organisation_id, name=name, pathway_key=pathway_key, start_date=start_date)
    db.session.add(cohort)
    audit.record(actor, "cohort.created", cohort, organisation_id=organisation_id, name=name, pathway=pathway_key)
    if commit:
        db.session.commit()
    return cohort


def get_cohort(actor: User, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or cohort.organisation_id != actor.organisation_id:
        raise NotFound("There is no such cohort")
    return cohort
