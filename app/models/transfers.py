"""Transfer between organisations: each organisation's signing key, and the programmes brought in from elsewhere."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column


class OrganisationKey(db.Model):
    """The secret an organisation signs its transfer files with (HMAC-SHA256; docs/TRANSFER.md)."""

    __tablename__ = "organisation_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    key_id: Mapped[str] = mapped_column(String(40), unique=True)
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = created_at_column()


class ImportedProgramme(db.Model):
    """A completed programme another organisation signed for, kept as it was sent (its sign-offs as JSON)."""

    __tablename__ = "imported_programmes"
    __table_args__ = (UniqueConstraint("learner_id", "file_sha256", "pathway_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source_organisation: Mapped[str] = mapped_column(String(200))
    pathway_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    completed_on: Mapped[date] = mapped_column(Date)
    sign_offs: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
