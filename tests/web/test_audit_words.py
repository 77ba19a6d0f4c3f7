"""The audit trail reads as sentences with names and titles, never keys or ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.services import enrolments, reviews, signoffs, transitions
from app.services.clock import today
from tests.factories import PreceptorFactory


def trail(as_user, world) -> str:
    return as_user(world.lead).get(f"/lead/enrolments/{world.enrolment.id}/audit").get_data(as_text=True)


def test_a_new_preceptor_is_named(world, as_user):
    sarah = PreceptorFactory(organisation=world.lead.organisation, first_name="Sarah", last_name="Mitchell")
    enrolments.assign_preceptor(world.lead, world.enrolment.id, sarah.id, "Moved ward")
    html = trail(as_user, world)
    assert "Preceptor changed to Sarah Mitchell: Moved ward" in html
    assert "preceptor id" not in html and f"Preceptor {world.preceptor.full_name} assigned" in html


def test_a_review_is_named_with_its_outcome(world, as_user):
    reviews.record_review(world.preceptor, world.enrolment.id, slot="initial", held_on=today() - timedelta(days=1),
                          outcome="on_track")  # fmt: skip
    html = trail(as_user, world)
    assert "Initial review recorded: on track" in html
    assert "on_track" not in html and "slot" not in html


def test_sign_offs_and_moves_use_titles(world, as_user):
    signoffs.act(world.learner, world.enrolment.id, "alert_course", "request", text="Certificate")
    signoffs.act(world.preceptor, world.enrolment.id, "alert_course", "sign")
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    html = trail(as_user, world)
    assert "Sign-off requested: ALERT" in html and "Signed off: ALERT" in html
    assert "Moved on from Enrolled to Supernumerary period" in html
    assert "Signoff signed" not in html and "alert_course" not in html


def test_times_are_london_times_in_summer_and_winter(world, as_user):
    sarah = PreceptorFactory(organisation=world.lead.organisation)
    enrolments.assign_preceptor(world.lead, world.enrolment.id, sarah.id, "Moved ward")
    enrolments.assign_preceptor(world.lead, world.enrolment.id, world.preceptor.id, "Back again")
    summer, winter = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "preceptor.assigned").order_by(AuditEvent.id.desc())
    ).all()[:2]
    summer.created_at = datetime(2026, 7, 1, 9, 5, tzinfo=UTC)
    winter.created_at = datetime(2026, 1, 6, 9, 5, tzinfo=UTC)
    db.session.commit()
    html = trail(as_user, world)
    assert "1 July 2026, 10:05" in html  # British Summer Time: an hour ahead of UTC
    assert "6 January 2026, 09:05" in html
