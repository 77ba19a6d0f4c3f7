"""A job whose worker died is run again once its lease runs out, then failed; only its requester sees it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import BackgroundJob, User
from app.services import jobs
from tests.factories import LeadFactory, LearnerFactory
from tests.importer.conftest import csv_file, staff
from tests.jobs.conftest import job_path, run_worker, sign_in, upload


def queued_import(client, trust) -> str:
    sign_in(client, trust.lead)
    check = job_path(upload(client, csv_file([staff(f"N{i:03d}") for i in range(25)])))
    run_worker(app=client.application)
    return job_path(client.post(f"{check}/import"))


def _job(path: str) -> BackgroundJob:
    db.session.rollback()
    return db.session.get_one(BackgroundJob, int(path.rsplit("/", 1)[1]))


def test_a_job_whose_worker_died_runs_again_when_its_lease_runs_out(app, client, trust):
    write = queued_import(client, trust)
    lease = timedelta(seconds=app.config["JOBS_LEASE_SECONDS"])
    died_at = datetime.now(UTC) - lease - timedelta(minutes=1)
    assert jobs.claim("dead-worker", now=died_at).id == _job(write).id  # it took the job, then died
    running = client.get(write).get_data(as_text=True)
    assert "Importing starters.csv" in running and "Waiting for a worker" not in running
    assert run_worker(app) == 1  # the lease ran out a minute ago: the next worker takes it
    job = _job(write)
    assert job.status == "done" and job.attempts == 2 and job.claimed_by == ""
    assert "25 rows imported" in client.get(write).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_number.like("N%"))) == 25


def test_a_job_under_a_live_lease_is_left_to_its_worker(app, client, trust):
    write = queued_import(client, trust)
    assert jobs.claim("slow-worker").id == _job(write).id
    assert run_worker(app) == 0
    assert _job(write).status == "running" and _job(write).claimed_by == "slow-worker"


def test_a_job_whose_workers_keep_dying_is_failed_saying_why(app, client, trust):
    write = queued_import(client, trust)
    long_ago = datetime.now(UTC) - timedelta(days=1)
    for attempt in range(app.config["JOBS_MAX_ATTEMPTS"]):
        assert jobs.claim(f"dead-worker-{attempt}", now=long_ago + timedelta(hours=attempt)) is not None
    assert run_worker(app) == 0
    job = _job(write)
    assert job.status == "failed" and job.input_data is None
    page = client.get(write).get_data(as_text=True)
    assert "The import did not finish" in page
    assert "The worker running this stopped 2 times before it finished. Nothing was saved." in page
    assert db.session.scalar(select(func.count()).select_from(User).where(User.employee_number.like("N%"))) == 0


def test_a_worker_that_lost_its_lease_saves_nothing(app, client, trust):
    """A slow worker's lease ran out and another took the job: the slow one's work is rolled back."""
    write = queued_import(client, trust)
    job = jobs.claim("slow-worker")
    db.session.execute(BackgroundJob.__table__.update().values(claimed_by="other-worker"))
    db.session.commit()
    with pytest.raises(jobs.LeaseLost):
        jobs.report(job.id, "slow-worker", "Checking rows", 1, 25)
    assert _job(write).claimed_by == "other-worker"


@pytest.mark.parametrize("who", ["another lead", "a lead of another trust", "a learner"])
def test_no_one_else_can_see_a_job_or_its_download(app, client, trust, who):
    sign_in(client, trust.lead)
    export = job_path(client.get("/reports/cohorts/download.csv"))
    run_worker(app)
    assert client.get(f"{export}/download").status_code == 200
    client.post("/logout")
    other = {
        "another lead": lambda: LeadFactory(organisation=trust.organisation),
        "a lead of another trust": lambda: LeadFactory(organisation=trust.foreign_preceptor.organisation),
        "a learner": lambda: LearnerFactory(organisation=trust.organisation),
    }[who]()
    sign_in(client, other)
    for path in (export, f"{export}/progress.json", f"{export}/download"):
        assert client.get(path).status_code == 404, path
    # Importing is a lead's command: a learner is refused for their role, a lead does not find the job.
    assert client.post(f"{export}/import").status_code == (403 if who == "a learner" else 404)
