"""Protected time pages: the preceptor's card and log, the lead's list and who is short of time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from app.services.protected_time import log_protected_time
from tests.web.conftest import assert_error, date_fields


@pytest.fixture(autouse=True)
def _in_november():
    with time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False):
        yield


def test_the_caseload_shows_used_and_left_and_the_preceptor_logs_time(world, as_user):
    client = as_user(world.preceptor)
    caseload = client.get("/preceptor/").get_data(as_text=True)
    assert "0 of 12 hours used this year" in caseload and "12 hours left" in caseload
    form = {**date_fields("used_on", date(2026, 11, 20)), "hours": "2.5", "activity": "meeting", "note": "Midpoint"}
    assert client.post("/protected-time/log", data=form).status_code == 302
    caseload = client.get("/preceptor/").get_data(as_text=True)
    assert "2.5 of 12 hours used this year" in caseload and "9.5 hours left" in caseload
    own = client.get("/protected-time/").get_data(as_text=True)
    assert "Meeting with a preceptee" in own and "20 November 2026" in own


def test_a_bad_entry_is_shown_next_to_its_field(world, as_user):
    form = {**date_fields("used_on", date(2026, 11, 20)), "hours": "30", "activity": "meeting"}
    response = as_user(world.preceptor).post("/protected-time/log", data=form)
    assert response.status_code == 400
    assert_error(response.get_data(as_text=True), "hours", "Hours must be more than 0 and no more than 24")


def test_the_lead_sees_every_preceptor_and_who_is_short_of_time(world, as_user):
    log_protected_time(world.other_preceptor, used_on=date(2026, 10, 1), hours=8, activity="training")
    client = as_user(world.lead)
    everyone = client.get("/protected-time/preceptors").get_data(as_text=True)
    assert world.preceptor.full_name in everyone and world.other_preceptor.full_name in everyone
    assert "1 of 2 preceptors short of time" in everyone
    short = client.get("/protected-time/preceptors?short=1").get_data(as_text=True)
    assert world.preceptor.full_name in short and world.other_preceptor.full_name not in short
    assert "7 hours" in short  # April to October over: 7 of 12 hours due, none used
    ledger = client.get(f"/protected-time/preceptors/{world.other_preceptor.id}").get_data(as_text=True)
    assert "Preceptor training or updates" in ledger and "Log protected time" not in ledger


@pytest.mark.parametrize(
    ("role", "path"),
    [("learner", "/protected-time/"), ("preceptor", "/protected-time/preceptors"), ("lead", "/protected-time/log")],
)
def test_each_page_is_for_its_role(world, as_user, role, path):
    assert as_user(getattr(world, role)).get(path).status_code == 403


def test_another_organisations_preceptor_is_not_found(world, as_user):
    assert as_user(world.foreign_lead).get(f"/protected-time/preceptors/{world.preceptor.id}").status_code == 404


def test_the_leads_home_counts_preceptors_short_of_time_and_links_to_them(world, as_user):
    log_protected_time(world.other_preceptor, used_on=date(2026, 10, 1), hours=8, activity="training")
    home = as_user(world.lead).get("/lead/home").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" id="count-short-of-time">\s*<span[^>]*data-count="(\d+)"', home)
    assert link and link.group(2) == "1"
    short = as_user(world.lead).get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert world.preceptor.full_name in short and world.other_preceptor.full_name not in short
