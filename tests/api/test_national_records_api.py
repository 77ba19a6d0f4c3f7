"""The national-rule records through the API: the same commands, permissions and refusals as the pages."""

from __future__ import annotations

import pytest

from tests.factories import LearnerFactory
from tests.stages import apprentice_on_programme


@pytest.fixture
def apprentice(world):
    return apprentice_on_programme(world)


def records_of(client, enrolment, headers):
    response = client.get(f"/api/v1/enrolments/{enrolment.id}/national-records", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_lead_records_each_national_record_and_reads_them_back(client, world, auth, apprentice):
    base = f"/api/v1/enrolments/{apprentice.id}"
    writes = [
        ("english-maths-decisions", {"decision": "not_taking", "decided_on": "2026-09-01", "note": "Agreed"}),
        ("review-frequencies", {"every": 6, "unit": "weeks", "reason": "Extra support", "agreed_on": "2026-08-03"}),
        ("prior-learning", {"hours": 40, "reason": "Level 2 diploma in care", "recorded_on": "2026-08-10"}),
    ]
    for path, body in writes:
        response = client.post(f"{base}/{path}", json=body, headers=auth(world.lead))
        assert response.status_code == 201, (path, response.json)
    records = records_of(client, apprentice, auth(world.preceptor))
    assert records["english_maths_decisions"][0]["decision"] == "not_taking"
    assert records["review_frequencies"][0]["every_weeks"] == 6
    assert records["prior_learning"][0]["hours"] == 40.0
    assert records["prior_learning"][0]["recorded_by_id"] == world.lead.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": "lots", "reason": "Diploma", "recorded_on": "2026-08-10"}, "hours"),
        ({"hours": 40, "reason": "Diploma", "recorded_on": "2027-01-01"}, "recorded_on"),
        ({"hours": 40, "reason": "", "recorded_on": "2026-08-10"}, "reason"),
    ],
)
def test_bad_prior_learning_is_refused_naming_the_field_and_nothing_is_written(
    client, world, auth, apprentice, nothing_written, body, field
):
    url = f"/api/v1/enrolments/{apprentice.id}/prior-learning"
    with nothing_written():
        response = client.post(url, json=body, headers=auth(world.lead))
    assert response.status_code in (400, 422)
    assert field in response.json["error"]["fields"]


def test_only_the_organisations_lead_records_prior_learning(client, world, auth, apprentice, nothing_written):
    body = {"hours": 40, "reason": "Diploma", "recorded_on": "2026-08-10"}
    url = f"/api/v1/enrolments/{apprentice.id}/prior-learning"
    with nothing_written():
        assert client.post(url, json=body, headers=auth(world.preceptor)).status_code == 403
        assert client.post(url, json=body, headers=auth(world.foreign_lead)).status_code == 404
    assert client.get(f"/api/v1/enrolments/{apprentice.id}/national-records",
                      headers=auth(world.foreign_lead)).status_code == 404  # fmt: skip


def test_a_prior_care_certificate_through_the_api_lets_the_hda_enrol(client, world, auth, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation, first_name="Ivy", last_name="Hart", profession="")
    enrol = {"learner_id": learner.id, "pathway": "higher-development-award", "start_date": "2026-11-02"}
    with nothing_written():
        refused = client.post("/api/v1/enrolments", json=enrol, headers=auth(world.lead))
    assert refused.status_code == 422
    assert refused.json["error"]["fields"]["learner_id"].startswith("Ivy Hart has not completed the Care Certificate")
    url = f"/api/v1/people/{learner.id}/prior-care-certificates"
    body = {"completed_on": "2024-06-30", "evidence": "Skills for Care certificate CC-2024-1102"}
    with nothing_written():
        assert client.post(url, json=body, headers=auth(world.foreign_lead)).status_code == 404
        assert client.post(url, json=body, headers=auth(world.preceptor)).status_code == 403
    assert client.post(url, json=body, headers=auth(world.lead)).status_code == 201
    listed = client.get(url, headers=auth(world.lead)).json
    assert [(c["completed_on"], c["evidence"]) for c in listed] == [("2024-06-30", body["evidence"])]
    assert client.post("/api/v1/enrolments", json=enrol, headers=auth(world.lead)).status_code == 201
