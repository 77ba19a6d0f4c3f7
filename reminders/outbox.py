"""Queue reminders in the outbox: a reminder queued twice is a no-op in the database itself."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import Notification, NotificationPreference, OutboxMessage
from app.services.facts import among
from reminders.messages import render
from reminders.model import ALWAYS_EMAILED, Reminder

KEY_COLUMNS = ["rule", "enrolment_id", "due_on", "recipient_id"]


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


def _append(table, rows: list[dict]) -> None:
    """Plain inserts: COPY on PostgreSQL, executemany elsewhere."""
    if _on_postgresql():
        _copy(table.name, rows)
    else:
        db.session.connection().execute(table.insert(), rows)


def emails_switched_off(user_ids: set[int]) -> set[tuple[int, str]]:
    """(user, kind) pairs whose owner switched email off, in one query."""
    if not user_ids:
        return set()
    rows = db.session.execute(
        select(NotificationPreference.user_id, NotificationPreference.kind).where(
            among(NotificationPreference.user_id, user_ids), NotificationPreference.email_enabled.is_(False)
        )
    )
    return {(user_id, kind) for user_id, kind in rows}


def wants_email(reminder: Reminder, switched_off: set[tuple[int, str]]) -> bool:
    if reminder.rule in ALWAYS_EMAILED.get(reminder.role, ()):
        return True
    return (reminder.recipient.id, reminder.rule) not in switched_off


def already_queued(reminders: Sequence[Reminder]) -> set[tuple]:
    """Keys already in the outbox, in one query that the unique index (rule, enrolment, ...) answers."""
    if not reminders:
        return set()
    rows = db.session.execute(
        select(OutboxMessage.rule, OutboxMessage.enrolment_id, OutboxMessage.due_on, OutboxMessage.recipient_id).where(
            OutboxMessage.rule.in_({r.rule for r in reminders}),
            among(OutboxMessage.enrolment_id, {r.enrolment_id for r in reminders}),
        )
    )
    return {tuple(row) for row in rows}


def queue(reminders: Sequence[Reminder], base_url: str) -> list[Reminder]:
    """Insert what is not queued yet (ON CONFLICT DO NOTHING) with its in-app notification; the caller commits.

    Returns the reminders this call queued. Known keys are skipped before the words are rendered
    (most of a daily scan); the database constraint still decides a race with another scan.
    Reminders whose recipient switched email off are delivered in the app only, so their row is
    ``sent`` at once.
    """
    known = already_queued(reminders)
    unique = {r.key: r for r in reminders if r.key not in known}
    if not unique:
        return []
    now = datetime.now(UTC)
    off = emails_switched_off({r.recipient.id for r in unique.values()})
    rows = []
    for reminder in unique.values():
        text = render(reminder, base_url)
        email = wants_email(reminder, off)
        rows.append(
            {
                "rule": reminder.rule,
                "enrolment_id": reminder.enrolment_id,
                "due_on": reminder.due_on,
                "recipient_id": reminder.recipient.id,
                "subject": text.subject,
                "body_text": text.body_text,
                "body_html": text.body_html,
                "link": text.link,
                "send_email": email,
                "status": "queued" if email else "sent",
                "sent_at": None if email else now,
                "attempts": 0,
                "last_error": "",
                "created_at": now,
            }
        )
    inserted = _insert_new(rows)
    queued = [unique[tuple(row)] for row in inserted]
    if queued:
        _append(
            Notification.__table__,
            [
                {
                    "user_id": r.recipient.id,
                    "enrolment_id": r.enrolment_id or None,
                    "kind": r.rule,
                    "title": r.subject,
                    "body": "\n".join(r.lines),
                    "link": r.path,
                    "created_at": now,
                }
                for r in queued
            ],
        )
    return queued
