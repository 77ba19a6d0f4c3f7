"""Checks, assessments, confirmations and attendance: facts that unlock stages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.models import Attendance, Check, Confirmation, User
from app.services import audit
from app.services.catalogue import definition_for
from app.services.clock import today
from app.services.enrolments import get_enrolment
from app.services.errors import PermissionDenied, ValidationFailed
from app.services.permissions import is_lead_of, is_preceptor_of, require_preceptor_or_lead

CHECK_RESULTS = {
    "dbs": ("pending", "cleared", "not_cleared", "exempt"),
    "occupational_health": ("pending", "cleared", "not_cleared", "exempt"),
    "english": ("pending", "ready", "not_ready", "cleared", "exempt"),
    "maths": ("pending", "ready", "not_ready", "cleared", "exempt"),
    "epa": ("fail", "pass", "merit", "distinction"),
}
CHECK_TITLES = {
    "dbs": "DBS check",
    "occupational_health": "Occupational health check",
    "english": "English assessment",
    "maths": "Maths assessment",
    "epa": "End-point assessment",
}
# Who may record each confirmation; any name not listed may be recorded by the preceptor or a lead.
PRECEPTOR_ONLY = {"final_signoff"}
LEAD_ONLY = {
    "lead_countersignature",
    "post_recorded",
    "provider_ready",
    "english_maths_decision",
    "care_certificate_complete",
    "referral_accepted",
}


def _check_date(on: date | None, start: date, field: str) -> dict[str, str]:
    if on is None:
        return {field: "Enter the date"}
    if on > today():
        return {field: "The date cannot be in the future"}
    return {}


def record_check(
    actor: User, enrolment_id: int, *, kind: str, result: str, checked_on: date | None, notes: str = ""
) -> Check:
    enrolment = get_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    if kind in ("dbs", "occupational_health", "epa") and not is_lead_of(actor, enrolment.organisation_id):
        raise PermissionDenied(f"Only a programme lead can record the {CHECK_TITLES[kind]}")
    problems = _check_date(checked_on, enrolment.start_date, "checked_on")
    if kind not in CHECK_RESULTS:
        problems["kind"] = "Select the kind of check"
    elif result not in CHECK_RESULTS[kind]:
        problems["result"] = f"Select the result: {', '.join(CHECK_RESULTS[kind])}"
    if problems:
        raise ValidationFailed(problems)
    check = Check(
        enrolment_id=enrolment.id,
        kind=kind,
        result=result,
        checked_on=checked_on,
        notes=notes.strip(),
        recorded_by_id=actor.id,
    )
    db.session.add(check)
    audit.record(actor, "check.recorded", check, enrolment_id=enrolment.id, kind=kind, result=result)
    db.session.commit()
    return check


def record_confirmation(actor: User, enrolment_id: int, name: str, note: str = "") -> Confirmation:
    enrolment = get_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    titles = definition_for(enrolment.pathway_version).confirmations
    if name not in titles:
        raise ValidationFailed({"name": "Select what is being confirmed"})
    if name in PRECEPTOR_ONLY and not is_preceptor_of(actor, enrolment):
        raise PermissionDenied(f"Only the learner's preceptor can record: {titles[name]}")
    if name in LEAD_ONLY and not is_lead_of(actor, enrolment.organisation_id):
        raise PermissionDenied(f"Only a programme lead can record: {titles[name]}")
    if db.session.scalar(
        select(Confirmation.id).where(Confirmation.enrolment_id == enrolment.id, Confirmation.name == name)
    ):
        raise ValidationFailed({"name": f"Already recorded: {titles[name]}"})
    confirmation = Confirmation(enrolment_id=enrolment.id, name=name, note=note.strip(), recorded_by_id=actor.id)
    db.session.add(confirmation)
    audit.record(actor, "confirmation.recorded", confirmation, enrolment_id=enrolment.id, name=name)
    db.session.commit()
    return confirmation


def record_attendance(actor: User, enrolment_id: int, *, attended_on: date | None, title: str) -> Attendance:
    enrolment = get_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    problems = _check_date(attended_on, enrolment.start_date, "attended_on")
    if not title.strip():
        problems["title"] = "Enter the name of the day attended"
    if problems:
        raise ValidationFailed(problems)
    attendance = Attendance(
        enrolment_id=enrolment.id, attended_on=attended_on, title=title.strip(), recorded_by_id=actor.id
    )
    db.session.add(attendance)
    audit.record(actor, "attendance.recorded", attendance, enrolment_id=enrolment.id, title=title.strip())
    db.session.commit()
    return attendance
