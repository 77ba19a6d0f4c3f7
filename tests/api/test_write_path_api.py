"""The API meets the services' rules: a bad value is a 4xx with the field named, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.services.clock import today
from tests.factories import LearnerFactory


@pytest.fixture
def new_learner(world, ctx):
    learner = LearnerFactory(organisation=world.lead.organisation)
    db.session.commit()
    return learner


def test_an_enrolment_starting_on_9999_12_31_is_refused_and_nothing_is_saved(
    client, world, auth, new_learner, nothing_written
):
    body = {"learner_id": new_learner.id, "pathway": "preceptorship", "start_date": "9999-12-31"}
    with nothing_written():
        response = client.post("/api/v1/enrolments", json=body, headers=auth(world.lead))
    assert response.status_code == 422
    assert response.json["error"]["fields"]["start_date"].startswith("The date must be on or before")
    assert client.get("/api/v1/enrolments", headers=auth(world.lead)).status_code == 200


def test_the_client_cannot_choose_the_kind_of_hours(client, world, auth, nothing_written):
    body = {"worked_on": "2026-10-01", "hours": 2, "activity_type": "study", "kind": "supernumerary"}
    with nothing_written():
        response = client.post(f"/api/v1/enrolments/{world.enrolment.id}/hours", json=body, headers=auth(world.learner))
    assert response.status_code == 422
    assert "kind" in response.json["error"]["fields"]


def test_hours_logged_through_the_api_take_the_stages_kind(client, world, auth):
    body = {"worked_on": "2026-10-06", "hours": 2, "activity_type": "study"}
    url = f"/api/v1/enrolments/{world.other_enrolment.id}/hours"
    response = client.post(url, json=body, headers=auth(world.other_learner))
    assert response.status_code == 201 and response.json["kind"] == "protected_learning"


def test_a_transition_dated_in_the_future_is_refused(client, world, auth, nothing_written):
    body = {"action": "advance", "to": "supernumerary", "on": (today() + timedelta(days=365)).isoformat()}
    with nothing_written():
        response = client.post(
            f"/api/v1/enrolments/{world.enrolment.id}/transitions", json=body, headers=auth(world.preceptor)
        )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"on": "The date cannot be in the future"}


def test_a_refusal_the_schema_answers_is_audited_too(client, world, auth, nothing_written):
    with nothing_written():
        response = client.post(
            f"/api/v1/enrolments/{world.enrolment.id}/transitions", json={"action": 7}, headers=auth(world.lead)
        )
    assert response.status_code == 422
