"""The API enrols through the same preceptor rules as the pages: every failing rule named, 422, nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from tests.factories import LearnerFactory, PreceptorFactory


def test_enrolling_with_a_preceptor_who_fails_the_rules_is_422_naming_each(client, world, auth, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="occupational_therapy", band="5")
    midwife = PreceptorFactory(organisation=world.lead.organisation, first_name="Rachel", last_name="Lewis",
                               profession="midwifery", band="7", registration_date=date(2025, 12, 1))  # fmt: skip
    body = {"learner_id": learner.id, "pathway": "preceptorship", "start_date": "2026-11-02",
            "preceptor_id": midwife.id}  # fmt: skip
    with nothing_written():
        response = client.post("/api/v1/enrolments", json=body, headers=auth(world.lead))
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"]["preceptor_id"] == (
        f"Rachel Lewis is a midwife and {learner.full_name} an occupational therapist: not the same profession; "
        "Rachel Lewis registered on 1 December 2025, less than 12 months before 2 November 2026 "
        "(eligible from 1 December 2026)"
    )


@pytest.fixture
def physio(world):
    """A preceptor who meets none of the national rules for a band 5 adult nurse on 25 November 2026."""
    return PreceptorFactory(organisation=world.lead.organisation, first_name="Helen", last_name="Ward",
                            profession="physiotherapy", band="4", registration_date=date(2026, 1, 5),
                            preceptor_training_date=None)  # fmt: skip


def assign(client, enrolment, headers, **body):
    return client.post(f"/api/v1/enrolments/{enrolment.id}/preceptor-assignments", json=body, headers=headers)


def test_assigning_a_preceptor_who_fails_the_rules_is_422_naming_each(client, world, auth, physio, nothing_written):
    with nothing_written():
        response = assign(client, world.enrolment, auth(world.lead), preceptor_id=physio.id)
    assert response.status_code == 422, response.json
    learner = world.learner.full_name
    refused = response.json["error"]["fields"]["preceptor_id"]
    assert refused.startswith(
        f"Helen Ward is a physiotherapist and {learner} a registered nurse (adult): not the same profession; "
        f"Helen Ward is on band 4, below {learner}'s band 5; a preceptor is on an equivalent or higher band; "
        "Helen Ward registered on 5 January 2026, less than 12 months before 25 November 2026 "
        "(eligible from 5 January 2027); Helen Ward has no preceptor training recorded (eligible now: "
    ), refused
    with nothing_written():
        overridden = assign(client, world.enrolment, auth(world.lead), preceptor_id=physio.id,
                            override_reason="No one else on nights")  # fmt: skip
    assert overridden.status_code == 422
    assert list(overridden.json["error"]["fields"]) == ["override_reason"]


def test_with_no_eligible_preceptor_a_lead_overrides_through_the_api_and_it_is_recorded(client, world, auth, physio):
    for nurse in (world.preceptor, world.other_preceptor):
        nurse.preceptor_training_date = None
    db.session.commit()
    response = assign(client, world.enrolment, auth(world.lead), preceptor_id=physio.id,
                      override_reason="No nurse preceptor free until January")  # fmt: skip
    assert response.status_code == 201, response.json
    assert response.json["preceptor"]["id"] == physio.id and response.json["assigned_on"] == "2026-11-25"
    assert response.json["override_reason"] == "No nurse preceptor free until January"
    assert len(response.json["overridden_rules"]) == 4
    assert response.json["overridden_rules"][0].startswith("Helen Ward is a physiotherapist")
    detail = client.get(f"/api/v1/enrolments/{world.enrolment.id}", headers=auth(world.lead)).json
    assert [p["id"] for p in detail["preceptors"]] == [physio.id]


def test_only_the_organisations_lead_assigns_a_preceptor(client, world, auth, nothing_written):
    body = {"preceptor_id": world.other_preceptor.id}
    with nothing_written():
        assert assign(client, world.enrolment, auth(world.preceptor), **body).status_code == 403
    assert assign(client, world.enrolment, auth(world.foreign_lead), **body).status_code == 404
    assert assign(client, world.enrolment, auth(world.lead), **body).status_code == 201
