"""Issue 10's cases through the pages: off-the-job time that never counts is refused on the learner's form
with the reason, and a 15-standard Care Certificate learner sees, and is signed off on, only their own standards."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import HoursEntry, SignOffEvent
from app.services import enrolments, signoffs
from tests.factories import LearnerFactory
from tests.stages import apprentice_on_programme, at_stage
from tests.web.conftest import assert_error, count, date_fields


@pytest.fixture
def apprentice(frozen_today, world):
    return apprentice_on_programme(world)


def hours_form(when: date, activity: str) -> dict[str, str]:
    return {**date_fields("worked_on", when), "hours": "3", "activity_type": activity, "learning": "Study day"}


@pytest.mark.parametrize(
    ("when", "activity", "field", "anchor", "message"),
    [
        (date(2026, 9, 2), "english_maths", "activity_type", "activity_type",
         "English and maths (functional skills) never count as off-the-job training"),
        (date(2026, 9, 2), "progress_review", "activity_type", "activity_type",
         "Progress reviews never count as off-the-job training"),
        (date(2026, 9, 6), "outside_paid_hours", "activity_type", "activity_type",
         "Time outside paid working hours never counts as off-the-job training"),
        (date(2026, 8, 2), "teaching", "worked_on", "worked_on-day",
         "Off-the-job training counts only during the apprenticeship, which started on 3 August 2026"),
    ],
)  # fmt: skip
def test_the_learner_s_form_refuses_what_never_counts_with_the_reason(
    apprentice, as_user, when, activity, field, anchor, message
):
    client = as_user(apprentice.learner)
    url = f"/learner/enrolments/{apprentice.id}/hours/new"
    response = client.post(url, data=hours_form(when, activity))
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(HoursEntry) == 0
    assert client.post(url, data=hours_form(date(2026, 8, 3), "teaching")).status_code == 302
    assert count(HoursEntry) == 1


@pytest.fixture
def fifteen_standard_learner(frozen_today, world):
    """Started on 28 February 2025, the day before the 16-standard Care Certificate."""
    learner = LearnerFactory(organisation=world.lead.organisation, profession="")
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="wecare-support-worker", start_date=date(2025, 2, 28),
        preceptor_id=world.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "care_certificate", date(2025, 3, 10))


def test_a_15_standard_learner_and_their_assessor_see_only_the_15_standards(world, as_user, fifteen_standard_learner):
    enrolment = fifteen_standard_learner
    learner = as_user(enrolment.learner)
    own = learner.get(f"/learner/enrolments/{enrolment.id}/competencies").get_data(as_text=True)
    assert "9 Awareness of mental health, dementia and learning disability" in own
    assert "16 Awareness of learning disability and autism" not in own
    refused = learner.post(
        f"/learner/enrolments/{enrolment.id}/competencies/cc16/request", data={"evidence": "Autism e-learning"}
    )
    assert refused.status_code == 404  # not one of their standards: the page does not exist for them
    signoffs.act(enrolment.learner, enrolment.id, "cc09", "request", text="Dementia workbook")
    assessor = as_user(world.preceptor)
    queue = assessor.get("/preceptor/signoffs").get_data(as_text=True)
    assert "9 Awareness of mental health, dementia and learning disability" in queue
    assert "9 Awareness of mental health and dementia<" not in queue
    assert "16 Awareness" not in queue
    signed = assessor.post(f"/preceptor/enrolments/{enrolment.id}/competencies/cc16/sign")
    assert signed.status_code == 404
    assert count(SignOffEvent) == 1
