"""Completion certificates and their public verification: name, programme, completion date and organisation only."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Certificate, Enrolment, Organisation, TransitionEvent, User
from app.services import audit
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import NotFound, StateConflict, ValidationFailed
from app.services.permissions import require_lead
from app.services.unit_of_work import command
from app.services.values import check_text

# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    """Twelve characters in three groups, e.g. 'K7QM-3XRT-9WPA': about 59 bits, typed from paper easily."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def completed_on(enrolment_id: int) -> date | None:
    return db.session.scalar(
        select(TransitionEvent.effective_on)
        .where(TransitionEvent.enrolment_id == enrolment_id, TransitionEvent.to_state == "completed")
        .order_by(TransitionEvent.id.desc())
        .limit(1)
    )


def certificate_of(enrolment_id: int) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.enrolment_id == enrolment_id))


@command("certificate.issue", target="enrolment_id")
def issue(actor: User, enrolment_id: int) -> Certificate:
    """The certificate of a completed programme, issued the first time anyone who may see the record asks."""
    enrolment = locked_enrolment(actor, enrolment_id)
    existing = certificate_of(enrolment.id)
    if existing is not None:
        return existing
    finished = completed_on(enrolment.id)
    if enrolment.state != "completed" or finished is None:
        raise StateConflict({"certificate": "A certificate is issued when the programme is completed"})
    certificate = Certificate(enrolment_id=enrolment.id, code=new_code(), completed_on=finished, issued_by_id=actor.id)
    db.session.add(certificate)
    audit.record(actor, "certificate.issued", certificate, enrolment_id=enrolment.id, code=certificate.code)
    return certificate


@command("certificate.revoke", target="enrolment_id")
def revoke(actor: User, enrolment_id: int, *, reason: object) -> Certificate:
    """A programme lead withdraws a certificate (issued in error, say); its code then says so."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_lead(actor, enrolment.organisation_id)
    certificate = certificate_of(enrolment.id)
    if certificate is None:
        raise NotFound("This programme has no certificate")
    problems: dict[str, str] = {}
    text = check_text(problems, "reason", reason, max_length=2000, required="Say why the certificate is revoked")
    if problems:
        raise ValidationFailed(problems)
    if certificate.revoked_at is None:
        certificate.revoked_at, certificate.revoked_reason = datetime.now(UTC), text
        audit.record(actor, "certificate.revoked", certificate, enrolment_id=enrolment.id, reason=text)
    return certificate


@dataclass(frozen=True)
class Verification:
    status: str  # "valid", "revoked" or "unknown"
    name: str = ""
    programme: str = ""
    completed_on: date | None = None
    organisation: str = ""


def verify(code: str) -> Verification:
    """What the public verify page says about a code; nothing more than these four facts."""
    wanted = code.strip().upper()[:20]
    row = db.session.execute(
        select(Certificate, Enrolment, Organisation)
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(Organisation, Organisation.id == Enrolment.organisation_id)
        .where(Certificate.code == wanted)
    ).first()
    if row is None:
        return Verification("unknown")
    certificate, enrolment, organisation = row
    status = "revoked" if certificate.revoked_at is not None else "valid"
    return Verification(
        status,
        enrolment.learner.full_name,
        enrolment.pathway_version.title,
        certificate.completed_on,
        organisation.name,
    )
