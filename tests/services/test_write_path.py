"""The write path's rules live in the services, so every caller (page, API, import, CLI) meets them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Confirmation, Enrolment, HoursEntry, Review, SignOffEvent
from app.services import accounts, cohorts, enrolments, hours, records, reviews, signoffs, transitions
from app.services.clock import today
from app.services.enrolments import NewEnrolment, add_enrolments
from app.services.errors import PermissionDenied, TransitionRefused, ValidationFailed
from tests.factories import LearnerFactory, PreceptorFactory


def refusals(action: str) -> list[dict]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == f"{action}.refused"))
    return [{"actor_id": row.actor_id, "object_id": row.object_id, **json.loads(row.detail)} for row in rows]


def test_a_preceptor_cannot_be_enrolled_as_a_learner_with_themselves_as_preceptor(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrolments.enrol(
            world.lead,
            learner_id=world.preceptor.id,
            pathway_key="preceptorship",
            start_date=date(2026, 11, 2),
            preceptor_id=world.preceptor.id,
        )
    assert "not a learner" in refused.value.fields["learner"]


def test_a_lead_cannot_enrol_themselves(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed, match="not a learner"):
        enrolments.enrol(world.lead, learner_id=world.lead.id, pathway_key="preceptorship", start_date=today())


def test_writing_checked_enrolments_still_needs_a_lead(world, nothing_written, ctx):
    learner = LearnerFactory(organisation=world.lead.organisation)
    definition = enrolments.latest_definition("preceptorship")
    item = NewEnrolment(learner, enrolments.pathway_version(definition), definition, today())
    db.session.commit()
    with nothing_written(), pytest.raises(PermissionDenied):
        enrolments.enrol(world.preceptor, learner_id=learner.id, pathway_key="preceptorship", start_date=today())
    with pytest.raises(PermissionDenied):
        add_enrolments(world.preceptor, [item])
    db.session.rollback()


def test_the_database_refuses_a_second_open_enrolment_on_one_programme(world):
    second = Enrolment(
        organisation_id=world.enrolment.organisation_id,
        learner_id=world.learner.id,
        pathway_version_id=world.enrolment.pathway_version_id,
        pathway_key="preceptorship",
        start_date=date(2026, 10, 1),
        stage="enrolled",
        stage_entered_on=date(2026, 10, 1),
        state="active",
    )
    db.session.add(second)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_hours_logged_count_as_the_kind_the_stage_logs_whoever_calls(world):
    transitions.transition(world.preceptor, world.enrolment.id, "advance", to="supernumerary", on=date(2026, 9, 1))
    nurse = hours.log_hours(
        world.learner, world.enrolment.id, worked_on=date(2026, 9, 2), hours=7.5, activity_type="shadowing"
    )
    support_worker = hours.log_hours(
        world.other_learner, world.other_enrolment.id, worked_on=date(2026, 10, 6), hours=3, activity_type="study"
    )
    assert (nurse.kind, support_worker.kind) == ("supernumerary", "protected_learning")
    with pytest.raises(TypeError):
        hours.log_hours(  # the caller has no say: there is no such argument
            world.learner, world.enrolment.id, worked_on=date(2026, 9, 3), hours=1, activity_type="study", kind="x"
        )


@pytest.mark.parametrize("bad", ["NaN", float("nan"), float("inf"), "-inf", "1e400", "", None, "seven", True])
def test_hours_that_are_not_a_finite_number_are_refused(world, nothing_written, bad):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        hours.log_hours(
            world.learner, world.enrolment.id, worked_on=date(2026, 10, 1), hours=bad, activity_type="study"
        )
    assert refused.value.fields["hours"] in ("Enter the hours as a number, like 1.5",)


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(1, 1, 1), date(1949, 12, 31)])
def test_an_enrolment_start_outside_the_accepted_range_is_refused(world, nothing_written, start):
    learner = LearnerFactory(organisation=world.lead.organisation)
    db.session.commit()
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="preceptorship", start_date=start)
    assert refused.value.fields["start_date"].startswith("The date must be on or ")


def test_the_accepted_range_reaches_five_years_ahead(world):
    learner = LearnerFactory(organisation=world.lead.organisation)
    db.session.commit()
    ahead = today() + timedelta(days=5 * 365 - 2)
    enrolment = enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="preceptorship", start_date=ahead)
    assert enrolment.start_date == ahead


def test_a_transition_cannot_be_dated_after_today(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        transitions.transition(
            world.preceptor, world.enrolment.id, "advance", to="supernumerary", on=today() + timedelta(days=1)
        )
    assert refused.value.fields == {"on": "The date cannot be in the future"}


def test_a_future_dated_transition_cannot_skip_the_supernumerary_rule(world, nothing_written):
    transitions.transition(world.preceptor, world.enrolment.id, "advance", to="supernumerary", on=date(2026, 9, 1))
    with nothing_written(), pytest.raises(ValidationFailed, match="cannot be in the future"):
        transitions.transition(
            world.preceptor, world.enrolment.id, "advance", to="in_preceptorship", on=today() + timedelta(days=365)
        )


def test_a_course_start_back_dated_before_the_health_clearance_is_refused(world, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation)
    db.session.commit()
    start = today() - timedelta(days=30)
    enrolment = enrolments.enrol(
        world.lead, learner_id=learner.id, pathway_key="pre-employment-placement", start_date=start
    )
    records.record_confirmation(world.lead, enrolment.id, "referral_accepted")
    transitions.transition(world.lead, enrolment.id, "advance", to="checks", on=start)
    records.record_check(world.lead, enrolment.id, kind="dbs", result="cleared", checked_on=start)
    records.record_check(
        world.lead, enrolment.id, kind="occupational_health", result="cleared", checked_on=today() - timedelta(days=5)
    )
    with nothing_written(), pytest.raises(TransitionRefused) as refused:
        transitions.transition(world.lead, enrolment.id, "advance", to="placement", on=today() - timedelta(days=10))
    assert any("Occupational health" in reason for reason in refused.value.reasons)
    event = transitions.transition(world.lead, enrolment.id, "advance", to="placement", on=today() - timedelta(days=5))
    assert event.to_stage == "placement"


def test_a_second_record_of_a_review_already_held_is_refused(world, nothing_written):
    first = reviews.record_review(
        world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 7), outcome="on_track"
    )
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        reviews.record_review(
            world.preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 11, 20), outcome="concerns"
        )
    assert "already recorded as held on 7 September 2026" in refused.value.fields["slot"]
    correction = reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=date(2026, 9, 8),
        outcome="on_track",
        corrects_id=first.id,
    )
    assert [r.id for r in reviews.current_reviews(world.enrolment.id)] == [correction.id]
    with nothing_written(), pytest.raises(ValidationFailed, match="already been corrected"):
        reviews.record_review(
            world.preceptor,
            world.enrolment.id,
            slot="initial",
            held_on=date(2026, 9, 9),
            outcome="on_track",
            corrects_id=first.id,
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == 2


def test_the_final_sign_off_is_refused_mid_programme(world, nothing_written):
    with nothing_written(), pytest.raises(TransitionRefused, match="only at the Final review stage"):
        records.record_confirmation(world.preceptor, world.enrolment.id, "final_signoff")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Confirmation)) == 0


def test_a_refused_action_leaves_an_audit_event_naming_who_what_and_why(world):
    with pytest.raises(PermissionDenied):
        transitions.transition(world.preceptor, world.enrolment.id, "hold", reason="Sickness")
    [refusal] = refusals("enrolment.transition")
    assert refusal["actor_id"] == world.preceptor.id
    assert refusal["object_id"] == world.enrolment.id
    assert refusal["code"] == "forbidden" and "programme lead" in refusal["reason"]


def test_two_sign_offs_from_the_same_state_cannot_both_be_appended(world):
    signoffs.act(world.learner, world.enrolment.id, "leadership", "request", text="Led a huddle")
    event = signoffs.act(world.preceptor, world.enrolment.id, "leadership", "sign")
    duplicate = SignOffEvent(
        enrolment_id=event.enrolment_id,
        competency_id=event.competency_id,
        sequence=event.sequence,
        action="signed",
        actor_id=world.preceptor.id,
    )
    db.session.add(duplicate)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("name", ["Intake\nJanuary", "Intake\r\nBcc: x@example.com", "Tab\tname", "Bell\x07"])
def test_a_cohort_name_with_control_characters_is_refused(world, nothing_written, name):
    with nothing_written(), pytest.raises(ValidationFailed, match="line breaks and control characters"):
        cohorts.create_cohort(world.lead, name=name, pathway_key="preceptorship", start_date=date(2027, 1, 4))


def test_text_with_a_lone_surrogate_is_refused_by_the_service(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed, match="surrogate"):
        hours.log_hours(
            world.learner,
            world.enrolment.id,
            worked_on=date(2026, 10, 1),
            hours=1,
            activity_type="study",
            learning="bad \ud800 text",
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HoursEntry)) == 0


def test_a_new_preceptor_for_a_learner_cannot_be_the_learner(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed, match="not a preceptor"):
        enrolments.assign_preceptor(world.lead, world.enrolment.id, world.learner.id)
    trainee = PreceptorFactory(organisation=world.lead.organisation)
    db.session.commit()
    assert enrolments.assign_preceptor(world.lead, world.enrolment.id, trainee.id).preceptor_id == trainee.id


@pytest.mark.parametrize("field", ["first_name", "last_name", "email"])
def test_a_person_whose_name_or_address_holds_a_line_break_is_refused_wherever_they_are_created(world, field):
    values = {"first_name": "Amara", "last_name": "Okafor", "email": "amara@nhs.net", "employee_number": "N9"}
    values[field] = values[field][:3] + "\r\nBcc: everyone@nhs.net"
    with pytest.raises(ValidationFailed) as refused:
        accounts.create_user(world.lead.organisation, **values)
    assert refused.value.fields == {field: "Remove the line breaks and control characters"}
    with pytest.raises(ValidationFailed):
        accounts.update_user(world.learner, {field: values[field]})
    db.session.rollback()
