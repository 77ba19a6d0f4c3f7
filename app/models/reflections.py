"""Reflective accounts a learner writes, on the NMC revalidation form's questions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column


class Reflection(db.Model):
    """One reflective account; ``signoff_event_id`` links it to a sign-off request as its evidence."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    written_on: Mapped[date] = mapped_column(Date)
    what_happened: Mapped[str] = mapped_column(Text)
    what_learned: Mapped[str] = mapped_column(Text)
    how_changed: Mapped[str] = mapped_column(Text)
    code_themes: Mapped[str] = mapped_column(String(200))
    signoff_event_id: Mapped[int | None] = mapped_column(ForeignKey("sign_off_events.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    @property
    def themes(self) -> list[str]:
        return [theme for theme in self.code_themes.split(",") if theme]
