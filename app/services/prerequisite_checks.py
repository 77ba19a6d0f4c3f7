"""Whether a learner has what a programme needs before enrolment (``pathways.prerequisites``): read from
their earlier enrolments' facts, as the engine reads them, and their recorded prior completions."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment, PriorCareCertificate, User
from app.services.clock import today
from app.services.facts import assess
from pathways import Definition
from pathways.prerequisites import prerequisite_problem, prerequisites


def care_certificates(learner_ids: Collection[int], as_of: date) -> dict[int, date]:
    """The day each learner completed the Care Certificate by ``as_of``: a recorded prior completion, or
    every standard signed off on a Waymark programme (the engine's fact); the earlier counts."""
    if not learner_ids:
        return {}
    ids = list(learner_ids)
    done: dict[int, date] = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(PriorCareCertificate.learner_id, func.min(PriorCareCertificate.completed_on))
            .where(PriorCareCertificate.learner_id.in_(ids), PriorCareCertificate.completed_on <= as_of)
            .group_by(PriorCareCertificate.learner_id)
        ).all()
    )
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.learner_id.in_(ids))))
    for assessed in assess(enrolments, as_of):
        on = assessed.facts.care_certificate_completed_on
        learner = assessed.enrolment.learner_id
        if on is not None:
            done[learner] = min(on, done.get(learner, on))
    return done


def entry_problem(definition: Definition, learner: User, start: date) -> str | None:
    """Why ``learner`` cannot be enrolled on ``definition`` from ``start`` (a prerequisite not met)."""
    if not prerequisites(definition):
        return None
    completed_on = care_certificates({learner.id}, max(start, today())).get(learner.id)
    return prerequisite_problem(definition, learner.full_name, start, completed_on)
