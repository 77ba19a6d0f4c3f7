"""The learner's pages: home, hours, competencies and reviews, and what a learner may not do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import HoursEntry, SignOffEvent
from app.services import hours, reviews, signoffs, transitions
from app.services.clock import today
from tests.web.conftest import assert_error, audit_actions, count, date_fields

GOOD_HOURS = {"hours": "2.5", "activity_type": "study", "learning": "Sepsis screening and escalation"}


def hours_form(when: date | None = None, **changes) -> dict[str, str]:
    return {**date_fields("worked_on", when or today() - timedelta(days=1)), **GOOD_HOURS, **changes}


def test_home_shows_where_the_learner_stands(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    html = as_user(world.learner).get("/learner/").get_data(as_text=True)
    assert "Preceptorship" in html and "Supernumerary" in html
    assert "Before you can move to the next stage" in html
    assert "Supernumerary period not yet complete" in html
    assert "protected learning hours" in html
    assert "Next review" in html and 'href="/notifications"' in html
    assert '<progress class="waymark-progress"' in html


def test_sign_in_takes_a_learner_to_their_home(world, as_user):
    response = as_user(world.learner).get("/")
    assert response.status_code == 302 and response.location.endswith("/learner/")


def test_enrolment_page(world, as_user):
    response = as_user(world.learner).get(f"/learner/enrolments/{world.enrolment.id}")
    assert response.status_code == 200
    assert "Log your learning hours" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path",
    ["", "/hours", "/hours/new", "/competencies", "/reviews", "/competencies/alert_course/request"],
)
def test_another_learners_pages_are_refused(world, as_user, path):
    client = as_user(world.learner)
    assert client.get(f"/learner/enrolments/{world.other_enrolment.id}{path}").status_code == 403
    assert client.get(f"/learner/enrolments/{world.foreign_enrolment.id}{path}").status_code == 404


def test_staff_cannot_open_learner_pages(world, as_user):
    assert as_user(world.preceptor).get("/learner/").status_code == 403
    assert as_user(world.lead).get(f"/learner/enrolments/{world.enrolment.id}").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(world, client):
    response = client.get(f"/learner/enrolments/{world.enrolment.id}")
    assert response.status_code == 302 and "/login?next=" in response.location


def test_log_hours(world, as_user):
    client = as_user(world.learner)
    response = client.post(f"/learner/enrolments/{world.enrolment.id}/hours/new", data=hours_form())
    assert response.status_code == 302
    entry = db.session.scalars(select(HoursEntry)).one()
    assert float(entry.hours) == 2.5 and entry.learning == "Sepsis screening and escalation"
    assert "hours.logged" in audit_actions(world.enrolment.id)
    history = client.get(response.location).get_data(as_text=True)
    assert "2.5 hours logged" in history and (today() - timedelta(days=1)).strftime("%B %Y") in history


@pytest.mark.parametrize(
    ("changes", "field", "anchor", "message"),
    [
        (
            {"worked_on[day]": "", "worked_on[month]": "", "worked_on[year]": ""},
            "worked_on",
            "worked_on-day",
            "Enter the date of the learning",
        ),
        ({"worked_on[day]": "31", "worked_on[month]": "2"}, "worked_on", "worked_on-day", "Enter a real date"),
        (
            # a few days ahead, not one: the value is worked out when the tests are collected, maybe before midnight
            date_fields("worked_on", today() + timedelta(days=3)),
            "worked_on",
            "worked_on-day",
            "The date cannot be in the future",
        ),
        (
            date_fields("worked_on", today() - timedelta(days=400)),
            "worked_on",
            "worked_on-day",
            "The date cannot be before the programme started",
        ),
        ({"hours": ""}, "hours", "hours", "Enter the hours"),
        ({"hours": "two"}, "hours", "hours", "Enter the hours as a number"),
        ({"hours": "25"}, "hours", "hours", "Hours must be more than 0 and no more than 24"),
        ({"hours": "0"}, "hours", "hours", "Hours must be more than 0 and no more than 24"),
        ({"activity_type": ""}, "activity_type", "activity_type", "Select the type of activity"),
        ({"activity_type": "golf"}, "activity_type", "activity_type", "Select the type of activity"),
        ({"learning": ""}, "learning", "learning", "Describe what you learned"),
    ],
)
def test_log_hours_refuses_bad_input(world, as_user, changes, field, anchor, message):
    response = as_user(world.learner).post(
        f"/learner/enrolments/{world.enrolment.id}/hours/new", data=hours_form(**changes)
    )
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), field, message, anchor)
    assert count(HoursEntry) == 0


def test_no_more_than_24_hours_in_one_day(world, as_user):
    client = as_user(world.learner)
    client.post(f"/learner/enrolments/{world.enrolment.id}/hours/new", data=hours_form(hours="20"))
    response = client.post(f"/learner/enrolments/{world.enrolment.id}/hours/new", data=hours_form(hours="5"))
    assert_error(response.get_data(as_text=True), "hours", "You cannot log more than 24 hours on one day")
    assert count(HoursEntry) == 1


def test_a_preceptor_cannot_log_a_learners_hours(world, as_user):
    # The learner pages are closed to staff, and the service refuses them too.
    response = as_user(world.preceptor).post(f"/learner/enrolments/{world.enrolment.id}/hours/new", data=hours_form())
    assert response.status_code == 403 and count(HoursEntry) == 0


def _logged(world) -> HoursEntry:
    return hours.log_hours(
        world.learner,
        world.enrolment.id,
        worked_on=today() - timedelta(days=2),
        hours="3",
        activity_type="teaching",
        learning="Study day",
    )


def test_edit_hours_keeps_the_old_values_in_the_audit_trail(world, as_user):
    entry = _logged(world)
    client = as_user(world.learner)
    assert "Study day" in client.get(f"/learner/hours/{entry.id}/edit").get_data(as_text=True)
    response = client.post(f"/learner/hours/{entry.id}/edit", data=hours_form(hours="4", learning="Study day: sepsis"))
    assert response.status_code == 302
    db.session.expire_all()
    assert float(db.session.get(HoursEntry, entry.id).hours) == 4
    assert "hours.edited" in audit_actions(world.enrolment.id)


def test_edit_hours_refuses_bad_input_and_changes_nothing(world, as_user):
    entry = _logged(world)
    response = as_user(world.learner).post(f"/learner/hours/{entry.id}/edit", data=hours_form(hours="30"))
    assert_error(response.get_data(as_text=True), "hours", "no more than 24")
    db.session.expire_all()
    assert float(db.session.get(HoursEntry, entry.id).hours) == 3


def test_edit_window_closes_after_14_days(world, as_user, time_machine):
    entry = _logged(world)
    time_machine.move_to(today() + timedelta(days=15))
    client = as_user(world.learner)
    assert client.post(f"/learner/hours/{entry.id}/edit", data=hours_form(hours="1")).status_code == 403
    db.session.expire_all()
    assert float(db.session.get(HoursEntry, entry.id).hours) == 3


def test_remove_hours(world, as_user):
    entry = _logged(world)
    response = as_user(world.learner).post(f"/learner/hours/{entry.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(HoursEntry, entry.id).removed_at is not None
    assert "hours.removed" in audit_actions(world.enrolment.id)


def test_another_learners_hours_entry_is_refused(world, as_user):
    entry = _logged(world)
    client = as_user(world.other_learner)
    assert client.get(f"/learner/hours/{entry.id}/edit").status_code == 403
    assert client.post(f"/learner/hours/{entry.id}/remove").status_code == 403
    db.session.expire_all()
    assert db.session.get(HoursEntry, entry.id).removed_at is None


def test_history_totals_by_month(world, as_user):
    first = today().replace(day=1)
    for when, amount in [(first - timedelta(days=3), "2"), (first - timedelta(days=5), "1.5"), (today(), "4")]:
        hours.log_hours(
            world.learner, world.enrolment.id, worked_on=when, hours=amount, activity_type="study", learning="Reading"
        )
    html = as_user(world.learner).get(f"/learner/enrolments/{world.enrolment.id}/hours").get_data(as_text=True)
    previous = (first - timedelta(days=3)).strftime("%B %Y")
    assert f'<td>{previous}</td><td class="nhsuk-table__cell--numeric">3.5</td>' in html
    assert f'<td>{today():%B %Y}</td><td class="nhsuk-table__cell--numeric">4</td>' in html


def test_competencies_grouped_with_their_state(world, as_user):
    signoffs.act(world.learner, world.enrolment.id, "alert_course", "request", text="Reflective account")
    signoffs.act(world.learner, world.enrolment.id, "human_factors", "request", text="Teaching session")
    signoffs.act(world.preceptor, world.enrolment.id, "human_factors", "return", text="Add your supervisor's feedback")
    html = as_user(world.learner).get(f"/learner/enrolments/{world.enrolment.id}/competencies").get_data(as_text=True)
    assert "Programme content" in html
    assert "Requested" in html and "Returned" in html and "Not requested" in html
    assert "Add your supervisor&#39;s feedback" in html


def test_request_a_sign_off(world, as_user):
    response = as_user(world.learner).post(
        f"/learner/enrolments/{world.enrolment.id}/competencies/alert_course/request",
        data={"evidence": "Reflective account"},
    )
    assert response.status_code == 302
    event = db.session.scalars(select(SignOffEvent)).one()
    assert event.action == "requested" and event.evidence == "Reflective account"


def test_request_needs_evidence(world, as_user):
    response = as_user(world.learner).post(
        f"/learner/enrolments/{world.enrolment.id}/competencies/alert_course/request", data={"evidence": " "}
    )
    assert_error(response.get_data(as_text=True), "evidence", "Describe the evidence for this competency")
    assert count(SignOffEvent) == 0


def test_request_twice_is_refused(world, as_user):
    client = as_user(world.learner)
    url = f"/learner/enrolments/{world.enrolment.id}/competencies/alert_course/request"
    client.post(url, data={"evidence": "One"})
    response = client.post(url, data={"evidence": "Two"})
    assert_error(response.get_data(as_text=True), "evidence", "not already requested or signed")
    assert count(SignOffEvent) == 1


def test_unknown_competency_is_not_found(world, as_user):
    url = f"/learner/enrolments/{world.enrolment.id}/competencies/nope/request"
    assert as_user(world.learner).get(url).status_code == 404


def _review(world):
    slot = "initial"
    return reviews.record_review(
        world.preceptor,
        world.enrolment.id,
        slot=slot,
        held_on=today() - timedelta(days=90),
        outcome="on_track",
        notes="Settling in well",
        agreed_actions="Complete sepsis e-learning",
    )


def test_reviews_page_asks_the_learner_to_sign(world, as_user):
    review = _review(world)
    client = as_user(world.learner)
    html = client.get(f"/learner/enrolments/{world.enrolment.id}/reviews").get_data(as_text=True)
    assert "Initial review" in html and "Complete sepsis e-learning" in html and "Upcoming" in html
    assert f'href="/reviews/{review.id}"' in html and "Read and sign this review" in html
    assert "Confirm this review" not in html  # the one-click confirmation went with signed reviews
    assert client.post(f"/learner/reviews/{review.id}/confirm").status_code == 404


def test_hours_logged_while_supernumerary_count_towards_ending_it(world, as_user):
    transitions.transition(world.lead, world.enrolment.id, "advance", to="supernumerary")
    client = as_user(world.learner)
    form_page = client.get(f"/learner/enrolments/{world.enrolment.id}/hours/new").get_data(as_text=True)
    assert "log your supernumerary practice hours" in form_page
    for days_ago in range(1, 11):
        response = client.post(
            f"/learner/enrolments/{world.enrolment.id}/hours/new",
            data=hours_form(today() - timedelta(days=days_ago), hours="7.5"),
        )
        assert response.status_code == 302
    kinds = set(db.session.scalars(select(HoursEntry.kind).where(HoursEntry.enrolment_id == world.enrolment.id)))
    assert kinds == {"supernumerary"}
    transitions.transition(world.lead, world.enrolment.id, "advance", to="in_preceptorship")
    assert world.enrolment.stage == "in_preceptorship"
