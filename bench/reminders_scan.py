"""Benchmark: the reminder scan over many active enrolments, its time and its number of queries.

    python -m bench.reminders_scan --database-url URL [--enrolments 200000] [--workers 2] [--active]

Fills the database with ``bench.generate`` the first time (PostgreSQL is the national-scale
target: create an empty database first), empties the outbox, then times a first scan (which
queues, reading every active enrolment) and a repeat the same day (nothing changed since, so it
reads only what changed: nothing). It also counts the statements of scans over two small
generated databases, to show the count does not grow with the number of enrolments.
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import delete, event, func, make_url, select

from app import create_app
from app.extensions import db
from app.models import Enrolment, Notification, OutboxMessage, ReminderScanMark
from bench.generate import generate
from reminders.scan import BATCH_SIZE, scan

OUT = Path(__file__).resolve().parent / "out"
AS_OF = date(2026, 11, 25)


def prepared_app(url: str, enrolments: int, active_only: bool = False) -> Flask:
    """The database holding the generated enrolments (generated once), with an empty outbox."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "https://waymark.example.nhs.uk"})
    with app.app_context():
        if not db.inspect(db.engine).has_table("enrolments") or not db.session.scalar(
            select(func.count()).select_from(Enrolment)
        ):
            db.session.remove()
            started = time.perf_counter()
            generate(
                url,
                enrolments=enrolments,
                today=AS_OF,
                hours_per_enrolment=10 if "sqlite" in url else 50,
                active_only=active_only,
            )
            print(f"generated {enrolments:,} enrolments in {time.perf_counter() - started:.0f} s")
        db.session.execute(delete(Notification))
        db.session.execute(delete(OutboxMessage))
        db.session.execute(delete(ReminderScanMark))  # so the first scan reads everything again
        db.session.commit()
    return app


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scan's workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving one database on this machine, read from /proc.

    Backends are found by their process title (``postgres: ... <user> <database> <client>``) and
    sampled every ``every`` seconds; one that exits between samples loses at most that interval of
    its CPU. PostgreSQL's own background processes (WAL writer, checkpointer) are not counted.
    """

    def __init__(self, database: str, every: float = 0.25) -> None:
        self.marker, self.every = f" {database} ", every
        self.seen: dict[int, float] = {}  # backend pid -> CPU seconds last read
        self.before: dict[int, float] = {}
        self.others: set[int] = set()
        self._stop = threading.Event()

    def _cpu_of(self, pid: int) -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _sample(self) -> None:
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) in self.others:
                continue
            pid = int(name)
            if pid not in self.seen:
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                        title = cmdline.read().decode(errors="replace")
                except OSError:
                    continue
                if not title.startswith("postgres:") or self.marker not in title:
                    self.others.add(pid)
                    continue
            cpu = self._cpu_of(pid)
            if cpu is not None:
                self.seen[pid] = cpu

    @contextmanager
    def counting(self) -> Iterator[ServerCpu]:
        self._sample()
        self.before = dict(self.seen)
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    @property
    def seconds(self) -> float:
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def counted_scan(app: Flask, *, workers: int = 1) -> tuple[float, float, int, int, int, int]:
    """(wall seconds, CPU seconds, statements, round trips, active enrolments read, reminders queued).

    Statements are ``execute`` calls in this process; a bulk insert of many rows is one
    statement, which the driver may send in several round trips (insertmanyvalues pages).
    """
    with app.app_context():
        statements, trips = [], []
        on_statement = lambda *args: statements.append(1)  # noqa: E731
        on_trip = lambda *args: trips.append(1)  # noqa: E731
        event.listen(db.engine, "before_execute", on_statement)
        event.listen(db.engine, "before_cursor_execute", on_trip)
        try:
            started, cpu = time.perf_counter(), _cpu()
            result = scan(AS_OF, workers=workers)
            seconds, cpu = time.perf_counter() - started, _cpu() - cpu
            if result.locked_out:  # another scan holds the lock: any figure would be of no scan at all
                raise SystemExit("another reminder scan holds the scan lock: no figure taken; run again when it ends")
        finally:
            event.remove(db.engine, "before_execute", on_statement)
            event.remove(db.engine, "before_cursor_execute", on_trip)
        db.session.remove()
        return seconds, cpu, len(statements), len(trips), result.enrolments, len(result.queued)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty database the first time")
    parser.add_argument("--enrolments", type=int, default=200_000, help="enrolments to generate (all states)")
    parser.add_argument("--workers", type=int, default=2, help="forked processes evaluating enrolments")
    parser.add_argument("--active", action="store_true", help="generate every enrolment in progress (active)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    for n in (1_000, 4_000):  # both within one batch of the scan
        app = prepared_app(f"sqlite:///{OUT / f'count-{n}.db'}", n)
        _, _, statements, trips, active, queued = counted_scan(app)
        print(f"a scan of {active:,} active enrolments: {statements} statements, {trips} round trips")
    app = prepared_app(args.database_url, args.enrolments, args.active)
    with app.app_context():
        total = db.session.scalar(select(func.count()).where(Enrolment.state == "active"))
    on_postgresql = args.database_url.startswith("postgresql")
    for label in ("first scan (queues)", "repeat scan (nothing changed since)"):
        server = ServerCpu(make_url(args.database_url).database or "")
        load = _load()
        writer = time.process_time()
        with server.counting() if on_postgresql else nullcontext(server):
            seconds, cpu, statements, trips, active, queued = counted_scan(app, workers=args.workers)
        writer = time.process_time() - writer
        where = " in the writing process" if args.workers > 1 else ""
        database = f" + {server.seconds:.1f} s PostgreSQL CPU" if on_postgresql else ""
        print(
            f"{label}: read {active:,} of {total:,} active enrolments in {seconds:.1f} s ({cpu:.1f} s CPU, "
            f"{writer:.1f} s of it the writing process{database}), "
            f"{queued:,} reminders "
            f"queued, {statements} statements and {trips} round trips{where} "
            f"({-(-active // BATCH_SIZE)} ranges of up to {BATCH_SIZE:,}, {args.workers} worker processes); "
            f"load average {load} before, {_load()} after"
        )


if __name__ == "__main__":
    main()
