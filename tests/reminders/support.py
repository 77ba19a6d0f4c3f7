"""Builders for the pure rule tests: a Situation straight from the engine, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways import EnrolmentFacts, evaluate, load_catalogue
from reminders.model import PendingSignOff, Person, Situation

CATALOGUE = load_catalogue()
LEARNER = Person(1, "Amira", "amira@nhs.test")
PRECEPTOR = Person(2, "Priya", "priya@nhs.test")
LEAD = Person(3, "Lena", "lena@nhs.test")


def facts_for(key: str, start: date, as_of: date, **overrides) -> EnrolmentFacts:
    definition = CATALOGUE.latest(key)
    stage = {"preceptorship": "in_preceptorship", "healthcare-works-apprenticeship": "apprenticeship"}.get(
        key, definition.stages[0].key
    )
    values = dict(
        start_date=start,
        as_of=as_of,
        stage=stage,
        stage_entered_on=start,
        stage_dates={stage: start},
        has_preceptor=True,
        hours_logged=1000.0,
    )
    values.update(overrides)
    return EnrolmentFacts(**values)


def situation(
    key: str,
    start: date,
    as_of: date,
    *,
    preceptors: tuple[Person, ...] = (PRECEPTOR,),
    pending: tuple[PendingSignOff, ...] = (),
    state: str = "active",
    **facts,
) -> Situation:
    definition = CATALOGUE.latest(key)
    enrolment_facts = facts_for(key, start, as_of, state=state, has_preceptor=bool(preceptors), **facts)
    return Situation(
        enrolment_id=10,
        organisation_id=1,
        learner=LEARNER,
        learner_name="Amira Khan",
        programme=definition.title,
        state=state,
        start_date=start,
        evaluation=evaluate(definition, enrolment_facts),
        hours_logged=enrolment_facts.hours_logged,
        hours_label=definition.hours_label,
        preceptors=preceptors,
        leads=(LEAD,),
        pending_signoffs=pending,
    )


def with_evaluation_day(s: Situation, key: str, as_of: date, **facts) -> Situation:
    """The same enrolment evaluated on another day."""
    definition = CATALOGUE.latest(key)
    enrolment_facts = facts_for(key, s.start_date, as_of, state=s.state, has_preceptor=bool(s.preceptors), **facts)
    return replace(s, evaluation=evaluate(definition, enrolment_facts), hours_logged=enrolment_facts.hours_logged)
