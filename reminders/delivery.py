"""Send what the outbox holds by email, each message in its own attempt; never drop a row.

A sender leases a few due rows at a time (``app.services.outbox.claim_due``), so any number of
senders, in several processes or on several machines, share the outbox without sending one row
twice. Each message is sent and committed on its own, so a message delivered is never sent again
by a later run, and one that fails cannot hold back those after it. A failure is one of:
- the message itself (a header with a line break in it, a recipient the server refuses with a
  5xx reply): marked failed at once with the reason, since sending it again would fail again;
- the mail server (down, unreachable, a dropped connection, a 4xx reply): the message stays
  queued and is retried with exponential backoff, up to ``OUTBOX_MAX_ATTEMPTS``.

Exactly-once email is impossible across a crash between the SMTP reply and the commit, so
delivery is at-least-once, and every message has a Message-ID derived from its outbox row.
"""

from __future__ import annotations

import logging
import smtplib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from types import TracebackType
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxAttachment, OutboxMessage
from app.services import outbox
from reminders.lock import holder_name
from reminders.messages import absolute, message_id

log = logging.getLogger(__name__)
MAX_DELAY = timedelta(hours=6)
CLAIM_BATCH = 10  # rows leased at once: few, so a slow server delays little that others could send
CONTROL = {"Cc", "Zl", "Zp"}  # control characters, and the line and paragraph separators U+2028, U+2029


@dataclass
class DeliveryResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class ContentRefused(ValueError):
    """The message cannot be sent as it stands; trying again would fail in the same way."""


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """60 s, 2 min, 4 min, ... doubling after each failed attempt, at most six hours."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _header(message: EmailMessage, name: str, value: str, *parts: str) -> None:
    """Set a header, refusing it if its value, or a part it was made from, holds a control character.

    The parts are checked as given: ``formataddr`` would hide a non-ASCII one in an encoded word.
    A line break in a header could otherwise add headers (and recipients) of its own.
    """
    for character in "".join((value, *parts)):
        if unicodedata.category(character) in CONTROL:
            raise ContentRefused(
                f"The {name} header would hold a control character (U+{ord(character):04X}), so the email was not sent"
            )
    message[name] = value


def build_email(row: OutboxMessage, recipient: outbox.Addressee, config: Mapping[str, Any]) -> EmailMessage:
    """The email for one outbox row; ``ContentRefused`` (a ``ValueError``) when it cannot be built."""
    message = EmailMessage()
    _header(message, "From", config["MAIL_SENDER"])
    to = formataddr((recipient.full_name, recipient.email)) if recipient.full_name else recipient.email
    _header(message, "To", to, recipient.full_name, recipient.email)
    _header(message, "Subject", row.subject)
    message["Message-ID"] = message_id(row.id, config["BASE_URL"])
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Auto-Submitted"] = "auto-generated"
    _header(message, "X-Waymark-Link", absolute(config["BASE_URL"], row.link))
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    for attachment in db.session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.outbox_id == row.id).order_by(OutboxAttachment.id)
    ):
        _attach(message, attachment)
    return message


def _attach(message: EmailMessage, attachment: OutboxAttachment) -> None:
    """A file the row carries (``text/calendar; method=REQUEST``: an invitation), its parameters kept."""
    kind, *parameters = (part.strip() for part in attachment.content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(p.partition("=")[::2] for p in parameters if "=" in p)
    message.add_attachment(
        attachment.content, maintype=maintype, subtype=subtype, filename=attachment.file_name, params=params
    )


class MailServer:
    """One SMTP connection for a delivery run: opened when first needed, and once more after it drops.

    Once the server cannot be reached, the rest of the run fails fast rather than waiting out a
    connection timeout per message.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = ""

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=config.get("SMTP_TIMEOUT", 10))
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; ``OSError`` (``smtplib.SMTPException`` among them) when it was not sent."""
        if self.unreachable:
            raise ConnectionError(self.unreachable)
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except OSError as error:
                self.unreachable = f"Cannot reach the mail server: {error}"
                raise ConnectionError(self.unreachable) from error
        try:
            self.smtp.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.close()  # the next message opens a new connection
            raise
        except smtplib.SMTPException:
            raise  # a reply about this message: the connection is still good
        except OSError:
            self.close()
            raise

    def close(self) -> None:
        if self.smtp is not None:
            smtp, self.smtp = self.smtp, None
            try:
                smtp.quit()
            except OSError:
                smtp.close()

    def __enter__(self) -> MailServer:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


def refusal(error: OSError) -> str:
    """The reason when the server refused this message for good (a 5xx reply); empty otherwise."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = error.recipients.items()
        if replies and all(code >= 500 for _, (code, _) in replies):
            return "; ".join(f"The mail server refused {to}: {code} {_text(reply)}" for to, (code, reply) in replies)
    elif isinstance(error, smtplib.SMTPDataError) and error.smtp_code >= 500:
        return f"The mail server refused the message: {error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        return f"The mail server cannot take this message: {error}"
    return ""


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _failed_for_good(row: OutboxMessage, reason: str, result: DeliveryResult) -> None:
    log.error("outbox %s failed: %s", row.id, reason)
    outbox.mark_failed(row, reason)
    result.failed += 1


def _retry_later(
    row: OutboxMessage, error: str, now: datetime, config: Mapping[str, Any], result: DeliveryResult
) -> None:
    attempts = row.attempts + 1
    if attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        log.error("outbox %s failed for good after %s attempts: %s", row.id, attempts, error)
        outbox.mark_failed(row, error)
        result.failed += 1
    else:
        next_attempt_at = now + backoff(attempts, config["OUTBOX_RETRY_SECONDS"])
        log.warning("outbox %s attempt %s failed, next at %s: %s", row.id, attempts, next_attempt_at, error)
        outbox.mark_retrying(row, error, next_attempt_at)
        result.retrying += 1


def _deliver_one(
    row: OutboxMessage, mail: MailServer, now: datetime, config: Mapping[str, Any], result: DeliveryResult
) -> None:
    recipient = outbox.addressee(row)
    if not recipient.is_enabled:
        _failed_for_good(row, "The account is disabled", result)
        return
    try:
        mail.send(build_email(row, recipient, config))
    except ValueError as error:  # ContentRefused, or text the email package cannot encode
        reason = str(error) if isinstance(error, ContentRefused) else f"The email could not be built: {error}"
        _failed_for_good(row, reason, result)
        return
    except OSError as error:
        reason = refusal(error)
        if reason:
            _failed_for_good(row, reason, result)
        else:
            _retry_later(row, str(error), now, config, result)
        return
    outbox.mark_sent(row, now)
    result.sent += 1


def lease_length(config: Mapping[str, Any]) -> timedelta:
    """Long enough to try a whole batch against a server that times out on every message."""
    return timedelta(seconds=max(config.get("OUTBOX_LEASE_SECONDS", 600), 2 * CLAIM_BATCH * config["SMTP_TIMEOUT"]))


def deliver(now: datetime | None = None) -> DeliveryResult:
    """Try every due row once, a leased batch at a time; each is committed once sent or failed."""
    now = now or datetime.now(UTC)
    config = current_app.config
    result = DeliveryResult()
    holder, lease = holder_name(), lease_length(config)
    with MailServer(config) as mail:
        try:
            while ids := outbox.claim_due(now, holder, lease, CLAIM_BATCH):
                for row_id in ids:
                    _deliver_one(db.session.get_one(OutboxMessage, row_id), mail, now, config, result)
        except BaseException:
            outbox.release_claims(holder)  # a process killed outright waits out its lease instead
            raise
    return result
