"""Review meetings booked in people's calendars: scheduled, moved and cancelled by a preceptor or lead.

Each change sends every party an iCalendar file (``meeting_mail``): the same UID throughout, a
higher SEQUENCE on each change, METHOD:REQUEST while it stands and METHOD:CANCEL when it is called off.
The parties without an account (an apprentice's employer and training provider) are the meeting's
guests: invited by the email address the booker gives, and sent every change as the others are.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, Review, ReviewMeeting, ReviewMeetingGuest, ReviewSigningLink, User
from app.models.base import utcnow
from app.services import audit, meeting_mail
from app.services.calendar_files import LONDON
from app.services.clock import today
from app.services.enrolments import get_enrolment, locked_enrolment
from app.services.errors import NotFound, StateConflict, ValidationFailed
from app.services.facts import assess_one
from app.services.permissions import require_preceptor_or_lead
from app.services.tokens import aware
from app.services.unit_of_work import command
from app.services.values import Problems, check_date, check_email, check_text
from pathways import format_date
from pathways.review_parties import EXTERNAL, Party, review_parties

DURATIONS = (15, 30, 45, 60, 90, 120, 180)
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
CANCELLED = "This meeting has been cancelled; schedule a new one instead"


def _start(problems: Problems, day: date | None, start: object) -> datetime | None:
    """The meeting's start as a UTC moment, from a London date and a 24-hour clock time."""
    match = _TIME.match(start.strip()) if isinstance(start, str) else None
    if match is None:
        problems["start"] = "Enter the start time on the 24-hour clock, like 14:30"
        return None
    if day is None:
        return None
    local = datetime.combine(day, time(int(match[1]), int(match[2])), tzinfo=LONDON)
    moment = local.astimezone(UTC)
    if moment.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        problems["start"] = (
            f"{local:%H:%M} does not happen on {format_date(day)}: the clocks go forward an hour. Choose another time"
        )
        return None
    if moment <= datetime.now(UTC):
        problems["start"] = "The meeting must start later than now"
        return None
    return moment


def _when_and_where(
    problems: Problems, day: object, start: object, duration: object, place: object
) -> tuple[datetime | None, int, str]:
    checked_day = check_date(problems, "day", day, required="Enter the date of the meeting")
    if checked_day is not None and checked_day < today():
        problems["day"] = "The meeting date must be today or later"
        checked_day = None
    moment = _start(problems, checked_day, start)
    minutes = int(duration) if isinstance(duration, int | str) and str(duration).isdigit() else 0
    if minutes not in DURATIONS:
        problems["duration"] = "Select how long the meeting is"
    where = check_text(
        problems, "place", place, max_length=300, single_line=True, required="Enter where the meeting is, or its link"
    )
    return moment, minutes, where


def review_titles(enrolment: Enrolment, *, open_only: bool = False) -> dict[str, str]:
    """The enrolment's review slots by key (only those not yet held, when ``open_only``)."""
    slots = assess_one(enrolment, today()).evaluation.review_slots
    return {s.key: s.title for s in slots if not (open_only and s.held_on is not None)}


def local_start(meeting: ReviewMeeting) -> datetime:
    """The meeting's start in Europe/London (SQLite hands stored UTC back without its zone)."""
    return aware(meeting.starts_at).astimezone(LONDON)


def guest_parties(enrolment: Enrolment) -> tuple[Party, ...]:
    """The parties of the programme's reviews who have no account, so are invited by address."""
    return tuple(p for p in review_parties(enrolment.pathway_key) if p.signs_as == EXTERNAL)


def guest_fields(party: Party) -> tuple[str, str]:
    """The names of a guest's name and email fields, on the booking form and in its problems."""
    return f"{party.key}_name", f"{party.key}_email"


def suggested_guests(enrolment: Enrolment) -> dict[str, str]:
    """Each guest party's address as last used for this learner (a signing link or a meeting), by party."""
    links = db.session.execute(
        select(ReviewSigningLink.party, ReviewSigningLink.email)
        .join(Review, Review.id == ReviewSigningLink.review_id)
        .where(Review.enrolment_id == enrolment.id)
        .order_by(ReviewSigningLink.id)
    )
    invited = db.session.execute(
        select(ReviewMeetingGuest.party, ReviewMeetingGuest.email)
        .join(ReviewMeeting, ReviewMeeting.id == ReviewMeetingGuest.meeting_id)
        .where(ReviewMeeting.enrolment_id == enrolment.id)
        .order_by(ReviewMeetingGuest.id)
    )
    return {party: email for party, email in [*links, *invited]}


def _checked_guests(problems: Problems, enrolment: Enrolment, guests: object) -> list[ReviewMeetingGuest]:
    """The guests given for the programme's parties without an account; each may be left out."""
    given = guests if isinstance(guests, dict) else {}
    if guests is not None and not isinstance(guests, dict):
        problems["guests"] = "Give each guest as their name and email address"
    checked = []
    for party in guest_parties(enrolment):
        name_field, email_field = guest_fields(party)
        entry = given.get(party.key) or {}
        if not isinstance(entry, dict):
            problems[email_field] = f"Enter the {party.title.lower()}'s email address, or leave it empty"
            continue
        name = check_text(problems, name_field, entry.get("name"), max_length=200, single_line=True)
        address = check_email(problems, email_field, entry.get("email"))
        if name and not address and email_field not in problems:
            problems[email_field] = f"Enter the {party.title.lower()}'s email address, or leave their name empty"
        if address and name_field not in problems:
            checked.append(ReviewMeetingGuest(party=party.key, name=name, email=address))
    unknown = set(given) - {p.key for p in guest_parties(enrolment)}
    if unknown:
        problems["guests"] = "Only the programme's parties without an account can be invited by email"
    return checked


@command("meeting.schedule", target="enrolment_id")
def schedule(
    actor: User,
    enrolment_id: int,
    *,
    slot: object,
    day: object,
    start: object,
    duration: object,
    place: object,
    guests: object = None,
) -> ReviewMeeting:
    """Book a meeting for one of the enrolment's review slots that has not been held or booked.

    ``guests`` maps a party without an account (``guest_parties``) to its ``name`` and ``email``.
    """
    enrolment = locked_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    titles = review_titles(enrolment, open_only=True)
    problems: Problems = {}
    if not isinstance(slot, str) or slot not in titles:
        problems["slot"] = "Select a review that has not been held yet"
    elif booked := db.session.scalar(
        select(ReviewMeeting).where(
            ReviewMeeting.enrolment_id == enrolment.id, ReviewMeeting.slot == slot, ReviewMeeting.status == "scheduled"
        )
    ):
        problems["slot"] = (
            f"The {titles[slot]} is already booked for {format_date(local_start(booked).date())}; "
            "move that meeting instead"
        )
    starts_at, minutes, where = _when_and_where(problems, day, start, duration, place)
    invited = _checked_guests(problems, enrolment, guests)
    if problems:
        raise ValidationFailed(problems)
    assert isinstance(slot, str) and starts_at is not None
    meeting = ReviewMeeting(
        uid=f"{secrets.token_hex(16)}@waymark",
        organisation_id=enrolment.organisation_id,
        enrolment_id=enrolment.id,
        slot=slot,
        starts_at=starts_at,
        duration_minutes=minutes,
        place=where,
        sequence=0,
        status="scheduled",
        scheduled_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    for guest in invited:
        guest.meeting_id = meeting.id
        db.session.add(guest)
    audit.record(
        actor,
        "meeting.scheduled",
        meeting,
        enrolment_id=enrolment.id,
        slot=slot,
        starts_at=starts_at,
        place=where,
        guests={g.party: g.email for g in invited},
    )
    meeting_mail.send_to_parties(meeting, enrolment, titles[slot])
    return meeting


def _changeable(actor: User, meeting_id: int) -> tuple[ReviewMeeting, Enrolment]:
    """A meeting the actor may change, with its enrolment; another organisation's is 'not found'."""
    meeting = db.session.get(ReviewMeeting, meeting_id)
    if meeting is None or meeting.organisation_id != actor.organisation_id:
        raise NotFound("There is no such meeting")
    enrolment = locked_enrolment(actor, meeting.enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    if meeting.status == "cancelled":
        raise StateConflict({"meeting": CANCELLED})
    return meeting, enrolment


@command("meeting.move", target="meeting_id")
def move(actor: User, meeting_id: int, *, day: object, start: object, duration: object, place: object) -> ReviewMeeting:
    """Change the time, length or place: every party gets the updated invitation (same UID, next SEQUENCE)."""
    meeting, enrolment = _changeable(actor, meeting_id)
    problems: Problems = {}
    starts_at, minutes, where = _when_and_where(problems, day, start, duration, place)
    before = (aware(meeting.starts_at), meeting.duration_minutes, meeting.place)
    if not problems and before == (starts_at, minutes, where):
        problems["day"] = "Nothing has changed: give the new date, time, length or place"
    if problems:
        raise ValidationFailed(problems)
    assert starts_at is not None
    meeting.starts_at, meeting.duration_minutes, meeting.place = starts_at, minutes, where
    meeting.sequence += 1
    meeting.changed_at = utcnow()
    audit.record(
        actor,
        "meeting.moved",
        meeting,
        enrolment_id=enrolment.id,
        was=before[0],
        starts_at=starts_at,
        place=where,
        sequence=meeting.sequence,
    )
    meeting_mail.send_to_parties(meeting, enrolment, review_titles(enrolment).get(meeting.slot, meeting.slot))
    return meeting


@command("meeting.cancel", target="meeting_id")
def cancel(actor: User, meeting_id: int) -> ReviewMeeting:
    """Call the meeting off: every party's calendar is told to remove it (METHOD:CANCEL, same UID)."""
    meeting, enrolment = _changeable(actor, meeting_id)
    meeting.status = "cancelled"
    meeting.sequence += 1
    meeting.changed_at = utcnow()
    audit.record(actor, "meeting.cancelled", meeting, enrolment_id=enrolment.id, sequence=meeting.sequence)
    meeting_mail.send_to_parties(meeting, enrolment, review_titles(enrolment).get(meeting.slot, meeting.slot))
    return meeting


def enrolment_to_book(actor: User, enrolment_id: int) -> Enrolment:
    """For the booking page: the enrolment, if the actor may book its meetings (the learner may not)."""
    enrolment = get_enrolment(actor, enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    return enrolment


def meeting_to_change(actor: User, meeting_id: int) -> tuple[ReviewMeeting, Enrolment]:
    """For the move page: the meeting, if the actor may change it."""
    meeting = db.session.get(ReviewMeeting, meeting_id)
    if meeting is None or meeting.organisation_id != actor.organisation_id:
        raise NotFound("There is no such meeting")
    enrolment = db.session.get_one(Enrolment, meeting.enrolment_id)
    require_preceptor_or_lead(actor, enrolment)
    return meeting, enrolment


def booked_for(enrolment_id: int) -> list[ReviewMeeting]:
    """The enrolment's meetings still booked from today on, soonest first."""
    since = datetime.combine(today(), time(0), tzinfo=LONDON).astimezone(UTC)
    query = select(ReviewMeeting).where(
        ReviewMeeting.enrolment_id == enrolment_id,
        ReviewMeeting.status == "scheduled",
        ReviewMeeting.starts_at >= since,
    )
    return list(db.session.scalars(query.order_by(ReviewMeeting.starts_at)))
