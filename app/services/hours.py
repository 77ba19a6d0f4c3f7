"""Protected learning and off-the-job hours, logged by the learner."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment, HoursEntry, User
from app.models.base import utcnow
from app.services import audit
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import PermissionDenied, StateConflict, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import require_learner
from app.services.unit_of_work import command
from app.services.values import check_date, check_number, check_text
from pathways import format_date, hours_kind
from pathways.off_the_job import ACTIVITY_TYPES, off_the_job_problems

__all__ = ["ACTIVITY_TYPES", "edit_hours", "log_hours", "remove_hours"]

EDIT_WINDOW_DAYS = 14
MAX_HOURS_A_DAY = Decimal("24")
HOURS_MESSAGE = "Enter the hours as a number, like 1.5"


def check_hours(problems: dict[str, str], hours: object) -> Decimal:
    """A day's amount of time, to the hundredth of an hour: more than 0 and no more than 24 (0 when refused)."""
    number = check_number(problems, "hours", hours, message=HOURS_MESSAGE)
    if number is None:
        return Decimal(0)
    amount = number.quantize(Decimal("0.01"))
    if not Decimal(0) < amount <= MAX_HOURS_A_DAY:
        problems["hours"] = "Hours must be more than 0 and no more than 24"
    return amount


def _validate(enrolment_start: date, worked_on: object, hours: object, activity_type: object, learning: object):
    """Every problem with an entry's values at once; the checked values when there is none."""
    problems: dict[str, str] = {}
    day = check_date(problems, "worked_on", worked_on, required="Enter the date of the learning")
    if day is not None:
        if day > today():
            problems["worked_on"] = "The date cannot be in the future"
        elif day < enrolment_start:
            problems["worked_on"] = f"The date cannot be before the programme started on {format_date(enrolment_start)}"
    amount = check_hours(problems, hours)
    if activity_type not in ACTIVITY_TYPES:
        problems["activity_type"] = "Select the type of activity"
    text = check_text(problems, "learning", learning, max_length=10_000)
    if problems:
        raise ValidationFailed(problems)
    assert day is not None
    return day, amount, text


def _refuse_what_never_counts(enrolment: Enrolment, kind: str, activity_type: str, day: date) -> None:
    """Off-the-job time is refused, with the rule's reason, when the funding rules never count it."""
    if kind != "off_the_job":
        return
    assessed = assess_one(enrolment, today())
    if problems := off_the_job_problems(assessed.definition, assessed.facts, activity_type, day):
        raise ValidationFailed(problems)


def _day_total(enrolment_id: int, worked_on: date, excluding: int | None = None) -> Decimal:
    query = select(func.coalesce(func.sum(HoursEntry.hours), 0)).where(
        HoursEntry.enrolment_id == enrolment_id, HoursEntry.worked_on == worked_on, HoursEntry.removed_at.is_(None)
    )
    if excluding is not None:
        query = query.where(HoursEntry.id != excluding)
    return Decimal(str(db.session.scalar(query)))


@command("hours.log", target="enrolment_id")
def log_hours(
    actor: User, enrolment_id: int, *, worked_on: object, hours: object, activity_type: object, learning: object = ""
) -> HoursEntry:
    """The learner logs time; the programme decides which kind of time it counts as, from the stage."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_learner(actor, enrolment)
    day, amount, text = _validate(enrolment.start_date, worked_on, hours, activity_type, learning)
    kind = hours_kind(definition_for(enrolment.pathway_version), enrolment.stage)
    _refuse_what_never_counts(enrolment, kind, str(activity_type), day)
    if _day_total(enrolment.id, day) + amount > MAX_HOURS_A_DAY:
        raise StateConflict({"hours": "You cannot log more than 24 hours on one day"})
    entry = HoursEntry(
        enrolment_id=enrolment.id,
        kind=kind,
        worked_on=day,
        hours=amount,
        activity_type=activity_type,
        learning=text,
        created_by_id=actor.id,
    )
    db.session.add(entry)
    audit.record(actor, "hours.logged", entry, enrolment_id=enrolment.id, hours=amount, worked_on=day, kind=kind)
    return entry


def _editable_entry(actor: User, entry_id: int) -> HoursEntry:
    entry = db.session.get(HoursEntry, entry_id)
    if entry is None or entry.removed_at is not None:
        raise ValidationFailed({"entry": "There is no such hours entry"})
    enrolment = locked_enrolment(actor, entry.enrolment_id)
    require_learner(actor, enrolment)
    db.session.refresh(entry)
    if entry.removed_at is not None:
        raise ValidationFailed({"entry": "There is no such hours entry"})
    if entry.created_at.date() < today() - timedelta(days=EDIT_WINDOW_DAYS):
        raise PermissionDenied(f"Entries can be changed for {EDIT_WINDOW_DAYS} days after they were logged")
    return entry


@command("hours.edit", target="entry_id")
def edit_hours(
    actor: User, entry_id: int, *, worked_on: object, hours: object, activity_type: object, learning: object = ""
) -> HoursEntry:
    """Change an entry inside the edit window; the old values stay in the audit trail."""
    entry = _editable_entry(actor, entry_id)
    enrolment = get_enrolment(actor, entry.enrolment_id)
    day, amount, text = _validate(enrolment.start_date, worked_on, hours, activity_type, learning)
    _refuse_what_never_counts(enrolment, entry.kind, str(activity_type), day)
    if _day_total(enrolment.id, day, excluding=entry.id) + amount > MAX_HOURS_A_DAY:
        raise StateConflict({"hours": "You cannot log more than 24 hours on one day"})
    before = {
        "worked_on": entry.worked_on,
        "hours": entry.hours,
        "activity_type": entry.activity_type,
        "learning": entry.learning,
    }
    entry.worked_on, entry.hours, entry.activity_type, entry.learning = day, amount, str(activity_type), text
    audit.record(actor, "hours.edited", entry, enrolment_id=enrolment.id, before=before)
    return entry


@command("hours.remove", target="entry_id")
def remove_hours(actor: User, entry_id: int) -> None:
    entry = _editable_entry(actor, entry_id)
    entry.removed_at = utcnow()
    audit.record(
        actor, "hours.removed", entry, enrolment_id=entry.enrolment_id, hours=entry.hours, worked_on=entry.worked_on
    )
