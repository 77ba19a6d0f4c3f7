"""Every JSON API write, sent generated bodies by each role that may call it and one that may not.

Whatever the body (dates from year 1 to 9999, NaN and huge numbers, control characters and lone
surrogates, JSON nested 100,000 deep) the API answers below 500, and a refusal changes nothing.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.models.events import CHECK_KINDS
from app.services.hours import ACTIVITY_TYPES
from app.services.reviews import OUTCOMES
from app.services.signoffs import SIGN_OFF_ACTIONS
from app.services.transitions import TRANSITION_ACTIONS
from tests.property.conftest import PROFILE
from tests.property.strategies import (
    DEEP_JSON,
    DEEP_OBJECT,
    RAW_BODIES,
    body,
    choice,
    hours_number,
    iso_date,
    json_body,
    json_bytes,
    json_value,
    optional_text,
    path_id,
    record_id,
    text,
)

PATHWAYS = ["preceptorship", "wecare-support-worker", "healthcare-works-apprenticeship", "higher-development-award"]
RESULTS = ["pending", "cleared", "not_cleared", "ready", "pass", "fail", "exempt"]
COMPETENCIES = ["leadership", "medicines_administration", "news2_escalation", "iv_therapy"]
SLOTS = ["initial", "midpoint", "completion"]
STAGES = ["supernumerary", "in_preceptorship", "final_review", "completed"]
EXAMPLES = 15


def enrolment_path(world, suffix: str) -> st.SearchStrategy[str]:
    known = (world.enrolment.id, world.enrolment.id, world.other_enrolment.id, world.foreign_enrolment.id)
    return path_id(*known).map(lambda n: f"/api/v1/enrolments/{n}{suffix}")


def write(world, what: str):
    """The path and the body strategy of one API write."""
    people = (world.learner.id, world.other_learner.id, world.preceptor.id, world.foreign_lead.id)
    writes = {
        "cohorts": (
            st.just("/api/v1/cohorts"),
            {"name": text, "pathway": choice(PATHWAYS), "start_date": iso_date},
        ),
        "enrolments": (
            st.just("/api/v1/enrolments"),
            {
                "learner_id": record_id(*people),
                "pathway": choice(PATHWAYS),
                "start_date": iso_date,
                "cohort_id": record_id(world.cohort.id, none=True),
                "preceptor_id": record_id(world.preceptor.id, world.other_preceptor.id, none=True),
            },
        ),
        "hours": (
            enrolment_path(world, "/hours"),
            {
                "worked_on": iso_date,
                "hours": hours_number,
                "activity_type": choice(ACTIVITY_TYPES),
                "learning": optional_text,
            },
        ),
        "signoffs": (
            enrolment_path(world, "/signoffs"),
            {"competency": choice(COMPETENCIES), "action": choice(SIGN_OFF_ACTIONS), "text": text},
        ),
        "reviews": (
            enrolment_path(world, "/reviews"),
            {
                "slot": choice(SLOTS),
                "held_on": iso_date,
                "outcome": choice(OUTCOMES),
                "notes": optional_text,
                "agreed_actions": optional_text,
                "corrects_id": record_id(none=True),
            },
        ),
        "checks": (
            enrolment_path(world, "/checks"),
            {"kind": choice(CHECK_KINDS), "result": choice(RESULTS), "checked_on": iso_date, "notes": optional_text},
        ),
        "transitions": (
            enrolment_path(world, "/transitions"),
            {
                "action": choice(TRANSITION_ACTIONS),
                "to": choice(STAGES, none=True),
                "reason": optional_text,
                "new_end": iso_date,
                "on": iso_date,
            },
        ),
    }
    path, fields = writes[what]
    return path, json_body(fields)


# Each write with the roles it is for, and one it is not for (who must be refused and change nothing).
WRITES = [
    ("cohorts", "lead"),
    ("cohorts", "preceptor"),
    ("enrolments", "lead"),
    ("enrolments", "foreign_lead"),
    ("hours", "learner"),
    ("hours", "preceptor"),
    ("signoffs", "learner"),
    ("signoffs", "preceptor"),
    ("reviews", "preceptor"),
    ("reviews", "learner"),
    ("checks", "lead"),
    ("checks", "other_preceptor"),
    ("transitions", "lead"),
    ("transitions", "preceptor"),
]


@pytest.mark.parametrize("what, caller", WRITES, ids=[f"{w}-as-{c}" for w, c in WRITES])
def test_api_write_never_fails_and_changes_nothing_when_it_refuses(world, api, what, caller):
    probe = api(getattr(world, caller))
    paths, bodies = write(world, what)
    top_level = what in ("cohorts", "enrolments")
    known = f"/api/v1/{what}" if top_level else f"/api/v1/enrolments/{world.enrolment.id}/{what}"

    @given(path=paths, body=bodies)
    @example(path=known, body=DEEP_JSON)
    @example(path=known, body=DEEP_OBJECT)
    @settings(PROFILE, max_examples=EXAMPLES)
    def run(path, body):
        probe.send("POST", path, body)

    run()


@given(body=st.one_of(st.sampled_from(RAW_BODIES), json_value.map(json_bytes)))
@settings(PROFILE, max_examples=10)
def test_revoking_a_token_never_fails_whatever_the_body(world, api, body):
    api(world.other_learner).send("DELETE", "/api/v1/token", body)


REPORT_ARGS = {
    "format": choice(["json", "csv"]),
    "as_of": iso_date,
    "pathway": choice(PATHWAYS),
    "cohort": choice(["Preceptorship September 2026", "Nope"]),
    "site": text,
    "profession": choice(["nursing", "Registered Nurse"]),
}


@given(args=body(REPORT_ARGS))
@settings(PROFILE, max_examples=EXAMPLES)
def test_api_report_never_fails_on_any_filter(world, api, args):
    """Not a write, but its filters are a form of their own: an unknown cohort or a year-9999 date is a 4xx."""
    probe = api(world.lead)
    query = [(k.encode("utf-8", "surrogatepass"), str(v).encode("utf-8", "surrogatepass")) for k, v in args.items()]
    probe("GET", "/api/v1/reports/cohort?" + urlencode(query), headers=probe.headers)
