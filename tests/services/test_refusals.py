"""Every refused action says why and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import enrolments, hours, records, reviews, signoffs, transitions
from app.services.errors import NotFound, PermissionDenied, TransitionRefused, ValidationFailed
from tests.factories import LearnerFactory


def test_learner_cannot_sign_off_their_own_competency(world, nothing_written):
    signoffs.act(world.learner, world.enrolment.id, "leadership", "request", text="Led a huddle")
    with nothing_written(), pytest.raises(PermissionDenied, match="cannot sign off or review your own"):
        signoffs.act(world.learner, world.enrolment.id, "leadership", "sign")


def test_preceptor_cannot_act_on_someone_elses_learner(world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied, match="do not have access"):
        signoffs.act(world.other_preceptor, world.enrolment.id, "leadership", "sign")
    with nothing_written(), pytest.raises(PermissionDenied):
        reviews.record_review(
            world.other_preceptor, world.enrolment.id, slot="initial", held_on=date(2026, 9, 7), outcome="on_track"
        )
    with nothing_written(), pytest.raises(PermissionDenied):
        transitions.transition(world.other_preceptor, world.enrolment.id, "advance", to="supernumerary")


def test_lead_of_another_organisation_cannot_see_or_touch_the_enrolment(world, nothing_written):
    with nothing_written(), pytest.raises(NotFound):
        transitions.transition(world.foreign_lead, world.enrolment.id, "hold", reason="Sickness")
    with nothing_written(), pytest.raises(NotFound):
        enrolments.assign_preceptor(world.foreign_lead, world.enrolment.id, world.other_preceptor.id)
    with nothing_written(), pytest.raises(ValidationFailed, match="no such learner"):
        enrolments.enrol(
            world.foreign_lead,
            learner_id=world.other_learner.id,
            pathway_key="preceptorship",
            start_date=date(2026, 9, 1),
        )


def test_another_learner_cannot_log_hours_on_an_enrolment(world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied):
        hours.log_hours(
            world.other_learner,
            world.enrolment.id,
            worked_on=date(2026, 10, 1),
            hours=2,
            activity_type="study",
            learning="Read about sepsis",
        )


def test_preceptor_cannot_put_an_enrolment_on_hold(world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied, match="programme lead"):
        transitions.transition(world.preceptor, world.enrolment.id, "hold", reason="Sickness")


def test_blocked_advance_lists_the_engine_reasons(world, nothing_written):
    transitions.transition(world.preceptor, world.enrolment.id, "advance", to="supernumerary", on=date(2026, 9, 1))
    with nothing_written(), pytest.raises(TransitionRefused) as refused:
        transitions.transition(
            world.preceptor, world.enrolment.id, "advance", to="in_preceptorship", on=date(2026, 9, 5)
        )
    assert refused.value.reasons == [
        "Supernumerary period not yet complete: 0 of 75 hours logged, "
        "or 2 weeks (full time: contracted hours not recorded) end on 15 September 2026"
    ]


@pytest.mark.parametrize(
    ("fields", "problem_field"),
    [
        ({"worked_on": date(2026, 12, 1), "hours": 2}, "worked_on"),
        ({"worked_on": date(2026, 8, 1), "hours": 2}, "worked_on"),
        ({"worked_on": date(2026, 10, 1), "hours": 25}, "hours"),
        ({"worked_on": date(2026, 10, 1), "hours": "lots"}, "hours"),
        ({"worked_on": date(2026, 10, 1), "hours": 0}, "hours"),
        ({"worked_on": None, "hours": 2}, "worked_on"),
    ],
)
def test_bad_hours_are_refused_field_by_field(world, nothing_written, fields, problem_field):
    with nothing_written(), pytest.raises(ValidationFailed) as failure:
        hours.log_hours(world.learner, world.enrolment.id, activity_type="study", learning="x", **fields)
    assert problem_field in failure.value.fields


def test_hours_cannot_exceed_a_day(world, nothing_written):
    hours.log_hours(
        world.learner,
        world.enrolment.id,
        worked_on=date(2026, 10, 1),
        hours=20,
        activity_type="study",
        learning="Long study day",
    )
    with nothing_written(), pytest.raises(ValidationFailed, match="more than 24 hours on one day"):
        hours.log_hours(
            world.learner,
            world.enrolment.id,
            worked_on=date(2026, 10, 1),
            hours=5,
            activity_type="study",
            learning="More",
        )


def test_return_needs_a_comment(world, nothing_written):
    signoffs.act(world.learner, world.enrolment.id, "leadership", "request", text="Led a huddle")
    with nothing_written(), pytest.raises(ValidationFailed) as failure:
        signoffs.act(world.preceptor, world.enrolment.id, "leadership", "return", text="  ")
    assert failure.value.fields == {"comment": "Enter a comment to explain why you return this sign-off"}


def test_hold_needs_a_reason_and_resume_needs_a_hold(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed):
        transitions.transition(world.lead, world.enrolment.id, "hold", reason="")
    with nothing_written(), pytest.raises(TransitionRefused):
        transitions.transition(world.lead, world.enrolment.id, "resume")


def test_enrolling_twice_on_the_same_programme_is_refused(world, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed, match="already on this programme"):
        enrolments.enrol(
            world.lead, learner_id=world.learner.id, pathway_key="preceptorship", start_date=date(2026, 9, 1)
        )


def test_unknown_programme_is_not_found(world, nothing_written):
    learner = LearnerFactory(organisation=world.lead.organisation)
    with nothing_written(), pytest.raises(NotFound, match="no programme called 'astronaut'"):
        enrolments.enrol(world.lead, learner_id=learner.id, pathway_key="astronaut", start_date=date(2026, 9, 1))


def test_lead_only_records_dbs(world, nothing_written):
    with nothing_written(), pytest.raises(PermissionDenied, match="Only a programme lead"):
        records.record_check(
            world.preceptor, world.enrolment.id, kind="dbs", result="cleared", checked_on=date(2026, 9, 1)
        )


def test_preceptor_over_caseload_is_refused(world, nothing_written):
    org = world.lead.organisation
    for _ in range(2):
        learner = LearnerFactory(organisation=org)
        enrolments.enrol(
            world.lead,
            learner_id=learner.id,
            pathway_key="preceptorship",
            start_date=date(2026, 9, 1),
            preceptor_id=world.preceptor.id,
        )
    fourth = LearnerFactory(organisation=org)
    with nothing_written(), pytest.raises(ValidationFailed, match="already supports 3 learners, the limit is 3"):
        enrolments.enrol(
            world.lead,
            learner_id=fourth.id,
            pathway_key="preceptorship",
            start_date=date(2026, 9, 1),
            preceptor_id=world.preceptor.id,
        )
