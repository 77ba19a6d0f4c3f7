"""The facts the national rules add to an enrolment's: agreed review frequency, English and maths
decision, prior learning, the post appointed and when the learner completed the Care Certificate.

A fixed number of queries for any number of enrolments, like ``facts.assess``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    EnglishMathsDecision,
    Enrolment,
    PathwayVersion,
    PostAppointment,
    PriorCareCertificate,
    PriorLearning,
    ReviewFrequency,
    User,
)
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.fact_queries import among, latest_sign_offs
from pathways import Definition
from pathways.facts import AgreedFrequency, PostAppointed
from pathways.prerequisites import prerequisite_problem, prerequisites

CARE_CERTIFICATE = "care_certificate"


def _latest(model: Any, ids: list[int], as_of: date, day: Any) -> dict[int, Any]:
    """The latest row of ``model`` per enrolment recorded on or before ``as_of`` (by ``day``, then id)."""
    latest: dict[int, Any] = {}
    rows = db.session.scalars(select(model).where(among(model.enrolment_id, ids), day <= as_of).order_by(day, model.id))
    for row in rows:
        latest[row.enrolment_id] = row
    return latest


def entry_problem(definition: Definition, learner: User, start: date) -> str | None:
    """Why ``learner`` cannot be enrolled on ``definition`` from ``start`` (a prerequisite not met)."""
    if not prerequisites(definition):
        return None
    completed_on = care_certificate_completions({learner.id}, max(start, today())).get(learner.id)
    return prerequisite_problem(definition, learner.full_name, start, completed_on)


def care_certificate_completions(learner_ids: set[int], as_of: date) -> dict[int, date]:
    """The day each learner completed the Care Certificate: every standard of their version signed off
    on a Waymark programme, or a recorded prior completion; the earlier counts."""
    done: dict[int, date] = {}
    for learner_id, completed_on in db.session.execute(
        select(PriorCareCertificate.learner_id, func.min(PriorCareCertificate.completed_on))
        .where(among(PriorCareCertificate.learner_id, learner_ids), PriorCareCertificate.completed_on <= as_of)
        .group_by(PriorCareCertificate.learner_id)
    ):
        done[learner_id] = completed_on
    others = list(
        db.session.execute(
            select(Enrolment, User.profession)
            .join(User, User.id == Enrolment.learner_id)
            .where(among(Enrolment.learner_id, learner_ids))
        )
    )
    if not others:
        return done
    signed = latest_sign_offs([e.id for e, _ in others])
    wanted = {e.pathway_version_id for e, _ in others}
    versions = {v.id: v for v in db.session.scalars(select(PathwayVersion).where(among(PathwayVersion.id, wanted)))}
    for enrolment, profession in others:
        definition = definition_for(versions[enrolment.pathway_version_id])
        keys = [
            c.key for c in definition.competencies_for(enrolment.start_date, profession) if c.group == CARE_CERTIFICATE
        ]
        states = [signed.get((enrolment.id, key)) for key in keys]
        if not keys or any(s is None or s.action != "signed" for s in states):
            continue
        on = max(s.at.date() for s in states if s is not None)
        if on <= as_of:
            done[enrolment.learner_id] = min(on, done.get(enrolment.learner_id, on))
    return done


def national_facts(enrolments: Sequence[Enrolment], as_of: date) -> dict[int, dict[str, Any]]:
    """Per enrolment, the ``EnrolmentFacts`` fields the national rules read, as keyword arguments."""
    ids = [e.id for e in enrolments]
    frequencies = _latest(ReviewFrequency, ids, as_of, ReviewFrequency.agreed_on)
    decisions = _latest(EnglishMathsDecision, ids, as_of, EnglishMathsDecision.decided_on)
    posts = _latest(PostAppointment, ids, as_of, PostAppointment.starts_on)
    prior: dict[int, float] = defaultdict(float)
    for enrolment_id, hours in db.session.execute(
        select(PriorLearning.enrolment_id, func.sum(PriorLearning.hours))
        .where(among(PriorLearning.enrolment_id, ids), PriorLearning.recorded_on <= as_of)
        .group_by(PriorLearning.enrolment_id)
    ):
        prior[enrolment_id] = float(hours or 0)
    care_certificates = care_certificate_completions({e.learner_id for e in enrolments}, as_of)
    out: dict[int, dict[str, Any]] = {}
    for enrolment in enrolments:
        frequency = frequencies.get(enrolment.id)
        decision = decisions.get(enrolment.id)
        post = posts.get(enrolment.id)
        out[enrolment.id] = dict(
            prior_learning_hours=prior.get(enrolment.id, 0.0),
            review_frequency=None
            if frequency is None
            else AgreedFrequency(frequency.every_weeks, frequency.every_months, frequency.reason, frequency.agreed_on),
            english_maths_decided_on=None if decision is None else decision.decided_on,
            post=None if post is None else PostAppointed(post.title, post.band, post.starts_on),
            care_certificate_completed_on=care_certificates.get(enrolment.learner_id),
        )
    return out
