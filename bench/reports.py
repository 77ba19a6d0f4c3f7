"""Time the cohort completion report against an in-database lower bound measured in the same run.

    python -m bench.reports [--database-url URL] [--as-of YYYY-MM-DD] [--org SLUG] [--rounds 3]

The lower bound is one SQL query per measure, each doing that measure's aggregation inside the
database (PostgreSQL): the time the database needs to touch the same rows. The report must stay
within 3× of it. The comparison is fair: both are run once to warm the caches (not timed), then
timed alternately, bound then report, ``--rounds`` times, the median of each kept; the bound's
queries run at once on as many connections as the report's reads took (counted as it runs; 5 on
PostgreSQL at scale, fewer when its reads are so quick that the pool hands one connection on).
Also prints peak memory and the report page's response time for one organisation.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, event, select, text

from app import create_app
from app.extensions import db
from app.models import Organisation, User
from app.services.catalogue import stored_definitions
from bench.generate import PASSWORD
from config import Config
from reports.frames import Filters
from reports.report import cohort_report

LOWER_BOUND = {
    "states": """
        WITH last AS (SELECT DISTINCT ON (t.enrolment_id) t.enrolment_id, t.to_state FROM transition_events t
                      WHERE t.effective_on <= :as_of ORDER BY t.enrolment_id, t.effective_on DESC, t.id DESC)
        SELECT e.cohort_id, e.pathway_version_id, count(*), count(*) FILTER (WHERE l.to_state = 'active'),
               count(*) FILTER (WHERE l.to_state = 'on_hold'), count(*) FILTER (WHERE l.to_state = 'completed'),
               count(*) FILTER (WHERE l.to_state = 'withdrawn')
        FROM enrolments e JOIN last l ON l.enrolment_id = e.id GROUP BY 1, 2""",
    "on_time_and_median": """
        WITH holds AS (
               SELECT enrolment_id, sum(coalesce(resumed, :as_of) - effective_on) AS days FROM (
                 SELECT enrolment_id, action, effective_on,
                        lead(effective_on) OVER (PARTITION BY enrolment_id ORDER BY effective_on, id) AS resumed
                 FROM transition_events WHERE action IN ('hold', 'resume') AND effective_on <= :as_of) h
               WHERE action = 'hold' GROUP BY 1),
             ext AS (SELECT enrolment_id, max(new_end) AS new_end FROM transition_events
                     WHERE action = 'extend' AND effective_on <= :as_of GROUP BY 1),
             done AS (SELECT enrolment_id, max(effective_on) AS on_ FROM transition_events
                      WHERE to_state = 'completed' AND effective_on <= :as_of GROUP BY 1)
        SELECT e.cohort_id, count(*) FILTER (WHERE d.on_ <= greatest(
                 e.start_date + interval '12 months' + coalesce(h.days, 0) * interval '1 day', x.new_end)),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.on_ - e.start_date - coalesce(h.days, 0))
        FROM enrolments e JOIN done d ON d.enrolment_id = e.id LEFT JOIN holds h ON h.enrolment_id = e.id
        LEFT JOIN ext x ON x.enrolment_id = e.id GROUP BY 1""",
    "overdue_reviews": """
        SELECT e.cohort_id, greatest(0, sum(3 - coalesce(r.held, 0))) FROM enrolments e
        LEFT JOIN (SELECT enrolment_id, count(DISTINCT slot) AS held FROM reviews WHERE held_on <= :as_of
                   GROUP BY 1) r ON r.enrolment_id = e.id
        WHERE e.state IN ('active', 'on_hold') GROUP BY 1""",
    "hours_logged": """
        SELECT e.cohort_id, sum(h.hours) FROM hours_entries h JOIN enrolments e ON e.id = h.enrolment_id
        WHERE h.kind IN ('protected_learning', 'off_the_job') AND h.removed_at IS NULL AND h.worked_on <= :as_of
        GROUP BY 1""",
    "hours_target": """
        SELECT e.cohort_id, sum(least(1.0, (:as_of - e.start_date) / 365.0) * 90) FROM enrolments e
        WHERE e.state = 'active' GROUP BY 1""",
}


def lower_bound(engine: Engine, as_of: date, connections: int) -> dict[str, float]:
    """The measures' queries shared out over ``connections`` connections (all opened first, then run
    at once, one thread each): seconds per measure, and under ``"all"`` the wall time of them all."""
    names = list(LOWER_BOUND)
    count = max(1, min(connections, len(names)))
    shares = [names[i::count] for i in range(count)]

    def run(connection: Connection, share: list[str]) -> dict[str, float]:
        times = {}
        for name in share:
            started = time.perf_counter()
            connection.execute(text(LOWER_BOUND[name]), {"as_of": as_of}).all()
            times[name] = time.perf_counter() - started
        return times

    with ExitStack() as stack:
        opened = [stack.enter_context(engine.connect()) for _ in shares]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=count) as pool:
            parts = list(pool.map(run, opened, shares))
        wall = time.perf_counter() - started
    times = {name: seconds for part in parts for name, seconds in part.items()}
    return {name: times[name] for name in names} | {"all": wall}


@contextmanager
def connections_used(engine: Engine):
    """The set of distinct database connections checked out from ``engine``'s pool while inside."""
    used: set[int] = set()

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:  # noqa: ARG001
        used.add(id(dbapi_connection))

    event.listen(engine, "checkout", checkout)
    try:
        yield used
    finally:
        event.remove(engine, "checkout", checkout)


def timed_report(engine: Engine, as_of: date) -> tuple[float, int, int]:
    """(seconds, cohort rows, connections the report took) of the whole report, every organisation."""
    with engine.connect() as connection:
        definitions: Callable = stored_definitions(connection)
        with connections_used(engine) as used:  # the reads' own connections (PostgreSQL), or none: this one
            started = time.perf_counter()
            report = cohort_report(connection, as_of, Filters(), definitions)
            seconds = time.perf_counter() - started
    return seconds, len(report.views["cohort"]), max(1, len(used))


def alternate(engine: Engine, as_of: date, rounds: int) -> tuple[list[float], list[dict[str, float]], int, int]:
    """Warm both (untimed), then bound and report alternately: (report seconds, bound times, rows, connections)."""
    _, rows, connections = timed_report(engine, as_of)
    lower_bound(engine, as_of, connections)
    reports, bounds = [], []
    for _ in range(rounds):
        bounds.append(lower_bound(engine, as_of, connections))
        seconds, rows, connections = timed_report(engine, as_of)
        reports.append(seconds)
    return reports, bounds, rows, connections


def page_time(app, organisation: str, as_of: date) -> tuple[float, int]:
    """Sign in as the organisation's lead and time the report page (second request: warm)."""

    with app.app_context():
        email = db.session.scalar(
            select(User.email).join(Organisation, Organisation.id == User.organisation_id)
            .where(Organisation.slug == organisation, User.role == "lead").limit(1)
        )  # fmt: skip
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(f"/reports/cohorts?as_of={as_of.isoformat()}")
        timings.append(time.perf_counter() - started)
    return min(timings[1:]), response.status_code


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--as-of", default=None)
    parser.add_argument("--org", default=None, help="organisation for the page timing (default the first bench one)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of bound then report (median kept)")
    args = parser.parse_args(argv)

    url = args.database_url or Config.SQLALCHEMY_DATABASE_URI
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with db.engine.connect() as connection:
            enrolments = connection.scalar(text("SELECT count(*) FROM enrolments"))
            hours = connection.scalar(text("SELECT count(*) FROM hours_entries"))
            org = args.org or connection.scalar(text("SELECT slug FROM organisations ORDER BY id LIMIT 1"))
        reports, bounds, rows, connections = alternate(db.engine, as_of, args.rounds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database            {url.rsplit('@', 1)[-1]}")
    print(f"as of               {as_of.isoformat()}")
    print(f"enrolments          {enrolments:,}")
    print(f"hours rows          {hours:,}")
    print(f"cohort rows         {rows:,}")
    print(f"connections         {connections} for the report's reads, as many for the bound's queries")
    for name in LOWER_BOUND:
        print(f"  bound {name:<20} {statistics.median(b[name] for b in bounds):7.3f} s")
    totals = [b["all"] for b in bounds]
    total, elapsed = statistics.median(totals), statistics.median(reports)
    for label, median, runs in (("lower bound (SQL)", total, totals), ("report (pandas)", elapsed, reports)):
        print(f"{label:<20}{median:7.3f} s  (median of {args.rounds} warm runs: {', '.join(f'{t:.3f}' for t in runs)})")
    print(f"ratio               {elapsed / total:7.2f}×")
    print(f"peak memory         {peak:7.0f} MiB")
    seconds, status = page_time(app, org, as_of)
    print(f"report page ({org}) {seconds:7.3f} s (HTTP {status})")


if __name__ == "__main__":
    main()
