"""Gather the engine's facts for many enrolments in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Attendance,
    Check,
    Confirmation,
    Enrolment,
    HoursEntry,
    PathwayVersion,
    PreceptorAssignment,
    Review,
    ReviewConfirmation,
    TransitionEvent,
    User,
)
from app.services.catalogue import definition_for
from app.services.fact_queries import SignOffState, among, latest_sign_offs
from app.services.national_facts import national_facts
from app.services.settings_reads import enrolment_choices
from pathways import Definition, EnrolmentFacts, Evaluation, ReviewRecord, evaluate_or_explain
from pathways.effective_settings import settings_of
from pathways.off_the_job import NEVER_OFF_THE_JOB
from pathways.timeline import Timeline, TransitionRecord, replay
from pathways.vocabulary import TARGET_HOURS_KINDS

NO_HISTORY = Timeline()
__all__ = ["Assessed", "SignOffState", "among", "assess", "assess_one", "latest_sign_offs"]


@dataclass(frozen=True)
class Assessed:
    """An enrolment with its definition, facts and the engine's verdict."""

    enrolment: Enrolment
    definition: Definition
    facts: EnrolmentFacts
    evaluation: Evaluation


def _ids(enrolments: Sequence[Enrolment]) -> list[int]:
    return [e.id for e in enrolments]


def _signed_off(ids: list[int]) -> dict[int, set[str]]:
    signed: dict[int, set[str]] = defaultdict(set)
    for (enrolment_id, key), state in latest_sign_offs(ids).items():
        if state.action == "signed":
            signed[enrolment_id].add(key)
    return signed


def _hours(ids: list[int], as_of: date) -> dict[tuple[int, str], float]:
    rows = db.session.execute(
        select(HoursEntry.enrolment_id, HoursEntry.kind, func.sum(HoursEntry.hours))
        .where(
            among(HoursEntry.enrolment_id, ids),
            HoursEntry.removed_at.is_(None),
            HoursEntry.worked_on <= as_of,
            # Entries the funding rules never count (logged before they were refused) stay out of the sum.
            ~((HoursEntry.kind == "off_the_job") & HoursEntry.activity_type.in_(NEVER_OFF_THE_JOB)),
        )
        .group_by(HoursEntry.enrolment_id, HoursEntry.kind)
    )
    return {(eid, kind): float(total or 0) for eid, kind, total in rows}


def _reviews(ids: list[int]) -> dict[int, list[ReviewRecord]]:
    # Plain rows, not ORM objects: the reminder scan reads these for 200,000 enrolments.
    reviews = db.session.execute(
        select(Review.id, Review.enrolment_id, Review.slot, Review.held_on, Review.outcome, Review.corrects_id)
        .where(among(Review.enrolment_id, ids), Review.standing())
        .order_by(Review.id)
    ).all()
    confirmations: dict[int, set[str]] = defaultdict(set)
    review_ids = [r.id for r in reviews]
    if review_ids:
        for review_id, as_role in db.session.execute(
            select(ReviewConfirmation.review_id, ReviewConfirmation.as_role).where(
                among(ReviewConfirmation.review_id, review_ids)
            )
        ):
            confirmations[review_id].add(as_role)
    records: dict[int, list[ReviewRecord]] = defaultdict(list)
    for review in reviews:
        roles = confirmations[review.id]
        records[review.enrolment_id].append(
            ReviewRecord(
                slot=review.slot,
                held_on=review.held_on,
                confirmed_by_learner="learner" in roles,
                confirmed_by_preceptor="preceptor" in roles,
                outcome=review.outcome,
            )
        )
    return records


def _checks(ids: list[int], as_of: date) -> dict[int, dict[str, str]]:
    """The latest result of each check recorded on or before ``as_of``: a transition dated before a
    clearance cannot count it."""
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    for enrolment_id, kind, result in db.session.execute(
        select(Check.enrolment_id, Check.kind, Check.result)
        .where(among(Check.enrolment_id, ids), Check.checked_on <= as_of)
        .order_by(Check.checked_on, Check.id)
    ):
        latest[enrolment_id][kind] = result
    return latest


def _timelines(ids: list[int], as_of: date) -> dict[int, Timeline]:
    """Holds, extensions and the day each stage was entered, replayed as ``pathways.timeline`` defines."""
    events: dict[int, list[TransitionRecord]] = defaultdict(list)
    for enrolment_id, *record in db.session.execute(
        select(
            TransitionEvent.enrolment_id,
            TransitionEvent.action,
            TransitionEvent.to_stage,
            TransitionEvent.effective_on,
            TransitionEvent.new_end,
            TransitionEvent.reason,
        )
        .where(among(TransitionEvent.enrolment_id, ids))
        .order_by(TransitionEvent.id)
    ):
        events[enrolment_id].append(TransitionRecord(*record))
    return {enrolment_id: replay(history, as_of) for enrolment_id, history in events.items()}


def _simple_counts(ids: list[int]) -> tuple[set[int], dict[int, int], dict[int, set[str]]]:
    with_preceptor = set(
        db.session.scalars(
            select(PreceptorAssignment.enrolment_id).where(
                among(PreceptorAssignment.enrolment_id, ids), PreceptorAssignment.ended_on.is_(None)
            )
        )
    )
    attendance = dict(
        db.session.execute(
            select(Attendance.enrolment_id, func.count())
            .where(among(Attendance.enrolment_id, ids))
            .group_by(Attendance.enrolment_id)
        )
        .tuples()
        .all()
    )
    confirmations: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, name in db.session.execute(
        select(Confirmation.enrolment_id, Confirmation.name).where(among(Confirmation.enrolment_id, ids))
    ):
        confirmations[enrolment_id].add(name)
    return with_preceptor, attendance, confirmations


def assess(enrolments: Sequence[Enrolment], as_of: date) -> list[Assessed]:
    """Evaluate every enrolment given; the number of queries does not grow with their count."""
    if not enrolments:
        return []
    ids = _ids(enrolments)
    versions = {
        v.id: v
        for v in db.session.scalars(
            select(PathwayVersion).where(among(PathwayVersion.id, {e.pathway_version_id for e in enrolments}))
        )
    }
    learners = {
        u.id: u
        for u in db.session.execute(
            select(User.id, User.profession, User.date_of_birth, User.contracted_hours_per_week).where(
                among(User.id, {e.learner_id for e in enrolments})
            )
        )
    }
    signed = _signed_off(ids)
    hours = _hours(ids, as_of)
    reviews = _reviews(ids)
    checks = _checks(ids, as_of)
    timelines = _timelines(ids, as_of)
    with_preceptor, attendance, confirmations = _simple_counts(ids)
    national = national_facts(enrolments, as_of)
    choices = enrolment_choices(among(Enrolment.id, ids))
    results = []
    for enrolment in enrolments:
        definition = definition_for(versions[enrolment.pathway_version_id])
        learner = learners[enrolment.learner_id]
        enrolment_checks = checks.get(enrolment.id, {})
        timeline = timelines.get(enrolment.id, NO_HISTORY)
        facts = EnrolmentFacts(
            start_date=enrolment.start_date,
            as_of=as_of,
            stage=enrolment.stage,
            stage_entered_on=enrolment.stage_entered_on,
            stage_dates=timeline.stage_dates,
            state=enrolment.state,
            profession=learner.profession,
            date_of_birth=learner.date_of_birth,
            has_preceptor=enrolment.id in with_preceptor,
            signed_off=frozenset(signed.get(enrolment.id, ())),
            hours_logged=sum(hours.get((enrolment.id, kind), 0.0) for kind in TARGET_HOURS_KINDS),
            supernumerary_hours=hours.get((enrolment.id, "supernumerary"), 0.0),
            reviews=tuple(reviews.get(enrolment.id, ())),
            checks=enrolment_checks,
            attendance_days=attendance.get(enrolment.id, 0),
            holds=timeline.holds,
            extensions=timeline.extensions,
            confirmations=frozenset(confirmations.get(enrolment.id, ())),
            epa_result=enrolment_checks.get("epa"),
            contracted_hours_per_week=learner.contracted_hours_per_week,
            **national[enrolment.id],
            settings=settings_of(definition, choices[enrolment.id]),
        )
        results.append(Assessed(enrolment, definition, facts, evaluate_or_explain(definition, facts)))
    return results


def assess_one(enrolment: Enrolment, as_of: date) -> Assessed:
    return assess([enrolment], as_of)[0]
