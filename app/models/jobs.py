"""Background jobs: long work (big imports, big report downloads) taken off the request by ``flask jobs work``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.extensions import db
from app.models.base import created_at_column


class BackgroundJob(db.Model):
    """One piece of work asked for by one person, its progress, and its outcome.

    A worker leases the row (``claimed_by`` until ``claimed_until``) and renews the lease as it
    reports progress; a row whose lease ran out while running had a worker that died, and is run
    again or marked failed. The file worked on and the file produced are kept in the row itself,
    so any worker on any machine can run the job and any web process can serve its download.
    """

    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # import.check | import.write | report.export
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)  # queued running done failed
    params: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    input_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    progress_label: Mapped[str] = mapped_column(String(200), default="")
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(Text, default="")  # JSON
    error: Mapped[str] = mapped_column(Text, default="")
    output_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    output_filename: Mapped[str] = mapped_column(String(200), default="")
    output_mimetype: Mapped[str] = mapped_column(String(120), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
