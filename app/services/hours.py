"""Protected learning and off-the-job hours, logged by the learner."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.extensions import db
from app.models import HoursEntry, User
from app.models.base import utcnow
from app.services import audit
from app.services.clock import today
from app.services.enrolments import get_enrolment
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.permissions import require_learner
from pathways import Definition

ACTIVITY_TYPES = {
    "study": "Self-directed study",
    "teaching": "Taught session or study day",
    "e_learning": "E-learning",
    "shadowing": "Shadowing or observation",
    "supervision": "Clinical supervision or reflection",
    "mentoring": "Mentoring, coaching or preceptor meeting",
    "project": "Project or quality improvement work",
}
HOURS_KINDS = ("protected_learning", "off_the_job", "supernumerary")
EDIT_WINDOW_DAYS = 14


def kind_for(definition: Definition, stage: str) -> str:
    """Which time a learner's entry counts as: supernumerary practice while in that stage,
    off-the-job training on apprenticeships, protected learning time otherwise."""
    if stage == "supernumerary":
        return "supernumerary"
    return "off_the_job" if "off-the-job" in definition.hours_label.lower() else "protected_learning"


def _validate(enrolment_start: date, worked_on: date | None, hours: object, activity_type: str, kind: str) -> Decimal:
    problems: dict[str, str] = {}
    if worked_on is None:
        problems["worked_on"] = "Enter the date of the learning"
    elif worked_on > today():
        problems["worked_on"] = "The date cannot be in the future"
    elif worked_on < enrolment_start:
        problems["worked_on"] = f"The date cannot be before the programme started on {enrolment_start:%-d %B %Y}"
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
        problems["hours"] = "Enter the hours as a number, like 1.5"
    else:
        if "hours" not in problems and not (Decimal("0") < amount <= Decimal("24")):
            problems["hours"] = "Hours must be more than 0 and no more than 24"
    if activity_type not in ACTIVITY_TYPES:
        problems["activity_type"] = "Select the type of activity"
    if kind not in HOURS_KINDS:
        problems["kind"] = "Select the kind of time"
    if problems:
        raise ValidationFailed(problems)
    return amount


def _day_total(enrolment_id: int, worked_on: date, excluding: int | None = None) -> Decimal:
    query = select(func.coalesce(func.sum(HoursEntry.hours), 0)).where(
        HoursEntry.enrolment_id == enrolment_id, HoursEntry.worked_on == worked_on, HoursEntry.removed_at.is_(None)
    )
    if excluding is not None:
        query = query.where(HoursEntry.id != excluding)
    return Decimal(str(db.session.scalar(query)))


def log_hours(
    actor: User,
    enrolment_id: int,
    *,
    worked_on: date | None,
    hours: object,
    activity_type: str,
    learning: str,
    kind: str = "protected_learning",
) -> HoursEntry:
    enrolment = get_enrolment(actor, enrolment_id)
    require_learner(actor, enrolment)
    amount = _validate(enrolment.start_date, worked_on, hours, activity_type, kind)
    if _day_total(enrolment.id, worked_on) + amount > 24:
        raise ValidationFailed({"hours": "You cannot log more than 24 hours on one day"})
    entry = HoursEntry(
        enrolment_id=enrolment.id,
        kind=kind,
        worked_on=worked_on,
        hours=amount,
        activity_type=activity_type,
        learning=learning.strip(),
        created_by_id=actor.id,
    )
    db.session.add(entry)
    audit.record(actor, "hours.logged", entry, enrolment_id=enrolment.id, hours=amount, worked_on=worked_on)
    db.session.commit()
    return entry


def _editable_entry(actor: User, entry_id: int) -> HoursEntry:
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None or entry.removed_at is not None:
        raise ValidationFailed({"entry": "There is no such hours entry"})
    enrolment = get_enrolment(actor, entry.enrolment_id)
    require_learner(actor, enrolment)
    if entry.created_at.date() < today() - timedelta(days=EDIT_WINDOW_DAYS):
        raise PermissionDenied(f"Entries can be changed for {EDIT_WINDOW_DAYS} days after they were logged")
    return entry


def edit_hours(
    actor: User, entry_id: int, *, worked_on: date | None, hours: object, activity_type: str, learning: str
) -> HoursEntry:
    """Change an entry inside the edit window; the old values stay in the audit trail."""
    entry = _editable_entry(actor, entry_id)
    enrolment = get_enrolment(actor, entry.enrolment_id)
    amount = _validate(enrolment.start_date, worked_on, hours, activity_type, entry.kind)
    if _day_total(enrolment.id, worked_on, excluding=entry.id) + amount > 24:
        raise ValidationFailed({"hours": "You cannot log more than 24 hours on one day"})
    before = {
        "worked_on": entry.worked_on,
        "hours": entry.hours,
        "activity_type": entry.activity_type,
        "learning": entry.learning,
    }
    entry.worked_on, entry.hours, entry.activity_type, entry.learning = (
        worked_on,
        amount,
        activity_type,
        learning.strip(),
    )
    audit.record(actor, "hours.edited", entry, enrolment_id=enrolment.id, before=before)
    db.session.commit()
    return entry


def remove_hours(actor: User, entry_id: int) -> None:
    entry = _editable_entry(actor, entry_id)
    entry.removed_at = utcnow()
    audit.record(
        actor, "hours.removed", entry, enrolment_id=entry.enrolment_id, hours=entry.hours, worked_on=entry.worked_on
    )
    db.session.commit()
