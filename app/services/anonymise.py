"""Anonymise a person past their organisation's retention period, keeping what the reports count.

Their enrolments, stages, transitions, sign-offs, reviews, hours and completion dates stay, so a
cohort's numbers do not change; what says who they were goes: names, email, employee number, dates
of birth and registration, the text of their reflections, their evidence files, their name in the
messages about them and the personal details earlier audit events recorded. They can no longer sign
in, every session, API token and emailed link stops working, and the search index (migration 0010's
triggers and index) forgets them with the row. The audit event that records it holds no personal data.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import or_, select, update

from app.extensions import db
from app.models import AccountLink, AuditEvent, Enrolment, EvidenceFile, Notification, OutboxMessage, Reflection, User
from app.models.base import utcnow
from app.services import audit, tokens
from app.services.evidence_store import evidence_store
from app.services.retention import due, kept_until, years_for
from app.services.unit_of_work import command, lock_person

FIRST_NAME = "Anonymised"
REMOVED = "Removed when this learner's record was anonymised."
REDACTED_DETAIL = json.dumps({"redacted": "the person was anonymised"})


def anonymised_values(person: User) -> dict[str, object]:
    """What replaces the person's details; unique per person, so the constraints still hold."""
    return {
        "first_name": FIRST_NAME,
        "last_name": f"person {person.id}",
        "email": f"anonymised-{person.id}@anonymised.invalid",
        "employee_number": f"anonymised-{person.id}",
        "date_of_birth": None,
        "registration_date": None,
        "preceptor_training_date": None,
        "password_hash": None,
        "is_enabled": False,
    }


@command("user.anonymise", target="person_id")
def anonymise(actor: None, person_id: int, as_of: date) -> list[str] | None:
    """Anonymise one person whose period ended on or before ``as_of``: the evidence files to delete after commit,
    or None when the person is kept.

    Checked again inside the transaction, so a leaving date corrected meanwhile keeps the person.
    """
    lock_person(person_id)
    person = db.session.get_one(User, person_id)
    years = years_for(person.organisation_id)
    left = person.leaving_date
    if person.anonymised_at is not None or left is None or kept_until(left, years) > as_of:
        return None
    old_words = [w for w in (person.full_name, person.email, person.employee_number) if w]
    greeting = f"Dear {person.first_name},"  # how emails to them begin
    enrolment_ids = list(db.session.scalars(select(Enrolment.id).where(Enrolment.learner_id == person.id)))
    for name, value in anonymised_values(person).items():
        setattr(person, name, value)
    person.session_version += 1
    person.anonymised_at = utcnow()
    tokens.end_all(person, actor)
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == person.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    _scrub_messages(person, enrolment_ids, old_words, greeting)
    db.session.execute(
        update(Reflection)
        .where(Reflection.enrolment_id.in_(enrolment_ids))
        .values(what_happened=REMOVED, what_learned=REMOVED, how_changed=REMOVED)
    )
    files = _remove_evidence(enrolment_ids, person)
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.object_type == "User", AuditEvent.object_id == person.id, AuditEvent.detail != "{}")
        .values(detail=REDACTED_DETAIL)
    )
    audit.record(actor, "user.anonymised", person, organisation_id=person.organisation_id, years_after_leaving=years)
    return files


def _scrub_messages(person: User, enrolment_ids: list[int], old_words: list[str], greeting: str) -> None:
    """The person's name and address out of in-app notifications and emails to them or about their record."""
    new_name = f"{FIRST_NAME} person {person.id}"
    about = dict.fromkeys(old_words, new_name)
    to_them = {greeting: f"Dear {new_name},", **about}
    notices = select(Notification).where(
        or_(Notification.user_id == person.id, Notification.enrolment_id.in_(enrolment_ids))
    )
    for notice in db.session.scalars(notices):
        notice.title, notice.body = _replaced(notice.title, about), _replaced(notice.body, about)
    mails = select(OutboxMessage).where(
        or_(OutboxMessage.recipient_id == person.id, OutboxMessage.enrolment_id.in_(enrolment_ids))
    )
    for mail in db.session.scalars(mails):
        words = to_them if mail.recipient_id == person.id else about
        mail.subject = _replaced(mail.subject, words)
        mail.body_text, mail.body_html = _replaced(mail.body_text, words), _replaced(mail.body_html, words)


def _replaced(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def _remove_evidence(enrolment_ids: list[int], person: User) -> list[str]:
    """Take the learner's files off the record, renamed; their bytes are deleted once the change commits."""
    keys: list[str] = []
    for evidence in db.session.scalars(select(EvidenceFile).where(EvidenceFile.enrolment_id.in_(enrolment_ids))):
        keys += [key for key in (evidence.storage_key, evidence.thumbnail_key) if key]
        evidence.file_name = f"evidence-{evidence.id}"
        if evidence.removed_at is None:
            evidence.removed_at, evidence.removed_by_id = utcnow(), None
    return keys


def anonymise_due(as_of: date) -> list[int]:
    """Anonymise everyone past their period on ``as_of`` (the scheduler's daily job); their ids."""
    done, store = [], evidence_store()
    for item in due(as_of):
        files = anonymise(None, item.person.id, as_of)
        if files is None:
            continue
        for key in files:
            store.discard(key)
        done.append(item.person.id)
    return done
