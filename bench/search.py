"""How fast people search answers in one national-scale organisation.

    python -m bench.search [--database-url URL] [--people 560000] [--requests 100]

Writes one organisation of ``--people`` people (default 560,000: the 200,000 enrolments of national
scale at 2.8 people each, all in one organisation, the hardest case for search) with names drawn from
``bench.vocabulary`` plus accented ones, into a fresh SQLite file or a new database on the given
PostgreSQL server (dropped afterwards), then requests ``/search/?q=...`` as a programme lead
through the whole Flask stack, and ``/api/v1/search``, for narrow and broad queries. Prints p50, p95
and max in milliseconds against the 100 ms target, with the statements per request.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import User
from bench.databases import throwaway_postgres
from bench.page_measures import query_count, signed_in, timings
from bench.pages import db_name
from bench.vocabulary import FIRST, LAST
from bench.write import TableWriter

TARGET_MS = 100
ACCENTED = [("Zoë", "Brontë"), ("Anaïs", "Lefèvre"), ("Nguyễn", "Thị"), ("Siobhán", "Ó Súilleabháin")]
QUERIES = ["zoe bron", "Zoë Brontë", "lefevre", "E0271828", "amira.patel", "patel", "o'brien grace", "jo", "zz"]


def fill(database_url: str, people: int, seed: int = 1) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        writer = TableWriter(db.engine)
        writer.write("organisations", ["id", "slug", "name"], [(1, "national", "National Learning Network")],
                     created_at=writer.now)  # fmt: skip
        rng = random.Random(seed)
        rows = []
        for n in range(1, people + 1):
            first, last = rng.choice(ACCENTED) if n % 1000 == 0 else (rng.choice(FIRST), rng.choice(LAST))
            email = f"{first}.{last}.{n}@nhs.example".lower().replace("'", "").replace(" ", "")
            role = "lead" if n == 1 else ("preceptor" if n % 4 == 0 else "learner")
            rows.append((n, 1, email, first, last, role, f"E{n:07d}", "adult_nursing", "5"))
        columns = ["id", "organisation_id", "email", "first_name", "last_name", "role", "employee_number",
                   "profession", "band"]  # fmt: skip
        writer.write("users", columns, rows, created_at=writer.now, is_enabled=True, session_version=1,
                     age_band_at_start="")  # fmt: skip
        writer.finish()
        db.engine.dispose()


def run(database_url: str, people: int, requests: int) -> None:
    started = time.perf_counter()
    fill(database_url, people)
    print(f"wrote {people:,} people in one organisation in {time.perf_counter() - started:.1f} s")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        lead = db.session.scalar(select(User).where(User.role == "lead").limit(1))
        identity = lead.get_id()
    client = signed_in(app, identity)
    print(f"database: {db_name(database_url)}\n")
    print(f"{'query':<18}{'found':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}")
    for text in QUERIES:
        url = f"/search/?q={text}"
        times, _ = timings(client, url, requests)  # each request's milliseconds; the CPU is not shown here
        p95 = statistics.quantiles(times, n=20)[18]
        found = client.get(url).get_data(as_text=True).count('class="waymark-result"')
        verdict = "ok" if p95 < TARGET_MS else f"OVER {TARGET_MS} ms"
        print(f"{text:<18}{found:>7}{statistics.median(times):>9.1f}{p95:>9.1f}{max(times):>9.1f}"
              f"{query_count(app, client, url):>9}   {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL server URL (a new database is made and dropped)")
    parser.add_argument("--people", type=int, default=560_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with ExitStack() as stack:
        if args.database_url:
            url = stack.enter_context(throwaway_postgres(args.database_url, "bench_search"))
        else:
            url = f"sqlite:///{Path(stack.enter_context(tempfile.TemporaryDirectory())) / 'bench-search.db'}"
        run(url, args.people, args.requests)


if __name__ == "__main__":
    main()
