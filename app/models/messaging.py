"""In-app notifications, the reminder outbox, preferences, the scheduler lock and the scan's problems."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxMessage(db.Model):
    """One email to one person; the unique key makes queueing a reminder twice a no-op.

    Almost every message is to an account (``recipient_id``). A review meeting's invitation to a
    party without one (an apprentice's employer, the training provider's tutor) goes to an address
    instead (``to_address`` and ``to_name``, with no ``recipient_id``).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("rule", "enrolment_id", "due_on", "recipient_id"),
        CheckConstraint("recipient_id IS NOT NULL OR to_address <> ''", name="to_someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(60))
    enrolment_id: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date] = mapped_column(Date)
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254), default="", server_default="")
    to_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    send_email: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    # A sender's lease on the row: other senders skip it until ``claimed_until`` (then it is free
    # again, so a sender that died loses nothing).
    claimed_by: Mapped[str] = mapped_column(String(200), default="", server_default="")
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(60))
    email_enabled: Mapped[bool] = mapped_column(default=True)


class SchedulerLock(db.Model):
    """A named lock row so only one reminder scan runs at a time on SQLite."""

    __tablename__ = "scheduler_locks"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScanProblem(db.Model):
    """An enrolment the latest reminder scan could not check, and why: one row per enrolment, kept current.

    A row is refreshed by every scan that still fails on the enrolment and removed by the first
    complete scan that checks it, so admins see what is broken now and since when.
    """

    __tablename__ = "scan_problems"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    error: Mapped[str] = mapped_column(Text)
    scanned_on: Mapped[date] = mapped_column(Date)
    first_seen_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
