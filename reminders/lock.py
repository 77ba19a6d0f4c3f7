"""One reminder scan at a time across processes and machines.

PostgreSQL: a session advisory lock, released when the scan ends or its connection dies.
SQLite: a row in ``scheduler_locks`` with an expiry, so a killed process cannot block scans forever.
The lock's writes are in ``app.services.outbox``.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from app.extensions import db
from app.services.outbox import advisory_lock, release_lock_row, try_lock_row

SCAN_LOCK = "reminders-scan"
ADVISORY_KEYS = {SCAN_LOCK: 0x57A7_5CA1}  # any fixed 64-bit number unique to this lock


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
def scan_lock(name: str = SCAN_LOCK, ttl: timedelta = timedelta(hours=2)) -> Iterator[bool]:
    """Yield True when this process holds the lock for the block, False when another does."""
    if db.engine.dialect.name == "postgresql":
        with advisory_lock(ADVISORY_KEYS[name]) as acquired:
            yield acquired
        return
    with lock_row(name, ttl) as acquired:
        yield acquired
