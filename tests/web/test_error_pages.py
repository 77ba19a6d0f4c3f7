"""Input no form can turn into a date, and what the error pages promise."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.services.clock import today
from tests.web.conftest import assert_error, date_fields, second_app, signed_in

HUGE = "99999999999999999999"

# who posts, the form's address, its date field, and the rest of a good submission
DATE_FORMS = {
    "hours": (
        "learner",
        "/learner/enrolments/{enrolment}/hours/new",
        "worked_on",
        {"hours": "2", "activity_type": "study", "learning": "Sepsis screening"},
    ),
    "review": (
        "preceptor",
        "/preceptor/enrolments/{enrolment}/reviews/new",
        "held_on",
        {"slot": "initial", "outcome": "on_track"},
    ),
    "new cohort": (
        "lead",
        "/lead/cohorts/new",
        "start_date",
        {"name": "Preceptorship March 2027", "pathway_key": "preceptorship"},
    ),
    "enrol": ("lead", "/lead/enrol", "start_date", {"pathway_key": "preceptorship"}),
    "extend": ("lead", "/lead/enrolments/{enrolment}/extend", "new_end", {"reason": "Long-term sickness"}),
    "check": (
        "lead",
        "/lead/enrolments/{enrolment}/checks/new",
        "checked_on",
        {"kind": "dbs", "result": "cleared"},
    ),
    "attendance": ("lead", "/lead/enrolments/{enrolment}/attendance/new", "attended_on", {"title": "Study day"}),
}


@pytest.mark.parametrize("part", ["day", "month", "year"])
@pytest.mark.parametrize("form", list(DATE_FORMS))
def test_a_date_too_big_for_any_calendar_is_a_problem_beside_the_field(world, as_user, nothing_written, form, part):
    who, url, name, fields = DATE_FORMS[form]
    data = {**fields, **date_fields(name, today() - timedelta(days=1)), f"{name}[{part}]": HUGE}
    if form == "enrol":
        data["learner"] = world.other_learner.id
    with nothing_written():
        response = as_user(getattr(world, who)).post(url.format(enrolment=world.enrolment.id), data=data)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), name, "Enter a real date", f"{name}-day")


def test_the_500_page_does_not_say_what_was_entered_was_saved(app, world):
    """A request that failed saved nothing: saying otherwise leaves the person thinking their work is safe."""
    failing = second_app(app, TESTING=False)

    @failing.get("/lead/boom")
    def boom():
        raise RuntimeError("an unexpected fault")

    response = signed_in(failing, world.lead).get("/lead/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "was saved" not in html
    assert "may not have been saved" in html
