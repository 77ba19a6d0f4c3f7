"""The report page reads at a glance: a summary first, breakdowns in tabs, charts with words and numbers, drawn once."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.services import audit, report_page
from reports import charts
from tests.reports.test_page import sign_in

URL = "/reports/cohorts?as_of=2026-09-15"


@pytest.fixture
def drawn(monkeypatch):
    """The names of the charts drawn, in order; the cache starts empty."""
    report_page.forget_all()
    names: list[str] = []
    for name, draw in list(charts.DRAW.items()):
        monkeypatch.setitem(charts.DRAW, name, lambda table, n=name, d=draw: names.append(n) or d(table))
    return names


def test_a_summary_row_per_programme_comes_before_the_breakdowns(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get(URL).get_data(as_text=True)
    summary = page.split('<h2 id="summary">')[1].split("</table>")[0]
    assert page.index('<h2 id="summary">') < page.index('class="nhsuk-tabs"')
    row = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", summary.split("</thead>")[1]))
    # the hand-worked cohort (test_cohort_report.SEPTEMBER): G and H active, 3 of 4 on time, 5 reviews overdue
    assert "Preceptorship Enrolled 8 Active 2 Completed on time 3 of 4 completed Overdue reviews 5" in row


def test_breakdowns_are_tabs_with_a_table_per_programme(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get(URL).get_data(as_text=True)
    tabs = re.findall(r'<a class="nhsuk-tabs__tab" href="#(\w+)">([^<]+)</a>', page)
    assert tabs == [("cohort", "Cohorts"), ("site", "By site"), ("profession", "By profession"), ("stage", "By stage")]
    stage_tab = page.split('id="stage">')[1].split('class="nhsuk-tabs__panel')[0]
    assert '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Preceptorship</caption>' in stage_tab


def test_each_chart_has_words_and_its_numbers_and_names_programmes_by_title(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get(URL).get_data(as_text=True)
    sections = page.split('<section class="waymark-chart"')[1:]
    assert len(sections) == 3
    for section in sections:
        assert "The numbers in this chart" in section and "<table" in section
    assert "Preceptorship: 12 months after starting" in sections[1]
    curve = base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', sections[1]).group(1)).decode()
    assert ">Preceptorship<" in curve and "preceptorship" not in curve


def test_the_page_is_built_once_until_the_data_changes(scenario, client, drawn, time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 14, 5, tzinfo=UTC), tick=False)
    sign_in(client, scenario.lead)
    client.get(URL)
    assert len(drawn) == 3
    client.get(URL)
    sign_in(client, scenario.lead)  # signing in changes nothing the report counts
    client.get(URL)
    assert len(drawn) == 3
    client.get("/reports/cohorts?as_of=2026-09-16")
    assert len(drawn) == 6
    time_machine.move_to(datetime(2026, 12, 2, 14, 25, tzinfo=UTC), tick=False)
    client.get(URL)  # 20 minutes later, nothing has changed: the figures stand
    assert len(drawn) == 6
    audit.record(scenario.lead, "hours.logged", None)
    db.session.commit()
    client.get(URL)  # the copy shown, and the page marked for the job worker to work out again
    assert len(drawn) == 6
    assert report_page.rebuild_wanted() == 1 and len(drawn) == 9
