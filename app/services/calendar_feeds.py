"""Each person's secret calendar address, for Outlook (or any calendar) to subscribe to.

The address holds a random token; only its SHA-256 is kept, so it is shown once, when made.
Making a new one or revoking it ends the old one at once: the old address then answers 404.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time

from sqlalchemy import or_, select

from app.extensions import db
from app.models import CalendarFeed, Enrolment, PreceptorAssignment, ReviewMeeting, User
from app.models.base import utcnow
from app.services import audit
from app.services.calendar_files import LONDON, MeetingEntry, feed
from app.services.clock import today
from app.services.errors import NotFound
from app.services.meeting_mail import entry
from app.services.meetings import review_titles
from app.services.tokens import token_hash
from app.services.unit_of_work import command

PREFIX = "wmcal_"


def active_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
    )


def _revoke(user: User) -> CalendarFeed | None:
    current = active_feed(user)
    if current is not None:
        current.revoked_at = utcnow()
    return current


@command("calendar_feed.create")
def create(actor: User) -> str:
    """A new secret address for the actor's own meetings (any earlier one stops working); shown once."""
    previous = _revoke(actor)
    token = PREFIX + secrets.token_urlsafe(32)
    row = CalendarFeed(user_id=actor.id, token_hash=token_hash(token))
    db.session.add(row)
    audit.record(actor, "calendar_feed.created", row, replaced=previous.id if previous else None)
    return token


@command("calendar_feed.revoke")
def revoke(actor: User) -> CalendarFeed:
    """Stop the actor's calendar address: a calendar subscribed to it gets nothing more."""
    current = _revoke(actor)
    if current is None:
        raise NotFound("You have no calendar address to stop")
    audit.record(actor, "calendar_feed.revoked", current)
    return current


def _meetings_of(user: User) -> list[ReviewMeeting]:
    """Booked meetings from today on where the person is the learner, a current preceptor or the organiser."""
    since = datetime.combine(today(), time(0), tzinfo=LONDON).astimezone(UTC)
    preceptor_of = select(PreceptorAssignment.enrolment_id).where(
        PreceptorAssignment.preceptor_id == user.id, PreceptorAssignment.ended_on.is_(None)
    )
    learner_of = select(Enrolment.id).where(Enrolment.learner_id == user.id)
    query = select(ReviewMeeting).where(
        ReviewMeeting.organisation_id == user.organisation_id,
        ReviewMeeting.status == "scheduled",
        ReviewMeeting.starts_at >= since,
        or_(
            ReviewMeeting.enrolment_id.in_(learner_of),
            ReviewMeeting.enrolment_id.in_(preceptor_of),
            ReviewMeeting.scheduled_by_id == user.id,
        ),
    )
    return list(db.session.scalars(query.order_by(ReviewMeeting.starts_at)))


def feed_file(token: str) -> bytes:
    """The calendar behind a secret address; an unknown, revoked or disabled one is 'not found'."""
    row = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_hash(token), CalendarFeed.revoked_at.is_(None))
    )
    user = db.session.get(User, row.user_id) if row else None
    if user is None or not user.is_enabled:
        raise NotFound("There is no such calendar")
    return feed(upcoming(user), datetime.now(UTC))


def upcoming(user: User) -> list[MeetingEntry]:
    """The person's meetings to come, as their calendar shows them."""
    entries = []
    for meeting in _meetings_of(user):
        enrolment = db.session.get_one(Enrolment, meeting.enrolment_id)
        entries.append(entry(meeting, enrolment, review_titles(enrolment).get(meeting.slot, meeting.slot)))
    return entries
