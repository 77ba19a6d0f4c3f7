"""Time the learner import of a generated file on a fresh database, as the page runs it, and print the figures.

.venv/bin/python -m bench.import_bench [--rows 100000] [--enrol 6000] [--database-url postgresql+psycopg://...]

The file is under the page's 5 MB limit at 100,000 rows: ``--enrol`` learners are enrolled (with a
preceptor for every three), the other rows add people only, and empty trailing cells are left off as
a spreadsheet's CSV export does. Files over IMPORT_BACKGROUND_ROWS are checked and imported by the job
worker (``flask jobs work``): the bench queues both jobs as the page does, runs the worker's loop in
this process, and times each job from queued to done; then the command line's dry run, and a second
import of the same file (which changes nothing).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.jobs.worker import work
from app.models import BackgroundJob, Enrolment, Organisation, Site, User
from app.services import accounts, importer, job_work
from bench.databases import throwaway_postgres

HEADER = [
    "employee_number", "first_name", "last_name", "email", "pathway", "cohort", "start_date",
    "preceptor_employee_number", "profession", "role", "band", "registration_date", "preceptor_trained_on",
]  # fmt: skip
FIRST = ["Amara", "Tom", "Siobhan", "Zoë", "Nguyễn", "Liam", "Priya", "Kwame", "Ewa", "Seán"]
LAST = ["O'Neill", "Okafor", "Smith-Jones", "Nguyễn", "Kowalski", "Patel", "Hughes", "Murphy"]
LIMIT = 5_000_000  # the upload page's


def generate(rows: int, enrol: int) -> bytes:
    """Preceptors (one for every three learners), learners enrolled in eight new cohorts (both date styles),
    then people only; names such as O'Neill, Zoë and Nguyễn."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    preceptors = -(-enrol // 3)
    for i in range(rows):
        person = [f"B{i:06d}", FIRST[i % len(FIRST)], LAST[i % len(LAST)], f"b{i}@bench.nhs.uk"]
        if i < preceptors:
            writer.writerow([*person, "", "", "", "", "adult_nursing", "preceptor", "6", "2019-09-01", "2021-03-01"])
        elif i < preceptors + enrol:
            start = date(2026, 9, 1) + timedelta(days=7 * (i % 8))
            start_text = start.isoformat() if i % 2 else start.strftime("%d/%m/%Y")
            writer.writerow([*person, "preceptorship", f"Intake {i % 8}", start_text, f"B{i % preceptors:06d}",
                              "adult_nursing"])  # fmt: skip
        else:
            writer.writerow(person)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def run_job(app: Flask, job: BackgroundJob) -> tuple[str, BackgroundJob]:
    """Run the worker's loop until the queue is empty; the job as it ended and its time from queued to done
    (wall and this process's CPU: on a shared machine the wall time is mostly waiting for a core)."""
    job_id = job.id
    db.session.commit()
    started, cpu = time.perf_counter(), time.process_time()
    work(app, once=True)
    elapsed = f"{time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
    ended = db.session.get_one(BackgroundJob, job_id, populate_existing=True)
    assert ended.status == "done", ended.error
    return elapsed, ended


@contextmanager
def database(server_url: str, tmp: str) -> Iterator[str]:
    """A throw-away database: SQLite in a temporary folder, or a randomly named one on the server, dropped after."""
    if not server_url:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    with throwaway_postgres(server_url, "waymark_bench") as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--enrol", type=int, default=6_000, help="how many of the rows enrol a learner")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server; the bench uses its own database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, tmp) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context():
            upgrade()
            organisation = Organisation(slug="bench", name="Bench Hospitals NHS Trust")
            db.session.add(organisation)
            db.session.flush()
            db.session.add(Site(organisation_id=organisation.id, name="Main Hospital"))
            lead = accounts.create_user(organisation, email="lead@bench.nhs.uk", first_name="Lena", last_name="Lead",
                                        employee_number="LEAD1", role="lead")  # fmt: skip
            db.session.commit()
            data = generate(args.rows, args.enrol)
            backend = sa.make_url(url).get_backend_name()
            print(f"file: {args.rows:,} rows ({args.enrol:,} enrolled), {len(data) / 1e6:.2f} MB, database {backend}")
            assert len(data) <= LIMIT, f"the file is over the upload page's {LIMIT:,}-byte limit"
            elapsed, check = run_job(app, job_work.start_check(lead, "bench.csv", data))
            print(f"check job (parse + check every row, the preview): {elapsed}")
            assert not json.loads(check.result)["problem_count"], json.loads(check.result)["problems"][:5]
            elapsed, done = run_job(app, job_work.start_import(lead, check.id))
            print(f"import job (check again + write, one transaction): {elapsed}  {json.loads(done.result)['summary']}")
            count = lambda model: db.session.scalar(  # noqa: E731
                sa.select(sa.func.count()).select_from(model).where(model.organisation_id == organisation.id)
            )
            print(f"in the database: {count(User):,} people, {count(Enrolment):,} enrolments")
            for label, dry_run in (("command line dry run", True), ("re-import of the same file", False)):
                started, cpu = time.perf_counter(), time.process_time()
                plan = importer.run(None, organisation, data, dry_run=dry_run)
                assert not plan.problems, plan.problems[:5]
                took = f"{time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
                print(f"{label}: {took}  {plan.summary()}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
