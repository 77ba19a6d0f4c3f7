"""The cohort completion report through the API: JSON or CSV, the CLI's filters, leads only, audited."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent

URL = "/api/v1/reports/cohort"


def test_a_lead_reads_the_report_as_json_for_their_own_organisation(client, world, auth):
    body = client.get(URL, headers=auth(world.lead)).json
    rows = body["cohort"]
    assert {row["organisation"] for row in rows} == {world.lead.organisation.slug}
    cohort_row = next(row for row in rows if row["cohort"] == "Preceptorship September 2026")
    assert (cohort_row["pathway"], cohort_row["enrolled"], cohort_row["active"]) == ("preceptorship", 1, 1)
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.exported"))
    assert exported.actor_id == world.lead.id and '"format": "json"' in exported.detail


def test_csv_has_the_contract_s_columns_and_honours_the_filters(client, world, auth):
    def rows(query: str) -> tuple[list[str], list[dict]]:
        response = client.get(f"{URL}?format=csv&{query}", headers=auth(world.lead))
        assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
        reader = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
        return reader.fieldnames, list(reader)

    columns, found = rows("pathway=preceptorship&as_of=2026-11-25")
    assert columns[:5] == ["organisation", "pathway", "pathway_version", "cohort", "cohort_start"]
    assert [(row["cohort"], row["cohort_start"], row["enrolled"]) for row in found] == [
        ("Preceptorship September 2026", "2026-09-01", "1")
    ]
    columns, found = rows("pathway=wecare-support-worker")  # nothing matches: the columns, no rows, no error
    assert columns[0] == "organisation" and found == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("format=xlsx", "format"),
        ("as_of=25/11/2026", "as_of"),
        ("org=x", "org"),
        ("pathway=astronaut", "pathway"),
        ("cohort=Nobody%27s%20intake", "cohort"),
        ("site=Mars%20Base", "site"),
    ],
)
def test_bad_parameters_are_422(client, world, auth, query, field):
    response = client.get(f"{URL}?{query}", headers=auth(world.lead))
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize("who", ["preceptor", "learner"])
def test_only_leads_read_reports(client, world, auth, who):
    response = client.get(URL, headers=auth(getattr(world, who)))
    assert response.status_code == 403
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "report.exported")) is None
