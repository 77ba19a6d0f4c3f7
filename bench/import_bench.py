"""Time the learner import of a generated 10,000-row file on a fresh database and print the figures.

.venv/bin/python -m bench.import_bench [--rows 10000] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import Enrolment, Organisation, Site, User
from app.services import importer
from app.services.import_file import COLUMNS
from bench.databases import throwaway_postgres

HEADER = list(COLUMNS)
FIRST = ["Amara", "Tom", "Siobhan", "Zoë", "Nguyễn", "Liam", "Priya", "Kwame", "Ewa", "Seán"]
LAST = ["O'Neill", "Okafor", "Smith-Jones", "Nguyễn", "Kowalski", "Patel", "Hughes", "Murphy"]


def generate(rows: int) -> bytes:
    """One preceptor for every three learners (the preceptorship caseload), new cohorts, mixed date formats."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    preceptors = max(1, -(-rows // 4))  # rounded up, so no preceptor has more than three learners
    for i in range(rows):
        first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
        number = f"B{i:06d}"
        email = f"bench.{i}@bench.nhs.net"
        if i < preceptors:
            writer.writerow(
                [number, first, last, email, "preceptor", "Main Hospital", "adult_nursing", "6", "", "", "", ""]
            )
            continue
        start = date(2026, 9, 1) + timedelta(days=7 * (i % 8))
        start_text = start.isoformat() if i % 2 else start.strftime("%d/%m/%Y")
        preceptor = f"B{(i - preceptors) % preceptors:06d}"
        writer.writerow(
            [
                number,
                first,
                last,
                email,
                "learner",
                "Main Hospital",
                "adult_nursing",
                "5",
                "preceptorship",
                f"Bench intake {i % 8}",
                start_text,
                preceptor,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


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
    parser.add_argument("--rows", type=int, default=10_000)
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
            db.session.commit()
            data = generate(args.rows)
            print(f"file: {args.rows} rows, {len(data) / 1e6:.1f} MB, database {sa.make_url(url).get_backend_name()}")
            for dry_run in (True, False):
                started = time.perf_counter()
                plan = importer.run(None, organisation, data, dry_run=dry_run)
                elapsed = time.perf_counter() - started
                assert not plan.problems, plan.problems[:5]
                label = "dry run (parse + check)" if dry_run else "import (check + write)"
                print(f"{label}: {elapsed:.1f} s  {plan.summary()}")
            people = db.session.scalar(
                sa.select(sa.func.count()).select_from(User).where(User.organisation_id == organisation.id)
            )
            enrolments = db.session.scalar(
                sa.select(sa.func.count()).select_from(Enrolment).where(Enrolment.organisation_id == organisation.id)
            )
            print(f"in the database: {people} people, {enrolments} enrolments")
            started = time.perf_counter()
            plan = importer.run(None, organisation, data)
            print(f"re-import of the same file: {time.perf_counter() - started:.1f} s  {plan.summary()}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
