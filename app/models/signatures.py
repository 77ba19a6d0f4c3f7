"""Signatures on review meetings, and the single-use links that let someone without an account sign."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column

DECISIONS = ("signed", "disagreed")


class ReviewSignature(db.Model):
    """One party's signature (or recorded disagreement); one per party per review, never changed."""

    __tablename__ = "review_signatures"
    __table_args__ = (UniqueConstraint("review_id", "party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    party: Mapped[str] = mapped_column(String(30))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_role: Mapped[str] = mapped_column(String(200), default="")
    link_id: Mapped[int | None] = mapped_column(ForeignKey("review_signing_links.id"))
    created_at: Mapped[datetime] = created_at_column()


class ReviewSigningLink(db.Model):
    """An emailed link for one party of one review: only its SHA-256 is kept; used once; expires."""

    __tablename__ = "review_signing_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    party: Mapped[str] = mapped_column(String(30))
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
