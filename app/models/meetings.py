"""Review meetings in people's calendars: the meeting, each person's calendar feed, and email attachments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column

MEETING_STATUSES = ("scheduled", "cancelled")


class ReviewMeeting(db.Model):
    """A meeting booked for one review slot of an enrolment; moving it raises ``sequence`` (RFC 5545)."""

    __tablename__ = "review_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    slot: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(300))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    scheduled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    changed_at: Mapped[datetime] = created_at_column()


class ReviewMeetingGuest(db.Model):
    """A party without an account invited to the meeting by email (the employer's manager, the provider's tutor)."""

    __tablename__ = "review_meeting_guests"
    __table_args__ = (UniqueConstraint("meeting_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("review_meetings.id"), index=True)
    party: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = created_at_column()


class CalendarFeed(db.Model):
    """A person's secret calendar address: only the SHA-256 of its token is kept; revoking it ends it."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OutboxAttachment(db.Model):
    """A file sent with an outbox email (a meeting's invitation), kept with the message it belongs to."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
