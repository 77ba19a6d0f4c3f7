"""Time the JSON API at trust scale (2,500 enrolments from bench.generate) and print the figures.

.venv/bin/python -m bench.api_bench [--enrolments 2500] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Enrolment, Organisation, User
from app.services import tokens
from bench.generate import generate
from bench.import_bench import database


def timed(client, url: str, headers: dict[str, str], repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds over ``repeat`` requests, and the status code."""
    times, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        status = client.get(url, headers=headers).status_code
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enrolments", type=int, default=2500)
    parser.add_argument("--database-url", default="", help="a PostgreSQL server; the bench uses its own database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.database_url, tmp) as url:
        started = time.perf_counter()
        generate(url, enrolments=args.enrolments)
        print(f"generated {args.enrolments} enrolments in {time.perf_counter() - started:.1f} s")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        with app.app_context():
            organisation = db.session.scalar(select(Organisation).where(Organisation.slug == "bench-1-1"))
            lead = db.session.scalar(
                select(User).where(User.organisation_id == organisation.id, User.role == "lead").limit(1)
            )
            enrolment_id = db.session.scalar(
                select(Enrolment.id).where(Enrolment.organisation_id == organisation.id).limit(1)
            )
            headers = {"Authorization": f"Bearer {tokens.issue(lead)}"}
            client = app.test_client()
            for url_path in (
                "/api/v1/enrolments?per_page=100",
                "/api/v1/enrolments?per_page=100&page=20",
                "/api/v1/enrolments?per_page=100&status=active&pathway=preceptorship",
                f"/api/v1/enrolments/{enrolment_id}",
                f"/api/v1/enrolments/{enrolment_id}/hours?per_page=100",
                "/api/v1/cohorts?per_page=100",
            ):
                median, status = timed(client, url_path, headers)
                print(f"GET {url_path}: {median:.0f} ms (median of 5, status {status})")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
