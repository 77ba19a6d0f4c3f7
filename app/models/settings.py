"""Programme settings from a date, the settings each enrolment keeps, and preceptor protected time."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, DateTime, ForeignKey, Index, Numeric, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import created_at_column
from app.models.people import User
from app.models.programmes import Enrolment


class SettingsVersion(db.Model):
    """An organisation's choices for one programme from ``effective_from`` until the next version's date.

    Rows are never changed: a correction is a later row (the latest row wins on the same date).
    ``choices_json`` holds every choice the organisation has made, not only the ones this version changed.
    """

    __tablename__ = "settings_versions"
    __table_args__ = (Index("ix_settings_versions_in_force", "organisation_id", "pathway_key", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    pathway_key: Mapped[str] = mapped_column(String(80))
    effective_from: Mapped[date] = mapped_column(Date)
    choices_json: Mapped[str] = mapped_column(Text, default="{}")
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    set_by: Mapped[User | None] = relationship()

    @property
    def choices(self) -> dict[str, Any]:
        return json.loads(self.choices_json or "{}")


class EnrolmentSettings(db.Model):
    """Which settings version an enrolment follows, from when and why; the latest row is the one in use.

    Written when settings change (enrolments already started keep theirs) and when a lead moves an
    enrolment to the current settings, with the reason. An enrolment with no row follows the version
    in force on its start date.
    """

    __tablename__ = "enrolment_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    settings_version_id: Mapped[int] = mapped_column(ForeignKey("settings_versions.id"))
    moved: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    settings_version: Mapped[SettingsVersion] = relationship()
    actor: Mapped[User | None] = relationship()


def version_in_force(organisation_id: Any, pathway_key: Any, on: Any) -> ColumnElement[int]:
    """The id of the settings version in force on ``on`` (columns or values), or NULL before any."""
    return (
        select(SettingsVersion.id)
        .where(
            SettingsVersion.organisation_id == organisation_id,
            SettingsVersion.pathway_key == pathway_key,
            SettingsVersion.effective_from <= on,
        )
        .order_by(SettingsVersion.effective_from.desc(), SettingsVersion.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def enrolment_settings_version() -> ColumnElement[int]:
    """The one definition of the settings an enrolment follows, as a column of a query on ``Enrolment``:
    the latest recorded for it, else the version in force on its start date; NULL means the defaults."""
    recorded = (
        select(EnrolmentSettings.settings_version_id)
        .where(EnrolmentSettings.enrolment_id == Enrolment.id)
        .order_by(EnrolmentSettings.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    started_under = version_in_force(Enrolment.organisation_id, Enrolment.pathway_key, Enrolment.start_date)
    return func.coalesce(recorded, started_under)


class ProtectedTimeEntry(db.Model):
    """Time a preceptor spent on the role (meetings, training, preparation), logged by the preceptor."""

    __tablename__ = "protected_time_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    preceptor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    used_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    activity: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
