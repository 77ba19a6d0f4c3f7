"""One reminder scan at a time across processes and machines.

PostgreSQL: a session advisory lock, released when the scan ends or its connection dies.
SQLite: a row in ``scheduler_locks`` with an expiry, so a killed process cannot block scans forever.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import SchedulerLock

SCAN_LOCK = "reminders-scan"
SEND_LOCK = "reminders-send"
ADVISORY_KEYS = {SCAN_LOCK: 0x57A7_5CA1}  # any fixed 64-bit number unique to this lock


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@contextmanager
def _advisory(name: str) -> Iterator[bool]:
    connection = db.engine.connect()
    try:
        key = ADVISORY_KEYS[name]
        acquired = bool(connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
        connection.commit()
        try:
            yield acquired
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
    finally:
        connection.close()


def try_lock_row(name: str, holder: str, ttl: timedelta) -> bool:
    """Take the row if it is free or its holder's time ran out; atomic in one statement each."""
    now = datetime.now(UTC)
    with db.engine.begin() as connection:
        inserted = connection.execute(
            sqlite_insert(SchedulerLock.__table__)
            .values(name=name, holder=holder, expires_at=now + ttl)
            .on_conflict_do_nothing(index_elements=["name"])
        ).rowcount
        if inserted:
            return True
        taken_over = connection.execute(
            update(SchedulerLock.__table__)
            .where(SchedulerLock.name == name, SchedulerLock.expires_at < now)
            .values(holder=holder, expires_at=now + ttl)
        ).rowcount
        return taken_over == 1


def release_lock_row(name: str, holder: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            delete(SchedulerLock.__table__).where(SchedulerLock.name == name, SchedulerLock.holder == holder)
        )


@contextmanager
def lock_row(name: str, ttl: timedelta) -> Iterator[bool]:
    holder = holder_name()
    acquired = try_lock_row(name, holder, ttl)
    try:
        yield acquired
    finally:
        if acquired:
            release_lock_row(name, holder)


@contextmanager
def send_lock() -> Iterator[bool]:
    """SQLite has no SKIP LOCKED: one sender at a time there, or two could send the same row."""
    if db.engine.dialect.name == "postgresql":
        yield True  # rows are claimed with FOR UPDATE SKIP LOCKED instead
        return
    with lock_row(SEND_LOCK, timedelta(minutes=30)) as acquired:
        yield acquired


@contextmanager
def scan_lock(name: str = SCAN_LOCK, ttl: timedelta = timedelta(hours=2)) -> Iterator[bool]:
    """Yield True when this process holds the lock for the block, False when another does."""
    if db.engine.dialect.name == "postgresql":
        with _advisory(name) as acquired:
            yield acquired
        return
    with lock_row(name, ttl) as acquired:
        yield acquired
