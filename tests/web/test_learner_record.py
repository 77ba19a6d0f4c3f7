"""The lead's record of one learner: stages, sign-offs, reviews, hours by month, evidence and the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.services import hours, reviews, transitions
from app.services.clock import today


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_record_gathers_everything_about_the_enrolment(world, as_user):
    worked = today() - timedelta(days=2)
    hours.log_hours(world.learner, world.enrolment.id, worked_on=worked, hours="3", activity_type="teaching",
                    learning="Study day")  # fmt: skip
    reviews.record_review(world.preceptor, world.enrolment.id, slot="initial", held_on=today() - timedelta(days=1),
                          outcome="on_track", notes="Settling in well")  # fmt: skip
    transitions.transition(world.lead, world.enrolment.id, "hold", reason="Sickness")
    response = as_user(world.lead).get(f"/lead/enrolments/{world.enrolment.id}/record")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = _text(response.get_data(as_text=True))
    assert world.learner.full_name in text and "Enrolled " in text  # the first stage of the timeline
    assert "Programme content: 0 of 5 signed off" in text
    assert "Initial review, held" in text and "Outcome: On track" in text and "Notes: Settling in well" in text
    assert f"{worked:%B %Y} 3" in text  # hours by month
    assert "No evidence files." in text
    assert "Put on hold: Sickness" in text and "Initial review recorded: on track" in text  # the audit trail


def test_the_lists_and_the_enrolment_link_to_the_record(world, as_user):
    client = as_user(world.lead)
    record = f"/lead/enrolments/{world.enrolment.id}/record"
    assert f'href="{record}"' in client.get("/lead/lists/red").get_data(as_text=True)
    assert f'href="{record}"' in client.get(f"/lead/cohorts/{world.cohort.id}").get_data(as_text=True)
    assert f'href="{record}"' in client.get(f"/lead/enrolments/{world.enrolment.id}").get_data(as_text=True)
    name = world.learner.last_name
    assert f'href="{record}"' in client.get(f"/search/?q={name}").get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [("preceptor", 403), ("learner", 403), ("foreign_lead", 404)])
def test_only_a_lead_of_the_organisation_sees_the_record(world, as_user, who, status):
    assert as_user(getattr(world, who)).get(f"/lead/enrolments/{world.enrolment.id}/record").status_code == status
