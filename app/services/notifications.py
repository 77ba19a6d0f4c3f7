"""In-app notifications, email preferences, and the outbox rows that admins must see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import CursorResult, ScalarSelect, Select, bindparam, func, or_, select, update
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Enrolment, Notification, NotificationPreference, OutboxMessage, TwoFactorPolicy, User
from app.services import audit
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.outbox import Addressee, addressee
from app.services.request_memo import remember, remembered
from pathways.reminder_kinds import ALWAYS_EMAILED, KIND_TITLES, KINDS_BY_ROLE


@dataclass(frozen=True)
class Preference:
    kind: str
    title: str
    email: bool
    locked: bool


def list_notifications(actor: User, limit: int = 100) -> list[Notification]:
    """The actor's own notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == actor.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def _unread(user_id: Any) -> ScalarSelect[int]:
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(actor: User) -> int:
    return remembered(("unread", actor.id), lambda: db.session.scalar(select(_unread(actor.id))) or 0)


@cache
def _signed_in_statement() -> Select:
    """The user, their organisation, their unread count and whether the organisation requires two-factor of
    its staff (which every page of a lead or admin asks): built once, it is the one read every request makes."""
    policy = (
        select(TwoFactorPolicy.required_for_staff)
        .where(TwoFactorPolicy.organisation_id == User.organisation_id)
        .scalar_subquery()
    )
    return (
        select(User, _unread(User.id), policy)
        .options(joinedload(User.organisation))
        .where(User.id == bindparam("user_id"))
    )


def signed_in_user(user_id: int) -> User | None:
    """The user a session names, with their organisation, unread count (kept for the header) and their
    organisation's two-factor rule, in one read."""
    row = db.session.execute(_signed_in_statement(), {"user_id": user_id}).first()
    if row is None:
        return None
    user, unread, two_factor_required = row
    remember(("unread", user_id), unread)
    remember(("two_factor_required", user.organisation_id), bool(two_factor_required))
    return user


def mark_read(actor: User, notification_id: int) -> Notification:
    """Mark one of the actor's notifications read; anyone else's is 'not found'."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != actor.id:
        raise NotFound("There is no such notification")
    if notification.read_at is None:
        notification.read_at = datetime.now(UTC)
        audit.record(actor, "notification.read", notification, enrolment_id=notification.enrolment_id)
        db.session.commit()
    return notification


def mark_all_read(actor: User) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
    )
    changed = cast(CursorResult[Any], result).rowcount  # an UPDATE's result counts its rows
    if changed:
        audit.record(actor, "notification.all_read", actor, count=changed)
        db.session.commit()
    return changed


def preferences(actor: User) -> list[Preference]:
    """Each kind of reminder this role receives, whether it comes by email, and whether that can change."""
    off = set(
        db.session.scalars(
            select(NotificationPreference.kind).where(
                NotificationPreference.user_id == actor.id, NotificationPreference.email_enabled.is_(False)
            )
        )
    )
    locked = ALWAYS_EMAILED.get(actor.role, frozenset())
    return [
        Preference(kind, KIND_TITLES[kind], kind in locked or kind not in off, kind in locked)
        for kind in KINDS_BY_ROLE.get(actor.role, ())
    ]


def set_preferences(actor: User, email_on: Iterable[str]) -> list[Preference]:
    """Email on for the kinds named, off for the others this role may switch off."""
    chosen = set(email_on)
    kinds = set(KINDS_BY_ROLE.get(actor.role, ()))
    unknown = chosen - kinds
    if unknown:
        raise ValidationFailed({"email": f"There is no reminder called {', '.join(sorted(unknown))} for your role"})
    locked = ALWAYS_EMAILED.get(actor.role, frozenset())
    rows = {
        p.kind: p
        for p in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == actor.id))
    }
    changes = {}
    for kind in sorted(kinds - locked):
        wanted = kind in chosen
        row = rows.get(kind) or NotificationPreference(user_id=actor.id, kind=kind, email_enabled=True)
        if row.email_enabled != wanted:
            row.email_enabled = wanted
            db.session.add(row)
            changes[kind] = wanted
    if changes:
        audit.record(actor, "notification.preferences_changed", actor, email=changes)
        db.session.commit()
    return preferences(actor)


def _require_admin(actor: User) -> None:
    if actor.role != "admin":
        raise PermissionDenied("Only an administrator can see the reminder outbox")


def _in_organisation(organisation_id: int):
    """Messages to the organisation's people, and to the guests of its enrolments' meetings."""
    people = select(User.id).where(User.organisation_id == organisation_id)
    enrolments = select(Enrolment.id).where(Enrolment.organisation_id == organisation_id)
    return or_(
        OutboxMessage.recipient_id.in_(people),
        OutboxMessage.recipient_id.is_(None) & OutboxMessage.enrolment_id.in_(enrolments),
    )


def outbox_problems(actor: User) -> list[tuple[OutboxMessage, Addressee]]:
    """Rows that failed for good, or are being retried, for recipients in the admin's organisation."""
    _require_admin(actor)
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(_in_organisation(actor.organisation_id))
        .where(or_(OutboxMessage.status == "failed", (OutboxMessage.status == "queued") & (OutboxMessage.attempts > 0)))
        .order_by(OutboxMessage.status, OutboxMessage.id)
    )
    return [(message, addressee(message)) for message in rows]


def retry_outbox(actor: User, outbox_id: int) -> OutboxMessage:
    """Put a failed row back in the queue, to be sent on the next delivery run."""
    _require_admin(actor)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.id == outbox_id, _in_organisation(actor.organisation_id))
    )
    if message is None:
        raise NotFound("There is no such message")
    if message.status != "failed":
        raise ValidationFailed({"message": "Only a message that failed can be sent again"})
    message.status, message.attempts, message.next_attempt_at = "queued", 0, None
    audit.record(actor, "outbox.retried", message, enrolment_id=message.enrolment_id or None, error=message.last_error)
    db.session.commit()
    return message
