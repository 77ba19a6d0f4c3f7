"""A hand-built preceptorship cohort whose report is worked out by hand in the tests.

Rows are written as the services write them (enrol and advance events, holds, resumes,
extensions, withdrawals, reviews, hours), with the dates a scenario needs. Settings: core
standard (initial review at 14 days, midpoint, completion at the end), 12 months, 10 protected
learning hours a month, so the hours target is 120 hours over 365 days from 1 September 2025.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Enrolment, HoursEntry, Review, SettingsVersion, TransitionEvent, User
from app.services.catalogue import latest_definition, pathway_version
from tests.factories import CohortFactory, LeadFactory, LearnerFactory, OrganisationFactory, SiteFactory

START = date(2025, 9, 1)
AS_OF = date(2026, 9, 15)


@dataclass
class Scenario:
    lead: User
    enrolments: dict[str, Enrolment] = field(default_factory=dict)


def _enrol(org, cohort, site, name: str, profession: str, start: date, version_id: int) -> Enrolment:
    learner = LearnerFactory(organisation=org, first_name=name, profession=profession, site=site)
    enrolment = Enrolment(organisation_id=org.id, learner_id=learner.id, pathway_version_id=version_id,
                          pathway_key=cohort.pathway_key,
                          cohort_id=cohort.id, site_id=site.id, start_date=start, stage="enrolled",
                          stage_entered_on=start, state="active")  # fmt: skip
    db.session.add(enrolment)
    db.session.flush()
    enrolment.history = [(start, "enrol", "enrolled", "active", None)]  # type: ignore[attr-defined]
    return enrolment


def _write(enrolment: Enrolment, steps: list[tuple], reviews: dict[str, date], hours: list[tuple]) -> None:
    """Events, reviews held (slot -> day) and hours rows (day, hours, kind, removed)."""
    stage, state = "enrolled", "active"
    for on, action, to_stage, to_state, new_end in [*enrolment.history, *steps]:  # type: ignore[attr-defined]
        db.session.add(TransitionEvent(enrolment_id=enrolment.id, action=action, from_stage=stage, from_state=state,
                                       to_stage=to_stage or stage, to_state=to_state or state, effective_on=on,
                                       new_end=new_end, reason="scenario"))  # fmt: skip
        stage, state = to_stage or stage, to_state or state
        if to_stage:
            enrolment.stage_entered_on = on
    enrolment.stage, enrolment.state = stage, state
    for slot, held in reviews.items():
        db.session.add(Review(enrolment_id=enrolment.id, slot=slot, held_on=held, outcome="on_track",
                              recorded_by_id=enrolment.learner_id))  # fmt: skip
    for on, amount, kind, removed in hours:
        db.session.add(HoursEntry(enrolment_id=enrolment.id, kind=kind, worked_on=on, hours=Decimal(str(amount)),
                                  activity_type="study_day", created_by_id=enrolment.learner_id,
                                  removed_at=datetime(2026, 9, 1, tzinfo=UTC) if removed else None))  # fmt: skip


def completes(on: date, start: date = START) -> list[tuple]:
    return [
        (start + timedelta(days=7), "advance", "supernumerary", "active", None),
        (start + timedelta(days=30), "advance", "in_preceptorship", "active", None),
        (on - timedelta(days=5), "advance", "final_review", "active", None),
        (on, "advance", "completed", "completed", None),
    ]


IN_PRECEPTORSHIP = [
    (START + timedelta(days=7), "advance", "supernumerary", "active", None),
    (START + timedelta(days=30), "advance", "in_preceptorship", "active", None),
]
ALL_HELD = {"initial": date(2025, 9, 10), "midpoint": date(2026, 3, 5), "completion": date(2026, 9, 1)}
PL = "protected_learning"


@pytest.fixture
def scenario(ctx) -> Scenario:
    """Eight learners A–H in 'September 2025' and an empty 'March 2027' cohort (see the tests for the sums)."""
    org = OrganisationFactory(slug="trust-a")
    north, south = SiteFactory(organisation=org, name="North"), SiteFactory(organisation=org, name="South")
    cohort = CohortFactory(organisation=org, name="September 2025", start_date=START)
    CohortFactory(organisation=org, name="March 2027", start_date=date(2027, 3, 1))
    definition = latest_definition("preceptorship")
    version_id = pathway_version(definition).id
    db.session.add(SettingsVersion(organisation_id=org.id, pathway_key="preceptorship", effective_from=date(2025, 1, 1),
                                   choices_json=json.dumps(
        {"standard": "core", "duration_months": 12, "protected_hours_per_month": 10})))  # fmt: skip
    world = Scenario(LeadFactory(organisation=org))
    e = world.enrolments
    for name in "ABCD":
        e[name] = _enrol(org, cohort, north, name, "adult_nursing", START, version_id)
    for name in "EFG":
        e[name] = _enrol(org, cohort, south, name, "midwifery", START, version_id)
    e["H"] = _enrol(org, cohort, south, "H", "midwifery", date(2026, 3, 1), version_id)
    # A: completes exactly on the expected end, 1 September 2026.
    _write(
        e["A"],
        completes(date(2026, 9, 1)),
        {"initial": date(2025, 9, 14), "midpoint": date(2026, 3, 1), "completion": date(2026, 8, 28)},
        [(date(2025, 10, 1), 100, PL, False), (date(2025, 10, 2), 40, "supernumerary", False)],
    )
    # B: 30 days on hold (1 Nov to 1 Dec 2025), completes 10 September 2026; expected end 1 October 2026.
    _write(
        e["B"],
        [
            *IN_PRECEPTORSHIP[:1],
            (date(2025, 11, 1), "hold", None, "on_hold", None),
            (date(2025, 12, 1), "resume", None, "active", None),
            *completes(date(2026, 9, 10))[1:],
        ],
        {"initial": date(2025, 9, 15), "midpoint": date(2026, 4, 1), "completion": date(2026, 9, 8)},
        [(date(2026, 2, 1), 50.5, "off_the_job", False)],
    )
    # C: extension agreed 1 August 2026 to 31 October 2026; completes 14 September 2026, on time only thanks to it.
    _write(
        e["C"],
        [
            *completes(date(2026, 9, 14))[:3],
            (date(2026, 8, 1), "extend", None, None, date(2026, 10, 31)),
            completes(date(2026, 9, 14))[3],
        ],
        ALL_HELD,
        [],
    )
    # D: completes late, 5 September 2026, with no hold or extension.
    _write(e["D"], completes(date(2026, 9, 5)), ALL_HELD, [])
    # E: withdrawn 10 February 2026; no reviews (a withdrawn learner's reviews are never overdue).
    _write(e["E"], [*IN_PRECEPTORSHIP, (date(2026, 2, 10), "withdraw", None, "withdrawn", None)], {}, [])
    # F: on hold since 1 August 2026; midpoint (2 March 2026) never held: overdue; completion review moved by the hold.
    _write(
        e["F"],
        [*IN_PRECEPTORSHIP, (date(2026, 8, 1), "hold", None, "on_hold", None)],
        {"initial": date(2025, 9, 12)},
        [],
    )
    # G: active, no review held: all three overdue; one removed-free entry before and one after the as-of date.
    _write(e["G"], IN_PRECEPTORSHIP, {}, [(date(2025, 12, 1), 20, PL, False), (date(2026, 9, 20), 7, PL, False)])
    # H: started 1 March 2026, still supernumerary; midpoint (30 August 2026) not held: overdue.
    _write(e["H"], [(date(2026, 3, 8), "advance", "supernumerary", "active", None)],
           {"initial": date(2026, 3, 14)},
           [(date(2026, 4, 1), 10, PL, False), (date(2026, 4, 2), 5, PL, True)])  # fmt: skip
    db.session.commit()
    return world
