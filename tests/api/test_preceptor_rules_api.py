"""The API enrols through the same preceptor rules as the pages: every failing rule named, 422, nothing written."""

from __future__ import annotations

from datetime import date

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
