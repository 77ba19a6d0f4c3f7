"""GET /api/v1/search?q=: people and enrolments the caller may see."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import enrolments
from tests.factories import LearnerFactory


@pytest.fixture
def zoe(world):
    person = LearnerFactory(organisation=world.lead.organisation, first_name="Zoë", last_name="Brontë")
    enrolments.enrol(world.lead, learner_id=person.id, pathway_key="preceptorship", start_date=date(2026, 11, 1),
                     preceptor_id=world.preceptor.id)  # fmt: skip
    return person


def test_a_lead_finds_people_and_their_enrolments(client, auth, world, zoe):
    response = client.get("/api/v1/search?q=zoe bron", headers=auth(world.lead))
    assert response.status_code == 200
    body = response.get_json()
    assert body["more"] is False and [p["last_name"] for p in body["people"]] == ["Brontë"]
    (enrolment,) = body["people"][0]["enrolments"]
    assert enrolment["pathway"] == "preceptorship" and enrolment["stage_title"] == "Enrolled"


def test_other_organisations_and_other_caseloads_are_not_found(client, auth, world, zoe):
    assert client.get("/api/v1/search?q=zoe", headers=auth(world.foreign_lead)).get_json()["people"] == []
    assert client.get("/api/v1/search?q=zoe", headers=auth(world.other_preceptor)).get_json()["people"] == []
    assert len(client.get("/api/v1/search?q=zoe", headers=auth(world.preceptor)).get_json()["people"]) == 1


def test_a_learner_finds_only_themselves(client, auth, world, zoe):
    found = client.get(f"/api/v1/search?q={world.learner.last_name}", headers=auth(world.learner)).get_json()
    assert {p["id"] for p in found["people"]} <= {world.learner.id}
    assert client.get("/api/v1/search?q=zoe", headers=auth(world.learner)).get_json()["people"] == []


@pytest.mark.parametrize("query", ["", "q=" + "x" * 101])
def test_a_missing_or_overlong_query_is_refused(client, auth, world, query):
    response = client.get(f"/api/v1/search?{query}", headers=auth(world.lead))
    assert response.status_code == 422
    assert "q" in response.get_json()["error"]["fields"]


def test_search_needs_a_token(client):
    assert client.get("/api/v1/search?q=zoe").status_code == 401


def test_the_openapi_document_describes_search(client):
    assert "/api/v1/search" in client.get("/api/v1/openapi.json").get_json()["paths"]
