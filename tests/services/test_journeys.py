"""What a learner, preceptor and lead do, through the services, and what that leaves behind."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import PreceptorAssignment, SignOffEvent
from app.services import enrolments, hours, reviews, signoffs, transitions
from app.services.facts import assess_one
from tests.services.conftest import audit_actions


def test_sign_off_history_is_append_only_and_counts_the_latest(world):
    eid = world.enrolment.id
    signoffs.act(world.learner, eid, "leadership", "request", text="Led the safety huddle")
    signoffs.act(world.preceptor, eid, "leadership", "return", text="Add your reflection")
    signoffs.act(world.learner, eid, "leadership", "request", text="Reflection added")
    signoffs.act(world.preceptor, eid, "leadership", "sign")
    assert "leadership" in assess_one(world.enrolment, date(2026, 11, 25)).facts.signed_off
    signoffs.act(world.preceptor, eid, "leadership", "revoke", text="Signed on the wrong record")
    actions = db.session.scalars(select(SignOffEvent.action).where(SignOffEvent.enrolment_id == eid)).all()
    assert actions == ["requested", "returned", "requested", "signed", "revoked"]
    assert "leadership" not in assess_one(world.enrolment, date(2026, 11, 25)).facts.signed_off
    assert audit_actions(eid)[-5:] == [
        "signoff.requested",
        "signoff.returned",
        "signoff.requested",
        "signoff.signed",
        "signoff.revoked",
    ]


def test_reassigning_a_preceptor_keeps_the_history(world):
    enrolments.assign_preceptor(world.lead, world.enrolment.id, world.other_preceptor.id, reason="Moved ward")
    rows = db.session.scalars(
        select(PreceptorAssignment)
        .where(PreceptorAssignment.enrolment_id == world.enrolment.id)
        .order_by(PreceptorAssignment.id)
    ).all()
    assert [(r.preceptor_id, r.ended_on) for r in rows] == [
        (world.preceptor.id, date(2026, 11, 25)),
        (world.other_preceptor.id, None),
    ]
    assert "preceptor.assigned" in audit_actions(world.enrolment.id)


def test_hold_moves_the_expected_end_by_the_days_held(world):
    before = assess_one(world.enrolment, date(2026, 11, 25)).evaluation.expected_end
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness", on=date(2026, 10, 1))
    transitions.transition(world.lead, world.enrolment.id, "resume", on=date(2026, 10, 31))
    after = assess_one(world.enrolment, date(2026, 11, 25)).evaluation.expected_end
    assert (after - before).days == 30
    assert world.enrolment.state == "active"


def test_supernumerary_hours_let_the_preceptor_move_a_nurse_on(world):
    eid = world.enrolment.id
    transitions.transition(world.preceptor, eid, "advance", to="supernumerary", on=date(2026, 9, 1))
    for day in range(1, 11):
        hours.log_hours(
            world.learner,
            eid,
            worked_on=date(2026, 9, day),
            hours=7.5,
            activity_type="shadowing",
            learning="Supernumerary shift",
        )
    event = transitions.transition(world.preceptor, eid, "advance", to="in_preceptorship", on=date(2026, 9, 11))
    assert (event.from_stage, event.to_stage) == ("supernumerary", "in_preceptorship")
    assert world.enrolment.stage == "in_preceptorship"


def test_review_recorded_by_the_preceptor_and_confirmed_by_the_learner(world):
    review = reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=date(2026, 9, 7),
        outcome="on_track",
        notes="Settling in well",
        agreed_actions="Book ALERT",
    )
    reviews.confirm_review(world.learner, review.id)
    slot = next(
        s for s in assess_one(world.enrolment, date(2026, 11, 25)).evaluation.review_slots if s.key == "initial"
    )
    assert slot.held_on == date(2026, 9, 7) and slot.confirmed


def test_edited_hours_keep_the_old_values_in_the_audit_trail(world):
    entry = hours.log_hours(
        world.learner,
        world.enrolment.id,
        worked_on=date(2026, 11, 20),
        hours=2,
        activity_type="study",
        learning="Sepsis e-learning",
    )
    hours.edit_hours(
        world.learner,
        entry.id,
        worked_on=date(2026, 11, 20),
        hours=3,
        activity_type="e_learning",
        learning="Sepsis e-learning and quiz",
    )
    assert audit_actions(world.enrolment.id)[-2:] == ["hours.logged", "hours.edited"]
    assert float(assess_one(world.enrolment, date(2026, 11, 25)).facts.hours_logged) == 3.0
