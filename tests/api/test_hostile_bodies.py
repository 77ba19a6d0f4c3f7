"""Bodies no client should send: text a database cannot store, and JSON nested past any sensible depth."""

from __future__ import annotations

import json

import pytest

from tests.api.test_records import GOOD, url

COHORT = {"name": "Preceptorship March 2027", "pathway": "preceptorship", "start_date": "2026-11-01"}
# what -> (who posts, a good body); the enrolment's learner is filled in from the world.
BODIES = {
    **GOOD,
    "cohorts": ("lead", COHORT),
    "enrolments": ("lead", {"pathway": "preceptorship", "start_date": "2026-11-01"}),
}
TEXT_FIELDS = [(what, name) for what, (_, body) in BODIES.items() for name, value in body.items() if type(value) is str]


def address(world, what: str) -> str:
    return f"/api/v1/{what}" if what in ("cohorts", "enrolments") else url(world, what)


def good_body(world, what: str) -> dict:
    body = BODIES[what][1]
    return {**body, "learner_id": world.other_learner.id} if what == "enrolments" else dict(body)


@pytest.mark.parametrize(("what", "name"), TEXT_FIELDS)
def test_a_lone_surrogate_in_any_text_field_is_refused_naming_the_field(
    client, world, auth, nothing_written, what, name
):
    # JSON's own escape for half a UTF-16 pair: json.loads accepts it, and no database can store it.
    text = json.dumps({**good_body(world, what), name: "HALF-A-PAIR"}).replace("HALF-A-PAIR", "a\\ud800b")
    caller = auth(getattr(world, BODIES[what][0]))
    with nothing_written():
        response = client.post(address(world, what), data=text, content_type="application/json", headers=caller)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.json["error"]["code"] == "invalid"
    assert name in response.json["error"]["fields"]


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_past_any_sensible_depth_is_refused_in_the_error_shape(client, world, auth, nothing_written, depth):
    with nothing_written():
        response = client.post(
            "/api/v1/cohorts", data="[" * depth + "]" * depth, content_type="application/json", headers=auth(world.lead)
        )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"
    assert "nested" in response.json["error"]["message"]


def test_json_nested_a_little_is_still_read(client, world, auth):
    """The depth limit refuses only what no client means: a body's own nesting is answered on its merits."""
    body = {**COHORT, "name": [[["Preceptorship"]]]}
    response = client.post("/api/v1/cohorts", json=body, headers=auth(world.lead))
    assert response.status_code == 422 and "name" in response.json["error"]["fields"]
