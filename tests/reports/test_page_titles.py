"""The report page names programmes and stages by their titles; the downloads keep the keys."""

from __future__ import annotations

from tests.reports.test_page import sign_in


def test_programmes_and_stages_by_title(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get("/reports/cohorts?as_of=2026-09-15").get_data(as_text=True)
    tables = page.split('<div class="nhsuk-tabs"')[1].split('<h2 id="charts">')[0]
    assert ">Preceptorship<" in tables and "In preceptorship" in tables
    assert ">preceptorship<" not in tables and ">in_preceptorship<" not in tables
    assert '<option value="preceptorship" >Preceptorship</option>' in page
    csv = client.get("/reports/cohorts/download.csv?as_of=2026-09-15").get_data(as_text=True)
    assert ",preceptorship," in csv
