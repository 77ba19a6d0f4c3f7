"""Gather the engine's facts for many enrolments in one statement (``fact_rows``)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.models import Enrolment
from app.services.catalogue import definitions_by_id
from app.services.fact_queries import SignOffState, among, latest_sign_offs, remember_sign_offs, sign_off_states
from app.services.fact_rows import Rows, fact_rows
from app.services.national_facts import national_facts
from pathways import Definition, EnrolmentFacts, Evaluation, ReviewRecord, evaluate_or_explain
from pathways.effective_settings import settings_of
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


def _signed_off(states: dict[tuple[int, str], SignOffState]) -> dict[int, set[str]]:
    signed: dict[int, set[str]] = defaultdict(set)
    for (enrolment_id, key), state in states.items():
        if state.action == "signed":
            signed[enrolment_id].add(key)
    return signed


def _reviews(rows: Rows) -> dict[int, list[ReviewRecord]]:
    confirmations: dict[int, set[str]] = defaultdict(set)
    for row in rows["review_confirmation"]:
        confirmations[row.i1].add(row.s1)
    records: dict[int, list[ReviewRecord]] = defaultdict(list)
    for review in sorted(rows["review"], key=lambda row: row.i1):
        roles = confirmations[review.i1]
        records[review.owner].append(
            ReviewRecord(
                slot=review.s1,
                held_on=review.d1,
                confirmed_by_learner="learner" in roles,
                confirmed_by_preceptor="preceptor" in roles,
                outcome=review.s2,
            )
        )
    return records


def _checks(rows: Rows) -> dict[int, dict[str, str]]:
    """The latest result of each check recorded on or before the as-of date: a transition dated before
    a clearance cannot count it."""
    latest: dict[int, dict[str, str]] = defaultdict(dict)
    for row in sorted(rows["check"], key=lambda row: (row.d1, row.i1)):
        latest[row.owner][row.s1] = row.s2
    return latest


def _timelines(rows: Rows, as_of: date) -> dict[int, Timeline]:
    """Holds, extensions and the day each stage was entered, replayed as ``pathways.timeline`` defines."""
    events: dict[int, list[TransitionRecord]] = defaultdict(list)
    for row in sorted(rows["transition"], key=lambda row: row.i1):
        events[row.owner].append(TransitionRecord(row.s1, row.s2, row.d1, row.d2, row.s3))
    return {enrolment_id: replay(history, as_of) for enrolment_id, history in events.items()}


def assess(enrolments: Sequence[Enrolment], as_of: date) -> list[Assessed]:
    """Evaluate every enrolment given; the number of queries does not grow with their count."""
    if not enrolments:
        return []
    ids = [e.id for e in enrolments]
    rows = fact_rows(ids, as_of)
    definitions = definitions_by_id((row.owner, row.s1, row.i1, row.s2) for row in rows["version"])
    learners = {row.owner: row for row in rows["learner"]}
    # The learners' other enrolments too: the Care Certificate may be completed on any of them.
    steps = sorted(rows["sign_off"], key=lambda row: (row.owner, row.i1, row.i2))
    states = sign_off_states((r.owner, r.i1, r.s1, r.s2, r.s3, r.s4, r.s5, r.s6, r.s7, r.t1) for r in steps)
    remember_sign_offs(frozenset(row.owner for row in rows["learner_enrolment"]), states)
    signed = _signed_off(states)
    hours = {(row.owner, row.s1): float(row.n1 or 0) for row in rows["hours"]}
    reviews = _reviews(rows)
    checks = _checks(rows)
    timelines = _timelines(rows, as_of)
    with_preceptor = {row.owner for row in rows["preceptor"]}
    attendance = {row.owner: row.i1 for row in rows["attendance"]}
    confirmations: dict[int, set[str]] = defaultdict(set)
    for row in rows["confirmation"]:
        confirmations[row.owner].add(row.s1)
    national = national_facts(enrolments, as_of, rows, states, definitions)
    choices = {row.owner: json.loads(row.s1 or "{}") for row in rows["settings"]}
    results = []
    for enrolment in enrolments:
        definition = definitions[enrolment.pathway_version_id]
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
            profession=learner.s1,
            date_of_birth=learner.d1,
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
            contracted_hours_per_week=learner.f1,
            **national[enrolment.id],
            settings=settings_of(definition, choices[enrolment.id]),
        )
        results.append(Assessed(enrolment, definition, facts, evaluate_or_explain(definition, facts)))
    return results


def assess_one(enrolment: Enrolment, as_of: date) -> Assessed:
    return assess([enrolment], as_of)[0]
