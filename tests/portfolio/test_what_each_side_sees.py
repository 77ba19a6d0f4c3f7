"""The preceptor sees hours by month, reflections, evidence and review notes; the queue shows new evidence."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from app.services import evidence, hours, reflections, reviews, signoffs
from app.services.clock import today
from tests.portfolio.conftest import PDF

KEY = "alert_course"


def test_the_preceptors_enrolment_page_shows_the_whole_record(as_user, world):
    day = today() - timedelta(days=3)
    hours.log_hours(
        world.learner,
        world.enrolment.id,
        worked_on=day,
        hours="2.5",
        activity_type="study",
        learning="Sepsis e-learning",
    )
    reflections.write_reflection(
        world.learner,
        world.enrolment.id,
        written_on=day,
        what_happened="A fall on the ward",
        what_learned="Lying and standing blood pressure",
        how_changed="I now check it on admission",
        code_themes=["preserve_safety"],
    )
    request = signoffs.act(world.learner, world.enrolment.id, KEY, "request", text="Course done")
    evidence.attach(
        world.learner,
        world.enrolment.id,
        attached_to="signoff",
        attached_id=request.id,
        uploads=[evidence.Upload("ALERT.pdf", PDF)],
    )
    reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot="initial",
        held_on=today() - timedelta(days=90),
        outcome="on_track",
        notes="Good start",
        agreed_actions="Finish the ALERT course",
    )
    html = as_user(world.preceptor).get(f"/preceptor/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert f"{day:%B %Y}" in html and "2.5" in html
    assert "Lying and standing blood pressure" in html and "Preserve safety" in html
    assert "ALERT.pdf" in html
    assert "Notes: Good start" in html and "Objectives agreed: Finish the ALERT course" in html


def test_the_queue_shows_evidence_that_arrived_after_the_request(as_user, world):
    request = signoffs.act(world.learner, world.enrolment.id, KEY, "request", text="Course done")
    evidence.attach(
        world.learner,
        world.enrolment.id,
        attached_to="signoff",
        attached_id=request.id,
        uploads=[evidence.Upload("with-the-request.pdf", PDF)],
    )
    queue = as_user(world.preceptor).get("/preceptor/signoffs").get_data(as_text=True)
    assert "1 evidence file," in queue and "New evidence" not in queue
    with time_machine.travel(timedelta(hours=2)):
        evidence.attach(
            world.learner,
            world.enrolment.id,
            attached_to="signoff",
            attached_id=request.id,
            uploads=[evidence.Upload("certificate.pdf", PDF), evidence.Upload("b.pdf", PDF)],
        )
    queue = as_user(world.preceptor).get("/preceptor/signoffs").get_data(as_text=True)
    assert "New evidence" in queue and "3 evidence files" in queue
