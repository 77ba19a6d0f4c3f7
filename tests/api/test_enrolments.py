"""Enrolments: each role sees what the web app shows them; filters, pages, detail, enrolling."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment


def ids(response) -> list[int]:
    return [item["id"] for item in response.json["items"]]


def test_each_role_lists_only_what_they_may_see(client, world, auth):
    assert ids(client.get("/api/v1/enrolments", headers=auth(world.lead))) == [
        world.enrolment.id,
        world.other_enrolment.id,
    ]
    assert ids(client.get("/api/v1/enrolments", headers=auth(world.preceptor))) == [world.enrolment.id]
    assert ids(client.get("/api/v1/enrolments", headers=auth(world.learner))) == [world.enrolment.id]
    assert ids(client.get("/api/v1/enrolments", headers=auth(world.foreign_lead))) == [world.foreign_enrolment.id]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("pathway=preceptorship", ["enrolment"]),
        ("pathway=wecare-support-worker", ["other_enrolment"]),
        ("status=active", ["enrolment", "other_enrolment"]),
        ("status=withdrawn", []),
        ("cohort={cohort}", ["enrolment"]),
        ("preceptor={other_preceptor}", ["other_enrolment"]),
    ],
)
def test_a_lead_filters_enrolments(client, world, auth, query, expected):
    url = "/api/v1/enrolments?" + query.format(cohort=world.cohort.id, other_preceptor=world.other_preceptor.id)
    assert ids(client.get(url, headers=auth(world.lead))) == [getattr(world, name).id for name in expected]


def test_lists_come_a_page_at_a_time_with_the_total(client, world, auth):
    body = client.get("/api/v1/enrolments?per_page=1&page=2", headers=auth(world.lead)).json
    assert (body["page"], body["per_page"], body["total"]) == (2, 1, 2)
    assert [item["id"] for item in body["items"]] == [world.other_enrolment.id]


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "status=asleep", "cohort=abc", "colour=red"])
def test_bad_list_parameters_are_422(client, world, auth, query):
    response = client.get(f"/api/v1/enrolments?{query}", headers=auth(world.lead))
    assert response.status_code == 422
    assert response.json["error"]["fields"]


def test_an_enrolment_shows_stage_status_blockers_and_due_dates(client, world, auth):
    body = client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=auth(world.preceptor)).json
    assert body["learner"]["last_name"] == "O'Neill"
    assert (body["pathway"], body["stage"], body["state"]) == ("preceptorship", "enrolled", "active")
    assert body["cohort"] == {"id": world.cohort.id, "name": "Preceptorship September 2026"}
    assert set(body["status"]) == {"rag", "reason"} and body["status"]["reason"]
    options = {option["to"]: option for option in body["transitions"]}
    assert options["supernumerary"]["allowed"] is True
    assert options["in_preceptorship"]["allowed"] is False and options["in_preceptorship"]["reasons"]
    assert body["due"] and all({"kind", "key", "title", "due"} == set(item) for item in body["due"])
    assert body["expected_end"] == "2027-09-01"
    assert [p["id"] for p in body["preceptors"]] == [world.preceptor.id]


def test_another_preceptor_s_learner_is_403(client, world, auth):
    response = client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=auth(world.other_preceptor))
    assert response.status_code == 403
    assert response.json["error"]["message"] == "You do not have access to this learner's record"


@pytest.mark.parametrize("which", ["foreign", "unknown", "huge"])
def test_another_organisation_s_or_an_unknown_enrolment_is_404(client, world, auth, which):
    enrolment_id = {"foreign": world.foreign_enrolment.id, "unknown": 999_999, "huge": 10**30}[which]
    response = client.get(f"/api/v1/enrolments/{enrolment_id}", headers=auth(world.lead))
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_lead_enrols_a_learner(client, world, auth, ctx):
    learner = world.other_learner
    response = client.post(
        "/api/v1/enrolments",
        json={
            "learner_id": learner.id,
            "pathway": "preceptorship",
            "start_date": "2026-11-02",
            "cohort_id": world.cohort.id,
            "preceptor_id": world.other_preceptor.id,
        },
        headers=auth(world.lead),
    )
    assert response.status_code == 201, response.json
    assert response.json["learner"]["id"] == learner.id and response.json["stage"] == "enrolled"
    assert [p["id"] for p in response.json["preceptors"]] == [world.other_preceptor.id]


@pytest.mark.parametrize(
    "change, field, status",
    [
        ({"pathway": "nursing-associate"}, "pathway", 422),
        ({"learner_id": "{foreign_learner}"}, "learner_id", 422),
        ({"preceptor_id": "{learner}"}, "preceptor_id", 422),
        ({"learner_id": "{learner}"}, "learner_id", 409),  # the record's state refuses it: a conflict
        ({"start_date": "2026-13-01"}, "start_date", 422),
        ({"learner_id": 0}, "learner_id", 422),
    ],
    ids=["unknown-pathway", "foreign-learner", "not-a-preceptor", "already-enrolled", "bad-date", "bad-id"],
)
def test_a_bad_enrolment_is_refused_and_writes_nothing(client, world, auth, nothing_written, change, field, status):
    places = {"foreign_learner": world.foreign_enrolment.learner_id, "learner": world.learner.id}
    body = {"learner_id": world.other_learner.id, "pathway": "preceptorship", "start_date": "2026-11-02"}
    body.update({k: int(v.format(**places)) if isinstance(v, str) and "{" in v else v for k, v in change.items()})
    with nothing_written():
        response = client.post("/api/v1/enrolments", json=body, headers=auth(world.lead))
    assert response.status_code == status
    assert field in response.json["error"]["fields"]


def test_a_preceptor_cannot_enrol(client, world, auth):
    before = db.session.scalar(select(func.count()).select_from(Enrolment))
    response = client.post(
        "/api/v1/enrolments",
        json={"learner_id": world.other_learner.id, "pathway": "preceptorship", "start_date": "2026-11-02"},
        headers=auth(world.preceptor),
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == before
