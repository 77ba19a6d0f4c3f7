"""The pages that keep the engine's verdicts between requests show a write on the very next request."""

from __future__ import annotations

import re

import pytest

from app.services import hours, pages, signoffs
from app.services.clock import today


def _hours_logged(page: str) -> str:
    """The hours logged, as the enrolment's summary card writes them ("7.5 of 180 hours ...")."""
    found = re.search(r"Hours logged</dt>\s*<dd[^>]*>([\d.]+) of", page)
    assert found, page
    return found.group(1)


@pytest.mark.parametrize("who", ["preceptor", "lead", "learner"])
def test_an_enrolment_page_shows_hours_logged_since_the_last_visit(world, as_user, who):
    user = getattr(world, who)
    url = {
        "preceptor": f"/preceptor/enrolments/{world.enrolment.id}",
        "lead": f"/lead/enrolments/{world.enrolment.id}",
        "learner": f"/learner/enrolments/{world.enrolment.id}",
    }[who]
    client = as_user(user)
    before = _hours_logged(client.get(url).get_data(as_text=True))
    hours.log_hours(
        world.learner, world.enrolment.id, worked_on=today(), hours="7.5", activity_type="study", learning="x"
    )
    after = _hours_logged(client.get(url).get_data(as_text=True))
    assert (before, after) == ("0", "7.5")


def test_the_caseload_shows_a_sign_off_request_since_the_last_visit(world, as_user):
    key = pages.competencies(pages.enrolment_page(world.lead, world.enrolment.id))[0].rows[0].key
    caseload = as_user(world.preceptor)
    assert "sign-off request" not in caseload.get("/preceptor/").get_data(as_text=True)
    signoffs.act(world.learner, world.enrolment.id, key, "request", text="Evidence")
    assert "1 sign-off request waiting" in caseload.get("/preceptor/").get_data(as_text=True)
