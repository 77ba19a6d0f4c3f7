"""The lead's report page: tables, charts, filters, and downloads behind a fresh sign-in."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent
from tests.factories import PASSWORD, LearnerFactory
from tests.web.conftest import assert_error


def sign_in(client, user) -> None:
    client.post("/login", data={"email": user.email, "password": PASSWORD})


def test_the_lead_sees_tables_charts_and_download_buttons(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get("/reports/cohorts?as_of=2026-09-15").get_data(as_text=True)
    assert "As of 15 September 2026" in page
    assert "September 2025" in page and "Started 1 September 2025" in page
    assert "3 (75%)" in page and "of 185</td>" in page  # on time (of completed) and hours target of the cohort
    assert page.count('src="data:image/svg+xml;base64,') == 3
    assert "Download Excel (XLSX)" in page and "/reports/cohorts/download.csv?as_of=2026-09-15" in page


def test_filters_narrow_the_page(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get("/reports/cohorts?site=North&as_of=2026-09-15").get_data(as_text=True)
    assert "South" not in page.split("By profession")[0].split("By site")[1]


def test_a_bad_date_is_explained(scenario, client):
    sign_in(client, scenario.lead)
    response = client.get("/reports/cohorts?as_of=15/09/2026")
    assert response.status_code == 422
    assert "Enter the as-of date as YYYY-MM-DD" in response.get_data(as_text=True)


def test_the_date_input_chooses_the_as_of_date_and_the_downloads_follow_it(scenario, client):
    sign_in(client, scenario.lead)
    page = client.get("/reports/cohorts?as_of[day]=15&as_of[month]=9&as_of[year]=2026&site=North").get_data(
        as_text=True
    )
    assert "As of 15 September 2026" in page
    assert 'name="as_of[day]" type="text" value="15"' in page and 'name="as_of[month]" type="text" value="9"' in page
    assert "/reports/cohorts/download.csv?site=North&amp;as_of=2026-09-15" in page


def test_an_impossible_date_in_the_date_input_is_explained(scenario, client):
    sign_in(client, scenario.lead)
    response = client.get("/reports/cohorts?as_of[day]=31&as_of[month]=2&as_of[year]=2026")
    assert response.status_code == 422
    assert_error(response.get_data(as_text=True), "as_of", "Enter a real as-of date, like 24 11 2026")


def test_download_needs_a_fresh_sign_in(scenario, client):
    sign_in(client, scenario.lead)
    with client.session_transaction() as session:
        session["fresh_at"] = 0
    response = client.get("/reports/cohorts/download.csv?as_of=2026-09-15")
    assert response.status_code == 302 and "/reauthenticate" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "report.exported")) == 0  # fmt: skip


def test_a_fresh_download_is_a_file_and_is_audited(scenario, client):
    sign_in(client, scenario.lead)
    response = client.get("/reports/cohorts/download.xlsx?as_of=2026-09-15&site=North")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="cohort-report-trust-a-2026-09-15.xlsx"'
    assert response.data[:2] == b"PK"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.exported")).one()
    assert event.actor_id == scenario.lead.id
    assert json.loads(event.detail)["filters"] == {"organisation": "trust-a", "site": "North"}


def test_an_unknown_format_is_refused(scenario, client):
    sign_in(client, scenario.lead)
    assert client.get("/reports/cohorts/download.pdf").status_code == 400


def test_a_learner_is_refused(scenario, client):
    learner = LearnerFactory(organisation=scenario.lead.organisation)
    sign_in(client, learner)
    assert client.get("/reports/cohorts").status_code == 403
    assert client.get("/reports/cohorts/download.csv").status_code == 403


def test_the_lead_home_page_links_to_the_report(scenario, client):
    sign_in(client, scenario.lead)
    assert 'href="/reports/cohorts"' in client.get("/", follow_redirects=True).get_data(as_text=True)
