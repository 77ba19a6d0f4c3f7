"""A big import goes to the worker: the page shows its progress, then what the file would change, then the result."""

from __future__ import annotations

import json
import signal
import time
from datetime import date

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import BackgroundJob, Enrolment, Notification, ReportPageCache, User
from app.services import report_page
from reports.frames import Filters
from tests.importer.conftest import counts, csv_file, person, staff
from tests.jobs.conftest import job_path, run_worker, sign_in, upload, worker_process

ROWS = 1500


def starters(count: int) -> list[dict[str, str]]:
    """Three learners enrolled with the trust's preceptor (their caseload limit), then people only."""
    return [person(f"N{i:05d}") if i < 3 else staff(f"N{i:05d}", first_name="Zoë") for i in range(count)]


def big_file() -> bytes:
    return csv_file(starters(ROWS))


def test_the_worker_process_checks_then_imports_while_the_page_shows_progress(app, client, trust):
    """And between the jobs it works out again the report page a visitor found stale."""
    sign_in(client, trust.lead)
    _report_page_found_stale(trust.lead)
    before = counts()
    check = job_path(upload(client, big_file()))
    waiting = client.get(check)
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 200 and waiting.headers["Cache-Control"] == "no-store"
    assert "Checking starters.csv" in page and "Waiting for a worker to start it." in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert f'href="{check}">Refresh</a>' in page and "<progress" in page and "job-progress.js" in page
    assert counts() | {"background_jobs": 0, "audit_events": 0} == before | {"background_jobs": 0, "audit_events": 0}

    worker = worker_process(app)
    try:
        seen = _follow(client, check)
        checked = client.get(check).get_data(as_text=True)
        assert "Check what the file would change" in checked and "Nothing has been saved yet" in checked
        assert f"Import {ROWS:,} rows" in checked and "Zoë" in checked
        assert db.session.scalar(select(func.count()).select_from(User)) == before["users"]
        started = client.post(f"{check}/import")
        write = job_path(started)
        seen += _follow(client, write)
        _wait_for_report_page()
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert any(state["status"] == "running" and state["label"] for state in seen), seen
    done = client.get(write).get_data(as_text=True)
    assert "Import complete" in done and f"{ROWS:,} rows imported" in done
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == before["users"] + ROWS
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 3
    titles = db.session.scalars(select(Notification.title).where(Notification.user_id == trust.lead.id)).all()
    assert titles == ["Checking a file is finished", "An import is finished"]
    again = client.post(f"{check}/import")  # the file moved to the import: it cannot be imported twice
    assert again.status_code == 302 and again.headers["Location"].endswith("/import/")


def _report_page_found_stale(lead) -> None:
    """The lead's report page stored, then marked wanted as a visit that finds it stale marks it."""
    page = report_page.report_page(lead, date(2026, 9, 15), Filters())
    db.session.execute(update(ReportPageCache).values(changes_upto=-1, rebuild_requested_at=page.built_at))
    db.session.commit()


def _wait_for_report_page(seconds: float = 60) -> None:
    """Until the worker has stored the page again (its figures up to the newest change, and no longer wanted)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()
        row = db.session.execute(select(ReportPageCache.changes_upto, ReportPageCache.rebuild_requested_at)).one()
        if row.rebuild_requested_at is None:
            assert row.changes_upto >= 0
            return
        time.sleep(0.1)
    raise AssertionError("the worker did not work the report page out again")


def _follow(client, path: str, seconds: float = 240) -> list[dict]:
    """Poll the job's progress as its page's script does, until it ends; every state seen."""
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(f"{path}/progress.json").get_json()
        seen.append(state)
        if state["status"] not in ("queued", "running"):
            assert state["status"] == "done", state
            return seen
        time.sleep(0.05)
    raise AssertionError(f"the job did not end: {seen[-3:]}")


def test_a_file_with_problems_is_checked_in_the_background_and_nothing_is_imported(app, client, trust):
    sign_in(client, trust.lead)
    rows = starters(30) + [staff("N00001"), staff("N999", date_of_birth="31/02/2000")]
    check = job_path(upload(client, csv_file(rows)))
    before = counts()
    assert run_worker(app) == 1
    page = client.get(check).get_data(as_text=True)
    assert "Nothing was imported: 3 problems in starters.csv" in page
    assert "row 32: employee_number: N00001 is also on row 3" in page
    assert "row 33: date_of_birth: &#39;31/02/2000&#39; is not a real date" in page
    assert "Import 32 rows" not in page
    assert counts() | {"notifications": 0} == before | {"notifications": 0}


def test_the_import_is_checked_again_when_it_runs_and_refused_whole(app, client, trust):
    """Someone took one of the file's email addresses after the check: the job fails, saying why; nothing is written."""
    sign_in(client, trust.lead)
    check = job_path(upload(client, csv_file(starters(30))))
    run_worker(app)
    write = job_path(client.post(f"{check}/import"))
    trust.preceptor.email = "n00017@nhs.net"
    db.session.commit()
    before = counts()
    run_worker(app)
    page = client.get(write).get_data(as_text=True)
    assert "The import did not finish" in page
    assert "Nothing was imported: the file has 1 problems now. row 19: email: n00017@nhs.net is already used" in page
    assert counts()["users"] == before["users"] and counts()["enrolments"] == before["enrolments"]
    job = db.session.get(BackgroundJob, int(write.rsplit("/", 1)[1]))
    assert job.status == "failed" and job.input_data is None


def test_an_import_that_breaks_half_way_through_its_write_leaves_no_rows(app, client, trust, monkeypatch):
    sign_in(client, trust.lead)
    check = job_path(upload(client, csv_file(starters(30))))
    run_worker(app)
    write = job_path(client.post(f"{check}/import"))
    before = counts()

    def broken(actor, items):  # the people are written and flushed by now; the enrolments fail
        assert db.session.scalar(select(func.count()).select_from(User)) == before["users"] + 30
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.services.importer.add_enrolments", broken)
    run_worker(app)
    page = client.get(write).get_data(as_text=True)
    assert "The import did not finish" in page and "Something went wrong and nothing was saved (OSError)" in page
    after = counts()
    assert {name: after[name] for name in ("users", "enrolments", "cohorts", "audit_events")} == {
        name: before[name] for name in ("users", "enrolments", "cohorts", "audit_events")
    }
    job = db.session.get(BackgroundJob, int(write.rsplit("/", 1)[1]))
    assert job.status == "failed" and json.loads(job.params)["checked_by_job"] == int(check.rsplit("/", 1)[1])
