"""Reflective accounts on the NMC form's questions: written by the learner, given as evidence for a sign-off."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.models import EvidenceFile, Reflection
from app.services import signoffs
from app.services.clock import today
from tests.portfolio.conftest import PDF
from tests.web.conftest import date_fields

KEY = "alert_course"


def answers(**changes) -> dict:
    body = {
        **date_fields("written_on", today()),
        "what_happened": "A patient's NEWS2 score rose overnight and I escalated late.",
        "what_learned": "To escalate at the first trigger, not after a second set of observations.",
        "how_changed": "I now escalate on the first trigger and document the call.",
        "code_themes": ["preserve_safety", "practise_effectively"],
    }
    return {**body, **changes}


def test_a_reflection_given_for_a_sign_off_is_read_by_the_assessor(as_user, world):
    request = signoffs.act(world.learner, world.enrolment.id, KEY, "request", text="See my reflection")
    learner = as_user(world.learner)
    form = learner.get(f"/learner/enrolments/{world.enrolment.id}/reflections/new").get_data(as_text=True)
    assert "What did you learn from it?" in form and "Promote professionalism and trust" in form
    response = learner.post(
        f"/learner/enrolments/{world.enrolment.id}/reflections/new", data=answers(signoff_id=str(request.id))
    )
    assert response.status_code == 302
    reflection = db.session.scalar(select(Reflection))
    assert reflection.themes == ["practise_effectively", "preserve_safety"]
    assert reflection.signoff_event_id == request.id
    page = as_user(world.preceptor).get(f"/preceptor/enrolments/{world.enrolment.id}/competencies/{KEY}")
    html = page.get_data(as_text=True)
    assert "I escalated late" in html and "Preserve safety" in html


def test_a_file_goes_on_a_reflection(as_user, world):
    learner = as_user(world.learner)
    learner.post(f"/learner/enrolments/{world.enrolment.id}/reflections/new", data=answers())
    reflection = db.session.scalar(select(Reflection))
    body = {"record": f"reflection:{reflection.id}", "files": [(io.BytesIO(PDF), "feedback.pdf")]}
    page = f"/learner/enrolments/{world.enrolment.id}/evidence"
    assert learner.post(page, data=body, content_type="multipart/form-data").status_code == 302
    assert db.session.scalar(select(EvidenceFile.attached_to)) == "reflection"
    listed = learner.get(f"/learner/enrolments/{world.enrolment.id}/reflections").get_data(as_text=True)
    assert "feedback.pdf" in listed and "Reflection of" in listed


def test_missing_answers_are_named_and_nothing_is_written(as_user, world, nothing_written):
    with nothing_written():
        response = as_user(world.learner).post(
            f"/learner/enrolments/{world.enrolment.id}/reflections/new",
            data=answers(what_learned=" ", code_themes=[], signoff_id="424242"),
        )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Answer: What did you learn from it?" in html
    assert "Select which themes of the Code your reflection relates to" in html


def test_only_the_learner_writes_their_reflections(as_user, world, nothing_written):
    with nothing_written():
        response = as_user(world.preceptor).post(
            f"/learner/enrolments/{world.enrolment.id}/reflections/new", data=answers()
        )
    assert response.status_code == 403
    assert as_user(world.other_learner).get(f"/learner/enrolments/{world.enrolment.id}/reflections").status_code in (
        403,
        404,
    )
