"""What an organisation publishes and keeps: its footer pages and how long it keeps people who have left."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column

PAGE_KINDS = ("accessibility", "privacy", "contact")


class OrganisationPage(db.Model):
    """The organisation's own text for one footer page, one row per kind; the audit trail keeps each change."""

    __tablename__ = "organisation_pages"
    __table_args__ = (UniqueConstraint("organisation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = created_at_column()


class RetentionPolicy(db.Model):
    """How many years after their leaving date the organisation keeps a person before anonymising them."""

    __tablename__ = "retention_policies"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    years_after_leaving: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = created_at_column()
