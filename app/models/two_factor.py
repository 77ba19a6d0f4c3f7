"""Two-factor authentication: a person's authenticator secret, their recovery codes, the organisation's rule."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import created_at_column


class TwoFactorCredential(db.Model):
    """One authenticator app per person. Unconfirmed until the person has entered one code from it.

    ``secret`` is the TOTP secret encrypted with the server's two-factor key (``app/services/two_factor_keys.py``).
    ``last_step`` is the 30-second time-step of the last code accepted, so that a code is used only once.
    """

    __tablename__ = "two_factor_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    secret: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()


class RecoveryCode(db.Model):
    """A single-use code for when the authenticator is lost; only its keyed hash is stored."""

    __tablename__ = "two_factor_recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()


class TwoFactorPolicy(db.Model):
    """An organisation's rule: whether leads and admins must use two-factor. No row means not required."""

    __tablename__ = "two_factor_policies"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    required_for_staff: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = created_at_column()
