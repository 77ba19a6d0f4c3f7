"""Checks, assessments, confirmations and attendance: facts that unlock stages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Attendance, Check, Confirmation, User
from app.services import audit
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.enrolments import locked_enrolment
from app.services.errors import PermissionDenied, StateConflict, TransitionRefused, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import is_lead_of, is_preceptor_of, require_preceptor_or_lead
from app.services.unit_of_work import command
from app.services.values import check_date, check_text
from pathways import confirmation_blockers
from pathways.vocabulary import CHECK_RESULTS, CHECK_TITLES, LEAD_ONLY, PRECEPTOR_ONLY

__all__ = ["CHECK_RESULTS", "CHECK_TITLES", "LEAD_ONLY", "PRECEPTOR_ONLY"]


def _past_date(problems: dict[str, str], field: str, on: object) -> date | None:
    day = check_date(problems, field, on, required="Enter the date")
    if day is not None and day > today():
        problems[field] = "The date cannot be in the future"
    return day


@command("check.record", target="enrolment_id")
def record_check(
    actor: User, enrolment_id: int, *, kind: object, result: object, checked_on: object, notes: object = ""
) -> Check:
    enrolment = locked_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    if kind in ("dbs", "occupational_health", "epa") and not is_lead_of(actor, enrolment.organisation_id):
        raise PermissionDenied(f"Only a programme lead can record the {CHECK_TITLES[str(kind)]}")
    problems: dict[str, str] = {}
    day = _past_date(problems, "checked_on", checked_on)
    text = check_text(problems, "notes", notes, max_length=10_000)
    if kind not in CHECK_RESULTS:
        problems["kind"] = "Select the kind of check"
    elif result not in CHECK_RESULTS[str(kind)]:
        problems["result"] = f"Select the result: {', '.join(CHECK_RESULTS[kind])}"
    if problems:
        raise ValidationFailed(problems)
    check = Check(
        enrolment_id=enrolment.id,
        kind=kind,
        result=result,
        checked_on=day,
        notes=text,
        recorded_by_id=actor.id,
    )
    db.session.add(check)
    audit.record(actor, "check.recorded", check, enrolment_id=enrolment.id, kind=kind, result=result)
    return check


@command("confirmation.record", target="enrolment_id")
def record_confirmation(actor: User, enrolment_id: int, name: object, note: object = "") -> Confirmation:
    """A named confirmation; one that closes a stage (the final sign-off) only once what it closes is done."""
    enrolment = locked_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    titles = definition_for(enrolment.pathway_version).confirmations
    problems: dict[str, str] = {}
    text = check_text(problems, "note", note, max_length=10_000)
    if problems:
        raise ValidationFailed(problems)
    if not isinstance(name, str) or name not in titles:
        raise ValidationFailed({"name": "Select what is being confirmed"})
    if name in PRECEPTOR_ONLY and not is_preceptor_of(actor, enrolment):
        raise PermissionDenied(f"Only the learner's preceptor can record: {titles[name]}")
    if name in LEAD_ONLY and not is_lead_of(actor, enrolment.organisation_id):
        raise PermissionDenied(f"Only a programme lead can record: {titles[name]}")
    if db.session.scalar(
        select(Confirmation.id).where(Confirmation.enrolment_id == enrolment.id, Confirmation.name == name)
    ):
        raise StateConflict({"name": f"Already recorded: {titles[name]}"})
    assessed = assess_one(enrolment, today())
    if reasons := confirmation_blockers(assessed.definition, assessed.facts, name):
        raise TransitionRefused(reasons, f"{titles[name]} cannot be recorded yet: " + "; ".join(reasons))
    confirmation = Confirmation(enrolment_id=enrolment.id, name=name, note=text, recorded_by_id=actor.id)
    db.session.add(confirmation)
    audit.record(actor, "confirmation.recorded", confirmation, enrolment_id=enrolment.id, name=name)
    return confirmation


@command("attendance.record", target="enrolment_id")
def record_attendance(actor: User, enrolment_id: int, *, attended_on: object, title: object) -> Attendance:
    enrolment = locked_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    problems: dict[str, str] = {}
    day = _past_date(problems, "attended_on", attended_on)
    text = check_text(
        problems, "title", title, max_length=200, single_line=True, required="Enter the name of the day attended"
    )
    if problems:
        raise ValidationFailed(problems)
    attendance = Attendance(enrolment_id=enrolment.id, attended_on=day, title=text, recorded_by_id=actor.id)
    db.session.add(attendance)
    audit.record(actor, "attendance.recorded", attendance, enrolment_id=enrolment.id, title=text)
    return attendance
