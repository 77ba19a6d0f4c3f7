"""An organisation's single sign-on settings: its OpenID provider and how a sign-in finds the person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.people import Organisation

MATCH_BY = ("email", "employee_number")


class SsoConfiguration(db.Model):
    __tablename__ = "sso_configurations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    is_enabled: Mapped[bool] = mapped_column(default=False)
    provider_name: Mapped[str] = mapped_column(String(60))  # "NHSmail": the button says "Sign in with NHSmail"
    issuer_url: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(200))
    # Encrypted with a key derived from SECRET_KEY (app/services/sso_settings.py); never shown back.
    client_secret_encrypted: Mapped[str] = mapped_column(Text, default="")
    secret_set_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    allowed_domains: Mapped[str] = mapped_column(Text, default="")  # space separated, lower case
    match_by: Mapped[str] = mapped_column(String(20), default="email")
    employee_number_claim: Mapped[str] = mapped_column(String(100), default="employee_number")
    create_on_first_sign_in: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()

    @property
    def domains(self) -> list[str]:
        return self.allowed_domains.split()
