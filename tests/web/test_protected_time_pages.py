"""Protected time pages: the preceptor's card and log, the lead's list and who is short of time."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from app.services import attention_lists
from app.services.protected_time import log_protected_time
from tests.factories import PreceptorFactory, SiteFactory
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


def _three_short(world):
    """Adams (1 hour used, at North) and Zed (3 hours, at South) besides the world's preceptor (none used)."""
    log_protected_time(world.other_preceptor, used_on=date(2026, 10, 1), hours=8, activity="training")  # not short
    organisation = world.lead.organisation
    north, south = (
        SiteFactory(organisation=organisation, name="North"),
        SiteFactory(organisation=organisation, name="South"),
    )
    adams = PreceptorFactory(organisation=organisation, first_name="=1+2", last_name="Adams", site=north)
    zed = PreceptorFactory(organisation=organisation, first_name="Zara", last_name="Zed", site=south)
    log_protected_time(adams, used_on=date(2026, 10, 1), hours=1, activity="training")
    log_protected_time(zed, used_on=date(2026, 10, 1), hours=3, activity="training")
    return adams, zed, north


def _order(html: str, *names: str) -> list[str]:
    return sorted(names, key=html.index)


def test_the_short_of_time_list_sorts_both_ways(world, as_user):
    adams, zed, _ = _three_short(world)
    client = as_user(world.lead)
    names = (world.preceptor.full_name, adams.full_name, zed.full_name)
    fewest_used = client.get("/lead/preceptors/short-of-time?sort=used").get_data(as_text=True)
    most_used = client.get("/lead/preceptors/short-of-time?sort=used&order=desc").get_data(as_text=True)
    most_left = client.get("/lead/preceptors/short-of-time?sort=left&order=desc").get_data(as_text=True)
    by_name = client.get("/lead/preceptors/short-of-time").get_data(as_text=True)
    by_name_back = client.get("/lead/preceptors/short-of-time?sort=name&order=desc").get_data(as_text=True)
    assert _order(fewest_used, *names) == list(names)
    assert _order(most_used, *names) == list(reversed(names)) and 'aria-sort="descending"' in most_used
    assert _order(most_left, *names) == list(names)
    assert _order(by_name, adams.full_name, zed.full_name) == [adams.full_name, zed.full_name]
    assert _order(by_name_back, adams.full_name, zed.full_name) == [zed.full_name, adams.full_name]
    by_site = client.get("/lead/preceptors/short-of-time?sort=site&order=desc").get_data(as_text=True)
    assert _order(by_site, adams.full_name, zed.full_name) == [zed.full_name, adams.full_name]


def test_the_short_of_time_list_filters_by_site_and_pages(world, as_user, monkeypatch):
    adams, zed, north = _three_short(world)
    client = as_user(world.lead)
    at_north = client.get(f"/lead/preceptors/short-of-time?site={north.id}").get_data(as_text=True)
    assert adams.full_name in at_north and zed.full_name not in at_north
    assert world.preceptor.full_name not in at_north and "(1)" in at_north
    monkeypatch.setattr(attention_lists, "PER_PAGE", 2)
    first = client.get("/lead/preceptors/short-of-time?sort=used").get_data(as_text=True)
    second = client.get("/lead/preceptors/short-of-time?sort=used&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in first and first.count('class="nhsuk-table__row"') == 2 and zed.full_name not in first
    assert second.count('class="nhsuk-table__row"') == 1 and zed.full_name in second
    assert client.get("/lead/preceptors/short-of-time?page=99").status_code == 200


def test_the_short_of_time_list_downloads_as_formula_safe_csv(world, as_user):
    adams, zed, north = _three_short(world)
    response = as_user(world.lead).get("/lead/preceptors/short-of-time.csv?sort=used&order=desc")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Preceptor", "Employee number", "Site", "For the year", "Used", "Left", "Short by"]
    assert [(row[0], row[2], row[4]) for row in rows[1:]] == [
        ("Zara Zed", "South", "3.0"), ("'=1+2 Adams", "North", "1.0"), (world.preceptor.full_name, "", "0.0"),
    ]  # fmt: skip
    at_north = as_user(world.lead).get(f"/lead/preceptors/short-of-time.csv?site={north.id}").get_data(as_text=True)
    assert len(list(csv.reader(io.StringIO(at_north.lstrip("\ufeff"))))) == 2


def test_the_short_of_time_csv_asks_for_the_password_again_after_a_while(world, as_user):
    client = as_user(world.lead)
    with client.session_transaction() as session:
        session["fresh_at"] = 0
    response = client.get("/lead/preceptors/short-of-time.csv?sort=used")
    assert response.status_code == 302 and "/reauthenticate" in response.headers["Location"]
