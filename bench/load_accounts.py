"""The accounts ``bench.load``'s simulated people sign in as, and sign-off requests for its preceptors to sign.

Learners with an active enrolment (its id, and the days of the last four weeks its programme counts
hours on), preceptors with active learners, and the leads (with their organisation's cohort ids), from
a database filled by ``bench.generate`` (filled here first when it holds no enrolments; migrated to the
latest revision when it holds some). The requests go through ``signoffs.act`` as the learners would make them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Cohort, Enrolment, PreceptorAssignment, User
from app.services import signoffs
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.errors import ServiceError
from app.services.fact_queries import latest_sign_offs
from app.services.facts import assess
from app.services.learner_version import learner_competencies
from bench.generate import generate
from pathways import hours_kind
from pathways.off_the_job import apprenticeship_period

RECENT_DAYS = 28  # the simulated learner logs a day of the last four weeks


def prepare(database_url: str, people: int, per_preceptor: int) -> dict[str, list[dict[str, Any]]]:
    """At least ``people`` accounts of each role where the data has them (fewer leads: two per organisation)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if db.inspect(db.engine).has_table("enrolments"):
            upgrade()  # data generated before the latest migration is served by the latest code
        if not db.inspect(db.engine).has_table("enrolments") or not db.session.scalar(
            select(func.count()).select_from(Enrolment)
        ):
            db.session.remove()
            generate(database_url, enrolments=2500)
        active = Enrolment.state == "active"
        candidates = db.session.execute(
            select(User.email, func.min(Enrolment.id)).join(Enrolment, Enrolment.learner_id == User.id)
            .where(active).group_by(User.email).order_by(User.email)
        ).all()  # fmt: skip
        learners = learners_who_can_log(candidates, people)
        preceptors = db.session.scalars(
            select(User).join(PreceptorAssignment, PreceptorAssignment.preceptor_id == User.id)
            .join(Enrolment, Enrolment.id == PreceptorAssignment.enrolment_id)
            .where(PreceptorAssignment.ended_on.is_(None), active).group_by(User.id).order_by(User.id).limit(people)
        ).all()  # fmt: skip
        leads = db.session.scalars(select(User).where(User.role == "lead").order_by(User.id)).all()
        cohorts = {
            lead.id: db.session.scalars(select(Cohort.id).where(Cohort.organisation_id == lead.organisation_id)).all()
            for lead in leads
        }
        for preceptor in preceptors:
            request_sign_offs(preceptor, per_preceptor)
        return {
            "learner": learners,
            "preceptor": [{"email": p.email} for p in preceptors],
            "lead": [{"email": lead.email, "cohorts": cohorts[lead.id]} for lead in leads if cohorts[lead.id]],
        }


def request_sign_offs(preceptor: User, wanted: int) -> None:
    """Up to ``wanted`` waiting requests in the preceptor's queue, asked by their learners."""
    enrolments = db.session.scalars(
        select(Enrolment).join(PreceptorAssignment, PreceptorAssignment.enrolment_id == Enrolment.id)
        .where(PreceptorAssignment.preceptor_id == preceptor.id, PreceptorAssignment.ended_on.is_(None),
               Enrolment.state == "active").order_by(Enrolment.id)
    ).all()  # fmt: skip
    states = latest_sign_offs([e.id for e in enrolments])
    waiting = sum(1 for s in states.values() if s.action == "requested")
    for enrolment in enrolments:
        for key in learner_competencies(enrolment):
            if waiting >= wanted:
                return
            if (enrolment.id, key) in states:
                continue
            try:
                signoffs.act(
                    enrolment.learner, enrolment.id, key, "request", text="Observed in practice; notes in my portfolio."
                )
                db.session.commit()
                waiting += 1
            except ServiceError:
                db.session.rollback()


def days_that_count(enrolment: Enrolment, on: date) -> tuple[date, date] | None:
    """The first and last day of the last four weeks that the enrolment's hours may be logged for (None: none).

    Off-the-job training counts only inside the apprenticeship (pathways/off_the_job.py): a learner on
    the course before it, or at its gateway after it, has no day of the last four weeks that counts.
    """
    first, last = max(enrolment.start_date, on - timedelta(days=RECENT_DAYS - 1)), on
    if hours_kind(definition_for(enrolment.pathway_version), enrolment.stage) == "off_the_job":
        assessed = assess([enrolment], on)[0]
        began, ended = apprenticeship_period(assessed.definition, assessed.facts)
        if began is None:
            return None
        first, last = max(first, began), min(last, ended - timedelta(days=1)) if ended else last
    return (first, last) if first <= last else None


def learners_who_can_log(candidates: Sequence[tuple[str, int]], wanted: int) -> list[dict[str, Any]]:
    """Up to ``wanted`` learners (email, enrolment id) whose enrolment counts hours on a recent day, with those days."""
    chosen: list[dict[str, Any]] = []
    on = today()
    for email, enrolment_id in candidates:
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        if days := days_that_count(enrolment, on):
            chosen.append({"email": email, "enrolment": enrolment_id, "from": days[0].isoformat(),
                           "to": days[1].isoformat()})  # fmt: skip
            if len(chosen) == wanted:
                break
    return chosen
