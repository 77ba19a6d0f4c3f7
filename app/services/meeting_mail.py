"""A review meeting's invitation to each party: in the app, and by email with the iCalendar file attached.

Queued through the outbox in the command's transaction, so a change that is rolled back sends
nothing; the outbox key names the meeting and its SEQUENCE, so each version is sent once. Guests
(parties without an account) get the email only, to the address the booker gave.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Enrolment,
    Notification,
    OutboxAttachment,
    OutboxMessage,
    ReviewMeeting,
    ReviewMeetingGuest,
    User,
)
from app.services.calendar_files import LONDON, MeetingEntry, Person, invitation
from app.services.clock import today
from app.services.permissions import current_preceptor_ids
from app.services.tokens import aware
from pathways import format_date
from pathways.reminder_kinds import REVIEW_MEETING
from pathways.review_parties import review_parties


def attendees(enrolment: Enrolment) -> list[User]:
    """Who meets: the learner and their current preceptors, in that order."""
    preceptors = [db.session.get_one(User, i) for i in sorted(current_preceptor_ids(enrolment))]
    return [enrolment.learner, *preceptors]


def guests(meeting: ReviewMeeting) -> list[ReviewMeetingGuest]:
    query = select(ReviewMeetingGuest).where(ReviewMeetingGuest.meeting_id == meeting.id)
    return list(db.session.scalars(query.order_by(ReviewMeetingGuest.id)))


def _guest_name(guest: ReviewMeetingGuest, enrolment: Enrolment) -> str:
    """The name given, else the party's title (the calendar shows someone, not a bare address)."""
    titles = {p.key: p.title for p in review_parties(enrolment.pathway_key)}
    return guest.name or titles.get(guest.party, guest.party)


def entry(meeting: ReviewMeeting, enrolment: Enrolment, slot_title: str) -> MeetingEntry:
    organiser = db.session.get_one(User, meeting.scheduled_by_id)
    invited = [Person(_guest_name(g, enrolment), g.email) for g in guests(meeting)]
    base = current_app.config["BASE_URL"].rstrip("/")
    return MeetingEntry(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=aware(meeting.starts_at),
        duration_minutes=meeting.duration_minutes,
        place=meeting.place,
        title=f"{slot_title}: {enrolment.learner.full_name}",
        description=f"{slot_title} for {enrolment.learner.full_name}, {enrolment.pathway_version.title}.",
        organiser=Person(organiser.full_name, organiser.email),
        attendees=(*(Person(p.full_name, p.email) for p in attendees(enrolment)), *invited),
        cancelled=meeting.status == "cancelled",
        link=f"{base}/calendar",
    )


def _words(meeting: ReviewMeeting, slot_title: str, learner: str, *, to_learner: bool) -> tuple[str, list[str]]:
    """The subject and lines for one recipient: the learner reads of their own review, others of the learner's."""
    start = aware(meeting.starts_at).astimezone(LONDON)
    day, at = format_date(start.date()), f"{start:%H:%M}"
    what = f"your {slot_title.lower()}" if to_learner else f"the {slot_title.lower()} with {learner}"
    short = f"your {slot_title}" if to_learner else f"{slot_title} with {learner}"
    if meeting.status == "cancelled":
        return f"Cancelled: {short}", [
            f"{what[0].upper()}{what[1:]} on {day} at {at} is cancelled.",
            "The attached file removes it from your calendar.",
        ]
    moved = meeting.sequence > 0
    when = f"{start:%A} {day} at {at} (UK time), for {meeting.duration_minutes} minutes"
    return f"{'Moved' if moved else 'Booked'}: {short}, {day} {at}", [
        f"{what[0].upper()}{what[1:]} is {'now ' if moved else ''}on {when}.",
        f"Where: {meeting.place}",
        "Open the attached invitation to put it in your calendar"
        + (" (it replaces the earlier one)." if moved else "."),
    ]


def _queue_email(
    enrolment: Enrolment, rule: str, subject: str, greeting: str, lines: list[str], ics: bytes, method: str, **to: Any
) -> None:
    """One outbox email with the invitation attached; ``to`` names an account (``recipient_id``, ``link``)
    or a guest's address (``to_address``, ``to_name``)."""
    text = "\n\n".join([greeting, *lines])
    html = "".join(f"<p>{escape(line)}</p>" for line in [greeting, *lines])
    row = OutboxMessage(
        rule=rule, enrolment_id=enrolment.id, due_on=today(), subject=subject, body_text=text, body_html=html,
        send_email=True, status="queued", **to,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    db.session.add(
        OutboxAttachment(
            outbox_id=row.id,
            file_name="cancel.ics" if method == "CANCEL" else "invite.ics",
            content_type=f"text/calendar; method={method}",
            content=ics,
        )
    )


def send_to_parties(meeting: ReviewMeeting, enrolment: Enrolment, slot_title: str) -> None:
    """Queue this version of the meeting for the learner, their preceptors, whoever booked it and its guests."""
    ics = invitation(entry(meeting, enrolment, slot_title), datetime.now(UTC))
    method = "CANCEL" if meeting.status == "cancelled" else "REQUEST"
    organiser = db.session.get_one(User, meeting.scheduled_by_id)
    learner = enrolment.learner.full_name
    rule = f"{REVIEW_MEETING}:{meeting.id}:{meeting.sequence}"
    people = {p.id: p for p in [*attendees(enrolment), organiser] if p.is_enabled}
    for person in people.values():
        subject, lines = _words(meeting, slot_title, learner, to_learner=person.id == enrolment.learner_id)
        db.session.add(
            Notification(
                user_id=person.id,
                enrolment_id=enrolment.id,
                kind=REVIEW_MEETING,
                title=subject,
                body="\n".join(lines),
                link="/calendar",
            )
        )
        _queue_email(
            enrolment, rule, subject, f"Dear {person.first_name},", lines, ics, method,
            recipient_id=person.id, link="/calendar",
        )  # fmt: skip
    organisation = organiser.organisation.name
    for guest in guests(meeting):
        subject, lines = _words(meeting, slot_title, learner, to_learner=False)
        booked_by = f"{organiser.full_name} at {organisation} arranged this meeting; reply to them with any questions."
        greeting = f"Dear {guest.name}," if guest.name else "Hello,"
        _queue_email(
            enrolment, f"{rule}:{guest.party}", subject, greeting, [*lines, booked_by], ics, method,
            to_address=guest.email, to_name=guest.name,
        )  # fmt: skip
