"""The reminder outbox's writes: queued messages and their notifications, delivery outcomes, scheduler locks.

``reminders/`` decides what is due and renders its words; these functions store the plain rows
they are given and commit, so the scheduler writes through the services like every other caller.
A queued message's key (rule, enrolment, due date, recipient) is unique in the database itself,
so a reminder queued twice, by a repeated or a concurrent scan, is a no-op.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, delete, or_, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import Notification, OutboxMessage, ReminderScanMark, SchedulerLock, User
from app.services import scan_problems
from app.services.scan_problems import Unchecked

KEY_COLUMNS = ["rule", "enrolment_id", "due_on", "recipient_id"]
MAX_ERROR = 2000


@dataclass(frozen=True)
class Addressee:
    """Who a message is to: an account, or a meeting's guest who has none."""

    full_name: str
    email: str
    is_enabled: bool = True


def addressee(row: OutboxMessage) -> Addressee:
    if row.recipient_id is None:
        return Addressee(row.to_name, row.to_address)
    person = db.session.get_one(User, row.recipient_id)
    return Addressee(person.full_name, person.email, person.is_enabled)


def _on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _insert_new(rows: list[dict]) -> list[tuple]:
    """Insert outbox rows whose key is new; the keys actually inserted come back.

    On PostgreSQL the rows travel by COPY into a temporary table and one INSERT ... SELECT moves
    them: a multi-row INSERT with a placeholder per value costs more to build and parse than to run.
    """
    if not _on_postgresql():
        table = OutboxMessage.__table__
        key = [table.c[name] for name in KEY_COLUMNS]
        statement = sqlite_insert(table).on_conflict_do_nothing(index_elements=KEY_COLUMNS).returning(*key)
        return [tuple(row) for row in db.session.connection().execute(statement, rows)]
    connection = db.session.connection()
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS outbox_incoming "
        "(LIKE outbox INCLUDING DEFAULTS EXCLUDING IDENTITY) ON COMMIT DELETE ROWS"
    )
    connection.exec_driver_sql("DELETE FROM outbox_incoming")
    _copy("outbox_incoming", rows)
    names = ", ".join(rows[0])
    inserted = connection.exec_driver_sql(
        f"INSERT INTO outbox ({names}) SELECT {names} FROM outbox_incoming "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO NOTHING RETURNING {', '.join(KEY_COLUMNS)}"
    )
    return [tuple(row) for row in inserted]


def _copy(table_name: str, rows: list[dict]) -> None:
    """COPY rows in on the session's own connection and transaction (PostgreSQL)."""
    columns = list(rows[0])
    driver: Any = db.session.connection().connection.driver_connection  # psycopg's, with COPY
    cursor = driver.cursor()
    with cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def _append(table: Table, rows: list[dict]) -> None:
    """Plain inserts: COPY on PostgreSQL, executemany elsewhere."""
    if _on_postgresql():
        _copy(table.name, rows)
    else:
        db.session.connection().execute(table.insert(), rows)


def queue_messages(messages: list[dict], notifications: Mapping[tuple, dict]) -> list[tuple]:
    """Insert the outbox rows not queued yet, and the in-app notification of each; the scan commits.

    ``notifications`` holds a notification row per message key; only the keys this call inserted
    get theirs, so a message another scan queued first is not announced twice.
    """
    if not messages:
        return []
    inserted = _insert_new(messages)
    if inserted:
        _append(Notification.__table__, [notifications[key] for key in inserted])
    return inserted


def _end(dry_run: bool) -> None:
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()


def save_range(unchecked: Sequence[Unchecked], scanned_on: date, *, dry_run: bool) -> None:
    """Commit what a range of the scan queued with the enrolments it could not check; a dry run keeps nothing."""
    if not dry_run:
        scan_problems.record(unchecked, scanned_on)
    _end(dry_run)


def save_scan_end(still_failing: Collection[int], *, dry_run: bool, mark: Mapping[str, Any] | None = None) -> None:
    """Commit the last of a complete scan (the lead digests), forget the problems of enrolments it checked
    (every recorded one is checked again, by a repeat scan too), and record where it left off
    (``mark``: as_of, audit_watermark, fingerprint) for a repeat scan that day.
    """
    if not dry_run:
        scan_problems.clear_all_but(still_failing)
        if mark is not None:
            db.session.add(ReminderScanMark(**mark, completed_at=datetime.now(UTC)))
    _end(dry_run)


def end_read_transaction() -> None:
    """Close the session's transaction before the scan forks workers, which must not inherit it open."""
    db.session.commit()


def claim_due(now: datetime, holder: str, lease: timedelta, limit: int) -> list[int]:
    """Lease up to ``limit`` rows due for email to ``holder``, and commit: other senders skip them.

    On PostgreSQL the rows are first taken ``FOR UPDATE SKIP LOCKED``, so a concurrent sender passes
    over rows being leased instead of waiting for them, and then leased by id: inside one UPDATE the
    planner may run a limited, locking subquery more than once and lease more than ``limit`` rows. On
    SQLite one UPDATE picks and leases them under the database's single write lock, so no two senders
    pick the same row. A row whose lease ran out (its sender died) is due again: at-least-once delivery.
    """
    db.session.commit()  # start from a fresh transaction: SQLite's snapshot must not predate the claim
    table = OutboxMessage.__table__
    due = (
        select(table.c.id)
        .where(
            table.c.status == "queued",
            table.c.send_email.is_(True),
            or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now),
            or_(table.c.claimed_until.is_(None), table.c.claimed_until < now),
        )
        .order_by(table.c.id)
        .limit(limit)
    )
    if _on_postgresql():
        chosen = table.c.id.in_(db.session.scalars(due.with_for_update(skip_locked=True)).all())
    else:
        chosen = table.c.id.in_(due.scalar_subquery())
    claimed = db.session.execute(
        update(table).where(chosen).values(claimed_by=holder, claimed_until=now + lease).returning(table.c.id)
    )
    ids = sorted(claimed.scalars())
    db.session.commit()
    return ids


def release_claims(holder: str) -> None:
    """Give back the rows ``holder`` leased but did not finish (it stopped on an error), for others to send."""
    db.session.rollback()
    table = OutboxMessage.__table__
    db.session.execute(update(table).where(table.c.claimed_by == holder).values(claimed_by="", claimed_until=None))
    db.session.commit()


def _release(row: OutboxMessage) -> None:
    row.claimed_by, row.claimed_until = "", None
    db.session.commit()


def mark_sent(row: OutboxMessage, now: datetime) -> None:
    """The email went: committed at once, so no later run sends it again."""
    row.attempts += 1
    row.status, row.sent_at, row.next_attempt_at, row.last_error = "sent", now, None, ""
    _release(row)


def mark_failed(row: OutboxMessage, reason: str) -> None:
    """The message will not be sent: kept as failed with the reason, for the admins' outbox page."""
    row.attempts += 1
    row.status, row.next_attempt_at, row.last_error = "failed", None, reason[:MAX_ERROR]
    _release(row)


def mark_retrying(row: OutboxMessage, error: str, next_attempt_at: datetime) -> None:
    """The mail server could not take the message now: it stays queued until ``next_attempt_at``."""
    row.attempts += 1
    row.last_error, row.next_attempt_at = error[:MAX_ERROR], next_attempt_at
    _release(row)


@contextmanager
def advisory_lock(key: int) -> Iterator[bool]:
    """A PostgreSQL session advisory lock on a connection of its own, held for the block if free."""
    connection = db.engine.connect()
    try:
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
    """Take the lock row if it is free or its holder's time ran out; atomic in one statement each."""
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
