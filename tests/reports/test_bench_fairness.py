"""bench.reports compares like with like: both warm, alternating, the bound on as many connections as the report."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from bench import reports as bench_reports
from bench.generate import generate

AS_OF = date(2025, 6, 1)


def test_the_bound_runs_on_as_many_connections_as_the_report_and_alternates_with_it(app, ctx, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the lower bound is PostgreSQL SQL")
    generate(app.config["SQLALCHEMY_DATABASE_URI"], enrolments=60, seed=12, today=AS_OF, hours_per_enrolment=3)
    db.session.remove()
    order: list[tuple[str, int]] = []
    bound, report = bench_reports.lower_bound, bench_reports.timed_report

    def recorded_bound(engine, as_of, connections):
        with bench_reports.connections_used(engine) as used:
            times = bound(engine, as_of, connections)
        order.append(("bound", len(used)))
        return times

    def recorded_report(engine, as_of):
        result = report(engine, as_of)
        order.append(("report", result[2]))
        return result

    monkeypatch.setattr(bench_reports, "lower_bound", recorded_bound)
    monkeypatch.setattr(bench_reports, "timed_report", recorded_report)
    reports, bounds, rows, connections = bench_reports.alternate(db.engine, AS_OF, rounds=2)

    assert [kind for kind, _ in order] == ["report", "bound", "bound", "report", "bound", "report"]
    # The report reads on up to five connections at once (fewer when a read ends before another starts);
    # every bound ran on exactly as many as the report before it took.
    assert 1 <= connections <= 5
    reports_seen = [n for kind, n in order if kind == "report"]
    bounds_seen = [n for kind, n in order if kind == "bound"]
    assert bounds_seen == [reports_seen[0], reports_seen[0], reports_seen[1]], order
    assert len(reports) == len(bounds) == 2 and rows > 0
