"""The preceptor's pages: caseload, sign-off queue, reviews, moving on, and what a preceptor may not do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Confirmation, Review, SignOffEvent, TransitionEvent
from app.services import enrolments, signoffs, transitions
from app.services.clock import today
from tests.factories import PASSWORD, LearnerFactory
from tests.web.conftest import assert_error, audit_actions, count, date_fields, shown


def requested(world, key: str = "alert_course") -> None:
    signoffs.act(world.learner, world.enrolment.id, key, "request", text="Completed the ALERT course on 3 March")


def actions(enrolment_id: int) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(SignOffEvent.action).where(SignOffEvent.enrolment_id == enrolment_id).order_by(SignOffEvent.id)
        )
    )


def test_caseload_shows_only_their_learners(world, as_user):
    requested(world)
    html = as_user(world.preceptor).get("/preceptor/").get_data(as_text=True)
    assert shown(world.learner) in html and shown(world.other_learner) not in html
    assert "1 sign-off request waiting" in html
    assert "nhsuk-tag--" in html and "Next due" in html


@pytest.mark.parametrize("sort", ["name", "status", "due", "pending", "nonsense"])
def test_caseload_sorts(world, as_user, sort):
    response = as_user(world.preceptor).get(f"/preceptor/?sort={sort}")
    assert response.status_code == 200 and shown(world.learner) in response.get_data(as_text=True)


def test_caseload_sorted_by_name(world, as_user, ctx):
    second = LearnerFactory(organisation=world.learner.organisation, last_name="Aaronson", first_name="Abi")
    enrolments.enrol(
        world.lead,
        learner_id=second.id,
        pathway_key="preceptorship",
        start_date=today(),
        preceptor_id=world.preceptor.id,
    )
    html = as_user(world.preceptor).get("/preceptor/?sort=name").get_data(as_text=True)
    assert html.index("Abi Aaronson") < html.index(shown(world.learner))


def test_other_roles_cannot_open_preceptor_pages(world, as_user):
    assert as_user(world.learner).get("/preceptor/").status_code == 403
    assert as_user(world.lead).get("/preceptor/signoffs").status_code == 403


@pytest.mark.parametrize("path", ["", "/competencies/alert_course", "/reviews/new"])
def test_guessing_another_learners_url_is_refused(world, as_user, path):
    client = as_user(world.preceptor)
    assert client.get(f"/preceptor/enrolments/{world.other_enrolment.id}{path}").status_code == 403
    assert client.get(f"/preceptor/enrolments/{world.foreign_enrolment.id}{path}").status_code == 404


def test_acting_on_another_learner_writes_nothing(world, as_user):
    signoffs.act(world.other_learner, world.other_enrolment.id, "alert_course", "request", text="Evidence")
    client = as_user(world.preceptor)
    base = f"/preceptor/enrolments/{world.other_enrolment.id}"
    assert client.post(f"{base}/competencies/alert_course/sign").status_code == 403
    assert client.post(f"{base}/competencies/alert_course/return", data={"comment": "No"}).status_code == 403
    review = {"slot": "initial", **date_fields("held_on", today()), "outcome": "on_track"}
    assert client.post(f"{base}/reviews/new", data=review).status_code == 403
    assert client.post(f"{base}/advance", data={"to": "supernumerary"}).status_code == 403
    assert actions(world.other_enrolment.id) == ["requested"]
    assert count(Review) == 0 and count(TransitionEvent, TransitionEvent.action == "advance") == 0


def test_queue_lists_requests_and_signs_off(world, as_user):
    requested(world)
    client = as_user(world.preceptor)
    html = client.get("/preceptor/signoffs").get_data(as_text=True)
    assert "ALERT course" in html and "Completed the ALERT course on 3 March" in html
    response = client.post(f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course/sign?from=queue")
    assert response.status_code == 302 and response.location.endswith("/preceptor/signoffs")
    assert actions(world.enrolment.id) == ["requested", "signed"]
    assert "signoff.signed" in audit_actions(world.enrolment.id)
    assert "Nothing is waiting" in client.get("/preceptor/signoffs").get_data(as_text=True)


def test_queue_leaves_out_other_preceptors_learners(world, as_user):
    signoffs.act(world.other_learner, world.other_enrolment.id, "alert_course", "request", text="Evidence")
    assert "Nothing is waiting" in as_user(world.preceptor).get("/preceptor/signoffs").get_data(as_text=True)


def test_return_needs_a_comment(world, as_user):
    requested(world)
    url = f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course/return"
    response = as_user(world.preceptor).post(url, data={"comment": "  "})
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), "comment", "Enter a comment to explain why")
    assert actions(world.enrolment.id) == ["requested"]


def test_return_with_a_comment(world, as_user):
    requested(world)
    url = f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course/return"
    assert as_user(world.preceptor).post(url, data={"comment": "Attach the certificate"}).status_code == 302
    assert actions(world.enrolment.id) == ["requested", "returned"]


def test_revoke_needs_a_reason_then_revokes(world, as_user):
    requested(world)
    signoffs.act(world.preceptor, world.enrolment.id, "alert_course", "sign")
    client = as_user(world.preceptor)
    url = f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course/revoke"
    assert_error(client.post(url, data={"comment": ""}).get_data(as_text=True), "comment", "Enter a comment")
    assert actions(world.enrolment.id) == ["requested", "signed"]
    assert client.post(url, data={"comment": "Signed in error"}).status_code == 302
    assert actions(world.enrolment.id) == ["requested", "signed", "revoked"]


def test_signing_twice_is_refused_with_a_message(world, as_user):
    requested(world)
    client = as_user(world.preceptor)
    url = f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course/sign"
    client.post(url)
    response = client.post(url)
    assert response.status_code == 400 and "This competency is already signed off" in response.get_data(as_text=True)
    assert actions(world.enrolment.id) == ["requested", "signed"]


def test_signing_off_needs_a_recent_sign_in(world, as_user, time_machine):
    requested(world)
    client = as_user(world.preceptor)
    # Past the 15-minute freshness, inside the 30-minute idle limit.
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=20))
    url = f"/preceptor/enrolments/{world.enrolment.id}/competencies/alert_course"
    response = client.post(f"{url}/sign")
    assert response.status_code == 302 and "/reauthenticate?next=" in response.location
    assert actions(world.enrolment.id) == ["requested"]
    assert "/reauthenticate" in client.get(url).location
    again = client.post(response.location, data={"password": PASSWORD})
    assert again.status_code == 302 and again.location.endswith(url)
    assert client.post(f"{url}/sign").status_code == 302
    assert actions(world.enrolment.id) == ["requested", "signed"]


def review_form(**changes) -> dict[str, str]:
    return {
        "slot": "initial",
        **date_fields("held_on", today() - timedelta(days=85)),
        "outcome": "on_track",
        "notes": "Settling in well",
        "agreed_actions": "Complete the sepsis e-learning",
        **changes,
    }


def test_record_a_review(world, as_user):
    client = as_user(world.preceptor)
    assert "Initial review" in client.get(f"/preceptor/enrolments/{world.enrolment.id}/reviews/new").get_data(
        as_text=True
    )
    response = client.post(f"/preceptor/enrolments/{world.enrolment.id}/reviews/new", data=review_form())
    assert response.status_code == 302
    review = db.session.scalars(select(Review)).one()
    assert review.slot == "initial" and review.agreed_actions == "Complete the sepsis e-learning"
    assert "review.recorded" in audit_actions(world.enrolment.id)


@pytest.mark.parametrize(
    ("changes", "field", "anchor", "message"),
    [
        ({"slot": ""}, "slot", "slot", "Select which review this was"),
        ({"slot": "party"}, "slot", "slot", "Select which review this was"),
        (
            {"held_on[day]": "", "held_on[month]": "", "held_on[year]": ""},
            "held_on",
            "held_on-day",
            "Enter the date the review was held",
        ),
        (date_fields("held_on", today() + timedelta(days=2)), "held_on", "held_on-day", "cannot be in the future"),
        (
            date_fields("held_on", today() - timedelta(days=300)),
            "held_on",
            "held_on-day",
            "cannot be before the programme started",
        ),
        ({"outcome": ""}, "outcome", "outcome", "Select the outcome of the review"),
        ({"outcome": "great"}, "outcome", "outcome", "Select the outcome of the review"),
    ],
)
def test_record_review_refuses_bad_input(world, as_user, changes, field, anchor, message):
    url = f"/preceptor/enrolments/{world.enrolment.id}/reviews/new"
    response = as_user(world.preceptor).post(url, data=review_form(**changes))
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(Review) == 0


def test_advance_when_the_engine_allows(world, as_user):
    client = as_user(world.preceptor)
    html = client.get(f"/preceptor/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Move to Supernumerary" in html
    response = client.post(f"/preceptor/enrolments/{world.enrolment.id}/advance", data={"to": "supernumerary"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(world.enrolment), world.enrolment.id).stage == "supernumerary"


def test_advance_refused_shows_every_reason(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    client = as_user(world.preceptor)
    html = client.get(f"/preceptor/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "Not yet, because:" in html and "Supernumerary period not yet complete" in html
    response = client.post(f"/preceptor/enrolments/{world.enrolment.id}/advance", data={"to": "in_preceptorship"})
    assert response.status_code == 409
    assert "This learner cannot move on yet" in response.get_data(as_text=True)
    assert "Supernumerary period not yet complete" in response.get_data(as_text=True)
    assert count(TransitionEvent, TransitionEvent.action == "advance") == 1


def test_the_final_sign_off_is_refused_mid_programme_with_the_reason(world, as_user):
    client = as_user(world.preceptor)
    url = f"/preceptor/enrolments/{world.enrolment.id}/confirmations/new"
    page = client.get(url).get_data(as_text=True)
    assert "Final sign-off by the preceptor" in page and "lead_countersignature" not in page
    response = client.post(url, data={"name": "final_signoff", "note": "Ready"})
    assert response.status_code == 400
    assert "This can be recorded only at the Final review stage" in response.get_data(as_text=True)
    assert count(Confirmation) == 0


def test_the_final_sign_off_needs_a_recent_sign_in(world, as_user, time_machine):
    client = as_user(world.preceptor)
    time_machine.move_to(datetime.now(UTC) + timedelta(minutes=20))
    url = f"/preceptor/enrolments/{world.enrolment.id}/confirmations/new"
    response = client.post(url, data={"name": "final_signoff", "note": "Ready"})
    assert response.status_code == 302 and "/reauthenticate?next=" in response.location
    assert count(Confirmation) == 0


def test_confirmation_refuses_bad_input_and_other_learners(world, as_user):
    client = as_user(world.preceptor)
    url = f"/preceptor/enrolments/{world.enrolment.id}/confirmations/new"
    assert_error(client.post(url, data={"name": ""}).get_data(as_text=True), "name", "Select what is being confirmed")
    response = client.post(url, data={"name": "lead_countersignature"})
    assert response.status_code == 403
    other = f"/preceptor/enrolments/{world.other_enrolment.id}/confirmations/new"
    assert client.post(other, data={"name": "final_signoff"}).status_code == 403
    assert count(Confirmation) == 0


def test_a_review_already_held_is_not_offered_again(world, as_user):
    client = as_user(world.preceptor)
    url = f"/preceptor/enrolments/{world.enrolment.id}/reviews/new"
    assert client.post(url, data=review_form()).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'value="initial"' not in page
    assert client.post(url, data=review_form()).status_code == 400
    assert count(Review) == 1
