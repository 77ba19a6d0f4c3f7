"""The national rules of issue 10 through the service commands: refusals say why and write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PostAppointment
from app.services import caseload_pages, enrolments, hours, national_records, reviews, signoffs, transitions
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.facts import assess_one
from tests.factories import LearnerFactory
from tests.stages import at_stage

APPRENTICESHIP = "healthcare-works-apprenticeship"



@pytest.fixture
def apprentice(world):
    learner = LearnerFactory(organisation=world.lead.organisation, date_of_birth=date(1990, 4, 1))
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key=APPRENTICESHIP, start_date=date(2026, 6, 1),
        preceptor_id=world.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "apprenticeship", date(2026, 8, 3))


def log(enrolment, **changes):
    values = {"worked_on": date(2026, 9, 2), "hours": 3, "activity_type": "teaching", "learning": "Study day"}
    values.update(changes)
    return hours.log_hours(enrolment.learner, enrolment.id, **values)


@pytest.mark.parametrize(
    ("activity", "reason"),
    [
        ("english_maths", "English and maths (functional skills) never count as off-the-job training"),
        ("progress_review", "Progress reviews never count as off-the-job training"),
        ("outside_paid_hours", "Time outside paid working hours never counts as off-the-job training"),
    ],
)
def test_off_the_job_refuses_what_never_counts(apprentice, nothing_written, activity, reason):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        log(apprentice, activity_type=activity)
    assert refused.value.fields == {"activity_type": reason}


def test_off_the_job_refused_the_day_before_the_apprenticeship(apprentice, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        log(apprentice, worked_on=date(2026, 8, 2))
    assert refused.value.fields == {
        "worked_on": "Off-the-job training counts only during the apprenticeship, which started on 3 August 2026"
    }
    entry = log(apprentice, worked_on=date(2026, 8, 3))
    assert entry.kind == "off_the_job"
    assert assess_one(apprentice, date(2026, 11, 25)).facts.hours_logged == 3


def test_protected_learning_may_be_english_and_maths(world):
    """Preceptorship time is not off-the-job training: the funding rules' exclusions do not apply."""
    entry = hours.log_hours(
        world.learner, world.enrolment.id, worked_on=date(2026, 10, 1), hours=2,
        activity_type="english_maths", learning="Numeracy for drug calculations",
    )  # fmt: skip
    assert entry.kind == "protected_learning"


def test_target_reads_the_learners_contracted_hours(apprentice):
    assert assess_one(apprentice, date(2026, 11, 25)).evaluation.hours_target_total == 187
    earlier = at_stage(apprentice, "apprenticeship", date(2025, 7, 31))
    apprentice.learner.contracted_hours_per_week = 22.5
    db.session.commit()
    assert assess_one(earlier, date(2026, 11, 25)).evaluation.hours_target_total == 210


def test_prior_learning_reduces_the_published_minimum_never_below_187(apprentice, world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        national_records.record_prior_learning(
            world.lead, apprentice.id, hours=40, reason="", recorded_on=date(2026, 8, 3)
        )
    assert refused.value.fields == {"reason": "Enter the prior learning recognised"}
    national_records.record_prior_learning(
        world.lead, apprentice.id, hours=40, reason="Level 2 diploma in care", recorded_on=date(2026, 8, 3)
    )
    assert assess_one(apprentice, date(2026, 11, 25)).evaluation.hours_target_total == 187


@pytest.fixture
def adult_before_february_2025(world):
    learner = LearnerFactory(organisation=world.lead.organisation, date_of_birth=date(1990, 4, 1))
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key=APPRENTICESHIP, start_date=date(2024, 1, 8)
    )
    return at_stage(enrolment, "apprenticeship", date(2024, 3, 4))


def test_english_and_maths_decision_not_before_11_february_2025(adult_before_february_2025, world, nothing_written):
    enrolment = adult_before_february_2025
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        national_records.record_english_maths_decision(
            world.lead, enrolment.id, decision="not_taking", decided_on=date(2025, 2, 10)
        )
    assert refused.value.fields == {"decided_on": "The date cannot be before 11 February 2025"}
    national_records.record_english_maths_decision(
        world.lead, enrolment.id, decision="not_taking", decided_on=date(2025, 2, 11), note="Agreed with employer"
    )
    facts = assess_one(enrolment, date(2026, 11, 25)).facts
    assert facts.english_maths_decided_on == date(2025, 2, 11)


def test_no_english_and_maths_decision_at_16_to_18(world, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation, date_of_birth=date(2008, 5, 1))
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key=APPRENTICESHIP, start_date=date(2026, 6, 1)
    )
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        national_records.record_english_maths_decision(
            world.lead, enrolment.id, decision="not_taking", decided_on=date(2026, 6, 1)
        )
    assert refused.value.fields == {
        "decision": "English and maths are required for apprentices aged 16 to 18 at start: there is no decision"
    }


def test_only_a_lead_records_the_english_and_maths_decision(apprentice, world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied, match="programme lead"):
        national_records.record_english_maths_decision(
            world.preceptor, apprentice.id, decision="continue", decided_on=date(2026, 8, 3)
        )


def test_agreed_review_frequency_moves_the_next_review(apprentice, world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        national_records.agree_review_frequency(
            world.preceptor, apprentice.id, every=6, unit="weeks", reason="", agreed_on=date(2026, 8, 3)
        )
    assert refused.value.fields == {"reason": "Enter the reason for the frequency"}
    national_records.agree_review_frequency(
        world.preceptor, apprentice.id, every=6, unit="weeks", reason="Extra support agreed", agreed_on=date(2026, 8, 3)
    )
    slots = assess_one(apprentice, date(2026, 11, 25)).evaluation.review_slots
    assert [s.due for s in slots[:2]] == [date(2026, 9, 14), date(2026, 10, 26)]


def test_a_review_for_a_slot_already_held_is_a_correction(world, nothing_written):
    first = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 7), outcome="on_track"
    )
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        reviews.record_review(
            world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 8), outcome="on_track"
        )
    assert refused.value.fields == {
        "slot": "The Initial review was already recorded as held on 7 September 2026; "
        "correct that record instead of adding another"
    }
    reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 8), outcome="on_track",
        corrects_id=first.id,
    )  # fmt: skip
    held = [s for s in assess_one(world.enrolment, date(2026, 11, 25)).facts.reviews if s.slot == "initial"]
    assert [r.held_on for r in held] == [date(2026, 9, 8)]


@pytest.fixture
def fifteen_standard_learner(world):
    """Started on 28 February 2025, the day before the 16-standard Care Certificate."""
    learner = LearnerFactory(organisation=world.lead.organisation, profession="")
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="wecare-support-worker", start_date=date(2025, 2, 28),
        preceptor_id=world.preceptor.id,
    )  # fmt: skip
    return at_stage(enrolment, "care_certificate", date(2025, 3, 10))


def test_standard_16_refused_for_a_15_standard_learner(fifteen_standard_learner, world, nothing_written):
    enrolment = fifteen_standard_learner
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        signoffs.act(enrolment.learner, enrolment.id, "cc16", "request", text="Autism awareness e-learning")
    assert refused.value.fields == {
        "competency": "16 Awareness of learning disability and autism is not one of this learner's Care Certificate "
        "standards: they started on 28 February 2025, so their version has 15"
    }
    with nothing_written(), pytest.raises(ValidationFailed):
        signoffs.act(world.preceptor, enrolment.id, "cc16", "sign")


def test_assessors_queue_shows_the_learners_own_titles(fifteen_standard_learner, world):
    enrolment = fifteen_standard_learner
    signoffs.act(enrolment.learner, enrolment.id, "cc09", "request", text="Dementia workbook")
    titles = [item.title for item in caseload_pages.signoff_queue(world.preceptor) if item.enrolment.id == enrolment.id]
    assert titles == ["9 Awareness of mental health, dementia and learning disability"]


def enrol_on_hda(world, learner, start=date(2026, 9, 1)):
    return enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="higher-development-award", start_date=start)


def test_hda_enrols_only_someone_with_a_care_certificate(world, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="", first_name="Lee", last_name="Jones")
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrol_on_hda(world, learner)
    assert refused.value.fields == {
        "learner": "Lee Jones has not completed the Care Certificate: every standard signed off in Waymark, "
        "or a prior completion recorded on their record with its date and evidence"
    }
    with nothing_written(), pytest.raises(ValidationFailed) as missing:
        national_records.record_prior_care_certificate(
            world.lead, learner.id, completed_on=date(2024, 5, 1), evidence=""
        )
    assert missing.value.fields == {"evidence": "Enter the evidence, like the certificate's reference"}
    national_records.record_prior_care_certificate(
        world.lead, learner.id, completed_on=date(2024, 5, 1), evidence="Skills for Care certificate CC-2024-0581"
    )
    enrolment = enrol_on_hda(world, learner)
    transitions.transition(world.lead, enrolment.id, "advance", to="studying", on=date(2026, 9, 1))
    assert enrolment.stage == "studying"


def test_hda_start_on_the_day_the_care_certificate_was_completed_not_the_day_before(world, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="", first_name="Ana", last_name="Lima")
    national_records.record_prior_care_certificate(
        world.lead, learner.id, completed_on=date(2026, 9, 1), evidence="Certificate CC-2026-0099"
    )
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrol_on_hda(world, learner, start=date(2026, 8, 31))
    assert refused.value.fields["learner"] == (
        "Ana Lima completed the Care Certificate on 1 September 2026, after the start date"
    )
    assert enrol_on_hda(world, learner, start=date(2026, 9, 1)).stage == "enrolled"


@pytest.fixture
def in_talent_pool(world):
    learner = LearnerFactory(organisation=world.lead.organisation, profession="")
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="healthcare-works-jobs", start_date=date(2026, 6, 1)
    )
    return at_stage(enrolment, "talent_pool", date(2026, 9, 1))


def test_completion_needs_the_post_appointed(in_talent_pool, world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        transitions.transition(world.lead, in_talent_pool.id, "advance", to="completed", post={"post_title": "HCA"})
    assert refused.value.fields == {
        "post_band": "Enter the band of the post appointed, like Band 2",
        "post_starts_on": "Enter the date the post starts",
    }
    post = {"post_title": "Healthcare assistant", "post_band": "Band 2", "post_starts_on": date(2026, 12, 1)}
    event = transitions.transition(world.lead, in_talent_pool.id, "advance", to="completed", post=post)
    kept = db.session.scalars(select(PostAppointment).where(PostAppointment.enrolment_id == in_talent_pool.id)).one()
    assert (kept.title, kept.band, kept.starts_on, kept.transition_event_id) == (
        "Healthcare assistant", "Band 2", date(2026, 12, 1), event.id,
    )  # fmt: skip
    assert in_talent_pool.state == "completed"
