"""The accounts ``bench.load``'s simulated people sign in as, and sign-off requests for its preceptors to sign.

Learners with an active enrolment (and its id), preceptors with active learners, and the leads (with
their organisation's cohort ids), from a database filled by ``bench.generate`` (filled here first
when it holds no enrolments). The requests go through ``signoffs.act`` as the learners would make them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Cohort, Enrolment, PreceptorAssignment, User
from app.services import signoffs
from app.services.errors import ServiceError
from app.services.fact_queries import latest_sign_offs
from app.services.learner_version import learner_competencies
from bench.generate import generate


def prepare(database_url: str, people: int, per_preceptor: int) -> dict[str, list[dict[str, Any]]]:
    """At least ``people`` accounts of each role where the data has them (fewer leads: two per organisation)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        if not db.inspect(db.engine).has_table("enrolments") or not db.session.scalar(
            select(func.count()).select_from(Enrolment)
        ):
            db.session.remove()
            generate(database_url, enrolments=2500)
        active = Enrolment.state == "active"
        learners = db.session.execute(
            select(User.email, func.min(Enrolment.id)).join(Enrolment, Enrolment.learner_id == User.id)
            .where(active).group_by(User.email).order_by(User.email).limit(people)
        ).all()  # fmt: skip
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
            "learner": [{"email": email, "enrolment": enrolment_id} for email, enrolment_id in learners],
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
