"""What happened to an enrolment. Transitions, sign-offs, reviews and checks are append-only."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Date, DateTime, ForeignKey, Numeric, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import created_at_column
from app.models.people import User
from app.models.programmes import Competency
from pathways.vocabulary import CHECK_KINDS, HOURS_KINDS, RECORDED_ACTIONS

TRANSITION_ACTIONS = RECORDED_ACTIONS
SIGN_OFF_ACTIONS = ("requested", "signed", "returned", "revoked")
__all__ = ["CHECK_KINDS", "HOURS_KINDS", "SIGN_OFF_ACTIONS", "TRANSITION_ACTIONS"]


class TransitionEvent(db.Model):
    __tablename__ = "transition_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    from_stage: Mapped[str | None] = mapped_column(String(80))
    to_stage: Mapped[str] = mapped_column(String(80))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    new_end: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    actor: Mapped[User | None] = relationship()


class SignOffEvent(db.Model):
    """One step in a competency's sign-off history; ``sequence`` numbers the steps 1, 2, 3...

    The unique (enrolment, competency, sequence) means two people acting on the same state cannot
    both append the next step: one competency has one current state.
    """

    __tablename__ = "sign_off_events"
    __table_args__ = (UniqueConstraint("enrolment_id", "competency_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"))
    sequence: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    competency: Mapped[Competency] = relationship()
    actor: Mapped[User] = relationship()


class HoursEntry(db.Model):
    """Protected learning / off-the-job time; edits and removals are kept in the audit trail."""

    __tablename__ = "hours_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), default="protected_learning")
    worked_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    activity_type: Mapped[str] = mapped_column(String(60))
    learning: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Review(db.Model):
    """A review meeting held; a correction is a new row pointing at the one it corrects."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    slot: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[date | None] = mapped_column(Date)
    held_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(40))
    notes: Mapped[str] = mapped_column(Text, default="")
    agreed_actions: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"), index=True)  # standing() asks by it
    correction_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])

    @classmethod
    def standing(cls) -> ColumnElement[bool]:
        """The one definition of a review that counts: no other review says it corrects it.

        The facts, the learner and preceptor pages, the review form and the cohort report all filter by it.
        """
        corrected = select(cls.corrects_id).where(cls.corrects_id.is_not(None)).scalar_subquery()
        return cls.id.not_in(corrected)


class ReviewConfirmation(db.Model):
    __tablename__ = "review_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    as_role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at_column()


class Check(db.Model):
    """Pre-employment checks, assessments and end-point assessment results; latest wins."""

    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    result: Mapped[str] = mapped_column(String(30))
    checked_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class Confirmation(db.Model):
    """A one-off recorded fact the engine's guards read (final sign-off, countersignature...)."""

    __tablename__ = "confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class Attendance(db.Model):
    """A study day or career development day attended."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    attended_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
