"""The reminder scan: read active enrolments in ranges, ask the rules, queue what is due.

A repeat of a complete scan on the same day reads only the enrolments changed since
(``reminders.incremental``); a new day, or changed settings, reads them all.

Each range costs the same fixed number of queries whatever its size (``facts.assess`` plus two
in ``gather``), and what it queues is committed on its own: a scan killed half-way keeps what it
queued, and the next scan queues the rest, the outbox key turning every repeat into a no-op.

An enrolment that cannot be checked (see ``gather``) never stops the scan for anyone else: it is
counted in the result, recorded with its error for admins (``app.services.scan_problems``) in the
same commit as its range, and a complete scan clears the records of enrolments it checked. Every
write goes through ``app.services.outbox``.

With ``REMINDER_SCAN_WORKERS`` above 1, forked worker processes evaluate ranges (read only)
while this process does every write, one range at a time, so SQLite still has a single writer.

Python's cyclic garbage collector is paused while a scan runs (``collector_paused``): a range makes
hundreds of thousands of short-lived objects, which reference counting frees, and the collector's
passes over them (and over everything the app had loaded) were a third of the scan's CPU. A forked
worker also freezes what it inherits (``gc.freeze``), so the collector never walks the parent's objects.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from flask import Flask, current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment
from app.services import outbox
from app.services.facts import among
from app.services.scan_problems import Unchecked
from reminders import gather, incremental
from reminders.lock import scan_lock
from reminders.model import OverdueItem, Reminder, Thresholds
from reminders.outbox import queue
from reminders.rules import lead_digests

BATCH_SIZE = 5000
_forked_app: Flask | None = None


@dataclass
class ScanResult:
    as_of: date
    locked_out: bool = False
    enrolments: int = 0  # active enrolments read and evaluated
    full: bool = True  # False: a repeat of the day's scan that read only the enrolments changed since
    queued: list[Reminder] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)


Span = tuple[int, int, tuple[int, ...]]  # first id, last id, and the ids among them to read (all when empty)


def id_ranges(batch_size: int, only: frozenset[int] | None = None) -> list[Span]:
    """Each run of ``batch_size`` active enrolments (of ``only``, when given), from one query of ids."""
    statement = select(Enrolment.id).where(Enrolment.state == "active").order_by(Enrolment.id)
    if only is not None:
        statement = statement.where(among(Enrolment.id, only))
    ids = list(db.session.scalars(statement))
    spans = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    return [(span[0], span[-1], tuple(span) if only is not None else ()) for span in spans]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; the collector as it was afterwards (nested pauses are fine).

    What a scan allocates is freed by reference counting as each range ends; the few cycles left (the
    database driver's) wait for the collector's next pass after the pause.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _start_worker() -> None:
    """In a forked worker: its own app context, and none of the parent's database connections.

    It is forked from a scan, so its collector is paused as the scan's is; what it inherits lives as
    long as it does, and is frozen too, so a pass the driver might start never walks it.
    """
    assert _forked_app is not None
    _forked_app.app_context().push()
    db.engine.dispose(close=False)
    gc.freeze()


@contextmanager
def _mapper(workers: int) -> Iterator[Callable]:
    """``map`` in this process, or an ordered ``imap`` over forked workers."""
    global _forked_app
    if workers <= 1:
        yield map
        return
    _forked_app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's real app
    outbox.end_read_transaction()  # nothing written yet; the workers must not inherit an open transaction
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        yield partial(pool.imap, chunksize=1)


def _report(queued: list[Reminder], result: ScanResult, echo: Callable | None) -> None:
    result.queued += queued
    if echo is not None:
        for reminder in queued:
            echo(reminder)


def scan(
    as_of: date,
    *,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    echo: Callable[[Reminder], None] | None = None,
) -> ScanResult:
    """Queue every reminder due on ``as_of``; a dry run queues nothing but reports the same lines."""
    result = ScanResult(as_of)
    with collector_paused(), scan_lock() as acquired:
        if not acquired:
            result.locked_out = True
            return result
        config = current_app.config
        workers = workers if workers is not None else int(config.get("REMINDER_SCAN_WORKERS", 1))
        leads = gather.leads_by_organisation()
        thresholds = Thresholds.from_config(config)
        evaluate = partial(gather.evaluate_range, as_of=as_of, thresholds=thresholds, leads=leads)
        scope = incremental.plan(as_of, incremental.fingerprint(thresholds, config))
        result.full = scope.full
        ranges = id_ranges(batch_size, scope.only)
        overdue: list[OverdueItem] = []
        with _mapper(workers if len(ranges) > 1 else 1) as mapper:
            evaluated: Iterable[gather.RangeResult] = mapper(evaluate, ranges)
            for count, due, late, unchecked in evaluated:
                result.enrolments += count
                result.unchecked += unchecked
                overdue += late
                queued = queue(due, config["BASE_URL"])
                outbox.save_range(unchecked, as_of, dry_run=dry_run)
                _report(queued, result, echo)
        # The day's digests came with its complete scan; a repeat knows only the changed enrolments' items.
        queued = queue(lead_digests(overdue, leads, as_of), config["BASE_URL"]) if scope.full else []
        mark = {"as_of": as_of, "audit_watermark": scope.watermark, "fingerprint": scope.fingerprint}
        outbox.save_scan_end({u.enrolment_id for u in result.unchecked}, dry_run=dry_run, mark=mark)
        _report(queued, result, echo)
    return result
