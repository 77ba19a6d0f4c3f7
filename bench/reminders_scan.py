"""Benchmark: the reminder scan over many active enrolments, its time and its number of queries.

    python -m bench.reminders_scan [--enrolments 200000] [--database-url URL]

Loads a synthetic trust with a minimal bulk loader (Core inserts, no services: a benchmark
fixture, not demo data), then times a first scan (which queues) and a repeat (all no-ops),
and counts the queries of scans over two sizes to show the count does not grow per enrolment.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import delete, event, func, select

from app import create_app
from app.extensions import db
from app.models import (
    Competency,
    Enrolment,
    HoursEntry,
    Notification,
    Organisation,
    OutboxMessage,
    PreceptorAssignment,
    Review,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.services.catalogue import catalogue, pathway_version
from pathways import EnrolmentFacts, evaluate
from reminders.scan import BATCH_SIZE, scan

OUT = Path(__file__).resolve().parent / "out"
AS_OF = date(2026, 11, 24)
CHUNK = 10_000


def _insert(model, rows: list[dict]) -> list[int]:
    """Bulk insert in chunks; returns the new ids in order."""
    ids: list[int] = []
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        result = db.session.execute(table.insert().returning(table.c.id), rows[i : i + CHUNK])
        ids += [row[0] for row in result]
    return ids


def _stages(definition) -> list[str]:
    """Stages an enrolment can sit in without a history of earlier stages."""
    keys = [s.key for s in definition.stages[:-1]]
    if definition.clock_stage:
        keys = keys[: keys.index(definition.clock_stage) + 1]
    return keys


@cache
def _plan(key: str, start: date, stage: str) -> tuple[float, tuple[tuple[str, date], ...]]:
    """Hours expected by the scan day and the reviews due before it, for this start and stage."""
    facts = EnrolmentFacts(
        start_date=start, as_of=AS_OF, stage=stage, stage_entered_on=start, stage_dates={stage: start}
    )
    evaluation = evaluate(catalogue().latest(key), facts)
    return evaluation.hours_target_to_date, tuple((s.key, s.due) for s in evaluation.review_slots if s.due < AS_OF)


def load(n: int, seed: int = 7) -> None:
    """One organisation, n learners each on one programme, a preceptor per five learners."""
    rnd = random.Random(seed)
    org = Organisation(slug=f"bench-{n}", name="Benchmark Hospitals NHS Trust")
    db.session.add(org)
    db.session.flush()
    definitions = [d for d in catalogue()]
    versions = {d.key: pathway_version(d) for d in definitions}
    competencies = {
        key: list(db.session.scalars(select(Competency.id).where(Competency.pathway_version_id == v.id)))
        for key, v in versions.items()
    }
    people = lambda role, count: [  # noqa: E731
        {
            "organisation_id": org.id,
            "email": f"{role}{i}@bench-{n}.test",
            "first_name": role.title(),
            "last_name": f"Number {i}",
            "employee_number": f"{role}-{i:07d}",
            "role": role,
        }
        for i in range(count)
    ]
    _insert(User, people("lead", 5))
    preceptors = _insert(User, people("preceptor", max(1, n // 5)))
    learners = _insert(User, people("learner", n))
    rows, plans = [], []
    for learner in learners:
        definition = rnd.choice(definitions)
        start = AS_OF - timedelta(days=rnd.randint(0, 360))
        stage = rnd.choice(_stages(definition))
        plans.append((definition.key, start, stage))
        rows.append(
            {
                "organisation_id": org.id,
                "learner_id": learner,
                "pathway_version_id": versions[definition.key].id,
                "start_date": start,
                "stage": stage,
                "stage_entered_on": start,
                "state": "active",
            }
        )
    enrolments = _insert(Enrolment, rows)
    pairs = list(zip(enrolments, rows, plans, strict=True))
    _insert(
        TransitionEvent,
        [
            {
                "enrolment_id": e,
                "action": "enrol",
                "to_stage": r["stage"],
                "to_state": "active",
                "effective_on": r["start_date"],
            }
            for e, r, _ in pairs
        ],
    )
    _insert(
        PreceptorAssignment,
        [
            {"enrolment_id": e, "preceptor_id": rnd.choice(preceptors), "assigned_on": r["start_date"]}
            for e, r, _ in pairs
            if rnd.random() < 0.95
        ],
    )
    # Most learners keep up: 85% logged about the hours expected, 90% held every review so far.
    hours, reviews = [], []
    for e, r, plan in pairs:
        expected, slots = _plan(*plan)
        share = rnd.uniform(0.85, 1.2) if rnd.random() < 0.85 else rnd.uniform(0, 0.7)
        if expected * share >= 1:
            hours.append(
                {
                    "enrolment_id": e,
                    "worked_on": r["start_date"],
                    "hours": round(expected * share, 1),
                    "activity_type": "study",
                    "created_by_id": r["learner_id"],
                }
            )
        held = slots if rnd.random() < 0.9 else slots[:-1]
        reviews += [
            {"enrolment_id": e, "slot": key, "held_on": due, "outcome": "on_track", "recorded_by_id": preceptors[0]}
            for key, due in held
        ]
    _insert(HoursEntry, hours)
    _insert(Review, reviews)
    by_version = {v.id: competencies[k] for k, v in versions.items()}
    _insert(
        SignOffEvent,
        [
            {
                "enrolment_id": e,
                "competency_id": rnd.choice(by_version[r["pathway_version_id"]]),
                "action": "requested",
                "evidence": "Observed in practice",
                "actor_id": r["learner_id"],
            }
            for e, r, _ in pairs
            if by_version[r["pathway_version_id"]] and rnd.random() < 0.2
        ],
    )
    db.session.commit()


def prepared_app(n: int, url: str | None, name: str = "reminders") -> Flask:
    """A database holding n enrolments (loaded once, kept in bench/out/), with an empty outbox."""
    OUT.mkdir(exist_ok=True)
    uri = url or f"sqlite:///{OUT / f'{name}-{n}.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "BASE_URL": "https://waymark.example.nhs.uk"})
    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(Enrolment)):
            started = time.perf_counter()
            load(n)
            print(f"loaded {n:,} enrolments in {time.perf_counter() - started:.1f} s ({uri})")
        db.session.execute(delete(Notification))
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
    return app


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scan's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def counted_scan(app: Flask, *, dry_run: bool, workers: int = 1) -> tuple[float, float, int, int, int, int]:
    """(wall seconds, CPU seconds, statements, round trips, enrolments, reminders) for one scan.

    Statements are ``execute`` calls; a bulk insert of many rows is one statement, which the
    driver may send in several round trips (SQLAlchemy's insertmanyvalues pages).
    """
    with app.app_context():
        statements, trips = [], []
        on_statement = lambda *args: statements.append(1)  # noqa: E731
        on_trip = lambda *args: trips.append(1)  # noqa: E731
        event.listen(db.engine, "before_execute", on_statement)
        event.listen(db.engine, "before_cursor_execute", on_trip)
        try:
            started, cpu = time.perf_counter(), _cpu()
            result = scan(AS_OF, dry_run=dry_run, workers=workers)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        finally:
            event.remove(db.engine, "before_execute", on_statement)
            event.remove(db.engine, "before_cursor_execute", on_trip)
        db.session.remove()
        return seconds, cpu, len(statements), len(trips), result.enrolments, len(result.queued)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrolments", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2, help="forked processes evaluating enrolments")
    parser.add_argument("--database-url", help="PostgreSQL URL (an empty database); SQLite in bench/out/ otherwise")
    args = parser.parse_args()
    small, medium = 1_000, 4_000
    for n in (small, medium):
        _, _, statements, trips, enrolments, _ = counted_scan(prepared_app(n, None, "count"), dry_run=False)
        print(f"a scan of {enrolments:,} enrolments: {statements} statements, {trips} round trips")
    app = prepared_app(args.enrolments, args.database_url)
    for label in ("first scan (queues)", "repeat scan (all already queued)"):
        seconds, cpu, statements, trips, enrolments, queued = counted_scan(app, dry_run=False, workers=args.workers)
        batches = -(-enrolments // BATCH_SIZE)
        print(
            f"{label}: {enrolments:,} active enrolments in {seconds:.1f} s ({cpu:.1f} s CPU), "
            f"{queued:,} reminders queued, {statements} statements and {trips} round trips"
            f"{' in the writing process' if args.workers > 1 else ''} "
            f"({batches} batches of up to {BATCH_SIZE:,}, {args.workers} worker processes)"
        )


if __name__ == "__main__":
    main()
