"""schemathesis against /api/v1/openapi.json: no 500 and no response outside the documented schema.

A bounded, deterministic number of examples per operation, valid and invalid, with a programme lead's token.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
ENROLMENT = "/api/v1/enrolments/{enrolment_id}"
OPERATIONS = [
    ("GET", "/api/v1/pathways"),
    ("GET", "/api/v1/pathways/{key}"),
    ("GET", "/api/v1/cohorts"),
    ("POST", "/api/v1/cohorts"),
    ("GET", "/api/v1/enrolments"),
    ("POST", "/api/v1/enrolments"),
    ("GET", ENROLMENT),
    *[
        (method, f"{ENROLMENT}/{what}")
        for what in ("hours", "signoffs", "reviews", "checks", "transitions", "evidence")
        for method in ("GET", "POST")
    ],
    ("GET", "/api/v1/evidence/{evidence_id}"),
    ("GET", f"{ENROLMENT}/reviews/{{review_id}}/signatures"),
    ("POST", f"{ENROLMENT}/reviews/{{review_id}}/signatures"),
    ("GET", "/api/v1/reports/cohort"),
    ("GET", "/api/v1/search"),
    ("DELETE", "/api/v1/token"),
    ("GET", "/api/v1/settings/{pathway}"),
    ("PUT", "/api/v1/settings/{pathway}"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/people"),
    ("POST", "/api/v1/people"),
    ("GET", "/api/v1/people/{person_id}"),
    ("PATCH", "/api/v1/people/{person_id}"),
    ("GET", f"{ENROLMENT}/national-records"),
    *[("POST", f"{ENROLMENT}/{what}") for what in ("english-maths-decisions", "review-frequencies", "prior-learning")],
    ("GET", "/api/v1/people/{person_id}/prior-care-certificates"),
    ("POST", "/api/v1/people/{person_id}/prior-care-certificates"),
    ("POST", f"{ENROLMENT}/preceptor-assignments"),
]
EXAMPLES = 12  # per generation mode: 24 per operation, valid and invalid


@pytest.fixture
def schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# Who calls: the person the operation is for, so valid examples get past permission checks to the rules.
CALLER = {
    ("POST", f"{ENROLMENT}/hours"): "learner",
    ("POST", f"{ENROLMENT}/signoffs"): "learner",
    ("POST", f"{ENROLMENT}/reviews"): "preceptor",
    ("POST", f"{ENROLMENT}/evidence"): "learner",
    ("DELETE", "/api/v1/token"): "other_learner",
}


def test_every_documented_operation_is_fuzzed(schema):
    documented = {(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()}
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_never_fails_or_breaks_its_schema(schema, world, auth, method, path, mode):
    headers = auth(getattr(world, CALLER.get((method, path), "lead")))
    operation = schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
