"""Issue 10's cases through the API: off-the-job time that never counts, the learner's own Care Certificate
version, the post appointed on completion. The same commands as the pages: 422 naming the field, nothing written."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import enrolments, tokens
from tests.factories import LearnerFactory
from tests.stages import apprentice_on_programme, at_stage


@pytest.fixture
def apprentice(world):
    return apprentice_on_programme(world)


def learner_auth(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue(user)}"}


def hours_body(**changes) -> dict:
    return {"worked_on": "2026-09-02", "hours": 3, "activity_type": "teaching", "learning": "Study day", **changes}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"activity_type": "english_maths"}, "activity_type",
         "English and maths (functional skills) never count as off-the-job training"),
        ({"activity_type": "progress_review"}, "activity_type", "Progress reviews never count as off-the-job training"),
        ({"activity_type": "outside_paid_hours", "worked_on": "2026-09-06"}, "activity_type",
         "Time outside paid working hours never counts as off-the-job training"),
        ({"worked_on": "2026-08-02"}, "worked_on",
         "Off-the-job training counts only during the apprenticeship, which started on 3 August 2026"),
    ],
)  # fmt: skip
def test_off_the_job_time_that_never_counts_is_422_with_the_reason(
    client, apprentice, nothing_written, changes, field, reason
):
    headers = learner_auth(apprentice.learner)
    url = f"/api/v1/enrolments/{apprentice.id}/hours"
    with nothing_written():
        response = client.post(url, json=hours_body(**changes), headers=headers)
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"] == {field: reason}
    counted = client.post(url, json=hours_body(worked_on="2026-08-03"), headers=headers)
    assert counted.status_code == 201 and counted.json["kind"] == "off_the_job"
    detail = client.get(f"/api/v1/enrolments/{apprentice.id}", headers=headers).json
    assert detail["hours_logged"] == 3


@pytest.fixture
def fifteen_standard_learner(world):
    """Started on 28 February 2025, the day before the 16-standard Care Certificate."""
    learner = LearnerFactory(organisation=world.lead.organisation, profession="")
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="wecare-support-worker", start_date=date(2025, 2, 28),
        preceptor_id=world.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "care_certificate", date(2025, 3, 10))


def test_a_15_standard_learner_s_api_has_only_their_standards(client, world, auth, fifteen_standard_learner,
                                                              nothing_written):  # fmt: skip
    enrolment = fifteen_standard_learner
    url = f"/api/v1/enrolments/{enrolment.id}/signoffs"
    mine = learner_auth(enrolment.learner)
    with nothing_written():
        asked = client.post(url, json={"competency": "cc16", "action": "request", "text": "Autism e-learning"},
                            headers=mine)  # fmt: skip
    assert asked.status_code == 422, asked.json
    assert asked.json["error"]["fields"] == {
        "competency": "16 Awareness of learning disability and autism is not one of this learner's Care Certificate "
        "standards: they started on 28 February 2025, so their version has 15"
    }
    with nothing_written():
        signed = client.post(url, json={"competency": "cc16", "action": "sign", "text": ""},
                             headers=auth(world.preceptor))  # fmt: skip
    assert signed.status_code == 422, signed.json
    requested = client.post(url, json={"competency": "cc09", "action": "request", "text": "Dementia workbook"},
                            headers=mine)  # fmt: skip
    assert requested.status_code == 201, requested.json
    assert requested.json["competency_title"] == "9 Awareness of mental health, dementia and learning disability"
    listed = client.get(url, headers=auth(world.preceptor)).json
    assert [item["competency_title"] for item in listed["items"]] == [
        "9 Awareness of mental health, dementia and learning disability"
    ]
    detail = client.get(f"/api/v1/enrolments/{enrolment.id}", headers=auth(world.preceptor)).json
    blockers = detail["next_blockers"]
    assert any("of 15 Care Certificate standards" in reason for reason in blockers), blockers
    assert not any("of 16" in reason for reason in blockers), blockers


@pytest.fixture
def in_talent_pool(world):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="")
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="healthcare-works-jobs", start_date=date(2026, 6, 1)
    )
    return at_stage(enrolment, "talent_pool", date(2026, 9, 1))


def test_completing_the_jobs_route_through_the_api_needs_the_post(client, world, auth, in_talent_pool,
                                                                  nothing_written):  # fmt: skip
    url = f"/api/v1/enrolments/{in_talent_pool.id}/transitions"
    body = {"action": "advance", "to": "completed", "post_title": "Healthcare assistant"}
    with nothing_written():
        refused = client.post(url, json=body, headers=auth(world.lead))
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["fields"] == {
        "post_band": "Enter the band of the post appointed, like Band 2",
        "post_starts_on": "Enter the date the post starts",
    }
    done = client.post(url, json={**body, "post_band": "Band 2", "post_starts_on": "2026-12-01"},
                       headers=auth(world.lead))  # fmt: skip
    assert done.status_code == 201, done.json
    records = client.get(f"/api/v1/enrolments/{in_talent_pool.id}/national-records", headers=auth(world.lead)).json
    assert [(p["title"], p["band"], p["starts_on"]) for p in records["posts"]] == [
        ("Healthcare assistant", "Band 2", "2026-12-01")
    ]
