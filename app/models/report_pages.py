"""The report page's figures, worked out once and shared by every worker and machine."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.extensions import db


class ReportPageCache(db.Model):
    """One organisation's report page for one set of filters and as-of date (app/services/report_page.py).

    ``changes_upto`` is the organisation's newest data-changing audit event when the figures were worked
    out at ``built_at``. ``rebuild_requested_at`` is set by the first visit that finds the copy stale, for the
    job worker to work it out again; ``rebuilding_until`` is the lease of the one worker doing it.
    The page itself (tables and charts) is JSON in ``payload``: never pickled, so a row cannot run code.
    """

    __tablename__ = "report_page_cache"
    __table_args__ = (UniqueConstraint("organisation_id", "filters", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    filters: Mapped[str] = mapped_column(String(400))  # the checked filters as sorted JSON
    as_of: Mapped[date] = mapped_column(Date)
    changes_upto: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rebuild_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    rebuilding_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    payload: Mapped[str] = deferred(mapped_column(Text, nullable=False))
