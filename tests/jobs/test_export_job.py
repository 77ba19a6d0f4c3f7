"""A big report download is prepared by the worker; its page links to the file, served to its requester only."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, BackgroundJob, Notification
from tests.jobs.conftest import job_path, run_worker, sign_in


def test_a_big_download_is_prepared_in_the_background_then_downloaded(app, client, world):
    sign_in(client, world.lead)
    export = job_path(client.get("/reports/cohorts/download.csv?pathway=preceptorship"))
    waiting = client.get(export).get_data(as_text=True)
    assert "Preparing your report" in waiting and "Cohort completion report" in waiting
    assert run_worker(app) == 1
    ready = client.get(export).get_data(as_text=True)
    assert "Your report is ready" in ready and "Only you can download this file" in ready
    assert f'href="{export}/download"' in ready
    download = client.get(f"{export}/download")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert download.headers["Content-Disposition"].startswith('attachment; filename="cohort-report-')
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert [(row["pathway"], row["cohort"], row["enrolled"]) for row in rows] == [
        ("preceptorship", "Preceptorship September 2026", "1")
    ]
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.exported")).all()
    assert len(exported) == 1 and '"format": "csv"' in exported[0].detail
    notice = db.session.scalars(select(Notification).where(Notification.user_id == world.lead.id)).one()
    assert notice.title == "A report is finished" and notice.link == export


def test_a_filter_naming_nothing_is_refused_before_any_job_is_queued(app, client, world):
    sign_in(client, world.lead)
    response = client.get("/reports/cohorts/download.xlsx?cohort=No+such+cohort")
    assert response.status_code == 400
    assert db.session.scalars(select(BackgroundJob)).all() == []


def test_json_stays_in_the_request(app, client, world):
    sign_in(client, world.lead)
    response = client.get("/reports/cohorts/download.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
