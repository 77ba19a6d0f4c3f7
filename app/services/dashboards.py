"""What each role sees first when they sign in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Cohort, Enrolment, PreceptorAssignment, User
from app.services.facts import Assessed, assess


def learner_enrolments(user: User, as_of: date) -> list[Assessed]:
    rows = db.session.scalars(
        select(Enrolment)
        .options(joinedload(Enrolment.cohort))
        .where(Enrolment.learner_id == user.id)
        .order_by(Enrolment.start_date.desc())
    ).all()
    return assess(rows, as_of)


def caseload(user: User, as_of: date) -> list[Assessed]:
    rows = db.session.scalars(
        select(Enrolment)
        .options(joinedload(Enrolment.learner))
        .join(PreceptorAssignment, PreceptorAssignment.enrolment_id == Enrolment.id)
        .where(
            PreceptorAssignment.preceptor_id == user.id,
            PreceptorAssignment.ended_on.is_(None),
            Enrolment.organisation_id == user.organisation_id,
            Enrolment.state.in_(("active", "on_hold")),
        )
        .order_by(Enrolment.start_date)
    ).all()
    return assess(rows, as_of)


def cohort_counts(organisation_id: int) -> list[tuple[Cohort, dict[str, int]]]:
    cohorts = db.session.scalars(
        select(Cohort).where(Cohort.organisation_id == organisation_id).order_by(Cohort.start_date.desc())
    ).all()
    counts: dict[int, dict[str, int]] = {c.id: {} for c in cohorts}
    for cohort_id, state, n in db.session.execute(
        select(Enrolment.cohort_id, Enrolment.state, func.count())
        .where(Enrolment.organisation_id == organisation_id, Enrolment.cohort_id.is_not(None))
        .group_by(Enrolment.cohort_id, Enrolment.state)
    ):
        counts[cohort_id][state] = n
    return [(c, counts[c.id]) for c in cohorts]
