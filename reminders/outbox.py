"""Queue reminders in the outbox: the words are rendered here, the rows stored by ``app.services.outbox``.

A reminder queued twice is a no-op in the database itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import NotificationPreference, OutboxMessage
from app.services import outbox
from app.services.facts import among
from reminders.messages import render
from reminders.model import ALWAYS_EMAILED, Reminder


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
    """Insert what is not queued yet (ON CONFLICT DO NOTHING) with its in-app notification; the scan commits.

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
    messages: list[dict] = []
    notifications: dict[tuple, dict] = {}
    for key, reminder in unique.items():
        text = render(reminder, base_url)
        email = wants_email(reminder, off)
        messages.append(
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
        notifications[key] = {
            "user_id": reminder.recipient.id,
            "enrolment_id": reminder.enrolment_id or None,
            "kind": reminder.rule,
            "title": reminder.subject,
            "body": "\n".join(reminder.lines),
            "link": reminder.path,
            "created_at": now,
        }
    return [unique[key] for key in outbox.queue_messages(messages, notifications)]
