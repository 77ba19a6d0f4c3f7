"""Pathways (anyone signed in) and cohorts (programme leads)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Cohort
from tests.factories import CohortFactory


def test_pathways_are_listed_a_page_at_a_time(client, world, auth):
    first = client.get("/api/v1/pathways?per_page=3", headers=auth(world.learner)).json
    second = client.get("/api/v1/pathways?per_page=3&page=3", headers=auth(world.learner)).json
    assert first["total"] == second["total"] == 7
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    assert first["items"][0] == {
        "key": "care-development-placement",
        "version": 2,  # the national rules of issue 10 (outcomes) made version 2
        "title": "Care development placement",
        "summary": first["items"][0]["summary"],
    }


def test_a_pathway_shows_its_stages_transitions_and_competencies(client, world, auth):
    body = client.get("/api/v1/pathways/preceptorship", headers=auth(world.preceptor)).json
    assert [s["key"] for s in body["stages"]] == [
        "enrolled",
        "supernumerary",
        "in_preceptorship",
        "final_review",
        "completed",
    ]
    assert {"from": "enrolled", "to": "supernumerary"}.items() <= body["transitions"][0].items()
    assert any(c["key"] == "leadership" for c in body["competencies"])


def test_an_unknown_pathway_is_404(client, world, auth):
    response = client.get("/api/v1/pathways/nursing-associate", headers=auth(world.lead))
    assert response.status_code == 404
    assert response.json["error"] == {
        "code": "not_found",
        "message": "There is no programme called 'nursing-associate'",
        "fields": {},
    }


def test_a_lead_lists_their_own_organisation_s_cohorts_with_counts(client, world, auth):
    CohortFactory(organisation=world.foreign_lead.organisation, name="Elsewhere")
    body = client.get("/api/v1/cohorts", headers=auth(world.lead)).json
    assert body["total"] == 1
    assert body["items"] == [
        {
            "id": world.cohort.id,
            "name": "Preceptorship September 2026",
            "pathway": "preceptorship",
            "start_date": "2026-09-01",
            "counts": {"active": 1},
        }
    ]


def test_preceptors_and_learners_cannot_list_cohorts(client, world, auth):
    for user in (world.preceptor, world.learner):
        response = client.get("/api/v1/cohorts", headers=auth(user))
        assert response.status_code == 403
        assert response.json["error"]["code"] == "forbidden"


def test_a_lead_creates_a_cohort_and_it_is_audited(client, world, auth):
    response = client.post(
        "/api/v1/cohorts",
        json={"name": "Preceptorship March 2027", "pathway": "preceptorship", "start_date": "2027-03-01"},
        headers=auth(world.lead),
    )
    assert response.status_code == 201
    assert response.json["name"] == "Preceptorship March 2027" and response.json["counts"] == {}
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.object_id == response.json["id"], AuditEvent.object_type == "Cohort"
            )
        )
        == "cohort.created"
    )


def test_a_bad_cohort_is_refused_with_every_field_named(client, world, auth, nothing_written):
    with nothing_written():
        response = client.post(
            "/api/v1/cohorts",
            json={"name": "Preceptorship September 2026", "pathway": "nursing-associate", "start_date": "2027-03-01"},
            headers=auth(world.lead),
        )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"name", "pathway"}


def test_a_malformed_cohort_body_is_422_naming_the_fields(client, world, auth, nothing_written):
    with nothing_written():
        response = client.post(
            "/api/v1/cohorts", json={"name": "X", "start_date": "31/02/2027", "colour": "red"}, headers=auth(world.lead)
        )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"pathway", "start_date", "colour"}


def test_a_body_that_is_not_json_is_400(client, world, auth):
    response = client.post(
        "/api/v1/cohorts", data="{not json", content_type="application/json", headers=auth(world.lead)
    )
    assert response.status_code in (400, 422)
    assert "error" in response.json
    assert db.session.scalar(select(Cohort.id).where(Cohort.name == "X")) is None


def test_a_preceptor_cannot_create_a_cohort(client, world, auth, nothing_written):
    with nothing_written():
        response = client.post(
            "/api/v1/cohorts",
            json={"name": "Mine", "pathway": "preceptorship", "start_date": "2027-03-01"},
            headers=auth(world.preceptor),
        )
    assert response.status_code == 403
