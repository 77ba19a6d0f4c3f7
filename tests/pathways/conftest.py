"""Fixtures for the pathway engine: the real catalogue and a facts builder per programme."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from pathways import Catalogue, Definition, EnrolmentFacts, ReviewRecord, evaluate, load_catalogue
from pathways.facts import PostAppointed

# Kept in step with pathways/definitions by test_catalogue_holds_the_seven_programmes.
PROGRAMMES = (
    "preceptorship",
    "wecare-support-worker",
    "healthcare-works-apprenticeship",
    "healthcare-works-jobs",
    "care-development-placement",
    "pre-employment-placement",
    "higher-development-award",
)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


def signed_all(definition: Definition, facts: EnrolmentFacts) -> EnrolmentFacts:
    """The same facts with every required competency signed off."""
    keys = {c.key for c in definition.competencies_for(facts.start_date, facts.profession)}
    return replace(facts, signed_off=frozenset(keys))


def reviews_all_held(definition: Definition, facts: EnrolmentFacts) -> EnrolmentFacts:
    """The same facts with every scheduled review held on its due date and confirmed by both."""
    slots = evaluate(definition, facts).review_slots
    records = tuple(ReviewRecord(s.key, s.due, True, True) for s in slots)
    return replace(facts, reviews=records)


POST = PostAppointed("Healthcare support worker", "Band 2", date(2026, 4, 1))
# Facts that meet every guard of each programme once the stage and dates are set.
SATISFIED: dict[str, dict[str, Any]] = {
    "preceptorship": dict(
        start_date=date(2025, 9, 1),
        as_of=date(2026, 9, 15),
        profession="adult_nursing",
        has_preceptor=True,
        supernumerary_hours=75,
        hours_logged=90,
        confirmations=frozenset({"final_signoff", "lead_countersignature"}),
    ),
    "wecare-support-worker": dict(
        start_date=date(2025, 9, 1),
        as_of=date(2026, 9, 15),
        attendance_days=4,
        confirmations=frozenset({"induction_complete"}),
    ),
    "healthcare-works-apprenticeship": dict(
        start_date=date(2025, 1, 6),
        as_of=date(2026, 4, 1),
        date_of_birth=date(2000, 1, 1),
        stage_dates={"apprenticeship": date(2025, 3, 3)},
        hours_logged=320,
        checks={"dbs": "cleared", "occupational_health": "cleared", "english": "ready", "maths": "ready"},
        epa_result="pass",
        confirmations=frozenset(
            {
                "information_day_attended",
                "work_trial_passed",
                "employer_ready",
                "provider_ready",
            }
        ),
        english_maths_decided_on=date(2025, 3, 1),
        post=POST,
    ),
    "healthcare-works-jobs": dict(
        start_date=date(2025, 9, 1),
        as_of=date(2026, 3, 15),
        checks={"english": "ready", "maths": "ready"},
        confirmations=frozenset(
            {
                "information_day_attended",
                "lacks_work_experience",
                "work_placement_completed",
            }
        ),
        post=POST,
    ),
    "care-development-placement": dict(
        start_date=date(2025, 9, 1),
        as_of=date(2026, 3, 15),
        post=POST,
    ),
    "pre-employment-placement": dict(
        start_date=date(2026, 1, 5),
        as_of=date(2026, 3, 15),
        checks={"dbs": "cleared", "occupational_health": "cleared"},
        confirmations=frozenset({"referral_accepted", "placement_completed", "evaluation_recorded"}),
    ),
    "higher-development-award": dict(
        start_date=date(2025, 9, 1),
        as_of=date(2026, 5, 15),
        attendance_days=7,
        signed_off=frozenset({"edi"}),
        care_certificate_completed_on=date(2025, 6, 30),
    ),
}


def make_facts(definition: Definition, stage: str | None = None, **changes: Any) -> EnrolmentFacts:
    """Bare facts for a learner at ``stage`` (default: the first), entered on the start date."""
    start = changes.pop("start_date", date(2025, 9, 1))
    values: dict[str, Any] = dict(
        start_date=start,
        as_of=start,
        stage=stage or definition.stages[0].key,
        stage_entered_on=start,
    )
    values.update(changes)
    return EnrolmentFacts(**values)


@pytest.fixture
def facts_for(catalogue: Catalogue) -> Callable[..., EnrolmentFacts]:
    def build(key: str, stage: str | None = None, **changes: Any) -> EnrolmentFacts:
        return make_facts(catalogue.latest(key), stage, **changes)

    return build


@pytest.fixture
def satisfied_for(catalogue: Catalogue) -> Callable[..., EnrolmentFacts]:
    """Facts for ``key`` at ``stage`` that meet every guard (all signed, all reviews held)."""

    def build(key: str, stage: str | None = None, **changes: Any) -> EnrolmentFacts:
        definition = catalogue.latest(key)
        facts = make_facts(definition, stage, **SATISFIED[key])
        facts = reviews_all_held(definition, signed_all(definition, facts))
        return replace(facts, **changes)

    return build
