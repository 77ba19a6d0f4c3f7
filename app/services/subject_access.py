"""A subject access export: one person's whole record, as an administrator of their organisation downloads it.

Every stored row about the person, column by column, so nothing is left out by forgetting a field:
their profile, each enrolment with its transitions, sign-offs, reviews (with confirmations and
signatures), hours, checks, confirmations, attendance, reflections, the list of evidence files, the
national records and settings, the audit events about them or done by them, and the notices sent to
them. Secrets (password and token hashes, evidence storage keys) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select

from app.extensions import db
from app.models import (
    AccountLink,
    ApiToken,
    Attendance,
    AuditEvent,
    Certificate,
    Check,
    Confirmation,
    EnglishMathsDecision,
    Enrolment,
    EnrolmentSettings,
    EvidenceFile,
    HoursEntry,
    Notification,
    OutboxMessage,
    PostAppointment,
    PreceptorAssignment,
    PriorCareCertificate,
    PriorLearning,
    Reflection,
    Review,
    ReviewConfirmation,
    ReviewFrequency,
    ReviewSignature,
    SignOffEvent,
    TransitionEvent,
    User,
)
from app.services import audit
from app.services.errors import PermissionDenied
from app.services.people import person_in_reach
from app.services.unit_of_work import command

SECRET_COLUMNS = {"password_hash", "token_hash", "storage_key", "thumbnail_key", "session_version"}
BY_ENROLMENT: dict[str, Any] = {
    "transitions": TransitionEvent,
    "signoffs": SignOffEvent,
    "reviews": Review,
    "hours": HoursEntry,
    "checks": Check,
    "confirmations": Confirmation,
    "attendance": Attendance,
    "reflections": Reflection,
    "evidence": EvidenceFile,
    "certificate": Certificate,
    "preceptor_assignments": PreceptorAssignment,
    "review_frequencies": ReviewFrequency,
    "english_maths_decisions": EnglishMathsDecision,
    "prior_learning": PriorLearning,
    "posts_appointed": PostAppointment,
    "settings": EnrolmentSettings,
}


@dataclass(frozen=True)
class SubjectAccess:
    person: User
    record: dict[str, Any]
    enrolment_ids: list[int]  # each has a portfolio PDF

    def json_bytes(self) -> bytes:
        return json.dumps(self.record, default=_plain, indent=2, ensure_ascii=False).encode()


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def row(item: Any) -> dict[str, Any]:
    """Every column of a stored row but the secrets; a JSON text column read as JSON."""
    out: dict[str, Any] = {}
    for attribute in item.__mapper__.column_attrs:
        if attribute.key in SECRET_COLUMNS:
            continue
        value = getattr(item, attribute.key)
        if attribute.key in ("detail", "choices_json") and isinstance(value, str):
            value = json.loads(value or "{}")
        out[attribute.key] = value
    return out


def _rows(model: Any, *where: Any) -> list[dict[str, Any]]:
    return [row(item) for item in db.session.scalars(select(model).where(*where).order_by(model.id))]


def _enrolment(enrolment: Enrolment) -> dict[str, Any]:
    out = row(enrolment)
    out["pathway"] = enrolment.pathway_version.key
    out["programme"] = enrolment.pathway_version.title
    out["pathway_version"] = enrolment.pathway_version.version
    for name, model in BY_ENROLMENT.items():
        out[name] = _rows(model, model.enrolment_id == enrolment.id)
    review_ids = [review["id"] for review in out["reviews"]]
    out["review_confirmations"] = _rows(ReviewConfirmation, ReviewConfirmation.review_id.in_(review_ids))
    out["review_signatures"] = _rows(ReviewSignature, ReviewSignature.review_id.in_(review_ids))
    return out


@command("user.subject_access_export", target="person_id")
def export(actor: User, person_id: int) -> SubjectAccess:
    """An administrator's copy of everything held about a person of their organisation; audited."""
    person = person_in_reach(actor, person_id)
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can export a person's whole record")
    enrolments = list(db.session.scalars(select(Enrolment).where(Enrolment.learner_id == person.id)))
    enrolment_ids = [enrolment.id for enrolment in enrolments]
    about = or_(
        (AuditEvent.object_type == "User") & (AuditEvent.object_id == person.id),
        AuditEvent.actor_id == person.id,
        AuditEvent.enrolment_id.in_(enrolment_ids),
    )
    record = {
        "exported_by": actor.full_name,
        "organisation": person.organisation.name,
        "profile": {**row(person), "site": person.site.name if person.site else None},
        "enrolments": [_enrolment(enrolment) for enrolment in enrolments],
        "prior_care_certificates": _rows(PriorCareCertificate, PriorCareCertificate.learner_id == person.id),
        "api_tokens": _rows(ApiToken, ApiToken.user_id == person.id),
        "account_links": _rows(AccountLink, AccountLink.user_id == person.id),
        "notifications": _rows(Notification, Notification.user_id == person.id),
        "emails": _rows(OutboxMessage, OutboxMessage.recipient_id == person.id),
        "audit_events": _rows(AuditEvent, about),
    }
    audit.record(
        actor,
        "user.subject_access_exported",
        person,
        organisation_id=person.organisation_id,
        enrolments=len(enrolments),
        audit_events=len(record["audit_events"]),
    )
    return SubjectAccess(person, record, enrolment_ids)
