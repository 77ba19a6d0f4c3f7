"""iCalendar files for review meetings: invitations (RFC 5546 REQUEST and CANCEL) and a person's feed.

Times are written in Europe/London with its VTIMEZONE, so a calendar shows the meeting at the
local time it was booked for on either side of a clock change; stored times are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

LONDON_ID = "Europe/London"
LONDON = ZoneInfo(LONDON_ID)
PRODID = "-//Waymark//Review meetings//EN"
FEED_NAME = "Waymark review meetings"
# The UK's rule since 1996 (EU summer time): BST from 01:00 GMT on the last Sunday of March to
# 02:00 BST on the last Sunday of October. Written as rules, as Outlook writes its own zones.
_LONDON_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n"
    "DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n"
    "DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class MeetingEntry:
    """What a calendar needs to know about one meeting."""

    uid: str
    sequence: int
    starts_at: datetime  # aware
    duration_minutes: int
    place: str
    title: str
    description: str
    organiser: Person
    attendees: tuple[Person, ...]
    cancelled: bool = False
    link: str = ""


def london_time(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def _address(person: Person, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    for name, value in params.items():
        address.params[name] = value
    return address


def _event(entry: MeetingEntry, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", london_time(entry.starts_at))
    # The end from the real (UTC) start, so a meeting across a clock change keeps its length.
    event.add("dtend", london_time(entry.starts_at.astimezone(UTC) + timedelta(minutes=entry.duration_minutes)))
    event.add("summary", entry.title)
    event.add("location", entry.place)
    event.add("description", entry.description)
    if entry.link:
        event.add("url", entry.link)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(entry.organiser))
    for person in entry.attendees:
        event.add("attendee", _address(person, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"))
    return event


def _calendar(entries: Iterable[MeetingEntry], stamp: datetime, method: str | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    else:
        calendar.add("x-wr-calname", FEED_NAME)
        calendar.add("x-wr-timezone", LONDON_ID)
    calendar.add_component(Timezone.from_ical(_LONDON_VTIMEZONE))
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()


def invitation(entry: MeetingEntry, stamp: datetime) -> bytes:
    """The file attached to each party's email: a request, or the cancellation of the same UID."""
    return _calendar([entry], stamp, "CANCEL" if entry.cancelled else "REQUEST")


def feed(entries: Iterable[MeetingEntry], stamp: datetime) -> bytes:
    """A calendar to subscribe to: the person's meetings to come, without a method (RFC 5545 publishing)."""
    return _calendar(entries, stamp, None)
