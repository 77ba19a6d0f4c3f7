"""Where the latest complete reminder scan left off, so a repeat scan that day reads only what changed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ReminderScanMark(db.Model):
    """One complete scan: the day it scanned for, the last audit event it had seen, and its settings."""

    __tablename__ = "reminder_scan_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    audit_watermark: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
