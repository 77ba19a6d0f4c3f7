"""Pathway versions, their competencies, cohorts, enrolments and preceptor assignments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import created_at_column
from app.models.people import Organisation, Site, User

ENROLMENT_STATES = ("active", "on_hold", "withdrawn", "completed")


class PathwayVersion(db.Model):
    """A snapshot of one definition file, pinned by every enrolment that started on it."""

    __tablename__ = "pathway_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()

    competencies: Mapped[list[Competency]] = relationship(
        back_populates="pathway_version", order_by="Competency.position"
    )


class Competency(db.Model):
    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("pathway_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pathway_version_id: Mapped[int] = mapped_column(ForeignKey("pathway_versions.id"))
    key: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    group: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]

    pathway_version: Mapped[PathwayVersion] = relationship(back_populates="competencies")


class Cohort(db.Model):
    """An intake on one programme."""

    __tablename__ = "cohorts"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    pathway_key: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation] = relationship()


OPEN_STATES = ("active", "on_hold")


class Enrolment(db.Model):
    """One learner on one pathway version; stage and state mirror the latest transition event.

    ``pathway_key`` repeats the pinned version's key so that the database itself allows one open
    enrolment per learner per programme (a partial unique index, migration 0002).
    """

    __tablename__ = "enrolments"
    __table_args__ = (
        Index(
            "uq_enrolments_open_per_programme",
            "learner_id",
            "pathway_key",
            unique=True,
            sqlite_where=text("state IN ('active', 'on_hold')"),
            postgresql_where=text("state IN ('active', 'on_hold')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pathway_version_id: Mapped[int] = mapped_column(ForeignKey("pathway_versions.id"))
    pathway_key: Mapped[str] = mapped_column(String(80))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    start_date: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(80))
    stage_entered_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="active", index=True)
    created_at: Mapped[datetime] = created_at_column()
    # Raised in the same transaction as any write to the enrolment's facts (``app.services.fact_versions``),
    # so a verdict kept between requests is known to be stale; never read through this attribute.
    facts_version: Mapped[int] = mapped_column(default=0, server_default="0")

    learner: Mapped[User] = relationship(foreign_keys=[learner_id])
    pathway_version: Mapped[PathwayVersion] = relationship()
    cohort: Mapped[Cohort | None] = relationship()
    site: Mapped[Site | None] = relationship()


class PreceptorAssignment(db.Model):
    """Who supports a learner and when; a reassignment ends one row and opens another."""

    __tablename__ = "preceptor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    preceptor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    # A lead's override of the programme's preceptor rules when no eligible preceptor exists: why, and
    # the rules this preceptor did not meet (one a line). Empty for an assignment that met them.
    override_reason: Mapped[str] = mapped_column(Text, default="")
    overridden_rules: Mapped[str] = mapped_column(Text, default="")
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    preceptor: Mapped[User] = relationship(foreign_keys=[preceptor_id])

    @property
    def overridden(self) -> list[str]:
        return [line for line in self.overridden_rules.splitlines() if line]
