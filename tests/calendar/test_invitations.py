"""A booked review meeting reaches each party as an iCalendar invitation, through the outbox and real SMTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, ReviewMeeting
from app.services import meetings
from app.services.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from pathways import format_date
from tests.calendar.conftest import by_recipient, delivered, invitation_of


def first_slot(trust) -> str:
    return next(iter(meetings.review_titles(trust.enrolment, open_only=True)))


def book(trust, when: date, at: str, **changes):
    fields = {"slot": first_slot(trust), "day": when, "start": at, "duration": "60", "place": "Ward 7 seminar room"}
    return meetings.schedule(trust.preceptor, trust.enrolment.id, **{**fields, **changes})


def event_of(message):
    calendar, content_type = invitation_of(message)
    (event,) = calendar.walk("VEVENT")
    return calendar, event, content_type


@pytest.mark.parametrize(
    ("day", "start", "utc_start", "offset_hours"),
    [
        (date(2026, 3, 27), "09:30", datetime(2026, 3, 27, 9, 30, tzinfo=UTC), 0),  # GMT, the Friday before
        (date(2026, 3, 29), "09:30", datetime(2026, 3, 29, 8, 30, tzinfo=UTC), 1),  # the spring clock change day
        (date(2026, 10, 25), "09:30", datetime(2026, 10, 25, 9, 30, tzinfo=UTC), 0),  # the autumn clock change day
        (date(2026, 10, 25), "00:30", datetime(2026, 10, 24, 23, 30, tzinfo=UTC), 1),  # before the change, still BST
    ],
)
def test_each_party_gets_an_invitation_at_the_local_time_booked(trust, mailbox, day, start, utc_start, offset_hours):
    meeting = book(trust, day, start)
    assert meetings.local_start(meeting).strftime("%H:%M") == start
    messages = by_recipient(delivered(mailbox))
    assert set(messages) == {trust.learner.email, trust.preceptor.email}
    for message in messages.values():
        calendar, event, content_type = event_of(message)
        assert calendar["METHOD"] == content_type == "REQUEST"
        starts = event.decoded("DTSTART")
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert (starts.date(), starts.strftime("%H:%M")) == (day, start)  # the wall clock in London
        assert starts.astimezone(UTC) == utc_start
        assert event.decoded("DTEND") - starts == timedelta(hours=1)
        # The VTIMEZONE sent in the file gives the same offset as the zone database on that day.
        (zone,) = calendar.walk("VTIMEZONE")
        assert zone["TZID"] == "Europe/London"
        in_file = starts.replace(tzinfo=None).replace(tzinfo=zone.to_tz())
        assert in_file.utcoffset() == timedelta(hours=offset_hours)
        assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 0
        assert str(event["LOCATION"]) == "Ward 7 seminar room"
        attendees = sorted(str(a) for a in event.get("ATTENDEE"))
        assert attendees == sorted(f"mailto:{p.email}" for p in (trust.learner, trust.preceptor))
        assert str(event["ORGANIZER"]) == f"mailto:{trust.preceptor.email}"
    title = meetings.review_titles(trust.enrolment)[meeting.slot]
    when = f"{format_date(day)} {start}"
    assert messages[trust.learner.email]["Subject"] == f"Booked: your {title}, {when}"
    learner = trust.learner.full_name
    assert messages[trust.preceptor.email]["Subject"] == f"Booked: {title} with {learner}, {when}"
    body = messages[trust.learner.email].get_body(("plain",)).get_content()
    assert f"Your {title.lower()} is on {day:%A} {format_date(day)} at {start} (UK time), for 60 minutes." in body


def test_a_move_sends_the_same_uid_with_a_higher_sequence_and_a_cancel_withdraws_it(trust, mailbox):
    meeting = book(trust, date(2026, 3, 27), "14:00")
    delivered(mailbox)
    meetings.move(trust.preceptor, meeting.id, day=date(2026, 3, 30), start="11:15", duration="30", place="Teams")
    moved = by_recipient(delivered(mailbox))[trust.learner.email]
    _, event, _ = event_of(moved)
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting.uid, 1)
    assert event.decoded("DTSTART").strftime("%d %m %H:%M") == "30 03 11:15"  # now in BST
    assert event.decoded("DTSTART").astimezone(UTC).hour == 10
    assert moved["Subject"].startswith("Moved: ")
    meetings.cancel(trust.lead, meeting.id)
    for message in delivered(mailbox):
        calendar, event, content_type = event_of(message)
        assert calendar["METHOD"] == content_type == "CANCEL"
        assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (meeting.uid, 2, "CANCELLED")
        assert message["Subject"].startswith("Cancelled: ")
    query = select(AuditEvent.action).where(AuditEvent.object_type == "ReviewMeeting").order_by(AuditEvent.id)
    actions = db.session.scalars(query).all()
    assert actions == ["meeting.scheduled", "meeting.moved", "meeting.cancelled"]


def test_a_time_the_clocks_skip_is_refused_with_the_reason(trust, nothing_written):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        book(trust, date(2026, 3, 29), "01:30")
    assert refused.value.fields["start"] == (
        "01:30 does not happen on 29 March 2026: the clocks go forward an hour. Choose another time"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day": date(2026, 3, 1)}, "day", "The meeting date must be today or later"),
        ({"start": "25:00"}, "start", "Enter the start time on the 24-hour clock, like 14:30"),
        ({"duration": "7"}, "duration", "Select how long the meeting is"),
        ({"place": "  "}, "place", "Enter where the meeting is, or its link"),
        ({"place": "Ward 7\r\nBcc: x@y"}, "place", "Remove the line breaks and control characters"),
        ({"slot": "nonsense"}, "slot", "Select a review that has not been held yet"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(trust, nothing_written, changes, field, message):
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        book(trust, date(2026, 3, 27), "10:00", **changes)
    assert refused.value.fields[field] == message


def test_a_review_booked_twice_points_at_the_first_meeting(trust, nothing_written):
    book(trust, date(2026, 3, 27), "10:00")
    with nothing_written(), pytest.raises(ValidationFailed) as refused:
        book(trust, date(2026, 3, 28), "10:00")
    assert "already booked for 27 March 2026; move that meeting instead" in refused.value.fields["slot"]


def test_only_the_learners_preceptor_or_a_lead_books_and_changes(trust, nothing_written):
    meeting = book(trust, date(2026, 3, 27), "10:00")
    fields = {"day": date(2026, 3, 28), "start": "10:00", "duration": "60", "place": "Room 2"}
    with nothing_written():
        with pytest.raises(PermissionDenied):
            meetings.move(trust.learner, meeting.id, **fields)
        with pytest.raises(PermissionDenied):
            meetings.cancel(trust.other_preceptor, meeting.id)
        with pytest.raises(NotFound):
            meetings.cancel(trust.foreign_lead, meeting.id)
    meetings.cancel(trust.preceptor, meeting.id)
    with nothing_written(), pytest.raises(StateConflict):
        meetings.move(trust.preceptor, meeting.id, **fields)
    assert db.session.get(ReviewMeeting, meeting.id).sequence == 1
