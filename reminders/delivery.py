"""Send what the outbox holds by email, retrying with exponential backoff; never drop a row.

Exactly-once email is impossible across a crash between the SMTP reply and the commit, so
delivery is at-least-once, and every message has a Message-ID derived from its outbox row.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from app.extensions import db
from app.models import OutboxMessage, User
from reminders.lock import send_lock
from reminders.messages import absolute, message_id

log = logging.getLogger(__name__)
BATCH_SIZE = 50
MAX_DELAY = timedelta(hours=6)


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """60 s, 2 min, 4 min, ... doubling after each failed attempt, at most six hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def build_email(row: OutboxMessage, recipient: User, config: Mapping[str, Any]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = formataddr((recipient.full_name, recipient.email))
    message["Subject"] = row.subject
    message["Message-ID"] = message_id(row.id, config["BASE_URL"])
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Auto-Submitted"] = "auto-generated"
    message["X-Waymark-Link"] = absolute(config["BASE_URL"], row.link)
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    return message


def _claim(now: datetime, batch_size: int) -> list[OutboxMessage]:
    """Due rows, locked for this process; on PostgreSQL other senders skip them rather than wait."""
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == "queued",
            OutboxMessage.send_email.is_(True),
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(batch_size)
    )
    if db.engine.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return list(db.session.scalars(statement))


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config.get("SMTP_TIMEOUT", 10))
    if config.get("SMTP_STARTTLS"):
        smtp.starttls()
    if config.get("SMTP_USER"):
        smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
    return smtp


def _failed(row: OutboxMessage, error: str, now: datetime, config: Mapping[str, Any], result: DeliveryResult) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    if row.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        row.status, row.next_attempt_at = "failed", None
        result.failed += 1
        log.error("outbox %s failed for good after %s attempts: %s", row.id, row.attempts, error)
    else:
        row.next_attempt_at = now + backoff(row.attempts, config["OUTBOX_RETRY_SECONDS"])
        result.retrying += 1
        log.warning("outbox %s attempt %s failed, next at %s: %s", row.id, row.attempts, row.next_attempt_at, error)


def _send_batch(rows: list[OutboxMessage], now: datetime, config: Mapping[str, Any], result: DeliveryResult) -> None:
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r.recipient_id for r in rows})))}
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        for row in rows:
            _failed(row, f"Cannot reach the mail server: {error}", now, config, result)
        return
    with smtp:
        for row in rows:
            recipient = users[row.recipient_id]
            if not recipient.is_enabled:
                row.attempts, row.status, row.last_error = row.attempts + 1, "failed", "The account is disabled"
                result.failed += 1
                continue
            try:
                smtp.send_message(build_email(row, recipient, config))
            except (OSError, smtplib.SMTPException) as error:
                _failed(row, str(error), now, config, result)
                continue
            row.attempts += 1
            row.status, row.sent_at, row.next_attempt_at, row.last_error = "sent", now, None, ""
            result.sent += 1


def deliver(now: datetime | None = None, batch_size: int = BATCH_SIZE) -> DeliveryResult:
    """Send every due row; each batch is committed as it finishes."""
    now = now or datetime.now(UTC)
    config = current_app.config
    result = DeliveryResult()
    with send_lock() as acquired:
        if not acquired:
            log.info("delivery skipped: another sender is running")
            return result
        while rows := _claim(now, batch_size):
            _send_batch(rows, now, config, result)
            db.session.commit()
    return result
