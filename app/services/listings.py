"""Read-side queries for lists (the JSON API's), each limited to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import (
    Check,
    Cohort,
    Competency,
    Enrolment,
    HoursEntry,
    PathwayVersion,
    PreceptorAssignment,
    Review,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.services.enrolments import get_enrolment
from app.services.permissions import STAFF_ROLES, require_lead


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int


def paginate(query: Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    """One page of a query and the total count, in two queries."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    window = query.limit(per_page).offset((page - 1) * per_page)
    items = db.session.scalars(window).all() if scalars else db.session.execute(window).all()
    return Page(list(items), page, per_page, total or 0)


def enrolments_query(
    actor: User,
    *,
    cohort: int | None = None,
    pathway: str | None = None,
    status: str | None = None,
    preceptor: int | None = None,
) -> Select:
    """Enrolments the actor may see: a lead sees the organisation, a preceptor their caseload, a learner their own."""
    query = select(Enrolment).where(Enrolment.organisation_id == actor.organisation_id)
    if actor.role == "learner":
        query = query.where(Enrolment.learner_id == actor.id)
    elif actor.role not in STAFF_ROLES:
        current = select(PreceptorAssignment.enrolment_id).where(
            PreceptorAssignment.preceptor_id == actor.id, PreceptorAssignment.ended_on.is_(None)
        )
        query = query.where(Enrolment.id.in_(current))
    if cohort is not None:
        query = query.where(Enrolment.cohort_id == cohort)
    if pathway:
        query = query.join(PathwayVersion, PathwayVersion.id == Enrolment.pathway_version_id).where(
            PathwayVersion.key == pathway
        )
    if status:
        query = query.where(Enrolment.state == status)
    if preceptor is not None:
        query = query.where(
            Enrolment.id.in_(
                select(PreceptorAssignment.enrolment_id).where(
                    PreceptorAssignment.preceptor_id == preceptor, PreceptorAssignment.ended_on.is_(None)
                )
            )
        )
    return query.order_by(Enrolment.id)


def cohorts_query(actor: User) -> Select:
    require_lead(actor, actor.organisation_id)
    return select(Cohort).where(Cohort.organisation_id == actor.organisation_id).order_by(Cohort.start_date.desc())


def cohort_state_counts(cohort_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {cohort_id: {} for cohort_id in cohort_ids}
    for cohort_id, state, n in db.session.execute(
        select(Enrolment.cohort_id, Enrolment.state, func.count())
        .where(Enrolment.cohort_id.in_(cohort_ids))
        .group_by(Enrolment.cohort_id, Enrolment.state)
    ):
        counts[cohort_id][state] = n
    return counts


def current_preceptors(enrolment_ids: list[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {i: [] for i in enrolment_ids}
    for enrolment_id, user in db.session.execute(
        select(PreceptorAssignment.enrolment_id, User)
        .join(User, User.id == PreceptorAssignment.preceptor_id)
        .where(PreceptorAssignment.enrolment_id.in_(enrolment_ids), PreceptorAssignment.ended_on.is_(None))
    ):
        found[enrolment_id].append(user)
    return found


def hours_query(actor: User, enrolment_id: int) -> Select:
    enrolment = get_enrolment(actor, enrolment_id)
    return (
        select(HoursEntry)
        .where(HoursEntry.enrolment_id == enrolment.id, HoursEntry.removed_at.is_(None))
        .order_by(HoursEntry.worked_on.desc(), HoursEntry.id.desc())
    )


def signoffs_query(actor: User, enrolment_id: int) -> Select:
    enrolment = get_enrolment(actor, enrolment_id)
    return (
        select(SignOffEvent, Competency)
        .join(Competency, Competency.id == SignOffEvent.competency_id)
        .where(SignOffEvent.enrolment_id == enrolment.id)
        .order_by(SignOffEvent.id)
    )


def reviews_query(actor: User, enrolment_id: int) -> Select:
    enrolment = get_enrolment(actor, enrolment_id)
    return select(Review).where(Review.enrolment_id == enrolment.id).order_by(Review.id)


def checks_query(actor: User, enrolment_id: int) -> Select:
    enrolment = get_enrolment(actor, enrolment_id)
    return select(Check).where(Check.enrolment_id == enrolment.id).order_by(Check.checked_on, Check.id)


def transitions_query(actor: User, enrolment_id: int) -> Select:
    enrolment = get_enrolment(actor, enrolment_id)
    return select(TransitionEvent).where(TransitionEvent.enrolment_id == enrolment.id).order_by(TransitionEvent.id)
