"""Preceptor protected time: logged by the preceptor, seen by the preceptor and the programme lead.

The year's allowance follows the organisation's preceptorship standard (core or gold) in force on
the first day of the year (``pathways.protected_time``), so a change of settings during a year
takes effect the next year, as enrolments keep the settings they started under.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrolment, PreceptorAssignment, ProtectedTimeEntry, User
from app.models.base import utcnow
from app.models.programmes import OPEN_STATES
from app.services import audit
from app.services.catalogue import latest_definition
from app.services.clock import today
from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from app.services.hours import EDIT_WINDOW_DAYS, MAX_HOURS_A_DAY, check_hours
from app.services.permissions import require_lead
from app.services.settings_reads import organisation_settings
from app.services.unit_of_work import command, lock_person
from app.services.values import check_date, check_text
from pathways.protected_time import Ledger, allowance, year_of

PROGRAMME = "preceptorship"
ACTIVITIES = {
    "meeting": "Meeting with a preceptee",
    "training": "Preceptor training or updates",
    "preparation": "Preparing for a meeting or writing it up",
    "other": "Other preceptor work",
}


@dataclass(frozen=True)
class PreceptorTime:
    """One preceptor's year of protected time, and (for their own page) the entries."""

    preceptor: User
    ledger: Ledger
    entries: list[ProtectedTimeEntry]

    @staticmethod
    def removable(entry: ProtectedTimeEntry) -> bool:
        return entry.created_at.date() >= today() - timedelta(days=EDIT_WINDOW_DAYS)


def year_allowance(organisation_id: int, on: date) -> float:
    """Hours of protected time for the year holding ``on``, by the standard in force on its first day."""
    definition = latest_definition(PROGRAMME)
    first_day, _ = year_of(on)
    return allowance(organisation_settings(organisation_id, definition, first_day))


def _used(organisation_id: int, first_day: date, on: date) -> dict[int, float]:
    rows = db.session.execute(
        select(ProtectedTimeEntry.preceptor_id, func.sum(ProtectedTimeEntry.hours))
        .where(
            ProtectedTimeEntry.organisation_id == organisation_id,
            ProtectedTimeEntry.removed_at.is_(None),
            ProtectedTimeEntry.used_on.between(first_day, on),
        )
        .group_by(ProtectedTimeEntry.preceptor_id)
    )
    return {preceptor_id: float(total or 0) for preceptor_id, total in rows}


def _ledgers(organisation_id: int, on: date, preceptors: list[User]) -> list[PreceptorTime]:
    first_day, last_day = year_of(on)
    hours = year_allowance(organisation_id, on)
    used = _used(organisation_id, first_day, on)
    return [PreceptorTime(p, Ledger(first_day, last_day, on, hours, used.get(p.id, 0.0)), []) for p in preceptors]


def _preceptors(organisation_id: int, on: date) -> list[User]:
    """Preceptors with a preceptee on the programme now, or who logged protected time this year."""
    first_day, _ = year_of(on)
    supporting = (
        select(PreceptorAssignment.preceptor_id)
        .join(Enrolment, Enrolment.id == PreceptorAssignment.enrolment_id)
        .where(
            Enrolment.organisation_id == organisation_id,
            Enrolment.pathway_key == PROGRAMME,
            Enrolment.state.in_(OPEN_STATES),
            PreceptorAssignment.ended_on.is_(None),
        )
    )
    logged = select(ProtectedTimeEntry.preceptor_id).where(
        ProtectedTimeEntry.organisation_id == organisation_id,
        ProtectedTimeEntry.removed_at.is_(None),
        ProtectedTimeEntry.used_on.between(first_day, on),
    )
    return list(
        db.session.scalars(
            select(User)
            .where(User.organisation_id == organisation_id, User.id.in_(supporting.union(logged)))
            .order_by(User.last_name, User.first_name, User.id)
        )
    )


def preceptors_time(organisation_id: int, on: date) -> list[PreceptorTime]:
    """Every preceptor's year of protected time, by name."""
    return _ledgers(organisation_id, on, _preceptors(organisation_id, on))


def short_of_time(rows: list[PreceptorTime]) -> list[PreceptorTime]:
    """Those whose hours used are below the share of the allowance due by now, most short first."""
    return sorted((row for row in rows if row.ledger.short_by > 0), key=lambda row: -row.ledger.short_by)


def preceptors_short_of_time(organisation_id: int, on: date) -> list[PreceptorTime]:
    """Preceptors short of protected time on ``on`` (for the lead's home and lists; the caller checks who asks)."""
    return short_of_time(preceptors_time(organisation_id, on))


def protected_time_overview(actor: User, on: date | None = None) -> list[PreceptorTime]:
    """The lead's list of every preceptor's protected time."""
    require_lead(actor, actor.organisation_id)
    return preceptors_time(actor.organisation_id, on or today())


def preceptor_time(actor: User, preceptor_id: int | None = None, on: date | None = None) -> PreceptorTime:
    """A preceptor's own year with its entries; a lead may open any preceptor's of the organisation."""
    preceptor = db.session.get(User, preceptor_id) if preceptor_id is not None else actor
    if preceptor is None or preceptor.organisation_id != actor.organisation_id or preceptor.role != "preceptor":
        raise NotFound("There is no such preceptor")
    if preceptor.id != actor.id:
        require_lead(actor, actor.organisation_id)
    day = on or today()
    row = _ledgers(actor.organisation_id, day, [preceptor])[0]
    entries = db.session.scalars(
        select(ProtectedTimeEntry)
        .where(
            ProtectedTimeEntry.preceptor_id == preceptor.id,
            ProtectedTimeEntry.removed_at.is_(None),
            ProtectedTimeEntry.used_on.between(row.ledger.year_start, row.ledger.year_end),
        )
        .order_by(ProtectedTimeEntry.used_on.desc(), ProtectedTimeEntry.id.desc())
    )
    return PreceptorTime(preceptor, row.ledger, list(entries))


def _validate(used_on: object, hours: object, activity: object, note: object) -> tuple[date, Decimal, str]:
    problems: dict[str, str] = {}
    day = check_date(problems, "used_on", used_on, required="Enter the date of the protected time")
    if day is not None and day > today():
        problems["used_on"] = "The date cannot be in the future"
    amount = check_hours(problems, hours)
    if activity not in ACTIVITIES:
        problems["activity"] = "Select what the time was for"
    text = check_text(problems, "note", note, max_length=2000)
    if problems:
        raise ValidationFailed(problems)
    assert day is not None
    return day, amount, text


@command("protected_time.log")
def log_protected_time(
    actor: User, *, used_on: object, hours: object, activity: object, note: object = ""
) -> ProtectedTimeEntry:
    """A preceptor logs protected time they had for the role; nobody logs it for them."""
    if actor.role != "preceptor":
        raise PermissionDenied("Only a preceptor logs protected time, their own")
    day, amount, text = _validate(used_on, hours, activity, note)
    lock_person(actor.id)
    logged = db.session.scalar(
        select(func.coalesce(func.sum(ProtectedTimeEntry.hours), 0)).where(
            ProtectedTimeEntry.preceptor_id == actor.id,
            ProtectedTimeEntry.used_on == day,
            ProtectedTimeEntry.removed_at.is_(None),
        )
    )
    if Decimal(str(logged)) + amount > MAX_HOURS_A_DAY:
        raise StateConflict({"hours": "You cannot log more than 24 hours on one day"})
    entry = ProtectedTimeEntry(
        organisation_id=actor.organisation_id, preceptor_id=actor.id, used_on=day, hours=amount,
        activity=str(activity), note=text,
    )  # fmt: skip
    db.session.add(entry)
    audit.record(actor, "protected_time.logged", entry, used_on=day, hours=amount, activity=activity)
    return entry


@command("protected_time.remove", target="entry_id")
def remove_protected_time(actor: User, entry_id: int) -> None:
    """A preceptor removes an entry of their own logged by mistake, as hours are removed; the audit trail keeps it."""
    lock_person(actor.id)
    entry = db.session.get(ProtectedTimeEntry, entry_id)
    if entry is None or entry.removed_at is not None or entry.preceptor_id != actor.id:
        raise NotFound("There is no such protected time entry of yours")
    if not PreceptorTime.removable(entry):
        raise PermissionDenied(f"Entries can be removed for {EDIT_WINDOW_DAYS} days after they were logged")
    entry.removed_at = utcnow()
    audit.record(actor, "protected_time.removed", entry, used_on=entry.used_on, hours=entry.hours)
